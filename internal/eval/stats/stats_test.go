package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestPercentile(t *testing.T) {
	// Expected values are numpy.percentile(sorted, q) with the default
	// method="linear": virtual index (n-1)*q/100, interpolated between its
	// floor and ceiling, from the upper value when the fraction is >= 0.5.
	// The comparison is exact: the result must match numpy bit for bit.
	eleven := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		name   string
		sorted []float64
		q      float64
		want   float64
	}{
		{"median of even count", []float64{1, 2, 3, 4}, 50, 2.5},                  // index 1.5
		{"quartile", []float64{1, 2, 3, 4}, 25, 1.75},                             // index 0.75: from the upper value, 2 - 1*0.25
		{"low decile", []float64{1, 2, 3, 4}, 10, 1.3},                            // index 0.3: 1 + 1*0.3
		{"90th", []float64{1, 2, 3, 4}, 90, 4 - 1*(1-0.9*3+2)},                    // index 2.7
		{"min", []float64{15, 20, 35, 40, 50}, 0, 15},                             // index 0
		{"max", []float64{15, 20, 35, 40, 50}, 100, 50},                           // index 4 = n-1
		{"40th", []float64{15, 20, 35, 40, 50}, 40, 29},                           // index 1.6: 35 - 15*0.4
		{"single value", []float64{7}, 97.5, 7},                                   // index 0
		{"2.5th", eleven, 2.5, 0.25},                                              // index 10*0.025 = 0.25
		{"97.5th", eleven, 97.5, 9.75},                                            // index 9.75
		{"exact rank", eleven, 30, 3},                                             // index 3 (0.3*10 rounds to 3)
		{"ties", []float64{0.2, 0.2, 0.2, 0.9}, 50, 0.2},                          // index 1.5 between equal values
		{"clamped above", []float64{1, 2}, 150, 2},                                // index >= n-1
		{"clamped below", []float64{1, 2}, -5, 1},                                 // index < 0
		{"upper-form rounding", []float64{0.1, 0.7}, 90, 0.7 - (0.7-0.1)*(1-0.9)}, // gamma 0.9 >= 0.5
		{"lower-form rounding", []float64{0.1, 0.7}, 30, 0.1 + (0.7-0.1)*0.3},     // gamma 0.3 < 0.5
	}
	for _, tt := range tests {
		if got := Percentile(tt.sorted, tt.q); got != tt.want {
			t.Errorf("%s: Percentile(%v, %v) = %v, want %v", tt.name, tt.sorted, tt.q, got, tt.want)
		}
	}
	if got := Percentile(nil, 50); !math.IsNaN(got) {
		t.Errorf("Percentile(nil, 50) = %v, want NaN", got)
	}
	if got := Percentile([]float64{1, 2}, math.NaN()); !math.IsNaN(got) {
		t.Errorf("Percentile([1 2], NaN) = %v, want NaN", got)
	}
}

func TestInterval(t *testing.T) {
	vals := []float64{10, 0, 9, 1, 8, 2, 7, 3, 6, 4, 5} // 0..10 shuffled
	// (1-0.95)/2 is 0.025000000000000022 in floating point, so the low
	// end is a hair above 0.25, as numpy gives for rouge-score's call.
	lo, hi := Interval(vals, 0.95)
	if math.Abs(lo-0.25) > 1e-12 || math.Abs(hi-9.75) > 1e-12 {
		t.Errorf("Interval(0..10, 0.95) = [%v, %v], want [0.25, 9.75]", lo, hi)
	}
	if !slices.IsSorted(vals) {
		t.Errorf("Interval left vals unsorted: %v", vals)
	}
	if lo, hi := Interval(nil, 0.95); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("Interval(nil) = [%v, %v], want NaN, NaN", lo, hi)
	}
}

