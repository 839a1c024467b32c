package clean

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addSeeds adds the files matching pattern to the fuzz corpus.
func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
}

// FuzzCleanText checks that cleaning text never panics, yields valid UTF-8
// and is idempotent: cleaning a cleaned body gives the same body.
func FuzzCleanText(f *testing.F) {
	addSeeds(f, samplePath)
	addSeeds(f, "testdata/text/*.txt")
	addSeeds(f, "testdata/text/*.story")
	f.Add([]byte("Title\n\n- a bullet here\n- another one here\nShare\n|\nBODY – text that goes on and on. And on.\n"))
	f.Add([]byte("By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . | . UPDATED: 10:01 EST, 1 May 2013 . The storm hit. Scroll down for video The owner cried. Scroll down for video\n"))
	f.Add([]byte("\x93quoted\x94 text in cp1252 with \x96 dashes and more words to pass the check.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Clean(Input{Source: "fuzz", Data: data, MediaType: MediaText}, Options{})
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrNoContent) {
				t.Fatalf("Clean: unexpected error kind: %v", err)
			}
			return
		}
		for _, s := range append([]string{a.Body, a.Title, a.Byline, a.Date, a.Dateline}, a.Refs...) {
			if !utf8.ValidString(s) {
				t.Fatalf("Clean produced invalid UTF-8: %q", s)
			}
		}
		b, err := Clean(Input{Source: "fuzz", Data: []byte(a.Body), MediaType: MediaText}, Options{})
		if err != nil {
			t.Fatalf("Clean(Clean(x).Body): %v\nbody: %q", err, a.Body)
		}
		if b.Body != a.Body {
			t.Fatalf("Clean is not idempotent:\nfirst:  %q\nsecond: %q", a.Body, b.Body)
		}
	})
}

// FuzzCleanHTML checks that cleaning HTML never panics and yields valid
// UTF-8.
func FuzzCleanHTML(f *testing.F) {
	addSeeds(f, "testdata/html/*.html")
	f.Add([]byte("<p>Short <b>bold</b> text<br>next line</p><ul><li>one</li><li>two</li></ul>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Clean(Input{Source: "fuzz", Data: data, MediaType: MediaHTML}, Options{})
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrNoContent) {
				t.Fatalf("Clean: unexpected error kind: %v", err)
			}
			return
		}
		for _, s := range append([]string{a.Body, a.Title, a.Byline, a.Date, a.SiteName, a.Language, a.Dateline}, a.Refs...) {
			if !utf8.ValidString(s) {
				t.Fatalf("Clean produced invalid UTF-8: %q", s)
			}
			if strings.ContainsRune(s, aloneMark) && !bytes.ContainsRune(data, aloneMark) {
				t.Fatalf("Clean left the mark of a list item or heading in %q", s)
			}
		}
	})
}
