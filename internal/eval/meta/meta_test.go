package meta

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

func TestCorrelationsLiteral(t *testing.T) {
	for _, test := range []struct {
		x, y              []float64
		spearman, kendall float64
		pearson           float64
	}{
		// Σd² = 4: rho = 1 - 6·4/(5·24); P = 8, Q = 2.
		{[]float64{1, 2, 3, 4, 5}, []float64{2, 1, 4, 3, 5}, 0.8, 0.6, 0.8},
		// Ranks (1, 2.5, 2.5, 4) and (1, 2, 3.5, 3.5): 3.75/4.5.
		// P = 4, Q = 0, one pair tied in x only, one in y only: 4/5.
		{[]float64{1, 2, 2, 3}, []float64{1, 2, 3, 3}, 5.0 / 6, 0.8, 0.8528028654224418},
		// Reversed with ties on both sides and a joint tie.
		{[]float64{3, 3, 1, 2, 2}, []float64{1, 1, 3, 2, 2}, -1, -1, -1},
		{[]float64{1, 1, 1}, []float64{1, 2, 3}, math.NaN(), math.NaN(), math.NaN()},
		{[]float64{1}, []float64{2}, math.NaN(), math.NaN(), math.NaN()},
	} {
		n := len(test.x)
		rx, ry, idx := make([]float64, n), make([]float64, n), make([]int, n)
		if got := spearman(test.x, test.y, rx, ry, idx); !near(got, test.spearman, 1e-12) {
			t.Errorf("spearman(%v, %v) = %v, want %v", test.x, test.y, got, test.spearman)
		}
		if got := kendallTauB(test.x, test.y); !near(got, test.kendall, 1e-12) {
			t.Errorf("kendallTauB(%v, %v) = %v, want %v", test.x, test.y, got, test.kendall)
		}
		if got := pearson(test.x, test.y); !near(got, test.pearson, 1e-12) {
			t.Errorf("pearson(%v, %v) = %v, want %v", test.x, test.y, got, test.pearson)
		}
	}
}

func TestMeasureLiteral(t *testing.T) {
	// System A: (1,2) and (3,4); B: (5,1) and (5,3). Residuals x (-1, 1,
	// 0, 0), y (-1, 1, -1, 1): partial 2/sqrt(8). Pooled: -1/sqrt(55).
	// Means A (2, 3), B (5, 2): system tau -1. Group g1 holds A(1,2) and
	// B(5,1), g2 A(3,4) and B(5,3): both -1. g3 is constant and skipped.
	items := []Item{
		{"g1", "A", 1, 2}, {"g1", "B", 5, 1},
		{"g2", "A", 3, 4}, {"g2", "B", 5, 3},
		{"g3", "A", math.NaN(), 7}, {"g3", "B", 2, math.Inf(1)},
	}
	got := Measure(items, Options{Samples: -1})
	want := []Agreement{
		{Level: Summary, Coef: Spearman, Value: -1, N: 2, Skipped: 0},
		{Level: Summary, Coef: Kendall, Value: -1, N: 2, Skipped: 0},
		{Level: System, Coef: Kendall, Value: -1, N: 2},
		{Level: Pooled, Coef: Pearson, Value: -1 / math.Sqrt(55), N: 4},
		{Level: Partial, Coef: Pearson, Value: 2 / math.Sqrt(8), N: 4},
	}
	checkAgreements(t, got, want)

	items = append(items, Item{"g4", "A", 1, 1}, Item{"g4", "B", 2, 1}, Item{"g5", "A", 1, 1})
	got = Measure(items, Options{Samples: -1})
	if got[0].N != 2 || got[0].Skipped != 2 {
		t.Errorf("Measure with a constant and a single-item group: summary N=%d skipped=%d, want 2 and 2", got[0].N, got[0].Skipped)
	}
}

func checkAgreements(t *testing.T, got, want []Agreement) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("Measure returned %d agreements, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Level != w.Level || g.Coef != w.Coef || !near(g.Value, w.Value, 1e-12) || g.N != w.N || g.Skipped != w.Skipped || g.Reason != w.Reason {
			t.Errorf("Measure()[%d] = %+v, want %+v", i, g, w)
		}
	}
}