// Draw makes one rng.IntN(n) call per index, in order: the contract that
// keeps the aggregator's, the paired test's and the meta-evaluation's
// draws the same for a seed.
func TestDraw(t *testing.T) {
	idx := make([]int, 50)
	Draw(rand.New(rand.NewPCG(3, 3)), 7, idx)
	ref := rand.New(rand.NewPCG(3, 3))
	for i, got := range idx {
		if want := ref.IntN(7); got != want {
			t.Fatalf("Draw: index %d = %d, want %d (rng.IntN(7) in order)", i, got, want)
		}
	}
}

func TestBootstrapMeans(t *testing.T) {
	p := []float64{0.1, 0.3, 0.5, 0.7}
	f := []float64{1, 3, 5, 7} // ten times p: a row's values stay together
	means := BootstrapMeans(200, rand.New(rand.NewPCG(1, 2)), p, f)
	if len(means) != 2 || len(means[0]) != 200 || len(means[1]) != 200 {
		t.Fatalf("BootstrapMeans: %d columns, want 2 of 200 means", len(means))
	}
	distinct := map[float64]bool{}
	for s := range means[0] {
		if math.Abs(means[1][s]-10*means[0][s]) > 1e-12 {
			t.Fatalf("resample %d: means %v and %v; want the same rows drawn for both columns", s, means[0][s], means[1][s])
		}
		if means[0][s] < 0.1 || means[0][s] > 0.7 {
			t.Errorf("resample %d: mean %v outside [0.1, 0.7]", s, means[0][s])
		}
		distinct[means[0][s]] = true
	}
	if len(distinct) < 5 {
		t.Errorf("BootstrapMeans: %d distinct means in 200 resamples, want resamples that differ", len(distinct))
	}
	// The first resample is the mean of the rows Draw picks from the same seed.
	idx := make([]int, 4)
	Draw(rand.New(rand.NewPCG(1, 2)), 4, idx)
	var sum float64
	for _, i := range idx {
		sum += p[i]
	}
	if want := sum / 4; means[0][0] != want {
		t.Errorf("first resample mean = %v, want %v (the rows %v)", means[0][0], want, idx)
	}
}

func TestMeanStdDev(t *testing.T) {
	xs := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	if got, want := Mean(xs), 5.0; got != want {
		t.Errorf("Mean(%v) = %v, want %v", xs, got, want)
	}
	// Sum of squared deviations is 32; sample variance 32/7.
	if got, want := StdDev(xs), math.Sqrt(32.0/7); math.Abs(got-want) > 1e-12 {
		t.Errorf("StdDev(%v) = %v, want %v", xs, got, want)
	}
	if got := Mean(nil); !math.IsNaN(got) {
		t.Errorf("Mean(nil) = %v, want NaN", got)
	}
}

func TestBootstrapCI(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 200)
	for i := range xs {
		xs[i] = rng.NormFloat64() + 3
	}
	lo, hi := BootstrapCI(xs, 2000, 0.95, rand.New(rand.NewPCG(7, 7)))
	m := Mean(xs)
	if !(lo < m && m < hi) {
		t.Errorf("BootstrapCI: mean %v outside [%v, %v]", m, lo, hi)
	}
	// The standard error is about 1/sqrt(200) = 0.071, so the 95% interval
	// should be about 0.28 wide.
	if w := hi - lo; w < 0.2 || w > 0.36 {
		t.Errorf("BootstrapCI width = %v, want about 0.28", w)
	}
	lo2, hi2 := BootstrapCI(xs, 2000, 0.95, rand.New(rand.NewPCG(7, 7)))
	if lo != lo2 || hi != hi2 {
		t.Errorf("BootstrapCI with the same seed = [%v,%v] then [%v,%v]", lo, hi, lo2, hi2)
	}
	lo, hi = BootstrapCI([]float64{4, 4, 4}, 100, 0.9, rand.New(rand.NewPCG(1, 1)))
	if lo != 4 || hi != 4 {
		t.Errorf("BootstrapCI(constant) = [%v, %v], want [4, 4]", lo, hi)
	}
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
	return Interval(BootstrapMeans(nSamples, rng, xs)[0], confidence)
}
