package rouge

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// BenchmarkScoreDevPairs scores the 3,844 golden dev pairs (rouge1, rouge2,
// rougeL, rougeLsum, stemming on); one op is one pair.
func BenchmarkScoreDevPairs(b *testing.B) {
	pairs := loadGolden(b)
	tgt := make([]string, len(pairs))
	prd := make([]string, len(pairs))
	for i, p := range pairs {
		tgt[i] = strings.Join(p.Reference, "\n")
		prd[i] = strings.Join(p.Candidate, "\n")
	}
	s, err := NewScorer(DefaultTypes(), Options{Stemmer: true})
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]Score, 0, 4)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		k := n % len(pairs)
		dst = s.AppendScores(dst[:0], tgt[k], prd[k])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkScoreDevPairsMap is BenchmarkScoreDevPairs through Score, which
// returns a map.
func BenchmarkScoreDevPairsMap(b *testing.B) {
	pairs := loadGolden(b)
	s, err := NewScorer(DefaultTypes(), Options{Stemmer: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		p := pairs[n%len(pairs)]
		s.ScoreBullets(p.Reference, p.Candidate)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkScoreDevPairsCold builds a new Scorer for every pass over the
// pairs, so the stem cache starts empty each time.
func BenchmarkScoreDevPairsCold(b *testing.B) {
	pairs := loadGolden(b)
	b.ReportAllocs()
	for b.Loop() {
		s, _ := NewScorer(DefaultTypes(), Options{Stemmer: true})
		for _, p := range pairs {
			s.ScoreBullets(p.Reference, p.Candidate)
		}
	}
	b.ReportMetric(float64(b.N*len(pairs))/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkScoreStream streams the 3,844 golden pairs as "summarize score"
// input (no bootstrap); one op is the whole stream.
func BenchmarkScoreStream(b *testing.B) {
	pairs := loadGolden(b)
	var in []byte
	for _, p := range pairs {
		line, _ := json.Marshal(map[string]any{"id": p.ID, "candidate": p.Candidate, "reference": p.Reference})
		in = append(append(in, line...), '\n')
	}
	s, _ := NewScorer(DefaultTypes(), Options{Stemmer: true})
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ScoreStream(context.Background(), bytes.NewReader(in), io.Discard, StreamOptions{Scorer: s, Samples: -1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(pairs))/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkBootstrap aggregates the golden pairs' scores with rouge-score's
// defaults (1000 samples, four types).
func BenchmarkBootstrap(b *testing.B) {
	pairs := loadGolden(b)
	b.ReportAllocs()
	for b.Loop() {
		a := NewBootstrapAggregator(1000, 0.95, 1)
		for _, p := range pairs {
			addAll(a, p.Scores)
		}
		a.Aggregate()
	}
}
