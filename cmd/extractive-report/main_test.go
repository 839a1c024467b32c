package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeSplit(t *testing.T, dir, name string, recs []record) {
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
	recs := []record{
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
	if n := strings.Count(got, "\n"); n != 3 {
		t.Errorf("run output has %d lines, want header + 2 rows:\n%s", n, got)
	}
}

func TestRunMissingSplit(t *testing.T) {
	var out bytes.Buffer
	err := run(&out, t.TempDir(), []string{"holdout"})
	if err == nil || !strings.Contains(err.Error(), "load holdout split") {
		t.Errorf("run on an empty dir: err = %v, want a load holdout split error", err)
	}
}
