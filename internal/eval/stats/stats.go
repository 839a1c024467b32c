// Package stats holds the small statistics the eval harness reports: means,
// numpy's percentiles (bit for bit), the one bootstrap resampler of the
// project with its percentile intervals, and a paired sign-flip
// permutation test for comparing two variants scored on the same cases.
//
// Everything random takes a *rand.Rand from math/rand/v2, so a seeded
// generator gives the same answer on every run. The package is
// self-contained: it imports nothing from the rest of the project.
package stats

import (
	"fmt"
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

// Percentile is numpy's np.percentile(a, q) with its default "linear"
// method, for a slice already sorted in ascending order and q in percent
// (0 to 100): the value at fractional rank q/100·(n-1), interpolated
// between the two nearest ranks as numpy's _lerp does (from the upper
// value when the fraction is at least 0.5), so the result matches numpy
// bit for bit. It returns NaN for an empty slice or a NaN q; q is clamped
// to [0, 100].
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

// Interval sorts vals in place and returns their (1-confidence)/2 and
// (1+confidence)/2 percentiles: the percentile bootstrap interval when vals
// are an estimate's bootstrap replicates. confidence is a fraction such as
// 0.95. It returns NaN, NaN for empty vals.
func Interval(vals []float64, confidence float64) (lo, hi float64) {
	slices.Sort(vals)
	alpha := (1 - confidence) / 2
	// Percentages, as numpy is called with them, so the rounding matches.
	return Percentile(vals, 100*alpha), Percentile(vals, 100*(1-alpha))
}

// Draw fills idx with indices drawn uniformly, with replacement, from
// [0, n): one bootstrap resample of n units when len(idx) == n. Every
// bootstrap in the project draws through it (BootstrapMeans, the ROUGE
// aggregator, the meta-evaluation), one rng.IntN(n) per index, so a seed
// means the same draws in each of them; BootstrapCIPCG makes the same draws
// from a *rand.PCG without the *rand.Rand.
func Draw(rng *rand.Rand, n int, idx []int) {
	for i := range idx {
		idx[i] = rng.IntN(n)
	}
}

// BootstrapMeans draws nSamples bootstrap resamples of the rows of cols
// and returns each column's mean in each resample: means[c][s] is column
// c's mean over resample s. A resample draws as many rows as the columns
// have, with replacement, the same rows for every column (so a row's
// precision, recall and F stay together). The columns must have the same
// length, at least one (it panics otherwise).
func BootstrapMeans(nSamples int, rng *rand.Rand, cols ...[]float64) [][]float64 {
	n := len(cols[0])
	for _, c := range cols {
		if len(c) != n {
			panic(fmt.Sprintf("stats: bootstrap of columns of %d and %d rows", n, len(c)))
		}
	}
	if n == 0 {
		panic("stats: bootstrap of no rows")
	}
	means := make([][]float64, len(cols))
	for c := range means {
		means[c] = make([]float64, nSamples)
	}
	idx := make([]int, n)
	for s := range nSamples {
		Draw(rng, n, idx)
		for c, col := range cols {
			var sum float64
			for _, i := range idx {
				sum += col[i]
			}
			means[c][s] = sum / float64(n)
		}
	}
	return means
}
