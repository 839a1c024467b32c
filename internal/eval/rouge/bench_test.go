package rouge

import (
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
