package extractive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quotation marks: the segmenter splits a quotation of several sentences
// into sentences of its own, so a sentence can open inside a quotation
// (`We know how to look," she said.`) or end inside one, and a cut at
// the word cap can fall inside one. The helpers here find where each
// double quotation mark opens or closes a quotation, so that a bullet
// never holds an unmatched mark. Single quotes are left alone: they
// cannot be told from apostrophes.

// quoteMark is one double quotation mark in a string.
type quoteMark struct {
	pos   int  // byte offset
	open  bool // opens a quotation (else closes one)
	curly bool // “ or ” rather than "
}

// quoteMarks returns the double quotation marks of s in order, each
// classed as opening or closing. Curly marks say which they are; a
// straight mark opens when it follows the start, a space or an opening
// bracket or dash and is followed by a non-space, closes when it follows
// a non-space, and otherwise alternates with the one before.
func quoteMarks(s string) []quoteMark {
	var out []quoteMark
	inStraight := false
	for i, r := range s {
		switch r {
		case '“':
			out = append(out, quoteMark{pos: i, open: true, curly: true})
		case '”':
			out = append(out, quoteMark{pos: i, curly: true})
		case '"':
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[i+1:])
			startSide := i == 0 || unicode.IsSpace(before) || strings.ContainsRune("([{—–-", before)
			endSide := i+1 == len(s) || unicode.IsSpace(after) || strings.ContainsRune(".,;:!?)]}—–-", after)
			open := !inStraight
			switch {
			case startSide && !endSide:
				open = true
			case endSide && !startSide:
				open = false
			}
			inStraight = open
			out = append(out, quoteMark{pos: i, open: open})
		}
	}
	return out
}

// opensInside reports whether s begins inside a quotation: its first
// double quotation mark closes one.
func opensInside(s string) bool {
	m := quoteMarks(s)
	return len(m) > 0 && !m[0].open
}

// balanceQuotes makes every double quotation mark of s matched. A closing
// mark with no opening one before it (s began inside a quotation) gets
// an opening mark at the start of s; an opening mark with nothing quoted
// after it is dropped; one left open at the end gets its closing mark.
func balanceQuotes(s string) string {
	marks := quoteMarks(s)
	if len(marks) == 0 {
		return s
	}
	prefix := ""
	var open []quoteMark // unclosed opening marks, innermost last
	for _, m := range marks {
		switch {
		case m.open:
			open = append(open, m)
		case len(open) > 0:
			open = open[:len(open)-1]
		case prefix == "":
			prefix = opener(m.curly)
		}
	}
	// An opening mark at the very end (nothing quoted after it) is dropped,
	// every other unclosed one is closed at the end.
	body := s
	suffix := ""
	for i := len(open) - 1; i >= 0; i-- {
		m := open[i]
		_, n := utf8.DecodeRuneInString(body[m.pos:])
		if strings.TrimSpace(strings.TrimRight(body[m.pos+n:], " ,;:")) == "" {
			body = strings.TrimRight(body[:m.pos], " ,;:")
			continue
		}
		suffix = closer(m.curly) + suffix
	}
	if suffix != "" {
		body = strings.TrimRight(body, " ,;:–—-")
	}
	return prefix + body + suffix
}

func opener(curly bool) string {
	if curly {
		return "“"
	}
	return `"`
}

func closer(curly bool) string {
	if curly {
		return "”"
	}
	return `"`
}
