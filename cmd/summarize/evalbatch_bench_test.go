package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// BenchmarkEvalBatch runs summarize eval --batch over 10,000 cases against
// the fake Batch API: the collection pass, one batch, the run from the
// cache. It reports the HTTP calls made (a handful of batch calls, no live
// chat call) and the heap in use after the run.
//
//	go test ./cmd/summarize -run '^$' -bench EvalBatch -benchtime 1x
func BenchmarkEvalBatch(b *testing.B) {
	const cases = 10000
	articles := make(map[string]string, cases)
	for i := range cases {
		articles[fmt.Sprintf("case-%05d", i)] = fmt.Sprintf("Council %d voted on Tuesday to close the old bridge after engineers found cracks in its supports.\n\nRepairs will take %d months and cost an estimated $%d million, officials said.", i, 6+i%12, 10+i%40)
	}
	suite := benchSuiteDir(b, batchSuite, articles)
	for b.Loop() {
		b.StopTimer()
		srv := llmtest.NewBatchServer(b)
		home := b.TempDir()
		b.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
		c := &cli{env: map[string]string{"OPENAI_BASE_URL": srv.URL(), "HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config")}}
		cache := filepath.Join(b.TempDir(), "cache")
		b.StartTimer()
		_, stderr, code := c.runCtx(context.Background(), "eval", suite, "-q", "--cache", cache, "--json", filepath.Join(b.TempDir(), "run.json"), "--batch")
		b.StopTimer()
		if code != 0 {
			b.Fatalf("eval --batch: exit %d\n%s", code, stderr)
		}
		reportBatchCalls(b, srv)
		srv.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/cases*1000, "µs/case")
}

// benchSuiteDir is writeSuiteDir for a benchmark.
func benchSuiteDir(b *testing.B, suite string, articles map[string]string) string {
	dir := b.TempDir()
	var data strings.Builder
	for id, art := range articles {
		line, _ := json.Marshal(map[string]any{"id": id, "article": art, "reference": []string{"A reference bullet about " + id}})
		data.Write(line)
		data.WriteByte('\n')
	}
	for _, err := range []error{
		os.WriteFile(filepath.Join(dir, "data.jsonl"), []byte(data.String()), 0o644),
		os.CopyFS(filepath.Join(dir, "fake-prompts"), llmtest.Prompts()),
		os.WriteFile(filepath.Join(dir, "suite.yaml"), []byte(suite), 0o644),
	} {
		if err != nil {
			b.Fatal(err)
		}
	}
	return filepath.Join(dir, "suite.yaml")
}

// reportBatchCalls reports what a batch run asked of the fake server: all
// HTTP calls, live chat calls (want 0) and batches created, and the heap
// in use after the run.
func reportBatchCalls(b *testing.B, srv *llmtest.BatchServer) {
	calls := srv.HTTPCalls()
	total := 0
	for _, n := range calls {
		total += n
	}
	b.ReportMetric(float64(total), "http-calls/op")
	b.ReportMetric(float64(calls[liveChat]), "live-chat-calls/op")
	b.ReportMetric(float64(calls["POST /v1/batches"]), "batches/op")
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
}
