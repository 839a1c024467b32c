package dataset

import (
	"bytes"
	"slices"
	"unicode"
	"unicode/utf8"
)

// Leak is a reference bullet found verbatim in the text the model sees.
// A leaking case rewards copying rather than summarizing, so the reports
// list them and a suite with leakage: fail fails them.
type Leak struct {
	Case   string `json:"case"`
	Index  int    `json:"-"`      // case index in the dataset
	Bullet int    `json:"bullet"` // 1-based reference bullet number
	Text   string `json:"text"`
}

// minLeakWords is the shortest bullet the check looks for: a three-word
// bullet found in an article is a coincidence, not a leak.
const minLeakWords = 4

// leakFinder finds the reference bullets of a case that occur in its
// title or article, compared case-insensitively with runs of white space
// collapsed and the bullet's final punctuation ignored, with buffers kept from one case to the next (a
// dataset is checked case by case with one finder).
type leakFinder struct {
	text, ref []byte
}

func (f *leakFinder) find(index int, c Case) []Leak {
	var leaks []Leak
	var text []byte
	for i, ref := range c.Reference {
		f.ref = appendNormalLeak(f.ref[:0], ref)
		if leakWords(f.ref) < minLeakWords {
			continue
		}
		if text == nil {
			f.text = appendNormalLeak(f.text[:0], c.Title, "\n", c.Article)
			text = f.text
		}
		if bytes.Contains(text, f.ref) {
			leaks = append(leaks, Leak{Case: c.ID, Index: index, Bullet: i + 1, Text: ref})
		}
	}
	return leaks
}

// normalize returns the normal form of s, in f's buffer.
func (f *leakFinder) normalize(s string) []byte {
	f.text = appendNormalLeak(f.text[:0], s)
	return f.text
}

// leakWords counts the words of a normal form (whose only white space is
// single ASCII spaces).
func leakWords(n []byte) int {
	words := 0
	for i, c := range n {
		if c != ' ' && (i == 0 || n[i-1] == ' ') {
			words++
		}
	}
	return words
}

// normalizeLeak lower-cases s, folds typographic quotes and dashes to
// ASCII, collapses white space and trims trailing punctuation.
func normalizeLeak(s string) string {
	return string(appendNormalLeak(make([]byte, 0, len(s)), s))
}

// leakByte is the normal form of each ASCII byte: letters in lower case,
// the white space unicode.IsSpace accepts as ' ', the rest as is.
var leakByte = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(c)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c) + 'a' - 'A'
	}
	for _, c := range "\t\n\v\f\r " {
		t[c] = ' '
	}
	return t
}()

// appendNormalLeak appends the normal form of the concatenated parts (see
// normalizeLeak) to dst; no part may end inside a UTF-8 sequence that the
// next one continues. Runs of ASCII are mapped byte by byte into room
// made for them; anything else rune by rune. A space is written when white
// space follows a non-space (so a run of white space gives one), and one
// left at the end is dropped.
func appendNormalLeak(dst []byte, parts ...string) []byte {
	base := len(dst)
	for _, s := range parts {
		for i := 0; i < len(s); {
			dst = slices.Grow(dst, len(s)-i)
			n, out := len(dst), dst[:cap(dst)]
			for ; i < len(s); i++ {
				c := s[i]
				if c >= utf8.RuneSelf {
					break
				}
				m := leakByte[c]
				if m == ' ' && (n == base || out[n-1] == ' ') {
					continue
				}
				out[n] = m
				n++
			}
			dst = out[:n]
			if i == len(s) {
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			switch r {
			case '\u2018', '\u2019', '\u201b', '\u2032':
				r = '\''
			case '\u201c', '\u201d', '\u201f', '\u2033':
				r = '"'
			case '\u2013', '\u2014', '\u2212':
				r = '-'
			}
			if unicode.IsSpace(r) {
				if len(dst) > base && dst[len(dst)-1] != ' ' {
					dst = append(dst, ' ')
				}
				continue
			}
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
	}
	if len(dst) > base && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return trimLeakPunct(dst, base)
}

// trimLeakPunct drops the punctuation at the end of dst[base:], quotes and
// a closing parenthesis excepted.
func trimLeakPunct(dst []byte, base int) []byte {
	for len(dst) > base {
		c := dst[len(dst)-1]
		if c < utf8.RuneSelf {
			if c == '"' || c == '\'' || c == ')' || !unicode.IsPunct(rune(c)) {
				break
			}
			dst = dst[:len(dst)-1]
			continue
		}
		r, size := utf8.DecodeLastRune(dst[base:])
		if !unicode.IsPunct(r) {
			break
		}
		dst = dst[:len(dst)-size]
	}
	return dst
}
