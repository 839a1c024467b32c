package clean

import (
	"regexp/syntax"
	"strings"
	"testing"
)

func TestMaxBytes(t *testing.T) {
	tests := []struct {
		expr string
		want int
	}{
		{`abc`, 3}, {`(?i)k`, 3}, {`(?i)s`, 2}, {`(?i)a`, 1}, {`a{2,5}`, 5}, {`a*`, unbounded}, {`a+`, unbounded},
		{`a{3,}`, unbounded}, {`[a-zé]`, 2}, {`[^a]`, 4}, {`.`, 4}, {`^$`, 0}, {`(ab|c)?`, 2}, {`\b(?:x|yz)\b`, 2},
		{`(?:\b)*`, 0}, {`’`, 3}, {`(a|b.*)`, unbounded}, {`(?:ab){2}`, 4},
	}
	for _, tc := range tests {
		re, err := syntax.Parse(tc.expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if got := maxBytes(re); got != tc.want {
			t.Errorf("maxBytes(%q) = %d, want %d", tc.expr, got, tc.want)
		}
	}
}

// TestLongTest checks the quick test of long lines against the regexp:
// lines that start like a short alternative and go on, lines that match a
// long one, around the length where the test switches.
func TestLongTest(t *testing.T) {
	exprs := []string{
		`(?i)^(skip (to|navigation).*|menu|sign in|all (news|sections|topics)|home( page)?)$`,
		`(?i)^(loading( content)?\.*|close|now playing.*|up next:.*)$`,
		`(?i)^[a-z ]{2,20}\b(editor|reporter)s?$`,
		`(?i)^(a|b)(c|d.*)$`,
	}
	heads := []string{"Skip to", "skip navigation", "Menu", "SIGN IN", "All news", "All NATO", "home page", "Loading", "close", "Now playing", "Up next:", "UP NEXT", "news editor", "the reporters", "ac", "bd", "ad", "Sign", "ſkip to", "\u212Aey"}
	tails := []string{"", "s", " x", ".", " and more words after it", strings.Repeat(" word", 10), strings.Repeat("x", 40)}
	longer := 0
	for _, expr := range exprs {
		r := newLineRx(expr)
		if r.longAt == 0 {
			t.Errorf("newLineRx(%q) has no test for long lines", expr)
			continue
		}
		for _, h := range heads {
			for _, tail := range tails {
				s := h + tail
				if len(s) > r.longAt {
					longer++
				}
				if got, want := r.MatchString(s), r.Regexp.MatchString(s); got != want {
					t.Errorf("newLineRx(%q).MatchString(%q) = %v, want %v as the regexp", expr, s, got, want)
				}
			}
		}
	}
	if longer < 100 {
		t.Errorf("only %d lines longer than the regexps' long tests", longer)
	}
	// A long line that starts like a short alternative is turned down.
	r := newLineRx(exprs[0])
	if s := "All NATO members agreed on the plan"; r.mayMatch(s) {
		t.Errorf("newLineRx(%q).mayMatch(%q) = true, want false", exprs[0], s)
	}
	for _, expr := range []string{`(?i)^(a.*|b.*)$`, `(?i)^(ab|cd)`, `(?i)(ab|cd)$`, `^(ab|cd)x*$`} {
		if r := newLineRx(expr); r.longAt != 0 {
			t.Errorf("newLineRx(%q) has a test for long lines past %d bytes; want none", expr, r.longAt)
		}
	}
}
