package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// renderer turns a node tree into text the way a browser lays it out:
// runs of whitespace in text nodes collapse to one space, a space is kept
// between inline nodes only where the source had whitespace, and block
// elements and <br> break lines (with no spaces left at a line's ends).
//
// go-trafilatura trims the text and tails of the nodes it rebuilds, so
// its tree has lost some of the spaces between inline elements ("You
// <em>can</em>get it"). When source holds the visible text of the page the
// tree was extracted from, a space is put back at a junction of two text
// nodes where the source has the two sides apart and never together.
type renderer struct {
	b       strings.Builder
	line    int  // bytes of b before the current line
	space   bool // whitespace seen since the last character written
	source  string
	lineEnd string // what the pending line break is: "", "\n" or "\n\n"
	marks   bool   // start list items and headings with aloneMark
	alone   bool   // the next line starts with aloneMark
}

// blockText renders an extracted content tree as text: each block element
// (p, h1-h6, li, blockquote, div, …) becomes its own paragraph, <br> a line
// break, inline elements run on. source is the visible text of the page
// the tree comes from (see visibleText), or "" when the tree is the page.
//
// A list item or a heading starts its line with aloneMark, which tells the
// text cleaner to keep the line apart from the lines around it.
func blockText(root *html.Node, source string) string {
	r := &renderer{source: source, marks: true}
	r.walk(root)
	return r.b.String()
}

// visibleText renders a whole page as text, for blockText's source.
func visibleText(doc *html.Node) string {
	r := &renderer{}
	r.walk(doc)
	return r.b.String()
}

func (r *renderer) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		r.text(n.Data)
		return
	case html.ElementNode:
		a := n.DataAtom
		if a == 0 {
			// Nodes trafilatura builds carry only the tag name.
			a = atom.Lookup([]byte(strings.ToLower(n.Data)))
		}
		if skipped[a] {
			return
		}
		switch a {
		case atom.Br:
			r.breakLine("\n")
			return
		case atom.Td, atom.Th:
			r.space = true
		}
		if blocks[a] {
			r.breakLine("\n\n")
			defer r.breakLine("\n\n")
		}
		if r.marks && standalone[a] {
			r.alone = true
			defer func() { r.alone = false }()
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		r.walk(ch)
	}
}

// breakLine ends the current line; the break is written before the next
// character, so that consecutive breaks merge and none starts or ends the
// text.
func (r *renderer) breakLine(br string) {
	if len(br) > len(r.lineEnd) {
		r.lineEnd = br
	}
	r.space = false
}

// text writes the characters of a text node.
func (r *renderer) text(s string) {
	first := true
	for _, c := range s {
		if isSpace(c) {
			r.space = true
			continue
		}
		switch {
		case r.lineEnd != "":
			if r.b.Len() > 0 {
				r.b.WriteString(r.lineEnd)
			}
			r.lineEnd, r.space = "", false
			if r.alone {
				r.b.WriteRune(aloneMark)
				r.alone = false
			}
			r.line = r.b.Len()
		case r.space:
			if r.b.Len() > r.line {
				r.b.WriteByte(' ')
			}
			r.space = false
		case first && r.b.Len() > r.line && r.spaceInSource(s):
			r.b.WriteByte(' ')
		}
		first = false
		r.b.WriteRune(c)
	}
}

