package clean

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/summarize-dev/summarize/internal/shareddata"
)

// cleanBothWays cleans in with the quick tests and shortcuts on, then off,
// and reports any difference in the article or the error.
func cleanBothWays(t *testing.T, name string, in Input) {
	t.Helper()
	defer func() { noQuickTest = false }()
	noQuickTest = false
	got, gotErr := Clean(in, Options{})
	noQuickTest = true
	want, wantErr := Clean(in, Options{})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Clean(%s, media %q) differs with the quick tests:\n got %+v\nwant %+v", name, in.MediaType, got, want)
	}
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Errorf("Clean(%s, media %q) error = %v with the quick tests, %v without", name, in.MediaType, gotErr, wantErr)
	}
}

// TestCleanQuickTests cleans the fixtures (text and HTML, with the media
// type given and left for Clean to sniff), blank, binary and UTF-16 input
// with and without the quick tests: the articles and errors are the same.
func TestCleanQuickTests(t *testing.T) {
	files, _ := filepath.Glob("testdata/text/*.txt")
	html, _ := filepath.Glob("testdata/html/*.html")
	files = append(append(files, html...), samplePath)
	if len(files) < 10 {
		t.Fatalf("found %d fixtures, want at least 10", len(files))
	}
	inputs := map[string][]byte{
		"blank":  []byte(" \n\t\n"),
		"binary": []byte("%PDF-1.4 stuff"),
		"utf16":  encodeUTF16LE("Day 1 of the talks.\n\nThe delegates met again on Tuesday in Geneva, where the talks went on late into the night and beyond."),
		"meta-cs": []byte( // UTF-8 bytes, a declared ISO-8859-2: decoded again
			`<html><head><meta charset="iso-8859-2"></head><body><p>Café talks went on late into the night in Geneva, delegates said on Tuesday evening.</p></body></html>`),
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = b
	}
	for name, data := range inputs {
		cleanBothWays(t, name, Input{Source: name, Data: data})
		media := MediaText
		if filepath.Ext(name) == ".html" {
			media = MediaHTML
		}
		cleanBothWays(t, name, Input{Source: name, Data: data, MediaType: media})
	}
	if _, err := Clean(Input{Data: inputs["blank"]}, Options{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("Clean(blank) = %v, want ErrEmpty", err)
	}
}

// TestDevArticlesQuickTests cleans the real dev articles, as the eval
// hands them over (no media type), with and without the quick tests.
func TestDevArticlesQuickTests(t *testing.T) {
	f, err := os.Open(shareddata.File(t, "news-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	n := 0
	for sc.Scan() {
		var rec struct {
			ID      string `json:"id"`
			Article string `json:"article"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		cleanBothWays(t, rec.ID, Input{Source: rec.ID, Data: []byte(rec.Article)})
		n++
	}
	if n == 0 {
		t.Fatal("no dev articles read")
	}
}

func encodeUTF16LE(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
