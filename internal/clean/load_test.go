package clean

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestLoadRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		kind error
		msg  string
	}{
		{"article.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), ErrBinary, "article.pdf: looks like a PDF document, not text or HTML"},
		{"photo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ErrBinary, "photo.png: looks like a PNG image, not text or HTML"},
		{"photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), ErrBinary, "looks like a JPEG image"},
		{"anim.gif", []byte("GIF89a\x01\x00\x01\x00"), ErrBinary, "looks like a GIF image"},
		{"pic.webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), ErrBinary, "looks like a WebP image"},
		{"doc.docx", []byte("PK\x03\x04\x14\x00\x06\x00"), ErrBinary, "looks like a ZIP archive"},
		{"page.html.gz", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), ErrBinary, "looks like gzip-compressed data"},
		{"data.bin", []byte("some text\x00\x00\x01\x02 more"), ErrBinary, "contains NUL bytes"},
		{"empty.txt", nil, ErrEmpty, "empty.txt: input is empty"},
		{"blank.txt", []byte(" \n\t\r\n  \n"), ErrEmpty, "blank.txt: input holds only whitespace"},
		{"bom-only.txt", []byte("\xef\xbb\xbf\n"), ErrEmpty, "only whitespace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, tc.name, tc.data)
			_, err := Load(context.Background(), path, LoadOptions{})
			if !errors.Is(err, tc.kind) {
				t.Fatalf("Load(%s) error = %v, want %v", tc.name, err, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Load(%s) error = %q, want it to contain %q", tc.name, err, tc.msg)
			}
			// Clean refuses the same bytes when handed them directly.
			if _, err := Clean(Input{Source: tc.name, Data: tc.data}, Options{}); !errors.Is(err, tc.kind) {
				t.Errorf("Clean(%s) error = %v, want %v", tc.name, err, tc.kind)
			}
		})
	}
}

func TestLoadPaths(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(context.Background(), dir, LoadOptions{}); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Load(dir) error = %v, want 'is a directory'", err)
	}
	if _, err := Load(context.Background(), dir+"/missing.txt", LoadOptions{}); !errors.Is(err, fs.ErrNotExist) || err.Error() != dir+"/missing.txt: file does not exist" {
		t.Errorf("Load(missing) error = %v, want PATH: file does not exist (fs.ErrNotExist)", err)
	}
	if _, err := Load(context.Background(), "ftp://user:pw@example.com/a.txt", LoadOptions{}); err == nil ||
		!strings.Contains(err.Error(), "unsupported URL scheme") || strings.Contains(err.Error(), "pw") {
		t.Errorf("Load(ftp URL) error = %v, want unsupported scheme without the password", err)
	}
	big := writeTemp(t, "big.txt", []byte(strings.Repeat("word ", 300)))
	_, err := Load(context.Background(), big, LoadOptions{MaxBytes: 1024})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1.5 KiB, over the 1 KiB size limit") {
		t.Errorf("Load(big file) error = %v, want ErrTooLarge naming sizes", err)
	}
	exact := writeTemp(t, "exact.txt", []byte(strings.Repeat("word ", 200)+"end."))
	if _, err := Load(context.Background(), exact, LoadOptions{MaxBytes: 1004}); err != nil {
		t.Errorf("Load(file of exactly MaxBytes) error = %v", err)
	}
}

func TestLoadStdin(t *testing.T) {
	text := readSample(t)
	in, err := Load(context.Background(), "-", LoadOptions{Stdin: strings.NewReader(text)})
	if err != nil {
		t.Fatal(err)
	}
	if in.Source != "-" || in.MediaType != MediaText || string(in.Data) != text {
		t.Errorf("Load(-) = %q %q %d bytes", in.Source, in.MediaType, len(in.Data))
	}
	_, err = Load(context.Background(), "-", LoadOptions{Stdin: strings.NewReader(text), MaxBytes: 100})
	if !errors.Is(err, ErrTooLarge) || err.Error() != "standard input: input exceeds 100 bytes (the size limit)" {
		t.Errorf("Load(- over limit) error = %v", err)
	}
	if _, err := Load(context.Background(), "-", LoadOptions{}); err == nil {
		t.Error("Load(-) without Stdin: want an error")
	}
	html, err := Load(context.Background(), "-", LoadOptions{Stdin: strings.NewReader("<!doctype html><html><body><p>Hi</p></body></html>")})
	if err != nil || html.MediaType != MediaHTML {
		t.Errorf("Load(- html) = %q, %v; want text/html", html.MediaType, err)
	}
}

