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

// TestLinesNormalQuick compares normalizeLines with and without the
// linesNormal shortcut on the fixtures and on text with every kind of
// blank, line end, invisible character and broken UTF-8 it rewrites; the
// shortcut is taken on text already normal.
func TestLinesNormalQuick(t *testing.T) {
	ins := []string{
		"", " ", "\n", "a", "a b\nc d", " lead", "trail ", "two  spaces", "a \nb", "a\n b", "a\n\nb",
		"tab\there", "cr\r\nlf", "lone\rcr", "vt\vff\f", "nbsp\u00a0here", "thin\u2009space",
		"line\u2028sep\u2029para", "nel\u0085x", "zw\u200bsp", "soft\u00adhyphen", "bom\ufeffx",
		"bidi\u202ex", "c1\u0080x", "del\x7fx", "nul\x00x", "bad \xff byte", "cut \xe2\x80",
		"e\u200b\u0301 invisible before a mark", "“Curly” — quotes… café", "日本語 한국어", "ends\n",
	}
	files, _ := filepath.Glob("testdata/text/*.txt")
	for _, f := range append(files, samplePath) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, string(b), decode(b, ""))
	}
	defer func() { noQuickTest = false }()
	quick := 0
	for _, s := range ins {
		for _, isNFC := range []bool{true, false} {
			noQuickTest = true
			want := normalizeLines(s, isNFC)
			noQuickTest = false
			if got := normalizeLines(s, isNFC); got != want {
				t.Errorf("normalizeLines(%q, %v) = %q with the shortcut, %q without", s, isNFC, got, want)
			}
		}
		if linesNormal(s) {
			quick++
			if want := normalizeLines(s, true); want != s {
				t.Errorf("linesNormal(%q) = true, but normalizeLines makes it %q", s, want)
			}
		}
	}
	if quick < 5 {
		t.Errorf("linesNormal held on %d texts, want the plain ones", quick)
	}
}
