package extractive

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/clean"
)

// evalLikeArticles returns cleaned articles shaped like the cases of
// cmd/summarize's BenchmarkEvalClientCPU (see benchDataset there): a
// "Day N of the talks." line, then the paragraphs of testdata/sample.txt
// in a rotated order, one rotation per article.
func evalLikeArticles(tb testing.TB) []clean.Article {
	tb.Helper()
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
	arts := make([]clean.Article, len(paras))
	for i := range paras {
		order := append(slices.Clone(paras[i:]), paras[:i]...)
		text := fmt.Sprintf("Day %d of the talks.\n\n%s", i, strings.Join(order, "\n\n"))
		a, err := clean.Clean(clean.Input{Source: fmt.Sprintf("case-%05d", i), Data: []byte(text)}, clean.Options{})
		if err != nil {
			tb.Fatalf("clean.Clean(case %d): %v", i, err)
		}
		arts[i] = a
	}
	return arts
}

// BenchmarkLead3 runs the eval's lead3 baseline (LeadArticle with n = 3)
// on eval-like articles, cleaning excluded, and reports µs per article.
func BenchmarkLead3(b *testing.B) {
	arts := evalLikeArticles(b)
	segmenter()
	b.ResetTimer()
	for b.Loop() {
		for _, a := range arts {
			LeadArticle(a, 3)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(arts)), "µs/article")
}

// BenchmarkSentencesDev splits every cleaned news-dev article into all its
// sentences per iteration (the segmenter alone, as the extractive
// summarizer runs it) and reports µs per article.
func BenchmarkSentencesDev(b *testing.B) {
	recs := loadDev(b)
	arts, _ := cleanedDev(recs)
	seg := segmenter()
	b.ResetTimer()
	for b.Loop() {
		for _, a := range arts {
			seg.sentences(a.Body, a.Dateline)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(arts)), "µs/article")
}
