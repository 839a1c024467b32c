package stats

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func seededPCG() *rand.PCG { return rand.NewPCG(42, 1) }

func TestPairedIdentical(t *testing.T) {
	a := []float64{0.1, 0.5, 0.3, 0.9, 0.2, 0.7, 0.4, 0.6, 0.8, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 0.05, 0.15, 0.25, 0.33}
	r := PairedPermutation(a, a, 500, seededPCG())
	if r.P != 1 || r.MeanDiff != 0 || r.EffectSize != 0 || r.Lo != 0 || r.Hi != 0 {
		t.Errorf("PairedPermutation(a, a) = %+v, want P=1 and a zero difference", r)
	}
}

func TestPairedConstantShift(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{12, 40} { // exact and sampled permutation
		a := make([]float64, n)
		b := make([]float64, n)
		for i := range a {
			b[i] = rng.Float64()
			a[i] = b[i] + 0.3
		}
		perm := PairedPermutation(a, b, 999, seededPCG())
		if perm.P > 0.01 {
			t.Errorf("n=%d: PairedPermutation P = %v, want ≤ 0.01", n, perm.P)
		}
		if math.Abs(perm.MeanDiff-0.3) > 1e-12 || math.Abs(perm.Lo-0.3) > 1e-9 || math.Abs(perm.Hi-0.3) > 1e-9 {
			t.Errorf("n=%d: PairedPermutation = %+v, want mean and CI at 0.3", n, perm)
		}
		if !math.IsInf(perm.EffectSize, 1) {
			t.Errorf("n=%d: EffectSize = %v, want +Inf for a constant shift", n, perm.EffectSize)
		}
	}
}

func TestPairedPermutationExact(t *testing.T) {
	// Hand-enumerated sign patterns:
	// d = 1,2,3: sums ±6 (2 patterns) ±4 ±2 0 0, so P(|S| ≥ 6) = 2/8.
	// d = 1,1,1,1: only all-plus and all-minus reach |S| = 4: 2/16.
	// d = 1,-1: sums 0, 2, -2, 0; observed 0, so every pattern counts: 1.
	// d = 2,1,0: sums ±3 (the 0 flips freely: 4 patterns) ±1 (4): 4/8.
	tests := []struct {
		a, b   []float64
		want   float64
		method string
	}{
		{[]float64{1, 2, 3}, []float64{0, 0, 0}, 0.25, "permutation-exact"},
		{[]float64{2, 2, 2, 2}, []float64{1, 1, 1, 1}, 0.125, "permutation-exact"},
		{[]float64{1, 0}, []float64{0, 1}, 1, "permutation-exact"},
		{[]float64{2, 1, 5}, []float64{0, 0, 5}, 0.5, "permutation-exact"},
	}
	for _, tt := range tests {
		got := PairedPermutation(tt.a, tt.b, 10, seededPCG())
		if got.P != tt.want || got.Method != tt.method {
			t.Errorf("PairedPermutation(%v, %v) P=%v method=%q, want %v %q", tt.a, tt.b, got.P, got.Method, tt.want, tt.method)
		}
	}
}

func TestPairedPermutationSampledAgreesWithExact(t *testing.T) {
	// For n = 16 the exact p-value is known; drawing many random patterns
	// for the same differences must land near it.
	rng := rand.New(rand.NewPCG(9, 9))
	a := make([]float64, 16)
	b := make([]float64, 16)
	for i := range a {
		a[i] = rng.Float64()
		b[i] = rng.Float64() - 0.15
	}
	exact := PairedPermutation(a, b, 0, seededPCG())
	// Append the same pairs again with zero differences: n becomes 32 (no
	// enumeration) but the distribution of |Σ±d| is unchanged.
	a2 := append(append([]float64{}, a...), make([]float64, 16)...)
	b2 := append(append([]float64{}, b...), make([]float64, 16)...)
	sampled := PairedPermutation(a2, b2, 20000, seededPCG())
	if sampled.Method != "permutation" {
		t.Fatalf("method = %q, want permutation", sampled.Method)
	}
	if math.Abs(sampled.P-exact.P) > 0.01 {
		t.Errorf("sampled P = %v, exact P = %v, want within 0.01", sampled.P, exact.P)
	}
}

func TestPairedDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	a := make([]float64, 50)
	b := make([]float64, 50)
	for i := range a {
		a[i] = rng.Float64()
		b[i] = rng.Float64()
	}
	r1 := PairedPermutation(a, b, 300, seededPCG())
	r2 := PairedPermutation(a, b, 300, seededPCG())
	if diff := cmp.Diff(r1, r2); diff != "" {
		t.Errorf("same seed, different results (-first +second):\n%s", diff)
	}
	if r1.P <= 0 || r1.P > 1 || r1.Method != "permutation" || !(r1.Lo < r1.MeanDiff && r1.MeanDiff < r1.Hi) {
		t.Errorf("PairedPermutation = %+v, want P in (0, 1], sampled, the mean inside its interval", r1)
	}
}

func TestEffectSize(t *testing.T) {
	// d = 1, 2, 3: mean 2, sample sd 1, so d_z = 2.
	r := PairedPermutation([]float64{1, 2, 3}, []float64{0, 0, 0}, 10, seededPCG())
	if math.Abs(r.EffectSize-2) > 1e-12 {
		t.Errorf("EffectSize = %v, want 2", r.EffectSize)
	}
	r = PairedPermutation([]float64{0, 0, 0}, []float64{1, 2, 3}, 10, seededPCG())
	if math.Abs(r.EffectSize+2) > 1e-12 || r.MeanDiff != -2 {
		t.Errorf("reversed: EffectSize = %v MeanDiff = %v, want -2, -2", r.EffectSize, r.MeanDiff)
	}
}

func TestPairedEmptyAndMismatch(t *testing.T) {
	if r := PairedPermutation(nil, nil, 10, seededPCG()); r.P != 1 || r.N != 0 {
		t.Errorf("PairedPermutation(nil, nil) = %+v, want P=1 N=0", r)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("PairedPermutation with unequal lengths did not panic")
		}
	}()
	PairedPermutation([]float64{1}, []float64{1, 2}, 10, seededPCG())
}

// BenchmarkPairedPermutation is one comparison of 300 cases as the eval
// report makes it: 1,000 sign patterns and 1,000 bootstrap resamples.
func BenchmarkPairedPermutation(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 300)
	y := make([]float64, 300)
	for i := range x {
		x[i], y[i] = rng.Float64(), rng.Float64()
	}
	b.ReportAllocs()
	for b.Loop() {
		PairedPermutation(x, y, 1000, seededPCG())
	}
}

// refPairedPermutation is PairedPermutation as it was before it drew from
// the PCG itself: through a *rand.Rand, a branch per sign. The new one must
// give its results bit for bit and leave the stream where it left it.
func refPairedPermutation(a, b []float64, nSamples int, rng *rand.Rand) Result {
	d, nSamples := diffs(a, b, nSamples)
	if len(d) == 0 {
		return Result{P: 1, Method: "permutation-exact", Samples: 1}
	}
	r := describe(d)
	r.Lo, r.Hi = Interval(BootstrapMeans(nSamples, rng, d)[0], Confidence)

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
	extreme := 0
	for range nSamples {
		var s float64
		for _, x := range d {
			if rng.Uint64()&1 == 1 {
				s -= x
			} else {
				s += x
			}
		}
		if math.Abs(s) >= obs-tol {
			extreme++
		}
	}
	r.Method, r.Samples = "permutation", nSamples
	r.P = float64(1+extreme) / float64(1+nSamples)
	return r
}

func TestPairedPermutationMatchesReference(t *testing.T) {
	gen := rand.New(rand.NewPCG(7, 7))
	for trial := range 60 {
		n := []int{1, 5, 16, 17, 40, 301, 1000}[trial%7]
		a, b := make([]float64, n), make([]float64, n)
		for i := range a {
			switch gen.IntN(4) {
			case 0: // ties and zeros
				a[i], b[i] = 0.5, 0.5
			case 1:
				a[i], b[i] = float64(gen.IntN(3))/2, float64(gen.IntN(3))/2
			default:
				a[i], b[i] = gen.Float64(), gen.Float64()
			}
		}
		samples := []int{0, 1, 7, 300, 2000}[trial%5]
		seed := gen.Uint64()
		mine, theirs := rand.NewPCG(seed, 1), rand.NewPCG(seed, 1)
		got := PairedPermutation(a, b, samples, mine)
		want := refPairedPermutation(a, b, samples, rand.New(theirs))
		if !reflect.DeepEqual(got, want) || math.Float64bits(got.Lo) != math.Float64bits(want.Lo) || math.Float64bits(got.P) != math.Float64bits(want.P) {
			t.Fatalf("n=%d samples=%d: %+v, want %+v", n, samples, got, want)
		}
		if x, y := mine.Uint64(), theirs.Uint64(); x != y {
			t.Fatalf("n=%d samples=%d: the stream goes on at %x, want %x", n, samples, x, y)
		}
	}
}
