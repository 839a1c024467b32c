package clean

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

func readSample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func encodeWith(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSampleEncodings loads the sample in every encoding a copied page
// arrives in and expects the same cleaned body as the UTF-8 golden.
func TestSampleEncodings(t *testing.T) {
	sample := readSample(t)
	golden, err := os.ReadFile("testdata/sample.golden")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSuffix(string(golden), "\n")
	tests := []struct {
		name, charset string
		data          []byte
	}{
		{"utf8", "utf-8", []byte(sample)},
		{"utf8-bom", "utf-8", append([]byte{0xef, 0xbb, 0xbf}, sample...)},
		{"utf8-crlf", "utf-8", []byte(strings.ReplaceAll(sample, "\n", "\r\n"))},
		{"utf16le-bom", "utf-16le", encodeWith(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), sample)},
		{"utf16be-bom", "utf-16be", encodeWith(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), sample)},
		{"utf16le-no-bom", "utf-16le", encodeWith(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), sample)},
		{"windows-1252", "windows-1252", encodeWith(t, charmap.Windows1252, sample)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "sample.txt", tc.data)
			in, err := Load(context.Background(), path, LoadOptions{})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if in.Charset != tc.charset || in.MediaType != MediaText {
				t.Errorf("Load = charset %q media %q, want %q text/plain", in.Charset, in.MediaType, tc.charset)
			}
			art, err := Clean(in, Options{})
			if err != nil {
				t.Fatalf("Clean: %v", err)
			}
			if art.Body != want {
				t.Errorf("Clean(%s sample).Body differs from golden:\n%s", tc.name, art.Body)
			}
			if len(art.Refs) != 3 {
				t.Errorf("Clean(%s sample).Refs = %q, want 3 bullets", tc.name, art.Refs)
			}
		})
	}
}

func TestDecodeText(t *testing.T) {
	const para = "The committee met on Tuesday and agreed to publish its findings before the end of the month."
	tests := []struct {
		name     string
		data     []byte
		declared string
		want     string // must appear in the body
		charset  string
	}{
		{"cp1252 smart quotes", append([]byte(para+"\n\x93We will not wait,\x94 the chair said \x96 twice.\n"), para...), "", "“We will not wait,” the chair said – twice.", "windows-1252"},
		{"latin1 accents", append([]byte(para+"\nThe caf\xe9 in S\xe3o Paulo reopened on Monday morning.\n"), para...), "", "The café in São Paulo reopened on Monday morning.", "windows-1252"},
		{"broken utf-8 repaired", []byte(para + "\nThe café \xff reopened on Monday morning after the storm damage was repaired.\n" + para), "", "The café \ufffd reopened", "utf-8"},
		{"NFD to NFC", []byte(para + "\nThe cafe\u0301 reopened on Monday morning after the storm.\n" + para), "", "The caf\u00e9 reopened", "utf-8"},
		{"declared koi8-r", append(encodeWith(t, charmap.KOI8R, "Совет города собрался во вторник и решил опубликовать отчёт до конца месяца."), "\n"+para...), "koi8-r", "Совет города собрался во вторник", "koi8-r"},
		{"declared iso-8859-15", append(encodeWith(t, charmap.ISO8859_15, "The ticket now costs 12 € and the café is open."), "\n"+para...), "iso-8859-15", "costs 12 € and the café", "iso-8859-15"},
		{"invisible characters", []byte(para + "\nThe\u200b council\u00a0met\u00ad again\u202e on Friday to vote on the final budget plan.\n" + para), "", "The council met again on Friday", "utf-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := sniff("test", tc.data, "", tc.declared)
			if err != nil {
				t.Fatalf("sniff: %v", err)
			}
			if in.Charset != tc.charset {
				t.Errorf("sniff charset = %q, want %q", in.Charset, tc.charset)
			}
			art, err := Clean(in, Options{})
			if err != nil {
				t.Fatalf("Clean: %v", err)
			}
			if !utf8.ValidString(art.Body) {
				t.Errorf("Clean body is not valid UTF-8: %q", art.Body)
			}
			if !strings.Contains(art.Body, tc.want) {
				t.Errorf("Clean body lacks %q:\n%s", tc.want, art.Body)
			}
		})
	}
}

func TestDecodeHTMLMetaCharset(t *testing.T) {
	body := "<p>Городской совет собрался во вторник и решил опубликовать отчёт о ремонте набережной до конца месяца, сообщили в мэрии.</p>" +
		"<p>Работы начнутся весной и продлятся около двух лет, а движение по набережной будет частично перекрыто.</p>" +
		"<p>Жители смогут задать вопросы на открытом собрании в ратуше в следующий четверг.</p>"
	tests := []struct {
		name    string
		enc     encoding.Encoding
		head    string
		charset string
		want    string
	}{
		{"meta charset", charmap.Windows1251, `<meta charset="windows-1251">`, "windows-1251", "Городской совет собрался"},
		{"http-equiv", charmap.KOI8R, `<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">`, "koi8-r", "Работы начнутся весной"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := "<!DOCTYPE html><html><head>" + tc.head + "<title>Новости</title></head><body><article>" + body + "</article></body></html>"
			path := writeTemp(t, "page.html", encodeWith(t, tc.enc, page))
			in, err := Load(context.Background(), path, LoadOptions{})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if in.Charset != tc.charset {
				t.Errorf("Load charset = %q, want %q", in.Charset, tc.charset)
			}
			art, err := Clean(in, Options{})
			if err != nil {
				t.Fatalf("Clean: %v", err)
			}
			if !strings.Contains(art.Body, tc.want) || strings.ContainsRune(art.Body, '\ufffd') {
				t.Errorf("Clean body lacks %q or has U+FFFD:\n%s", tc.want, art.Body)
			}
		})
	}
	// Shift_JIS declared in <meta>, detected without a file extension.
	page := `<html><head><meta charset="shift_jis"><title>ニュース</title></head><body><article><p>市議会は火曜日に会合を開き、月末までに報告書を公表することを決めた。新しい図書館の建設計画についても議論が行われた。</p><p>工事は来年の春に始まり、約二年間続く予定で、周辺の道路は一部通行止めになる。市は住民説明会を来週開く。</p></article></body></html>`
	in, err := sniff("page", encodeWith(t, japanese.ShiftJIS, page), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if in.MediaType != MediaHTML || in.Charset != "shift_jis" {
		t.Errorf("sniff(shift_jis page) = %q %q, want text/html shift_jis", in.MediaType, in.Charset)
	}
	art, err := Clean(in, Options{})
	if err != nil {
		t.Fatalf("Clean: %v", err)
	}
	if !strings.Contains(art.Body, "市議会は火曜日に会合を開き") {
		t.Errorf("Clean(shift_jis page) body = %q", art.Body)
	}
}

func TestBOMStripped(t *testing.T) {
	data := append([]byte{0xef, 0xbb, 0xbf}, "The harbour authority said on Tuesday that repairs to the sea wall would take a year."...)
	art, err := Clean(Input{Data: data}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix([]byte(art.Body), []byte{0xef, 0xbb, 0xbf}) || !strings.HasPrefix(art.Body, "The harbour") {
		t.Errorf("Clean(BOM text).Body = %q", art.Body)
	}
}
