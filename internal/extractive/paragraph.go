package extractive

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// paragraphSeq splits body at blank lines and joins lines that were
// wrapped mid-sentence, yielding the paragraphs one by one, so that a
// caller that needs only the first few (Lead-N) does not split the rest.
// A line that ends without sentence punctuation and is followed by a
// capitalized line (a subheading) becomes its own paragraph. Body is
// cleaned text: noise such as bylines and stamps is clean's to remove, not
// this package's.
func paragraphSeq(body string) iter.Seq[string] {
	return func(yield func(string) bool) {
		if strings.IndexByte(body, '\r') >= 0 {
			body = strings.ReplaceAll(body, "\r\n", "\n")
			body = strings.ReplaceAll(body, "\r", "\n")
		}
		var cur []string
		flush := func() bool {
			if len(cur) == 0 {
				return true
			}
			p := strings.Join(cur, " ")
			cur = cur[:0]
			return yield(p)
		}
		for block := range strings.SplitSeq(body, "\n\n") {
			for line := range strings.SplitSeq(block, "\n") {
				line = singleSpaced(line)
				if line == "" {
					if !flush() {
						return
					}
					continue
				}
				if n := len(cur); n > 0 && !continues(cur[n-1], line) && !flush() {
					return
				}
				cur = append(cur, line)
			}
			if !flush() {
				return
			}
		}
	}
}

// singleSpaced is strings.Join(strings.Fields(s), " "): s with no white
// space at either end and every run of white space inside made one space.
// It returns s itself, without allocating, when s is so already.
func singleSpaced(s string) string {
	space := true // a space here, at the start, is one too many
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case ' ':
				if space {
					return strings.Join(strings.Fields(s), " ")
				}
				space = true
			case '\t', '\n', '\v', '\f', '\r':
				return strings.Join(strings.Fields(s), " ")
			default:
				space = false
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return strings.Join(strings.Fields(s), " ")
		}
		i += n
		space = false
	}
	if space && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
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
		rest, ok := cutDateline(paras[i], dl)
		if !ok {
			continue
		}
		if rest == "" {
			return append(paras[:i:i], paras[i+1:]...)
		}
		paras[i] = rest
		break
	}
	return paras
}

// cutDateline cuts the dateline dl and the dash after it from the start of
// para, and reports whether para starts with dl. The rest may be empty.
func cutDateline(para, dl string) (string, bool) {
	rest, ok := strings.CutPrefix(para, dl)
	if !ok {
		return para, false
	}
	rest = strings.TrimLeft(rest, " ")
	for _, dash := range []string{"--", "–", "—", "-", ":"} {
		if r, ok := strings.CutPrefix(rest, dash); ok {
			rest = r
			break
		}
	}
	return strings.TrimSpace(rest), true
}
