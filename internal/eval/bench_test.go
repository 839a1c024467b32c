package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
)

// syntheticCase makes a short news-like case; i varies the words so that
// scores vary.
func syntheticCase(i int) dataset.Case {
	words := []string{"council", "river", "budget", "school", "bridge", "storm", "election", "museum", "factory", "harbor"}
	w := func(k int) string { return words[(i*7+k*3)%len(words)] }
	var b strings.Builder
	for s := range 8 {
		fmt.Fprintf(&b, "The %s and the %s were discussed by officials on day %d of the %s review. ", w(s), w(s+1), i%31+s, w(s+2))
		if s%3 == 2 {
			b.WriteString("\n\n")
		}
	}
	return dataset.Case{
		ID:      "case-" + strconv.Itoa(i),
		Article: b.String(),
		Reference: []string{
			fmt.Sprintf("Officials discuss the %s and the %s", w(0), w(1)),
			fmt.Sprintf("The %s review reaches day %d", w(2), i%31+1),
			fmt.Sprintf("A decision on the %s is expected", w(3)),
		},
	}
}

func benchSuite(b *testing.B, concurrency int) *Suite {
	s := &Suite{Name: "bench", Path: "bench.yaml", Concurrency: concurrency, Repeat: 1, Timeout: time.Minute,
		Leakage: LeakageReport, Metrics: []string{"rouge1", "rouge2", "rougeLsum", "contract"},
		Variants: []Variant{{Name: "v", Backend: BackendOpenAI}}}
	return s
}

// BenchmarkRunLatency runs 200 cases at concurrency 16 against a backend
// that answers in 200 ms of real time. The ideal is 200/16 × 200 ms = 2.5 s.
func BenchmarkRunLatency(b *testing.B) {
	cases := make([]dataset.Case, 200)
	for i := range cases {
		cases[i] = syntheticCase(i)
	}
	d, err := dataset.New(cases)
	if err != nil {
		b.Fatal(err)
	}
	s := benchSuite(b, 16)
	gen := func(ctx context.Context, c dataset.Case, repeat int) (Output, error) {
		select {
		case <-time.After(200 * time.Millisecond):
		case <-ctx.Done():
			return Output{}, ctx.Err()
		}
		return Output{Bullets: sentences(c.Article)[:3]}, nil
	}
	var wall time.Duration
	for b.Loop() {
		start := time.Now()
		r, err := Run(context.Background(), s, d, RunOptions{Generators: map[string]Generator{"v": gen}})
		if err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		if r.Variants[0].Runs != 200 {
			b.Fatalf("runs = %d", r.Variants[0].Runs)
		}
		r.Close()
	}
	sec := wall.Seconds() / float64(b.N)
	b.ReportMetric(sec, "wall-s")
	b.ReportMetric(100*(sec/2.5-1), "%over-ideal")
}

// BenchmarkRun10k streams 10,000 cases from a JSONL file through an
// instant generator and four metrics, and reports the throughput and the
// process's peak resident memory.
func BenchmarkRun10k(b *testing.B) {
	const n = 10000
	path := filepath.Join(b.TempDir(), "big.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		line, _ := json.Marshal(syntheticCase(i))
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	s := benchSuite(b, runtime.GOMAXPROCS(0))
	gen := func(ctx context.Context, c dataset.Case, repeat int) (Output, error) {
		return Output{Bullets: sentences(c.Article)[:3], PromptTokens: 300, CompletionTokens: 40}, nil
	}
	results := filepath.Join(b.TempDir(), "results.jsonl")
	var wall time.Duration
	for b.Loop() {
		d, err := dataset.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		r, err := Run(context.Background(), s, d, RunOptions{Generators: map[string]Generator{"v": gen}, ResultsPath: results})
		if err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		if r.Variants[0].Runs != n {
			b.Fatalf("runs = %d", r.Variants[0].Runs)
		}
	}
	b.ReportMetric(float64(n*b.N)/wall.Seconds(), "cases/s")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-RSS-MB")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
}

// vmHWM returns the process's peak resident set size in bytes, or 0.
func vmHWM() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
