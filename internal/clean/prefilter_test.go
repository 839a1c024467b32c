package clean

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
)

// TestLineRxQuickTest checks the quick test of anchored regexps against
// the regexp alone, on features the prefixes are worked out from.
func TestLineRxQuickTest(t *testing.T) {
	tests := []struct {
		expr string
		in   []string
	}{
		{`(?i)^(sign up|subscribe)( now)?$`, []string{"Sign up", "SUBSCRIBE NOW", "sign", "su", "", "Subscribe later", "ſubscribe", "the subscribe"}},
		{`(?i)^kelvin$`, []string{"Kelvin", "\u212Aelvin", "kelvin", "elvin"}},
		{`^(?:By|BY)\s+(\p{Lu}.+)$`, []string{"By Ana", "by Ana", "BY\tANA", "Bye Ana", "B", "Ana"}},
		{`(?i)^\d{1,2}(st|nd|rd|th)$`, []string{"1st", "22ND", "3", "a1st", "123rd"}},
		{`(?i)^(a|ab?c*)x`, []string{"ax", "abx", "acccx", "bx", "a"}},
		{`(?i)^(\(?\s*photo)`, []string{"( photo", "(photo", "photo", " photo", "(  Photo"}},
		{`(^a|^b)c`, []string{"ac", "bc", "cc", "xac"}},
		{`(?i)^.{0,3}x`, []string{"x", "abcx", "zzzzx"}},
		{`(?i)^[^a]b`, []string{"bb", "ab", "éb"}},
		{`a^b|^c`, []string{"c", "ab", "cab"}},
		{`(?i)(all rights reserved\.?$|^copyright)`, []string{"Copyright 2020", "All rights reserved.", "x ALL RIGHTS RESERVED", "rights", "reserved. x", "all rightſ reſerved", "all rights reserved\u212A", ""}},
		{`(?i)^[\p{L} ]{2,80}\b(editor|reporter)s?$`, []string{"BBC Wales political reporter", "Editors", "the editor said", "news reporterſ", "REPORTERS", "x editor."}},
		{`(?i)(\bgetty images|\bshutterstock)\.?$`, []string{"Photo: Getty Images.", "getty images", "Shutterstock", "shutterstock photo", "GETTY IMAGEſ", "s."}},
		{`(?i)^a|b$|c`, []string{"a", "b", "c", "xcx"}},
	}
	for _, tc := range tests {
		r := newLineRx(tc.expr)
		for _, s := range tc.in {
			if got, want := r.MatchString(s), r.Regexp.MatchString(s); got != want {
				t.Errorf("newLineRx(%q).MatchString(%q) = %v, want %v as the regexp", tc.expr, s, got, want)
			}
		}
	}
	if newLineRx(`(?i)^(sign up|subscribe)`).starts == nil {
		t.Errorf("newLineRx(`(?i)^(sign up|subscribe)`) has no quick test")
	}
	for _, expr := range []string{`(?i)(all rights reserved\.?$|^copyright)`, `(?i)^[\p{L} ]{2,80}\b(editor|reporter)s?$`, `(?i)(\bgetty images|\bshutterstock)\.?$`} {
		if r := newLineRx(expr); r.starts == nil || r.ends == nil {
			t.Errorf("newLineRx(`%s`) has no quick test at the end", expr)
		}
	}
	if newLineRx(`(?i)^a|b$|c`).starts != nil {
		t.Errorf("newLineRx(`(?i)^a|b$|c`) has a quick test, but c may be anywhere")
	}
	if newLineRx(`(?i)^.{0,3}x`).starts != nil || newLineRx(`a^b|^c`).starts != nil {
		t.Errorf("a regexp whose match may start with anything has a quick test")
	}
}