// standalone are the blocks that stay lines of their own: list items and
// headings.
var standalone = map[atom.Atom]bool{
	atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

// isSpace reports whether c is HTML whitespace (or another space a page
// uses between words); U+00A0 is a space too.
func isSpace(c rune) bool {
	if c < utf8.RuneSelf {
		return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'
	}
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\u00a0' || unicode.Is(unicode.Zs, c)
}

// junctionLen bounds each side of a junction looked up in the source.
const junctionLen = 24

// spaceInSource reports whether the source has whitespace between the end
// of the current line and the start of next, and never has them together.
func (r *renderer) spaceInSource(next string) bool {
	if r.source == "" {
		return false
	}
	line := r.b.String()[r.line:]
	before := line[lastWordStart(line):]
	after := next
	if i := strings.IndexFunc(after, isSpace); i >= 0 {
		after = after[:i]
	}
	after = cutRunes(after, junctionLen)
	if before == "" || after == "" {
		return false
	}
	return strings.Contains(r.source, before+" "+after) && !strings.Contains(r.source, before+after)
}

// lastWordStart returns where the last word of line starts, at most
// junctionLen bytes (on a character boundary) before its end.
func lastWordStart(line string) int {
	i := strings.LastIndexFunc(line, isSpace)
	if i < 0 {
		i = 0
	} else {
		_, size := utf8.DecodeRuneInString(line[i:])
		i += size
	}
	for len(line)-i > junctionLen {
		_, size := utf8.DecodeRuneInString(line[i:])
		i += size
	}
	return i
}

// cutRunes returns the longest prefix of s of at most n bytes that ends on
// a character boundary.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// maxGlued bounds the tokens unglue looks into.
const maxGlued = 64

// unglue puts back spaces the extractor lost inside a text node
// ("w3q<br><i>w4q</i>" comes back from go-trafilatura as "w3qw4q"): a
// token of text that is no token of the page's visible text, but splits
// into two tokens of it, is split there. source is the page's visible
// text (visibleText).
func unglue(text, source string) string {
	if source == "" {
		return text
	}
	// The text follows the page's order, so a token is looked for a
	// little after the last one found; the set of all the page's words
	// is built only when that fails.
	var words map[string]struct{}
	pos := 0
	known := func(w string) bool {
		if words == nil {
			if i := indexWord(source, w, pos, lookAhead); i >= 0 {
				pos = i + len(w)
				return true
			}
			words = sourceWords(source)
		}
		_, ok := words[w]
		return ok
	}
	return ungluedBy(text, known)
}

// ungluedBy is unglue with known telling the words of the page.
func ungluedBy(text string, known func(string) bool) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(text); {
		start := i
		for i < len(text) && !isSpaceByte(text[i]) {
			i++
		}
		tok := text[start:i]
		for i < len(text) && isSpaceByte(text[i]) {
			i++
		}
		if t, ok := strings.CutPrefix(tok, string(aloneMark)); ok {
			tok, start = t, start+len(string(aloneMark))
		}
		if len(tok) < 2 || len(tok) > maxGlued || known(tok) {
			continue
		}
		for _, k := range splitKnown(tok, known) {
			b.WriteString(text[last : start+k])
			b.WriteByte(' ')
			last = start + k
		}
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// lookAhead bounds how far after the last token found unglue looks for
// the next one.
const lookAhead = 2048

// indexWord returns where w stands as a whole space-separated word in
// source, starting at or after from and before from+window, or -1.
func indexWord(source, w string, from, window int) int {
	end := min(len(source), from+window+len(w))
	for from < end {
		i := strings.Index(source[from:end], w)
		if i < 0 {
			return -1
		}
		i += from
		j := i + len(w)
		before, _ := utf8.DecodeLastRuneInString(source[:i])
		after, _ := utf8.DecodeRuneInString(source[j:])
		if (i == 0 || isSpace(before)) && (j == len(source) || isSpace(after)) {
			return i
		}
		from = i + 1
	}
	return -1
}

// sourceWords returns the set of the space-separated words of source.
func sourceWords(source string) map[string]struct{} {
	words := make(map[string]struct{}, len(source)/6)
	start := -1
	for i, c := range source {
		if isSpace(c) {
			if start >= 0 {
				words[source[start:i]] = struct{}{}
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		words[source[start:]] = struct{}{}
	}
	return words
}

// splitKnown returns where to cut tok so that every piece is known, or
// nil when it cannot be cut so.
func splitKnown(tok string, known func(string) bool) []int {
	failed := map[int]bool{} // offsets from which the rest cannot be cut
	var cut func(from int) ([]int, bool)
	cut = func(from int) ([]int, bool) {
		if known(tok[from:]) {
			return nil, true
		}
		if failed[from] {
			return nil, false
		}
		for k := from + 1; k < len(tok); k++ {
			if !utf8.RuneStart(tok[k]) || !known(tok[from:k]) {
				continue
			}
			if rest, ok := cut(k); ok {
				return append([]int{k}, rest...), true
			}
		}
		failed[from] = true
		return nil, false
	}
	if cuts, ok := cut(0); ok {
		return cuts
	}
	return nil
}

// isSpaceByte reports whether c is an ASCII space or line break.
func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }
