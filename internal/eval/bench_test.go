package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/summary"
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
		Variants: []Variant{{Name: "v", Backend: config.BackendOpenAI}}}
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
	gen := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		select {
		case <-time.After(200 * time.Millisecond):
		case <-ctx.Done():
			return summary.Summary{}, ctx.Err()
		}
		return summary.Summary{Bullets: sentences(c.Article)[:3]}, nil
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
	gen := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		return summary.Summary{Bullets: sentences(c.Article)[:3], Usage: summary.Usage{PromptTokens: 300, CompletionTokens: 40}}, nil
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

// BenchmarkShardMerge runs 3,000 cases unsharded, then as shards 1/3 to
// 3/3 merged, and prints how far apart they are: the largest difference of
// a per-case score, of a mean or CI bound, and whether the gates agree (all
// 0 and 1 when the merge is the whole run), with the merge's own time.
func BenchmarkShardMerge(b *testing.B) {
	const n = 3000
	cases := make([]dataset.Case, n)
	for i := range cases {
		cases[i] = syntheticCase(i)
	}
	d, err := dataset.New(cases)
	if err != nil {
		b.Fatal(err)
	}
	s := benchSuite(b, runtime.GOMAXPROCS(0))
	s.Gates.MinCoverage = 1
	s.Gates.Metrics = []MetricGate{{Metric: "rouge1", Min: 0.3, MinCoverage: -1}}
	gen := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		return summary.Summary{Bullets: sentences(c.Article)[:3]}, nil
	}
	opt := RunOptions{Generators: map[string]Generator{"v": gen}, SuiteSHA256: "bench"}
	dir := b.TempDir()
	whole, err := Run(context.Background(), s, d, opt)
	if err != nil {
		b.Fatal(err)
	}
	defer whole.Close()
	var shards []*ShardReport
	for k := 1; k <= 3; k++ {
		o := opt
		o.Shard = Shard{K: k, N: 3}
		r, err := Run(context.Background(), s, d, o)
		if err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("shard-%d.json", k))
		var recs []json.RawMessage
		r.RecordLines(func(line []byte) error { recs = append(recs, append([]byte{}, line...)); return nil })
		data, _ := json.Marshal(map[string]any{"manifest": r.Manifest, "case_ids": r.CaseIDs, "records": recs})
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		r.Close()
		sh, err := LoadShard(path)
		if err != nil {
			b.Fatal(err)
		}
		shards = append(shards, sh)
	}
	var merged *Result
	for b.Loop() {
		if merged != nil {
			merged.Close()
		}
		if merged, err = Merge(s, shards, MergeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	defer merged.Close()
	var caseDiff, statDiff float64
	for i, v := range whole.Variants {
		mv := merged.Variants[i]
		for _, m := range whole.Manifest.Metrics {
			a, c := v.Scores(m), mv.Scores(m)
			for p := range a {
				caseDiff = max(caseDiff, math.Abs(a[p]-c[p]))
			}
			x, y := v.Metrics[m], mv.Metrics[m]
			statDiff = max(statDiff, math.Abs(x.Mean-y.Mean), math.Abs(x.Lo-y.Lo), math.Abs(x.Hi-y.Hi))
		}
	}
	same := 0.0
	if whole.Passed() == merged.Passed() && len(whole.Gates) == len(merged.Gates) {
		same = 1
		for i := range whole.Gates {
			if whole.Gates[i].Pass != merged.Gates[i].Pass || whole.Gates[i].Value != merged.Gates[i].Value {
				same = 0
			}
		}
	}
	b.ReportMetric(caseDiff, "max-case-score-diff")
	b.ReportMetric(statDiff, "max-stat-diff")
	b.ReportMetric(same, "same-verdict")
	b.ReportMetric(float64(len(shards[0].CaseIDs)), "cases-in-shard-1")
}
