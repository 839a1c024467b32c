package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// inlineRule is one entry of the inline table: noise cut out of the text
// of a line, where line rules cannot see it. cut returns the line left
// ("" when nothing is) and may record what it cut in res.
type inlineRule struct {
	id    string
	rules []string
	doc   string
	cut   func(c *cleaner, line string, res *textResult, bodyStarted bool) string
}

// inlineTable are the inline rules, applied to every line in order before
// the line table.
var inlineTable = []inlineRule{
	{id: "scroll-prompt", rules: []string{ruleScroll},
		doc: `Daily Mail's video prompts ("Scroll down for video", "Scroll down for more"), on their own line or glued inside a paragraph`,
		cut: func(c *cleaner, line string, _ *textResult, _ bool) string { return c.p.stripScroll(line) }},
	{id: "glued-header", rules: []string{ruleTimestamp},
		doc: `a Daily Mail byline and stamp glued to the start of the text ("By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . | . UPDATED: …"): the stamp is cut (copied into Article.Date), and the byline with it when rule byline is on (copied into Article.Byline)`,
		cut: func(c *cleaner, line string, res *textResult, bodyStarted bool) string {
			if line == "" || strings.IndexByte("BPUL", line[0]) < 0 {
				return line
			}
			return c.p.stripMailHeader(line, res, c.rs.on[ruleByline], bodyStarted)
		}},
}

// stripInline applies the inline table to line.
func (c *cleaner) stripInline(line string, res *textResult, bodyStarted bool) string {
	for i := range inlineTable {
		r := &inlineTable[i]
		if line == "" {
			break
		}
		if onAll(c.rs, r.rules) {
			line = r.cut(c, line, res, bodyStarted)
		}
	}
	return line
}

// stripScroll removes video prompts from line. A prompt without closing
// punctuation must be followed by the end of the line or by something
// other than a lowercase word, so that "scroll down for more details"
// stays. The regexp runs only where "scroll" starts a word.
func (p *patterns) stripScroll(line string) string {
	var b strings.Builder
	last := 0 // line[:last] is settled
	for i := 0; ; {
		k := indexScroll(line[i:])
		if k < 0 {
			break
		}
		start := i + k
		i = start + len("scroll")
		if start > 0 && isWordByte(line[start-1]) {
			continue
		}
		m := p.scroll.FindStringSubmatchIndex(line[start:])
		if m == nil {
			continue
		}
		end := start + m[1]
		for end < len(line) && line[end] == ' ' {
			end++
		}
		if r, _ := utf8.DecodeRuneInString(line[end:]); m[2] < 0 && unicode.IsLower(r) {
			continue
		}
		b.WriteString(line[last:start])
		last, i = end, end
	}
	if last == 0 {
		return line
	}
	b.WriteString(line[last:])
	return strings.TrimSpace(b.String())
}

// indexScroll returns the index of the first "scroll" in s, in lower,
// title or upper case, or -1.
func indexScroll(s string) int {
	for off := 0; off < len(s); {
		k := strings.Index(s[off:], "croll")
		if u := strings.Index(s[off:], "CROLL"); u >= 0 && (k < 0 || u < k) {
			k = u
		}
		if k < 0 {
			return -1
		}
		k += off
		if k > 0 && (s[k-1] == 's' || s[k-1] == 'S') {
			return k - 1
		}
		off = k + 1
	}
	return -1
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// stripMailHeader removes a Daily Mail byline-and-stamp header from the
// start of line. With byline false the byline part stays in the text.
func (p *patterns) stripMailHeader(line string, res *textResult, byline, bodyStarted bool) string {
	m := p.glued.FindStringSubmatchIndex(line)
	if m == nil {
		return line
	}
	stamps := line[m[6]:m[7]]
	if res.date == "" && !bodyStarted {
		res.date = isoDate(stamps)
	}
	rest := strings.TrimSpace(line[m[1]:])
	if m[2] < 0 {
		return rest
	}
	if !byline {
		return strings.TrimSpace(line[m[2]:m[3]]) + " " + rest
	}
	if res.byline == "" {
		res.byline = strings.Join(strings.Fields(line[m[4]:m[5]]), " ")
	}
	return rest
}
