package eval_test

import (
	"context"
	"io"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/eval/report"
)

// BenchmarkEvalPipeline is the eval side of cmd/summarize's
// BenchmarkEvalClientCPU without the LLM client: open a 4,000-case news
// dataset, run it with the default metrics through a generator that
// answers at once (two workers), and write the JSON report. Figures are
// per case: wall time, and the process's CPU time (the generator's share
// included).
func BenchmarkEvalPipeline(b *testing.B) {
	const n = 4000
	path := eval.WriteCases(b, eval.NewsCases(b, n))
	s, err := eval.ParseSuite(filepath.Join(filepath.Dir(path), "suite.yaml"), []byte(`dataset: data.jsonl
sanity: none
concurrency: 2
variants:
  - name: llm
    backend: openai
    llm: {model: fake-50ms}
`), eval.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	results := filepath.Join(b.TempDir(), "run.jsonl")
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		d, err := dataset.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r, err := eval.Run(context.Background(), s, d, eval.RunOptions{Generators: map[string]eval.Generator{"llm": eval.FirstWords}, ResultsPath: results})
		if err != nil {
			b.Fatal(err)
		}
		if r.Variants[0].Runs != n {
			b.Fatalf("runs = %d", r.Variants[0].Runs)
		}
		if err := report.WriteJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(n*b.N), "µs/case")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(n*b.N), "cpu-µs/case")
}

// cpuTime is the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
