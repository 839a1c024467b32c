package bullet

import (
	"strings"
	"unicode/utf8"
)

// quotePairs are the quotes stripped when they wrap a whole bullet.
var quotePairs = [...][2]string{{`"`, `"`}, {"'", "'"}, {"“", "”"}, {"‘", "’"}, {"«", "»"}, {"`", "`"}}

// cleanBullet reduces a raw bullet to one trimmed line: whitespace
// collapsed, markers, emphasis and wrapping quotes removed, repeatedly,
// until nothing changes (so "- **“- text”**" ends as "text").
func cleanBullet(s string) string {
	for {
		before := s
		s = strings.Join(strings.Fields(s), " ")
		if rest, ok := cutSymbolMarker(s); ok {
			s = rest
		}
		if rest, ok := cutNumberMarker(s); ok {
			s = rest
		}
		s = strings.ReplaceAll(s, "**", "")
		s = strings.ReplaceAll(s, "__", "")
		s = unwrap(s, "*", "*")
		s = unwrap(s, "_", "_")
		for _, q := range quotePairs {
			s = unwrapQuote(s, q[0], q[1])
		}
		s = strings.TrimSpace(s)
		if s == before {
			return s
		}
	}
}

// unwrap removes open and close around s when both are there and s holds
// more than them.
func unwrap(s, open, close string) string {
	if len(s) > len(open)+len(close) && strings.HasPrefix(s, open) && strings.HasSuffix(s, close) {
		return s[len(open) : len(s)-len(close)]
	}
	return s
}

// unwrapQuote removes quotes around the whole of s, but not from
// `"We stay," he said "and fight"`, where the inner text has quotes too.
func unwrapQuote(s, open, close string) string {
	inner := unwrap(s, open, close)
	if inner == s || strings.Contains(inner, open) || strings.Contains(inner, close) {
		return s
	}
	if open == "'" && !utf8.ValidString(inner) {
		return s
	}
	return inner
}
