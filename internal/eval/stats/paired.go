package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Confidence is the level of the confidence interval in a paired Result.
const Confidence = 0.95

// exactLimit is the largest n for which PairedPermutation enumerates every
// sign pattern instead of sampling.
const exactLimit = 16

// Result is the outcome of a paired comparison of a against b (a - b).
type Result struct {
	N        int     `json:"n"`         // number of pairs
	MeanDiff float64 `json:"mean_diff"` // mean of a[i]-b[i]
	// Lo and Hi bound a 95% percentile bootstrap interval for MeanDiff.
	Lo float64 `json:"ci_lo"`
	Hi float64 `json:"ci_hi"`
	// P is the two-sided p-value for "the mean difference is zero".
	P float64 `json:"p"`
	// EffectSize is Cohen's d_z: MeanDiff over the sample standard deviation
	// of the differences. It is 0 when every difference is 0 and ±Inf when
	// the differences are all equal and non-zero.
	EffectSize float64 `json:"effect_size"`
	// Method is "permutation" or "permutation-exact".
	Method  string `json:"method"`
	Samples int    `json:"samples"` // resamples or sign patterns used for P
}

// PairedPermutation compares paired scores a and b with a sign-flip
// permutation test on d = a - b: under the null each difference is as likely
// to have the opposite sign. For n ≤ 16 every one of the 2^n sign patterns is
// enumerated and P is exact (#{|Σ±d| ≥ |Σd|} / 2^n); otherwise nSamples random
// patterns are drawn and P = (1 + #extreme) / (1 + nSamples). The interval in
// the Result is the percentile bootstrap of the mean difference drawn with
// nSamples resamples from src, and the patterns are drawn from src after it.
//
// a and b must have the same length (it panics otherwise). Empty inputs give
// a zero Result with P = 1. nSamples < 1 means DefaultSamples.
func PairedPermutation(a, b []float64, nSamples int, src *rand.PCG) Result {
	d, nSamples := diffs(a, b, nSamples)
	if len(d) == 0 {
		return Result{P: 1, Method: "permutation-exact", Samples: 1}
	}
	r := describe(d)
	r.Lo, r.Hi = BootstrapCIPCG(d, nSamples, Confidence, src)

	var obs float64
	for _, x := range d {
		obs += x
	}
	obs = math.Abs(obs)
	tol := tolerance(d)
	n := len(d)
	if n <= exactLimit {
		total := 1 << n
		extreme := 0
		for mask := range total {
			var s float64
			for i, x := range d {
				if mask&(1<<i) != 0 {
					s -= x
				} else {
					s += x
				}
			}
			if math.Abs(s) >= obs-tol {
				extreme++
			}
		}
		r.Method, r.Samples = "permutation-exact", total
		r.P = float64(extreme) / float64(total)
		return r
	}
	// A pattern takes one number of the stream per difference, whose low
	// bit is the sign: the state stays in registers, and the sign is
	// flipped without a branch (s + -x is s - x, exactly).
	g := loadPCG(src)
	hi, lo := g.hi, g.lo
	extreme := 0
	for range nSamples {
		var s float64
		for _, x := range d {
			var u uint64
			hi, lo, u = pcgStep(hi, lo)
			s += math.Float64frombits(math.Float64bits(x) ^ u<<63)
		}
		if math.Abs(s) >= obs-tol {
			extreme++
		}
	}
	g.hi, g.lo = hi, lo
	g.store(src)
	r.Method, r.Samples = "permutation", nSamples
	r.P = float64(1+extreme) / float64(1+nSamples)
	return r
}

// DefaultSamples is the number of resamples used when a caller passes
// nSamples < 1.
const DefaultSamples = 10000

// diffs returns a[i]-b[i] and the number of samples to draw. Unequal lengths
// are a programming error and panic.
func diffs(a, b []float64, nSamples int) ([]float64, int) {
	if len(a) != len(b) {
		panic(fmt.Sprintf("stats: paired test of %d scores against %d", len(a), len(b)))
	}
	if nSamples < 1 {
		nSamples = DefaultSamples
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return d, nSamples
}

// describe fills N, MeanDiff and EffectSize.
func describe(d []float64) Result {
	r := Result{N: len(d), MeanDiff: Mean(d)}
	sd := StdDev(d)
	switch {
	case r.MeanDiff == 0:
		r.EffectSize = 0
	case len(d) < 2 || sd <= tolerance(d):
		r.EffectSize = math.Inf(int(math.Copysign(1, r.MeanDiff)))
	default:
		r.EffectSize = r.MeanDiff / sd
	}
	return r
}

// tolerance absorbs floating-point noise when comparing sums of d, so that
// ties (such as identical inputs) count as "at least as extreme".
func tolerance(d []float64) float64 {
	var s float64
	for _, x := range d {
		s += math.Abs(x)
	}
	return 1e-9 * max(s, 1e-300)
}
