package clean

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizeLines makes text uniform for line rules: "\n" line ends, spaces
// for every kind of blank, invisible format characters and controls
// removed, runs of spaces collapsed, lines trimmed, NFC. isNFC says s is
// in NFC already (decode returns NFC), and then only the removal of an
// invisible character, which can bring a combining mark next to the letter
// it composes with, needs NFC again. Blanks and line ends become spaces and
// "\n", which compose with nothing.
func normalizeLines(s string, isNFC bool) string {
	if isNFC && !noQuickTest && linesNormal(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending
	lineStart := true
	for i := 0; i < len(s); {
		if c := s[i]; c > ' ' && c < 0x7f {
			// A run of printable ASCII but the space goes as it is.
			j := i + 1
			for j < len(s) && s[j] > ' ' && s[j] < 0x7f {
				j++
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteString(s[i:j])
			lineStart = false
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			r = '\n'
		case r == '\u2028' || r == '\u2029' || r == '\v' || r == '\f' || r == 0x85:
			r = '\n'
		}
		switch {
		case r == '\n':
			b.WriteByte('\n')
			space, lineStart = false, true
		case r == '\t' || unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			space = !lineStart
		case invisible(r):
			isNFC = false
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
			lineStart = false
		}
	}
	if isNFC {
		return b.String()
	}
	return norm.NFC.String(b.String())
}

// linesNormal reports whether normalizeLines would return s as it is: "\n"
// line ends, single spaces inside lines only, and no other blank, line
// separator, invisible character or invalid UTF-8. It only reads s; the
// text of a plain-text article mostly is so.
func linesNormal(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c > ' ' && c < 0x7f:
			i++
		case c == ' ':
			// Not at a line's start, not before a space, a line end or the end.
			if i == 0 || s[i-1] == '\n' || i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n' {
				return false
			}
			i++
		case c == '\n':
			i++
		case c < utf8.RuneSelf: // controls, tabs, "\r", DEL
			return false
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' || r == 0x85 ||
				unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || invisible(r) {
				return false
			}
			i += size
		}
	}
	return true
}

