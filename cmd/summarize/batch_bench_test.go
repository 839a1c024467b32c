package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// BenchmarkSummarizeBatch runs summarize --batch over 2,000 files against
// the fake Batch API: loading them, the collection pass, one batch, the
// output from the cache. It reports the HTTP calls made (a handful of
// batch calls, no live chat call) and the heap in use after the run.
//
//	go test ./cmd/summarize -run '^$' -bench SummarizeBatch -benchtime 1x
func BenchmarkSummarizeBatch(b *testing.B) {
	const inputs = 2000
	dir := b.TempDir()
	files := make([]string, inputs)
	for i := range files {
		files[i] = filepath.Join(dir, fmt.Sprintf("wire-%04d.txt", i))
		art := fmt.Sprintf("Council %d voted on Tuesday to close the old bridge after engineers found cracks in its supports.\n\nRepairs will take %d months and cost an estimated $%d million, officials said.\n", i, 6+i%12, 10+i%40)
		if err := os.WriteFile(files[i], []byte(art), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	prompts := filepath.Join(dir, "fake-prompts")
	if err := os.CopyFS(prompts, llmtest.Prompts()); err != nil {
		b.Fatal(err)
	}
	args := append([]string{"-q", "--batch", "--format", "jsonl", "--model", "fake-ok", "--prompt-dir", prompts, "--bullets", "2"}, files...)
	for b.Loop() {
		b.StopTimer()
		srv := llmtest.NewBatchServer(b)
		home := b.TempDir()
		b.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
		c := &cli{env: map[string]string{"OPENAI_BASE_URL": srv.URL(), "HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}}
		b.StartTimer()
		stdout, stderr, code := runStdin(context.Background(), c, "", append([]string{"--cache", filepath.Join(b.TempDir(), "cache")}, args...)...)
		b.StopTimer()
		if code != 0 || strings.Count(stdout, "\n") != inputs {
			b.Fatalf("summarize --batch: exit %d, %d lines\n%s", code, strings.Count(stdout, "\n"), stderr)
		}
		reportBatchCalls(b, srv)
		srv.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/inputs, "µs/input")
}
