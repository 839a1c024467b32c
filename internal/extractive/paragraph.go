package extractive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// paragraphs splits body at blank lines and joins lines that were wrapped
// mid-sentence. A line that ends without sentence punctuation and is
// followed by a capitalized line (a subheading) becomes its own paragraph.
// Body is cleaned text: noise such as bylines and stamps is clean's to
// remove, not this package's.
func paragraphs(body string) []string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	var out []string
	for _, block := range strings.Split(body, "\n\n") {
		var cur []string
		flush := func() {
			if len(cur) > 0 {
				out = append(out, strings.Join(cur, " "))
				cur = nil
			}
		}
		for _, line := range strings.Split(block, "\n") {
			line = strings.Join(strings.Fields(line), " ")
			if line == "" {
				flush()
				continue
			}
			if n := len(cur); n > 0 && !continues(cur[n-1], line) {
				flush()
			}
			cur = append(cur, line)
		}
		flush()
	}
	return out
}

// continues reports whether line carries on the sentence of prev (a wrapped
// line) rather than starting a new paragraph.
func continues(prev, line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	if unicode.IsLower(r) {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	return strings.ContainsRune(",;:–—-", last)
}

// dropDateline removes the dateline dl ("BRUSSELS", "WASHINGTON (CNN)",
// "(CNN)"), as clean found it, and the dash after it from the start of the
// first or second paragraph, where clean looks for it: the dateline is no
// part of the lead sentence. A paragraph left empty is dropped.
func dropDateline(paras []string, dl string) []string {
	if dl == "" {
		return paras
	}
	for i := 0; i < len(paras) && i < 2; i++ {
		rest, ok := strings.CutPrefix(paras[i], dl)
		if !ok {
			continue
		}
		rest = strings.TrimLeft(rest, " ")
		for _, dash := range []string{"--", "–", "—", "-", ":"} {
			if r, ok := strings.CutPrefix(rest, dash); ok {
				rest = r
				break
			}
		}
		if rest = strings.TrimSpace(rest); rest == "" {
			return append(paras[:i:i], paras[i+1:]...)
		}
		paras[i] = rest
		break
	}
	return paras
}
