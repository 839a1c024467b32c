package report

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/shareddata"
	"github.com/summarize-dev/summarize/internal/summary"
)

var update = flag.Bool("update", false, "rewrite golden files")

// repoRoot is the directory holding go.mod.
func repoRoot(t testing.TB) string { return shareddata.Root(t) }

// fixtureDataset is the repository's own eval fixture.
func fixtureDataset(t testing.TB) string {
	return filepath.Join(repoRoot(t), "testdata", "eval", "news.jsonl")
}

// writeSuite writes a suite file next to a copy-free reference to the
// fixture dataset and loads it.
func writeSuite(t testing.TB, body string) *eval.Suite {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "suite.yaml")
	body = strings.ReplaceAll(body, "DATASET", fixtureDataset(t))
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := eval.LoadSuite(path, eval.LoadOptions{})
	if err != nil {
		t.Fatalf("LoadSuite: %v", err)
	}
	return s
}

func openFixture(t testing.TB) *dataset.Set {
	t.Helper()
	d, err := dataset.Open(fixtureDataset(t))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sentences splits an article into rough sentences for the fake generators.
func sentences(article string) []string {
	var out []string
	for _, para := range strings.Split(article, "\n\n") {
		for _, s := range strings.SplitAfter(para, ". ") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// leadGen returns the first n sentences as bullets.
func leadGen(n int) eval.Generator {
	return func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		s := sentences(c.Article)
		if len(s) > n {
			s = s[:n]
		}
		return summary.Summary{Bullets: s, Model: "lead", Duration: summary.Millis(10 * time.Millisecond)}, nil
	}
}

// refGen echoes the reference: a perfect variant.
func refGen() eval.Generator {
	return func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		return summary.Summary{Bullets: c.Reference, Model: "oracle", Prompt: "oracle@0123abcd",
			Usage: summary.Usage{PromptTokens: 100, CompletionTokens: 20}, Duration: summary.Millis(20 * time.Millisecond)}, nil
	}
}

// fixedClock returns a clock that starts at a fixed instant and advances a
// second per call.
func fixedClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func mustRun(t testing.TB, ctx context.Context, s *eval.Suite, d *dataset.Set, opt eval.RunOptions) *eval.Result {
	t.Helper()
	if opt.ResultsPath == "" {
		opt.ResultsPath = filepath.Join(t.TempDir(), "results.jsonl")
	}
	r, err := eval.Run(ctx, s, d, opt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return r
}

func records(t testing.TB, r *eval.Result) []*eval.Record {
	t.Helper()
	var out []*eval.Record
	if err := r.Records(func(rec *eval.Record) error { out = append(out, rec); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

var _ = fmt.Sprint

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