// invisible reports characters dropped from text: controls and format
// characters that only steer rendering (zero-width space, bidi marks, soft
// hyphen, BOM). Zero-width (non-)joiners stay: some scripts need them.
func invisible(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
		return true
	case r == 0xad, r == 0x200b, r == 0x200e, r == 0x200f, r == 0xfeff, r == 0x180e:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// coreOf returns line lowercased with leading and trailing punctuation,
// symbols and spaces removed, for matching labels like "— Advertisement —".
func coreOf(line string) string {
	var b strings.Builder
	return coreInto(&b, line)
}

// coreInto is coreOf writing the lowered core into b (see lowerInto).
func coreInto(b *strings.Builder, line string) string {
	c := strings.TrimFunc(line, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return lowerInto(b, c)
}

// toLower is strings.ToLower, but on text that is mostly ASCII with a few
// other characters (curly quotes, accents) it lowers the ASCII bytes as
// they are instead of mapping every rune.
func toLower(s string) string {
	var b strings.Builder
	return lowerInto(&b, s)
}

// lowerInto is toLower writing the lowered text at the end of b and
// returning it from there (s itself when it has nothing to lower). A
// builder only ever appends, so the strings it returned stay as they
// were: a pass lowers all its lines into one builder (scan.lower), one
// allocation instead of one a line.
func lowerInto(b *strings.Builder, s string) string {
	start := b.Len()
	grown := false
	for i := 0; i < len(s); {
		j := i // a run that stays as it is
		for j < len(s) && s[j] < utf8.RuneSelf && (s[j] < 'A' || s[j] > 'Z') {
			j++
		}
		if j == len(s) && i == 0 {
			return s
		}
		if !grown {
			b.Grow(len(s))
			grown = true
		}
		b.WriteString(s[i:j])
		if i = j; i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			b.WriteByte(c + 'a' - 'A')
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return strings.ToLower(s) // invalid UTF-8 becomes U+FFFD there
		}
		if l := unicode.ToLower(r); l != r {
			b.WriteRune(l)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()[start:]
}

func hasAlnum(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// wordCount counts the words of s without allocating: space-separated
// words, where in scripts written without spaces (Han, Hiragana, Katakana,
// Thai, …) every two characters count as a word, so that a Japanese
// sentence is as long in words as its translation, roughly.
func wordCount(s string) int { return wordsUpTo(s, math.MaxInt) }

// wordsUpTo counts the words of s like wordCount, but stops once limit
// words are counted: it returns wordCount(s) when that is below limit,
// and a number of at least limit otherwise. Tests like "at most three
// words" need not read a whole article.
func wordsUpTo(s string, limit int) int {
	n, in, d := 0, false, 0 // d: dense letters of the current word
	end := func() {
		if d > 0 {
			n += (d + 1) / 2
		} else if in {
			n++
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' || c >= '\t' && c <= '\r' {
				end()
				if n >= limit {
					return n
				}
				in, d = false, 0
			} else {
				in = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsSpace(r):
			end()
			if n >= limit {
				return n
			}
			in, d = false, 0
		case isDense(r):
			in = true
			d++
		default:
			in = true
		}
	}
	end()
	return n
}

// isDense reports whether r is a letter of a script written without spaces
// between words.
func isDense(r rune) bool {
	return r >= 0x0E00 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}

// closers are characters that may follow the end of a sentence.
const closers = "\"'”’»)]*」』）】"

// lastSignificant returns the last rune of s before closing quotes and
// brackets.
func lastSignificant(s string) rune {
	s = strings.TrimRight(s, closers+" ")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// endsTerminal reports whether s ends a sentence or clause for the purpose
// of joining wrapped lines: . ! ? … : ; and their full-width forms (before
// closing quotes).
func endsTerminal(s string) bool {
	return strings.ContainsRune(".!?…:;。！？：；", lastSignificant(s))
}

// endsPeriod reports whether s ends with a full stop (before closing
// quotes).
func endsPeriod(s string) bool {
	r := lastSignificant(s)
	return r == '.' || r == '…' || r == '。'
}

// isProse reports whether line reads as body text rather than a headline,
// label or list item: a sentence of ten words or more, or long.
func isProse(line string) bool {
	n := wordsUpTo(line, 40)
	switch lastSignificant(line) {
	case '.', '…', '。':
		return n >= 10
	case '!', '?', '！', '？':
		return n >= 20
	}
	return n >= 40
}

// headlineLike reports whether line could be a headline or subheading:
// short and not ending with a full stop.
func headlineLike(line string) bool {
	if len(line) > 220 {
		return false
	}
	n := wordsUpTo(line, 26)
	return n >= 1 && n <= 25 && !endsPeriod(line) && !strings.ContainsRune(":;,：；、，", lastSignificant(line))
}

// startsLower reports whether s starts with a lowercase letter or with
// punctuation that continues a sentence.
func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r) || strings.ContainsRune(",;)%", r)
}

// connectors are words a wrapped line may end with mid-sentence.
var connectors = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "but": true, "of": true, "to": true, "in": true,
	"on": true, "at": true, "for": true, "with": true, "by": true, "from": true, "that": true, "as": true, "is": true,
	"was": true, "are": true, "were": true, "be": true, "has": true, "have": true, "had": true, "will": true, "would": true,
}

// endsMidSentence reports whether line visibly stops in the middle of a
// sentence: a trailing comma, hyphen or connector word.
func endsMidSentence(line string) bool {
	r, _ := utf8.DecodeLastRuneInString(line)
	if r == ',' || r == '-' || r == '–' || r == '—' {
		return true
	}
	i := strings.LastIndexByte(line, ' ')
	return connectors[strings.ToLower(line[i+1:])]
}
