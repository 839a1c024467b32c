package clean

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// checkGolden compares got with the golden file path, or rewrites it with
// -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

const samplePath = "../../testdata/sample.txt"

func TestSample(t *testing.T) {
	in, err := Load(context.Background(), samplePath, LoadOptions{})
	if err != nil {
		t.Fatalf("Load(%q): %v", samplePath, err)
	}
	if in.MediaType != MediaText || in.Charset != "utf-8" {
		t.Errorf("Load(%q) = media %q charset %q, want text/plain utf-8", samplePath, in.MediaType, in.Charset)
	}
	art, err := Clean(in, Options{})
	if err != nil {
		t.Fatalf("Clean: %v", err)
	}
	checkGolden(t, "testdata/sample.golden", art.Body+"\n")
	wantRefs := []string{
		"NATO, including the U.S., remains fully committed to supporting Ukraine and ensuring any future peace deal is durable, says Rutte.",
		"Secretary General Rutte says Europe will shoulder more military aid to Ukraine, but the U.S. remains deeply involved in support.",
		"As U.S. shifts focus to Asia, Rutte says increased European defense spending ensures no capability gaps emerge within NATO.",
	}
	if diff := cmp.Diff(wantRefs, art.Refs); diff != "" {
		t.Errorf("Clean(sample).Refs mismatch (-want +got):\n%s", diff)
	}
	if art.Dateline != "BRUSSELS" {
		t.Errorf("Clean(sample).Dateline = %q, want %q", art.Dateline, "BRUSSELS")
	}
	if art.Title != "" {
		t.Errorf("Clean(sample).Title = %q, want none (the first line is a photo caption)", art.Title)
	}
	if art.Source != samplePath {
		t.Errorf("Clean(sample).Source = %q, want %q", art.Source, samplePath)
	}
}
