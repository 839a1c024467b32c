package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPercentile(t *testing.T) {
	// Expected values are numpy.percentile(xs, q) with the default
	// method="linear", worked out by hand: rank = q/100*(n-1).
	tests := []struct {
		xs   []float64
		q    float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, 25, 1.75},
		{[]float64{1, 2, 3, 4}, 50, 2.5},
		{[]float64{1, 2, 3, 4}, 90, 3.7},
		{[]float64{15, 20, 35, 40, 50}, 0, 15},
		{[]float64{15, 20, 35, 40, 50}, 40, 29},
		{[]float64{15, 20, 35, 40, 50}, 100, 50},
		{[]float64{15, 20, 35, 40, 50}, 2.5, 15.5},
		{[]float64{15, 20, 35, 40, 50}, 97.5, 49},
		{[]float64{7}, 50, 7},
		{[]float64{1, 2}, 150, 2}, // clamped
		{[]float64{1, 2}, -5, 1},  // clamped
	}
	for _, tt := range tests {
		got := Percentile(tt.xs, tt.q)
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tt.xs, tt.q, got, tt.want)
		}
	}
	if got := Percentile(nil, 50); !math.IsNaN(got) {
		t.Errorf("Percentile(nil, 50) = %v, want NaN", got)
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
