package rouge

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
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
// take their mean; then report numpy's (linear) percentiles of those
// means at (1-confidence)/2, 50% and 1-(1-confidence)/2.
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

// Add adds one pair's scores, one entry per type.
func (a *BootstrapAggregator) Add(scores map[string]Score) {
	for t, s := range scores {
		a.scores[t] = append(a.scores[t], s)
	}
}

// add appends one score of one type.
func (a *BootstrapAggregator) add(typ string, s Score) {
	a.scores[typ] = append(a.scores[typ], s)
}

// Len returns the number of scores added for typ.
func (a *BootstrapAggregator) Len(typ string) int { return len(a.scores[typ]) }

// Mean returns the plain mean of every type's scores.
func (a *BootstrapAggregator) Mean() map[string]Score {
	out := make(map[string]Score, len(a.scores))
	for t, ss := range a.scores {
		var sum Score
		for _, s := range ss {
			sum.Precision += s.Precision
			sum.Recall += s.Recall
			sum.F += s.F
		}
		n := float64(len(ss))
		out[t] = Score{sum.Precision / n, sum.Recall / n, sum.F / n}
	}
	return out
}

// Aggregate returns the confidence interval of every type added so far.
func (a *BootstrapAggregator) Aggregate() map[string]AggregateScore {
	out := make(map[string]AggregateScore, len(a.scores))
	delta := (1 - a.confidence) / 2
	// rouge-score passes percentages to np.percentile, which divides them
	// by 100 again; Percentile does the same, so the rounding matches.
	qs := [3]float64{100 * delta, 100 * 0.5, 100 * (1 - delta)}
	for t, ss := range a.scores {
		p, r, f := a.resample(t, ss)
		var agg [3]Score
		for k, q := range qs {
			agg[k] = Score{Percentile(p, q), Percentile(r, q), Percentile(f, q)}
		}
		out[t] = AggregateScore{Low: agg[0], Mid: agg[1], High: agg[2]}
	}
	return out
}

// resample returns the sorted bootstrap means of precision, recall and F.
func (a *BootstrapAggregator) resample(typ string, ss []Score) (p, r, f []float64) {
	h := fnv.New64a()
	h.Write([]byte(typ))
	rng := rand.New(rand.NewPCG(uint64(a.seed), h.Sum64()))
	n := len(ss)
	p = make([]float64, a.samples)
	r = make([]float64, a.samples)
	f = make([]float64, a.samples)
	for i := range a.samples {
		var sum Score
		for range n {
			s := ss[rng.IntN(n)]
			sum.Precision += s.Precision
			sum.Recall += s.Recall
			sum.F += s.F
		}
		p[i] = sum.Precision / float64(n)
		r[i] = sum.Recall / float64(n)
		f[i] = sum.F / float64(n)
	}
	slices.Sort(p)
	slices.Sort(r)
	slices.Sort(f)
	return p, r, f
}

// Percentile is numpy's np.percentile(a, q) with its default "linear"
// method, for a slice already sorted in ascending order and q in percent
// (0 to 100). It interpolates between the two nearest ranks as numpy's
// _lerp does (from the upper value when the fraction is at least 0.5), so
// the result matches numpy bit for bit. It returns NaN for an empty slice
// or a NaN q; q is clamped to [0, 100].
func Percentile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 || math.IsNaN(q) {
		return math.NaN()
	}
	virtual := float64(n-1) * (q / 100)
	if virtual >= float64(n-1) {
		return sorted[n-1]
	}
	if virtual < 0 {
		return sorted[0]
	}
	prev := math.Floor(virtual)
	i := int(prev)
	lo, hi := sorted[i], sorted[i+1]
	gamma := virtual - prev
	diff := hi - lo
	if gamma >= 0.5 {
		return hi - diff*(1-gamma)
	}
	return lo + diff*gamma
}