// TestNoiseQuickTest checks that the quick tests change no verdict of the
// noise rules and line patterns on the lines of every fixture, in their
// own case and in upper and lower case.
func TestNoiseQuickTest(t *testing.T) {
	var lines []string
	files, _ := filepath.Glob("testdata/text/*")
	for _, f := range append(files, samplePath) {
		b, _ := os.ReadFile(f)
		lines = append(lines, strings.Split(normalizeText(string(b)), "\n")...)
	}
	pages, _ := filepath.Glob("testdata/html/*.html")
	for _, f := range pages {
		b, _ := os.ReadFile(f)
		doc, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(normalizeText(visibleText(doc)), "\n")...)
	}
	for _, cases := range entryCases {
		for _, c := range cases {
			lines = append(lines, c.text)
		}
	}
	rs, err := compileOptions(Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := builtinPatterns()
	verdicts := func(l string) []any {
		_, _, meta := p.metaLine(l)
		stamp, abs := p.stamp(l)
		return []any{rs.noise(l), p.isRelatedMarker(l), p.relatedInline.MatchString(l), meta, stamp, abs, p.bylineOf(l), p.role.MatchString(l), p.datelineOf(l)}
	}
	defer func() { noQuickTest = false }()
	checked := 0
	for _, l := range lines {
		for _, v := range []string{l, strings.ToUpper(l), strings.ToLower(l)} {
			noQuickTest = false
			got := verdicts(v)
			noQuickTest = true
			want := verdicts(v)
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("verdict %d on %q = %v with the quick tests, %v without", i, v, got[i], want[i])
				}
			}
			checked++
		}
	}
	if checked < 500 {
		t.Errorf("checked %d lines, want at least 500", checked)
	}
}

// TestShareLineWords checks isShareLine, which reads core word by word,
// against splitting it into words first.
func TestShareLineWords(t *testing.T) {
	reference := func(core string) bool {
		words := strings.FieldsFunc(core, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(words) == 0 || len(words) > 14 {
			return false
		}
		strong := false
		for _, w := range words {
			switch {
			case slices.Contains(shareStrong, w):
				strong = true
			case slices.Contains(shareWeak, w), isDigits(w):
			default:
				return false
			}
		}
		return strong
	}
	cores := []string{"", "share", "share this article", "tweet 12 email", "whatsapp facebook pint baixar", "share the news",
		strings.Repeat("share ", 14), strings.Repeat("share ", 15), "compartir en facebook", "the on via", "12 34", "share · tweet · e-mail"}
	files, _ := filepath.Glob("testdata/text/*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, l := range strings.Split(normalizeText(string(b)), "\n") {
			cores = append(cores, coreOf(l))
		}
	}
	matched := 0
	for _, c := range cores {
		got, want := isShareLine(c), reference(c)
		if got != want {
			t.Errorf("isShareLine(%q) = %v, want %v", c, got, want)
		}
		if got {
			matched++
		}
	}
	if matched < 3 {
		t.Errorf("only %d share lines among the cases", matched)
	}
}

// TestLineRxQuickTestRunes checks the quick test on lines that start or
// end with runes that are not ASCII, which it looks up as they are,
// against the regexp alone; and that a quoted line is turned down.
func TestLineRxQuickTestRunes(t *testing.T) {
	tests := []struct {
		expr string
		in   []string
	}{
		{`(?i)^(read more|related)\s*:`, []string{"“Read more: x", "Read more: x", "“The talks”", "\xffRead more:", "Réad more:"}},
		{`(?i)^(©|\(c\)\s|copyright)`, []string{"© 2025 Reuters", "(c) 2025", "“Copyright”", "\xa9 2025", "Ⓒ 2025"}},
		{`(?i)^(é|ſt|\x{212A}m)x`, []string{"éx", "Éx", "ÉX", "ſtx", "stx", "STX", "\u212Amx", "kmx", "KMX", "ex", "\u00e9", "é\xff"}},
		{`(?i)(getty images|»)\.?$`, []string{"Photo: Getty Images", "News »", "News ».", "a”", "x ›", "x \xbb", "GETTY IMAGE\u017F", "”."}},
		{`(?i)(’s|ß)$`, []string{"Trump’s", "TRUMP’S", "Trump's", "Straß", "STRASS", "ẞ", "’"}},
		{`^[äöü]{2}x$`, []string{"äöx", "ÄÖx", "äx", "ü\xffx"}},
	}
	for _, tc := range tests {
		r := newLineRx(tc.expr)
		if r.starts == nil {
			t.Errorf("newLineRx(%q) has no quick test", tc.expr)
		}
		for _, s := range tc.in {
			if got, want := r.MatchString(s), r.Regexp.MatchString(s); got != want {
				t.Errorf("newLineRx(%q).MatchString(%q) = %v, want %v as the regexp", tc.expr, s, got, want)
			}
		}
	}
	r := newLineRx(`(?i)^(read more|related)\s*:`)
	for _, s := range []string{"“I think there will still be a huge, big American involvement,” he said.", "‘We have to pivot’", "»Zitat«"} {
		if r.mayMatch(s) {
			t.Errorf("newLineRx(`(?i)^(read more|related)\\s*:`).mayMatch(%q) = true, want false", s)
		}
	}
}
