package rouge

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPercentile(t *testing.T) {
	eleven := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	tests := []struct {
		name   string
		sorted []float64
		q      float64
		want   float64
	}{
		// virtual index = (n-1) * q/100, interpolated between its floor and ceiling
		{"median of even count", []float64{1, 2, 3, 4}, 50, 2.5},                  // index 1.5
		{"quartile", []float64{1, 2, 3, 4}, 25, 1.75},                             // index 0.75: from the upper value, 2 - 1*0.25
		{"low quartile below 0.5", []float64{1, 2, 3, 4}, 10, 1.3},                // index 0.3: 1 + 1*0.3
		{"min", []float64{1, 2, 3, 4}, 0, 1},                                      // index 0
		{"max", []float64{1, 2, 3, 4}, 100, 4},                                    // index 3 = n-1
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
}

func TestBootstrapAggregator(t *testing.T) {
	scores := []map[string]Score{
		{"rouge1": {0.2, 0.4, 0.3}, "rougeL": {0.1, 0.1, 0.1}},
		{"rouge1": {0.6, 0.2, 0.3}, "rougeL": {0.3, 0.3, 0.3}},
		{"rouge1": {0.4, 0.9, 0.5}, "rougeL": {0.5, 0.5, 0.5}},
		{"rouge1": {0.8, 0.5, 0.6}, "rougeL": {0.7, 0.7, 0.7}},
	}
	run := func(seed int64) map[string]AggregateScore {
		a := NewBootstrapAggregator(0, 0, seed)
		for _, s := range scores {
			a.Add(s)
		}
		return a.Aggregate()
	}
	got := run(42)
	if diff := cmp.Diff(got, run(42)); diff != "" {
		t.Errorf("Aggregate with the same seed differs (-first +second):\n%s", diff)
	}
	if cmp.Equal(got, run(43)) {
		t.Errorf("Aggregate with seeds 42 and 43 agree exactly; want different draws")
	}
	// rougeL values are 0.1, 0.3, 0.5, 0.7: every bootstrap mean lies in
	// [0.1, 0.7], the median mean is near 0.4, and low <= mid <= high.
	l := got["rougeL"]
	for _, s := range []Score{l.Low, l.Mid, l.High} {
		if s.F < 0.1 || s.F > 0.7 {
			t.Errorf("rougeL interval %+v leaves [0.1, 0.7]", l)
		}
	}
	if !(l.Low.F <= l.Mid.F && l.Mid.F <= l.High.F) || l.Low.F == l.High.F {
		t.Errorf("rougeL interval %+v: want low < high and mid between", l)
	}
	if math.Abs(l.Mid.F-0.4) > 0.05 {
		t.Errorf("rougeL mid F = %v, want about 0.4", l.Mid.F)
	}
	// The three measures of rougeL are equal in every pair, so their
	// intervals are equal too.
	if l.Low.Precision != l.Low.F || l.High.Recall != l.High.F {
		t.Errorf("rougeL interval %+v: want P, R and F equal", l)
	}
}

func TestBootstrapConstant(t *testing.T) {
	a := NewBootstrapAggregator(50, 0.9, 1)
	for range 10 {
		a.Add(map[string]Score{"rouge2": {0.25, 0.5, 1.0 / 3}})
	}
	want := map[string]AggregateScore{"rouge2": {
		Low: Score{0.25, 0.5, 1.0 / 3}, Mid: Score{0.25, 0.5, 1.0 / 3}, High: Score{0.25, 0.5, 1.0 / 3},
	}}
	if diff := cmp.Diff(want, a.Aggregate(), approx); diff != "" {
		t.Errorf("Aggregate of constant scores mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]Score{"rouge2": {0.25, 0.5, 1.0 / 3}}, a.Mean(), approx); diff != "" {
		t.Errorf("Mean mismatch (-want +got):\n%s", diff)
	}
	if got := NewBootstrapAggregator(0, 0, 0).Aggregate(); len(got) != 0 {
		t.Errorf("Aggregate with no scores = %v, want empty", got)
	}
}
