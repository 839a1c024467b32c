package dataset

import (
	"strings"
	"unicode"
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

// FindLeaks returns the reference bullets of c that occur in its title or
// article, compared case-insensitively with runs of white space collapsed
// and the bullet's final punctuation ignored.
func FindLeaks(index int, c Case) []Leak {
	var leaks []Leak
	var text string
	for i, ref := range c.Reference {
		n := normalizeLeak(ref)
		if len(strings.Fields(n)) < minLeakWords {
			continue
		}
		if text == "" {
			text = normalizeLeak(c.Title + "\n" + c.Article)
		}
		if strings.Contains(text, n) {
			leaks = append(leaks, Leak{Case: c.ID, Index: index, Bullet: i + 1, Text: ref})
		}
	}
	return leaks
}

// normalizeLeak lower-cases s, folds typographic quotes and dashes to
// ASCII, collapses white space and trims trailing punctuation.
func normalizeLeak(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch r {
		case '\u2018', '\u2019', '\u201b', '\u2032':
			r = '\''
		case '\u201c', '\u201d', '\u201f', '\u2033':
			r = '"'
		case '\u2013', '\u2014', '\u2212':
			r = '-'
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRightFunc(b.String(), func(r rune) bool {
		return unicode.IsPunct(r) && r != '"' && r != '\'' && r != ')'
	})
}
