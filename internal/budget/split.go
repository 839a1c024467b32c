package budget

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a byte range [start, end) of a text.
type span struct{ start, end int }

// substrings returns the texts of spans (nil for none).
func substrings(text string, spans []span) []string {
	if len(spans) == 0 {
		return nil
	}
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = text[s.start:s.end]
	}
	return out
}

// paragraphs returns the trimmed spans of text's paragraphs. A paragraph
// ends at a blank line, or at a line break followed by anything but a
// lowercase letter (so hard-wrapped lines stay one paragraph, while
// one-paragraph-per-line text splits on every line).
func paragraphs(text string) []span {
	var out []span
	start := skipSpace(text, 0)
	pos := start
	for pos < len(text) {
		nl := strings.IndexByte(text[pos:], '\n')
		if nl < 0 {
			break
		}
		nl += pos
		runEnd := skipSpace(text, nl)
		if runEnd < len(text) && !paragraphBreak(text, nl, runEnd) {
			pos = runEnd
			continue
		}
		if end := trimRightIndex(text, start, nl); end > start {
			out = append(out, span{start, end})
		}
		start, pos = runEnd, runEnd
	}
	if end := trimRightIndex(text, start, len(text)); end > start {
		out = append(out, span{start, end})
	}
	return out
}

// paragraphBreak reports whether the whitespace run text[nl:runEnd], which
// starts with a newline, separates two paragraphs.
func paragraphBreak(text string, nl, runEnd int) bool {
	if strings.Count(text[nl:runEnd], "\n") > 1 {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[runEnd:])
	return !unicode.IsLower(r)
}

// sentences returns the trimmed spans of text's sentences, in order,
// paragraph by paragraph. A sentence ends at a paragraph break, or at ".",
// "!", "?" or "…" (with any closing quotes or brackets) followed by a space
// and a capital letter or a digit, except after an initial, a title such as
// "Mr." or "Dr.", or a dotted abbreviation such as "U.S.". It is a simple,
// fast splitter meant for budgeting, not for linguistics: when unsure it
// does not split.
func sentences(text string) []span {
	var out []span
	for _, p := range paragraphs(text) {
		out = appendSentences(out, text, p)
	}
	return out
}

// appendSentences appends the sentences of the paragraph text[p.start:p.end].
func appendSentences(out []span, text string, p span) []span {
	start := p.start
	for i := p.start; i < p.end; {
		r, size := utf8.DecodeRuneInString(text[i:p.end])
		if !isTerminator(r) {
			i += size
			continue
		}
		end, next, ok := sentenceEnd(text[:p.end], i)
		if !ok {
			i += size
			continue
		}
		out = append(out, span{start, end})
		start, i = next, next
	}
	if start < p.end {
		out = append(out, span{start, p.end})
	}
	return out
}

// sentenceEnd decides whether the terminator at text[i] ends a sentence: it
// does when, after any further terminators and closing quotes or brackets,
// whitespace follows and then, after any opening quote or bracket, an
// uppercase letter or a digit. A period after an initial ("J.") or a title
// ("Mr.", "Dr.") does not end a sentence, nor does one inside a dotted
// abbreviation ("U.S."), nor "No." or "Jan." before a number. It returns the
// end of the sentence and the start of the next.
func sentenceEnd(text string, i int) (end, next int, ok bool) {
	period := text[i] == '.'
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !isTerminator(r) && !isCloser(r) {
			break
		}
		j += size
	}
	k := skipSpace(text, j)
	if k == j || k >= len(text) {
		return 0, 0, false
	}
	next = k
	r, size := utf8.DecodeRuneInString(text[k:])
	if isOpener(r) {
		k += size
		r, _ = utf8.DecodeRuneInString(text[k:])
	}
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return 0, 0, false
	}
	if period && abbreviation(text[:i], unicode.IsDigit(r)) {
		return 0, 0, false
	}
	return j, next, true
}

// abbreviation reports whether the word just before a period is an
// abbreviation rather than the end of a sentence.
func abbreviation(before string, digitFollows bool) bool {
	w := len(before)
	for w > 0 {
		r, size := utf8.DecodeLastRuneInString(before[:w])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		w -= size
	}
	word := before[w:]
	switch {
	case word == "":
		return false
	case strings.Contains(word, "."):
		return true // U.S. or a.m.
	case utf8.RuneCountInString(word) == 1:
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsUpper(r) // J. K. Rowling
	}
	word = strings.ToLower(word)
	switch word {
	case "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "sen",
		"rep", "gov", "lt", "col", "capt", "sgt", "cmdr", "adm", "rev", "hon",
		"pres", "supt", "det", "insp", "vs", "messrs":
		return true
	case "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
		"sept", "oct", "nov", "dec", "fig", "vol", "p", "pp", "art", "ch":
		return digitFollows
	}
	return false
}

func isTerminator(r rune) bool { return r == '.' || r == '!' || r == '?' || r == '…' }

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '”', '’', '»':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '(', '[', '“', '‘', '«':
		return true
	}
	return false
}

// words returns the spans of the whitespace-separated words of
// text[s.start:s.end].
func words(text string, s span) []span {
	var out []span
	i := skipSpace(text[:s.end], s.start)
	for i < s.end {
		j := i
		for j < s.end {
			r, size := utf8.DecodeRuneInString(text[j:s.end])
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		out = append(out, span{i, j})
		i = skipSpace(text[:s.end], j)
	}
	return out
}

// skipSpace returns the index of the first non-space rune of text at or
// after i, or len(text).
func skipSpace(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			return i
		}
		i += size
	}
	return i
}

// trimRightIndex returns end moved left past trailing spaces, not below start.
func trimRightIndex(text string, start, end int) int {
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= size
	}
	return end
}
