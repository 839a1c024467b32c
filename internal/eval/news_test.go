package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/summary"
)

// For the benchmarks of package eval_test.
var (
	NewsCases  = newsCases
	WriteCases = writeCases
	FirstWords = firstWords
)

// newsCases makes n news-like cases the way cmd/summarize's
// BenchmarkEvalClientCPU does: the sample article's paragraphs in another
// order for each case, with three reference bullets (two cut from its
// first paragraphs, one of its own).
func newsCases(tb testing.TB, n int) []dataset.Case {
	sample, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sample.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	var paras []string
	for _, p := range strings.Split(string(sample), "\n") {
		if p = strings.TrimSpace(p); len(p) > 60 && !strings.HasPrefix(p, "- ") {
			paras = append(paras, p)
		}
	}
	cases := make([]dataset.Case, n)
	for i := range cases {
		k := i % len(paras)
		order := append(slices.Clone(paras[k:]), paras[:k]...)
		cases[i] = dataset.Case{
			ID:      fmt.Sprintf("case-%05d", i),
			Article: fmt.Sprintf("Day %d of the talks.\n\n%s", i, strings.Join(order, "\n\n")),
			Reference: []string{order[0][:min(len(order[0]), 90)], order[1][:min(len(order[1]), 90)],
				fmt.Sprintf("Talks reach day %d", i)},
		}
	}
	return cases
}

// writeCases writes cases as a dataset JSONL file and returns its path.
func writeCases(tb testing.TB, cases []dataset.Case) string {
	path := filepath.Join(tb.TempDir(), "data.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for _, c := range cases {
		line, _ := json.Marshal(c)
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// firstWords is what the fake LLM of the CLI benchmark answers: the first
// eight words of the article's first three sentences.
func firstWords(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
	var bullets []string
	for _, s := range strings.SplitAfter(c.Article, ". ") {
		w := strings.Fields(s)
		if len(w) == 0 {
			continue
		}
		bullets = append(bullets, strings.Join(w[:min(len(w), 8)], " "))
		if len(bullets) == 3 {
			break
		}
	}
	return summary.Summary{Bullets: bullets, Usage: summary.Usage{PromptTokens: 900, CompletionTokens: 40}}, nil
}

// BenchmarkScoreRecord is a worker's share of a run after the generator
// answers, for news-like cases with the default metrics: score the
// bullets and encode the record as its JSONL line (appendRecord, as the
// runner does). Figures are per case.
func BenchmarkScoreRecord(b *testing.B) {
	cases := newsCases(b, 2000)
	path := writeCases(b, cases[:1])
	s, err := ParseSuite(filepath.Join(filepath.Dir(path), "suite.yaml"), []byte("dataset: data.jsonl\nvariants:\n  - name: llm\n    backend: openai\n"), LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	scorers, err := newScorers(s.Metrics, s.Contract)
	if err != nil {
		b.Fatal(err)
	}
	outs := make([]summary.Summary, len(cases))
	for i, c := range cases {
		outs[i], _ = firstWords(context.Background(), c, 0)
	}
	b.ReportAllocs()
	bytes := 0
	for b.Loop() {
		bytes = 0
		for i, c := range cases {
			rec := &Record{Case: c.ID, Index: i, Variant: "llm", Bullets: outs[i].Bullets, Reference: c.Reference,
				PromptTokens: 900, CompletionTokens: 40, Source: SourceLive, LatencyMS: 50.5}
			score(rec, c, outs[i], scorers)
			line, err := appendRecord(nil, rec)
			if err != nil {
				b.Fatal(err)
			}
			bytes += len(line)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cases)), "ns/case")
	b.ReportMetric(float64(bytes)/float64(len(cases)), "line-bytes")
}
