package rouge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tokenizer splits a text into the tokens that ROUGE compares.
type Tokenizer interface {
	Tokenize(text string) []string
}

// DefaultTokenizer is rouge-score's default tokenizer (rouge/tokenize.py):
// Python's str.lower(), every run of characters outside [a-z0-9] becomes a
// space, the text is split on spaces, and, when Stemmer is set, tokens
// longer than three characters go through NLTK's Porter stemmer.
//
// Scorers built without a Tokenizer use a faster path that gives the same
// tokens; DefaultTokenizer is for callers that want the strings.
type DefaultTokenizer struct {
	Stemmer bool
}

// Tokenize implements Tokenizer.
func (t DefaultTokenizer) Tokenize(text string) []string {
	var toks []string
	sc := scanner{text: text}
	for {
		w, _, ok := sc.next()
		if !ok {
			return toks
		}
		if t.Stemmer && len(w) > 3 {
			w = stemBytes(w)
		}
		toks = append(toks, string(w))
	}
}

// scanner yields the words of a text as rouge-score's tokenizer sees them
// before stemming: maximal runs of [a-z0-9] after Python's str.lower().
//
// Python's lower() turns exactly two non-ASCII characters into something
// that contains [a-z0-9]: U+0130 (capital I with dot above) becomes "i"
// followed by U+0307 (a combining dot, which then splits the word), and
// U+212A (Kelvin sign) becomes "k". Every other non-ASCII character lowers
// to something outside [a-z0-9] and so separates words. Only ASCII digits
// count as digits.
type scanner struct {
	text string
	i    int
	line int // number of '\n' before position i
	buf  []byte
	hash uint64 // FNV-1a hash of buf
}

// push appends c to the current word.
func (s *scanner) push(c byte) {
	s.buf = append(s.buf, c)
	s.hash = (s.hash ^ uint64(c)) * fnvPrime
}

// next returns the next word, valid until the following call, and the
// 0-based line it starts on.
func (s *scanner) next() (word []byte, line int, ok bool) {
	s.buf = s.buf[:0]
	s.hash = fnvOffset
	line = s.line
	for s.i < len(s.text) {
		c := s.text[s.i]
		if c < utf8.RuneSelf {
			s.i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				if len(s.buf) == 0 {
					line = s.line
				}
				s.push(c)
				continue
			case 'A' <= c && c <= 'Z':
				if len(s.buf) == 0 {
					line = s.line
				}
				s.push(c + ('a' - 'A'))
				continue
			case c == '\n':
				s.line++
			}
			if len(s.buf) > 0 {
				return s.buf, line, true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s.text[s.i:])
		s.i += size
		switch r {
		case '\u0130': // lower() gives "i\u0307": the combining dot ends the word
			if len(s.buf) == 0 {
				line = s.line
			}
			s.push('i')
			return s.buf, line, true
		case '\u212a': // Kelvin sign
			if len(s.buf) == 0 {
				line = s.line
			}
			s.push('k')
			continue
		}
		if len(s.buf) > 0 {
			return s.buf, line, true
		}
	}
	if len(s.buf) > 0 {
		return s.buf, line, true
	}
	return nil, line, false
}

// UnicodeTokenizer keeps letters and digits of every script instead of
// only [a-z0-9]: the text is NFKC-normalized and lower-cased, words are
// runs of letters, digits and combining marks, and each Han, Hiragana or
// Katakana character is a token of its own (those scripts do not separate
// words with spaces). When Stemmer is set, words made only of [a-z0-9]
// and longer than three characters are Porter-stemmed; other words are
// never stemmed.
//
// Scores computed with it are NOT comparable with published ROUGE numbers,
// which all use rouge-score's ASCII-only tokenizer (DefaultTokenizer).
type UnicodeTokenizer struct {
	Stemmer bool
}

// Tokenize implements Tokenizer.
func (t UnicodeTokenizer) Tokenize(text string) []string {
	text = strings.ToLower(norm.NFKC.String(text))
	var toks []string
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := text[start:end]
		start = -1
		if t.Stemmer && len(w) > 3 && isASCIIWord(w) {
			w = Stem(w)
		}
		toks = append(toks, w)
	}
	for i, r := range text {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			flush(i)
			toks = append(toks, string(r))
		case unicode.IsLetter(r), unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		case unicode.Is(unicode.M, r) && start >= 0:
			// a combining mark continues the word it follows
		default:
			flush(i)
		}
	}
	flush(len(text))
	return toks
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
