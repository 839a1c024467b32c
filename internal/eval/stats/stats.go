// Package stats holds the small statistics the eval harness reports: means,
// numpy-style percentiles, bootstrap confidence intervals, and paired tests
// (bootstrap and sign-flip permutation) for comparing two variants scored on
// the same cases.
//
// Everything random takes a *rand.Rand from math/rand/v2, so a seeded
// generator gives the same answer on every run. The package is
// self-contained: it imports nothing from the rest of the project.
package stats

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Mean returns the arithmetic mean of xs, or NaN when xs is empty.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// StdDev returns the sample standard deviation of xs (n-1 in the
// denominator), or NaN when xs has fewer than two values.
func StdDev(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	m := Mean(xs)
	var ss float64
	for _, x := range xs {
		d := x - m
		ss += d * d
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

// Percentile returns the q-th percentile (q in [0,100]) of sorted, which must
// be in ascending order, with numpy's default "linear" interpolation:
// the value at fractional rank q/100·(n-1). q outside [0,100] is clamped.
// It returns NaN for an empty slice.
func Percentile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	q = min(max(q, 0), 100)
	pos := q / 100 * float64(n-1)
	lo := int(math.Floor(pos))
	if lo >= n-1 {
		return sorted[n-1]
	}
	frac := pos - float64(lo)
	return sorted[lo] + (sorted[lo+1]-sorted[lo])*frac
}

// BootstrapCI returns a percentile bootstrap confidence interval for the mean
// of xs: nSamples resamples with replacement, and the (1-confidence)/2 and
// (1+confidence)/2 percentiles of their means. confidence is a fraction such
// as 0.95. It returns NaN, NaN for empty xs; nSamples < 1 means
// DefaultSamples.
func BootstrapCI(xs []float64, nSamples int, confidence float64, rng *rand.Rand) (lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	if nSamples < 1 {
		nSamples = DefaultSamples
	}
	means := bootstrapMeans(xs, nSamples, rng)
	slices.Sort(means)
	alpha := (1 - confidence) / 2
	return Percentile(means, 100*alpha), Percentile(means, 100*(1-alpha))
}

// bootstrapMeans returns the means of nSamples resamples of xs.
func bootstrapMeans(xs []float64, nSamples int, rng *rand.Rand) []float64 {
	n := len(xs)
	means := make([]float64, nSamples)
	for i := range means {
		var s float64
		for range n {
			s += xs[rng.IntN(n)]
		}
		means[i] = s / float64(n)
	}
	return means
}
