package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The copied PCG gives what math/rand/v2 gives, number for number, for
// bounds of every kind (powers of two, small, large, near 2⁶³ where
// Lemire's rejection is frequent), and leaves the source where the library
// would have left it.
func TestPCGMatchesMathRand(t *testing.T) {
	bounds := []uint64{1, 2, 3, 7, 64, 1000, 4000, 10000, 1 << 20, 1<<31 - 1, 1<<32 + 1, 1<<62 + 12345, 1<<63 - 1, 3 << 61}
	for seed := range uint64(5) {
		src, ref := rand.NewPCG(seed, 77), rand.NewPCG(seed, 77)
		refRand := rand.New(ref)
		for _, n := range bounds {
			g := loadPCG(src)
			for i := range 2000 {
				if got, want := g.intN(n), uint64(refRand.IntN(int(n))); got != want {
					t.Fatalf("seed %d: draw %d of IntN(%d) = %d, want %d", seed, i, n, got, want)
				}
			}
			if got, want := g.uint64(), ref.Uint64(); got != want {
				t.Fatalf("seed %d: Uint64 after IntN(%d) = %d, want %d", seed, n, got, want)
			}
			g.store(src)
		}
		if got, want := src.Uint64(), ref.Uint64(); got != want {
			t.Fatalf("seed %d: source after the copies = %d, want %d (state not stored back)", seed, got, want)
		}
	}
}

// BootstrapCIPCG gives BootstrapCI's interval bit for bit, and the stream
// after it is the same: a sequence of intervals from one source (as the
// eval report computes them, metric after metric) is the same sequence.
func TestBootstrapCIPCGMatchesBootstrapCI(t *testing.T) {
	data := rand.New(rand.NewPCG(9, 9))
	src, ref := rand.NewPCG(20240613, 1), rand.NewPCG(20240613, 1)
	refRand := rand.New(ref)
	for _, n := range []int{1, 2, 3, 4, 17, 64, 250, 1000, 3001} {
		xs := make([]float64, n)
		for i := range xs {
			switch i % 3 {
			case 0:
				xs[i] = data.Float64()
			case 1:
				xs[i] = math.Round(data.Float64()*4) / 4 // ties
			default:
				xs[i] = data.NormFloat64() * 1e-3
			}
		}
		for _, samples := range []int{1, 10, 2000, 0} {
			if samples == 0 && n > 64 {
				continue // DefaultSamples: a few suffice
			}
			wantLo, wantHi := BootstrapCI(xs, samples, 0.95, refRand)
			gotLo, gotHi := BootstrapCIPCG(xs, samples, 0.95, src)
			if math.Float64bits(gotLo) != math.Float64bits(wantLo) || math.Float64bits(gotHi) != math.Float64bits(wantHi) {
				t.Fatalf("n=%d samples=%d: BootstrapCIPCG = [%v, %v], BootstrapCI = [%v, %v]", n, samples, gotLo, gotHi, wantLo, wantHi)
			}
		}
	}
	if got, want := src.Uint64(), ref.Uint64(); got != want {
		t.Errorf("source after the intervals: %d, want %d", got, want)
	}
	if lo, hi := BootstrapCIPCG(nil, 10, 0.95, src); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("BootstrapCIPCG(nil) = [%v, %v], want NaN, NaN", lo, hi)
	}
}

// BenchmarkBootstrapCI computes the intervals of an eval report with the
// default metrics over 10,000 cases: four metrics, 2,000 resamples each,
// from one stream. Figures are per case.
func BenchmarkBootstrapCI(b *testing.B) {
	const n, metrics, samples = 10000, 4, 2000
	data := rand.New(rand.NewPCG(1, 1))
	cols := make([][]float64, metrics)
	for m := range cols {
		cols[m] = make([]float64, n)
		for i := range cols[m] {
			cols[m][i] = data.Float64()
		}
	}
	run := func(b *testing.B, ci func(xs []float64, src *rand.PCG) (float64, float64)) {
		b.ReportAllocs()
		for b.Loop() {
			src := rand.NewPCG(20240613, 1)
			for _, xs := range cols {
				ci(xs, src)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/case")
	}
	b.Run("rand.Rand", func(b *testing.B) {
		run(b, func(xs []float64, src *rand.PCG) (float64, float64) {
			return BootstrapCI(xs, samples, Confidence, rand.New(src))
		})
	})
	b.Run("pcg", func(b *testing.B) {
		run(b, func(xs []float64, src *rand.PCG) (float64, float64) {
			return BootstrapCIPCG(xs, samples, Confidence, src)
		})
	})
}