func TestMeasureNotComputable(t *testing.T) {
	noGroups := []Item{{"", "A", 1, 2}, {"", "B", 2, 3}, {"", "A", 3, 1}, {"", "B", 4, 5}}
	got := Measure(noGroups, Options{Samples: 50})
	for _, i := range []int{0, 1} {
		if got[i].OK() || !math.IsNaN(got[i].Value) || got[i].N != 0 || got[i].Reason != "items have no group" {
			t.Errorf("Measure(no groups)[%d] = %+v, want not computable", i, got[i])
		}
	}
	for _, i := range []int{2, 3, 4} {
		if !got[i].OK() || math.IsNaN(got[i].Lo) {
			t.Errorf("Measure(no groups)[%d] = %+v, want a value and an interval over items", i, got[i])
		}
	}

	noSystems := []Item{{"g", "", 1, 2}, {"g", "", 2, 3}, {"h", "", 3, 1}, {"h", "", 4, 5}}
	got = Measure(noSystems, Options{Samples: 50})
	for _, i := range []int{2, 4} {
		if got[i].OK() || got[i].N != 0 || got[i].Reason != "items have no system" {
			t.Errorf("Measure(no systems)[%d] = %+v, want not computable", i, got[i])
		}
	}
	if !got[0].OK() || !got[3].OK() {
		t.Errorf("Measure(no systems) = %+v, want summary and pooled levels", got)
	}

	for _, items := range [][]Item{nil, {{"g", "A", math.NaN(), 1}}} {
		for i, a := range Measure(items, Options{}) {
			if a.OK() || !math.IsNaN(a.Value) || a.N != 0 {
				t.Errorf("Measure(%v)[%d] = %+v, want not computable", items, i, a)
			}
		}
	}

	constant := []Item{{"g", "A", 1, 2}, {"g", "B", 1, 3}, {"h", "A", 1, 1}, {"h", "B", 1, 5}}
	for i, a := range Measure(constant, Options{}) {
		if a.OK() || a.N != 0 || !math.IsNaN(a.Lo) {
			t.Errorf("Measure(constant metric)[%d] = %+v, want not computable", i, a)
		}
	}
}

// randomItems makes groups of 1 to 24 summaries by random systems, with
// ties on both sides, some missing values and some constant groups. With
// dyadic set, every value is a multiple of 1/4 so that sums are exact and
// ties between system means cannot be broken by rounding.
func randomItems(rng *rand.Rand, groups int, dyadic bool) []Item {
	var items []Item
	for g := range groups {
		n := 1 + rng.IntN(24)
		constant := rng.IntN(10) == 0
		for range n {
			it := Item{
				Group:  fmt.Sprintf("g%d", g),
				System: fmt.Sprintf("s%d", rng.IntN(12)),
				Human:  float64(1 + rng.IntN(5)),
				Metric: rng.Float64(),
			}
			if dyadic || rng.IntN(3) == 0 {
				it.Metric = float64(rng.IntN(12)) / 4
			}
			if !dyadic && rng.IntN(2) == 0 {
				it.Human = (float64(rng.IntN(13)) + 3) / 3 // a mean of three annotators
			}
			if constant {
				it.Human = 3
			}
			switch rng.IntN(40) {
			case 0:
				it.Metric = math.NaN()
			case 1:
				it.Human = math.NaN()
			}
			items = append(items, it)
		}
	}
	return items
}

func TestMeasureAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		items := randomItems(rng, 1+rng.IntN(30), trial%2 == 0)
		want, used, skipped := naiveMeasure(items)
		got := Measure(items, Options{Samples: -1})
		for i := range want {
			if !near(got[i].Value, want[i], 1e-9) {
				t.Errorf("trial %d: Measure()[%d] (%s/%s) = %v, naive %v", trial, i, got[i].Level, got[i].Coef, got[i].Value, want[i])
			}
		}
		if got[0].OK() && (got[0].N != used || got[0].Skipped != skipped) {
			t.Errorf("trial %d: summary N=%d skipped=%d, naive %d and %d", trial, got[0].N, got[0].Skipped, used, skipped)
		}
	}
}

func TestBootstrapAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 10 {
		items := randomItems(rng, 5+rng.IntN(20), true)
		seed := uint64(trial)
		want := naiveBootstrap(items, 200, seed)
		got := Measure(items, Options{Samples: 200, Seed: seed})
		for i := range want {
			if !got[i].OK() {
				continue
			}
			if !near(got[i].Lo, want[i][0], 1e-9) || !near(got[i].Hi, want[i][1], 1e-9) {
				t.Errorf("trial %d: Measure()[%d] (%s/%s) interval [%v, %v], naive [%v, %v]",
					trial, i, got[i].Level, got[i].Coef, got[i].Lo, got[i].Hi, want[i][0], want[i][1])
			}
		}
	}
}

func TestBootstrapReproducible(t *testing.T) {
	items := randomItems(rand.New(rand.NewPCG(5, 6)), 40, false)
	a := Measure(items, Options{Seed: 7})
	b := Measure(items, Options{Seed: 7})
	c := Measure(items, Options{Seed: 8})
	differs := false
	for i := range a {
		if a[i].Lo != b[i].Lo || a[i].Hi != b[i].Hi {
			t.Errorf("Measure()[%d] with the same seed: [%v, %v] then [%v, %v]", i, a[i].Lo, a[i].Hi, b[i].Lo, b[i].Hi)
		}
		if !(a[i].Lo <= a[i].Value && a[i].Value <= a[i].Hi) {
			t.Logf("Measure()[%d] = %v outside its interval [%v, %v]", i, a[i].Value, a[i].Lo, a[i].Hi)
		}
		differs = differs || a[i].Lo != c[i].Lo
	}
	if !differs {
		t.Errorf("Measure() intervals do not depend on the seed")
	}
}