func TestValidateOptions(t *testing.T) {
	if err := ValidateOptions(Options{Rules: []string{"caption", "share"}, DisableRules: []string{"advert"}, ExtraPatterns: []string{`(?i)sponsored by .*`}}); err != nil {
		t.Errorf("ValidateOptions(valid) = %v", err)
	}
	err := ValidateOptions(Options{Rules: []string{"caption", "captoin"}, DisableRules: []string{"ads"}, ExtraPatterns: []string{"ok", "(unclosed"}})
	if !errors.Is(err, ErrOptions) {
		t.Fatalf("ValidateOptions(bad) = %v, want ErrOptions", err)
	}
	for _, s := range []string{`"captoin"`, `"ads"`, `pattern "(unclosed"`, "missing closing )", "known rules: caption"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("ValidateOptions(bad) error %q lacks %q", err, s)
		}
	}
	if _, err := Clean(Input{Data: []byte("text")}, Options{Rules: []string{"nope"}}); !errors.Is(err, ErrOptions) {
		t.Errorf("Clean with unknown rule: error = %v, want ErrOptions", err)
	}
}

func TestRuleNames(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range RuleNames() {
		if r.Name == "" || r.Description == "" || seen[r.Name] {
			t.Errorf("RuleNames: bad or duplicate entry %+v", r)
		}
		seen[r.Name] = true
	}
	for _, want := range []string{"caption", "share", "audio", "subscribe", "newsletter", "cookie", "advert", "separator", "related", "timestamp", "credit", "copyright", "cta", "byline", "subheading"} {
		if !seen[want] {
			t.Errorf("RuleNames lacks %q", want)
		}
	}
}

func TestOptions(t *testing.T) {
	sample := readSample(t)
	in := Input{Source: "sample", Data: []byte(sample), MediaType: MediaText}

	kept, err := Clean(in, Options{KeepRefs: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(kept.Body, "- NATO, including the U.S., remains fully committed") || len(kept.Refs) != 3 {
		t.Errorf("Clean(KeepRefs) body starts %q, refs %d; want bullets kept in the body and listed", kept.Body[:60], len(kept.Refs))
	}

	sub, err := Clean(in, Options{Rules: append(defaultRuleNames(), "subheading")})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sub.Body, "US Will Be Involved") {
		t.Error("Clean with subheading rule kept the subheading")
	}

	extra, err := Clean(in, Options{ExtraPatterns: []string{`.*Rutte said\.`}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(extra.Body, "Rutte said.") || !strings.Contains(extra.Body, "he said.") {
		t.Errorf("Clean(ExtraPatterns) did not drop exactly the matching lines:\n%s", extra.Body)
	}

	noRelated, err := Clean(in, Options{DisableRules: []string{"related", "timestamp"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"RELATED TOPICS:", "Teamsters President", "2 hours ago"} {
		if !strings.Contains(noRelated.Body, s) {
			t.Errorf("Clean(related, timestamp off) dropped %q", s)
		}
	}

	only, err := Clean(in, Options{Rules: []string{"caption"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(only.Body, "Getting your Trinity Audio player ready...") || strings.Contains(only.Body, "(Reuters/Yves Herman)") {
		t.Errorf("Clean(Rules: caption) applied other rules or missed the caption:\n%.300s", only.Body)
	}
}

func defaultRuleNames() []string {
	var names []string
	for _, r := range RuleNames() {
		if r.Default {
			names = append(names, r.Name)
		}
	}
	return names
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{12: "12 bytes", 1024: "1 KiB", 1536: "1.5 KiB", 8 << 20: "8 MiB", 10 << 30: "10 GiB"} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
