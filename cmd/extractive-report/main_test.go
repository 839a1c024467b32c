package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
)

func writeSplit(t *testing.T, dir, name string, recs []dataset.Case) {
	t.Helper()
	var b bytes.Buffer
	for _, r := range recs {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	recs := []dataset.Case{
		{
			ID:        "a",
			Article:   "(CNN)The city council approved a new budget on Monday. The plan raises taxes on hotels. Critics said it would hurt tourism. The mayor will sign it on Friday.",
			Reference: []string{"City council approves new budget", "Plan raises hotel taxes"},
		},
		{
			ID:        "b",
			Article:   "A storm cut power to 20,000 homes overnight. Crews worked through the night to restore it. Schools will stay closed on Tuesday.",
			Reference: []string{"Storm cuts power to 20,000 homes", "Schools closed on Tuesday"},
		},
		{
			// Nothing but noise: clean.Clean rejects it, the raw text is used.
			ID:        "c",
			Article:   "Share this article",
			Reference: []string{"Nothing to see"},
		},
	}
	writeSplit(t, dir, "news-dev.jsonl", recs)
	var out bytes.Buffer
	if err := run(&out, dir, []string{"dev"}); err != nil {
		t.Fatalf("run: %v", err)
	}
	got := out.String()
	for _, want := range []string{"ROUGE-1", "ROUGE-2", "ROUGE-Lsum", "articles/s", "lead3", "extractive"} {
		if !strings.Contains(got, want) {
			t.Errorf("run output lacks %q:\n%s", want, got)
		}
	}
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("run output has %d lines, want header + 2 rows:\n%s", len(lines), got)
	}
	if h := strings.Fields(lines[0]); len(h) < 4 || h[3] != "rejected" {
		t.Errorf("run header = %q, want a rejected column fourth", lines[0])
	}
	for _, line := range lines[1:] {
		if f := strings.Fields(line); len(f) < 4 || f[2] != "3" || f[3] != "1" {
			t.Errorf("run row %q: want 3 articles, 1 rejected by clean.Clean", line)
		}
	}
}

// TestCleanAll checks that articles are cleaned as the eval harness cleans
// them, with the raw text kept for one that clean.Clean rejects.
func TestCleanAll(t *testing.T) {
	recs := []dataset.Case{
		{ID: "a", Title: "Dog rescued", Article: "The dog was rescued from the river by two walkers on Sunday. Scroll down for video The owner cried when she saw him."},
		{ID: "b", Article: "Share this article"},
	}
	arts, rejected := cleanAll(recs)
	if rejected != 1 {
		t.Errorf("cleanAll: rejected = %d, want 1", rejected)
	}
	if want := "The dog was rescued from the river by two walkers on Sunday. The owner cried when she saw him."; arts[0].Body != want {
		t.Errorf("cleanAll: body = %q, want %q", arts[0].Body, want)
	}
	if arts[0].Title != "Dog rescued" {
		t.Errorf("cleanAll: title = %q, want the record's title where Clean finds none", arts[0].Title)
	}
	if arts[1].Body != recs[1].Article {
		t.Errorf("cleanAll: rejected article's body = %q, want its raw text", arts[1].Body)
	}
}

func TestRunMissingSplit(t *testing.T) {
	var out bytes.Buffer
	err := run(&out, t.TempDir(), []string{"holdout"})
	if err == nil || !strings.Contains(err.Error(), "load holdout split") {
		t.Errorf("run on an empty dir: err = %v, want a load holdout split error", err)
	}
}
