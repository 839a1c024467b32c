package clean

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestPlainNFCRunes checks the ranges plainNFC lets through against the
// norm tables: every rune there is in NFC alone, has combining class 0 and
// does not combine with a rune before it; the runes just outside the
// ranges it turns down.
func TestPlainNFCRunes(t *testing.T) {
	stable := func(r rune) bool {
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		return norm.NFC.IsNormalString(s) && p.CCC() == 0 && p.BoundaryBefore()
	}
	for r := rune(0); r <= 0x20ff; r++ {
		if r >= 0x100 && r < 0x2000 {
			continue
		}
		got := plainNFC(string(r))
		if got && !stable(r) {
			t.Errorf("plainNFC(%U) = true, but the rune is not NFC-stable", r)
		}
		inRange := r < 0x100 || (r >= 0x2002 && r <= 0x207f)
		if got != inRange {
			t.Errorf("plainNFC(%U) = %v, want %v", r, got, inRange)
		}
	}
}

// TestDecodeQuickNFC decodes varied text with and without plainNFC's
// shortcut: the fixtures, and text with combining marks, Hangul syllables
// and jamo, CJK, U+2000, invalid and truncated UTF-8, in several charsets;
// the results are the same, and the shortcut is taken on plain text.
func TestDecodeQuickNFC(t *testing.T) {
	ins := []string{
		"", "plain ASCII text, long enough to take eight bytes at a time.",
		"“Curly quotes” — and an ellipsis… café naïve 25°C ½ ©2024",
		"e\u0301 combining acute", "café\u0301", "A\u030a", "\u00c5\u0327",
		"Hangul 한국어 and jamo \u1100\u1161\u11a8", "\uac00\u11a8",
		"CJK 日本語の文章 中文", "en quad\u2000 em quad\u2001", "\u2002\u2003\u207f",
		"bad \xff byte", "cut \xe2\x80", "cut \xc3", "\xe2\x81", "\xe2\x82\xac euro",
		"\xc0\xaf overlong", "\xed\xa0\x80 surrogate", "\u00e9\u0300\u0316",
		"ASCII run then combining at end of an 8-byte block: abcdefg\u0301",
		"\ufeffBOM first", "Ω ohm sign \u2126 and angstrom \u212b",
	}
	files, _ := filepath.Glob("testdata/text/*.txt")
	for _, f := range append(files, samplePath) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, string(b))
		ins = append(ins, strings.Split(string(b), "\n")...)
	}
	defer func() { noQuickTest = false }()
	quick := 0
	for _, s := range ins {
		for _, cs := range []string{"", charsetUTF8, charsetCP1252} {
			noQuickTest = true
			want := decode([]byte(s), cs)
			noQuickTest = false
			got := decode([]byte(s), cs)
			if got != want {
				t.Errorf("decode(%q, %q) = %q with the quick NFC test, %q without", s, cs, got, want)
			}
			if !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
				t.Errorf("decode(%q, %q) = %q: not valid UTF-8 in NFC", s, cs, got)
			}
		}
		if plainNFC(s) {
			quick++
		}
	}
	if quick < len(ins)/2 {
		t.Errorf("plainNFC held on %d of %d texts, want most of the fixtures", quick, len(ins))
	}
}
