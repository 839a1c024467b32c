package rouge

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"

	"github.com/summarize-dev/summarize/internal/eval/stats"
)

// AggregateScore is a bootstrap confidence interval: Low and High are the
// interval's bounds and Mid the median of the bootstrap means, as
// rouge-score's scoring.AggregateScore.
type AggregateScore struct {
	Low  Score `json:"low"`
	Mid  Score `json:"mid"`
	High Score `json:"high"`
}

// BootstrapAggregator collects scores and computes confidence intervals on
// their mean the way rouge-score's scoring.BootstrapAggregator does:
// nSamples times, draw as many scores as were added, with replacement, and
// take their mean (stats.BootstrapMeans); then report numpy's (linear)
// percentiles (stats.Percentile) of those means at (1-confidence)/2, 50%
// and 1-(1-confidence)/2.
//
// Unlike rouge-score, the draws come from a seeded generator, so the same
// seed and scores give the same intervals. Each type has its own stream of
// draws, derived from the seed and the type's name, so the result does not
// depend on the order in which types were added.
//
// A BootstrapAggregator is not safe for concurrent use.
type BootstrapAggregator struct {
	samples    int
	confidence float64
	seed       int64
	scores     map[string][]Score
}

// NewBootstrapAggregator returns an aggregator that draws nSamples
// bootstrap samples (1000 when nSamples <= 0, rouge-score's default) for a
// confidence interval of the given level (0.95 when confidence is not in
// (0, 1], rouge-score's default).
func NewBootstrapAggregator(nSamples int, confidence float64, seed int64) *BootstrapAggregator {
	if nSamples <= 0 {
		nSamples = 1000
	}
	if !(confidence > 0 && confidence <= 1) {
		confidence = 0.95
	}
	return &BootstrapAggregator{
		samples:    nSamples,
		confidence: confidence,
		seed:       seed,
		scores:     make(map[string][]Score),
	}
}

// add appends one score of one type.
func (a *BootstrapAggregator) add(typ string, s Score) {
	a.scores[typ] = append(a.scores[typ], s)
}

// Aggregate returns the confidence interval of every type added so far.
func (a *BootstrapAggregator) Aggregate() map[string]AggregateScore {
	out := make(map[string]AggregateScore, len(a.scores))
	delta := (1 - a.confidence) / 2
	// rouge-score passes percentages to np.percentile, which divides them
	// by 100 again; stats.Percentile does the same, so the rounding matches.
	qs := [3]float64{100 * delta, 100 * 0.5, 100 * (1 - delta)}
	for t, ss := range a.scores {
		p, r, f := a.resample(t, ss)
		var agg [3]Score
		for k, q := range qs {
			agg[k] = Score{stats.Percentile(p, q), stats.Percentile(r, q), stats.Percentile(f, q)}
		}
		out[t] = AggregateScore{Low: agg[0], Mid: agg[1], High: agg[2]}
	}
	return out
}

// resample returns the sorted bootstrap means of precision, recall and F,
// drawn by stats.BootstrapMeans from a stream seeded by the seed and typ.
func (a *BootstrapAggregator) resample(typ string, ss []Score) (p, r, f []float64) {
	h := fnv.New64a()
	h.Write([]byte(typ))
	rng := rand.New(rand.NewPCG(uint64(a.seed), h.Sum64()))
	cols := [3][]float64{make([]float64, len(ss)), make([]float64, len(ss)), make([]float64, len(ss))}
	for i, s := range ss {
		cols[0][i], cols[1][i], cols[2][i] = s.Precision, s.Recall, s.F
	}
	means := stats.BootstrapMeans(a.samples, rng, cols[:]...)
	for _, m := range means {
		slices.Sort(m)
	}
	return means[0], means[1], means[2]
}
