package extractive

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/english"
)

// newPunkt builds the English Punkt tokenizer of github.com/neurosnap/sentences
// with two shortcuts that leave every sentence boundary as the stock one
// finds it (segment_equiv_test.go compares the two):
//
//   - words become tokens held in one array per text rather than one
//     allocation each;
//   - the checks for sentence-ending characters, run on every word, answer
//     false at once for a word without ".", "?" or "!" (every ending they
//     look for holds one);
//   - the last pass (english.MultiPunctWordAnnotation, multi-period
//     abbreviations such as "F.B.I.") runs only on the pairs of words whose
//     first can change: one that is a sentence break already, or holds
//     ".", "?" or "!".
//
// It returns an error if the tokenizer is not built as these shortcuts
// expect (a new version of the module).
func newPunkt() (*sentences.DefaultSentenceTokenizer, error) {
	t, err := english.NewSentenceTokenizer(nil)
	if err != nil {
		return nil, fmt.Errorf("load english sentence model: %w", err)
	}
	word, ok := t.WordTokenizer.(*english.WordTokenizer)
	if !ok || len(t.Annotations) != 3 {
		return nil, fmt.Errorf("english sentence model: unexpected tokenizer %T with %d passes", t.WordTokenizer, len(t.Annotations))
	}
	typ, ok1 := t.Annotations[0].(*sentences.TypeBasedAnnotation)
	multi, ok2 := t.Annotations[2].(*english.MultiPunctWordAnnotation)
	if !ok1 || !ok2 || typ.TokenExistential != word || multi.TokenParser != word {
		return nil, fmt.Errorf("english sentence model: unexpected passes %T, %T", t.Annotations[0], t.Annotations[2])
	}
	fast := fastWords{word}
	t.WordTokenizer = fast
	typ.TokenExistential = fast
	multi.TokenParser = fast
	t.Annotations[2] = sparsePass{multi}
	return t, nil
}

// hasEndMark reports whether s holds ".", "?" or "!".
func hasEndMark(s string) bool { return strings.ContainsAny(s, ".?!") }

// fastWords is the English word tokenizer with quick answers for words
// without an end mark.
type fastWords struct{ *english.WordTokenizer }

// Tokenize is sentences.DefaultWordTokenizer's Tokenize (v1.1.2, MIT
// licence, Copyright (c) 2015 Eric Bower), line for line but for where
// its tokens live: in one array per text, not one allocation each. Its
// quirks are kept: a text's last word is a token only when the text ends
// in an ASCII byte or white space follows it (Tokenize then keeps the rest
// as the last sentence). Whether a word has sentence punctuation is looked
// up only when onlyPeriodContext needs it: nothing else reads it.
func (w fastWords) Tokenize(text string, onlyPeriodContext bool) []*sentences.Token {
	textLength := len(text)
	if textLength == 0 {
		return nil
	}
	est := strings.Count(text, " ") + 1
	tokens := make([]*sentences.Token, 0, est)
	slab := make([]sentences.Token, 0, est)
	newToken := func(word string) *sentences.Token {
		if len(slab) == cap(slab) {
			slab = make([]sentences.Token, 0, max(16, est/4))
		}
		slab = append(slab, *sentences.NewToken(word))
		return &slab[len(slab)-1]
	}
	lastSpace := 0
	lineStart := false
	paragraphStart := false
	getNextWord := false

	for i, char := range text {
		if !unicode.IsSpace(char) && !sentences.IsCjkPunct(char) && i != textLength-1 {
			continue
		}
		if sentences.IsCjkPunct(char) {
			i += len(string(char))
		}
		if char == '\n' {
			if lineStart {
				paragraphStart = true
			}
			lineStart = true
		}
		var cursor int
		if i == textLength-1 {
			cursor = textLength
		} else {
			cursor = i
		}
		word := strings.TrimSpace(text[lastSpace:cursor])
		if word == "" {
			continue
		}
		hasSentencePunct := false
		if onlyPeriodContext {
			hasSentencePunct = w.PunctStrings.HasSentencePunct(word)
			if !hasSentencePunct && !getNextWord {
				lastSpace = cursor
				continue
			}
		}
		token := newToken(word)
		token.Position = cursor
		token.ParaStart = paragraphStart
		token.LineStart = lineStart
		tokens = append(tokens, token)

		lastSpace = cursor
		lineStart = false
		paragraphStart = false
		getNextWord = hasSentencePunct
	}

	if len(tokens) == 0 {
		token := newToken(text)
		token.Position = textLength
		tokens = append(tokens, token)
	}
	return tokens
}

// HasSentEndChars is english.WordTokenizer's: every ending and bracket it
// looks for holds ".", "?" or "!".
func (w fastWords) HasSentEndChars(t *sentences.Token) bool {
	return hasEndMark(t.Tok) && w.WordTokenizer.HasSentEndChars(t)
}

// HasUnreliableEndChars is english.WordTokenizer's: every ending it looks
// for holds ".", "?" or "!".
func (w fastWords) HasUnreliableEndChars(t *sentences.Token) bool {
	return hasEndMark(t.Tok) && w.WordTokenizer.HasUnreliableEndChars(t)
}

// sparsePass runs english.MultiPunctWordAnnotation on the pairs of tokens
// it can change. The pass looks at each pair (a, b) of neighbours once,
// changes only a, and reads no field it changes in another token; it
// changes a's SentBreak (all Tokenize reads) only when a holds ".", "?" or
// "!", or when a is a list number ("1", "2)") that is a sentence break,
// which it clears. Its changes to a.Abbr are read by nothing after it.
type sparsePass struct {
	inner *english.MultiPunctWordAnnotation
}

func (p sparsePass) Annotate(tokens []*sentences.Token) []*sentences.Token {
	for i := 0; i+1 < len(tokens); i++ {
		if a := tokens[i]; a.SentBreak || hasEndMark(a.Tok) {
			p.inner.Annotate(tokens[i : i+2])
		}
	}
	return tokens
}
