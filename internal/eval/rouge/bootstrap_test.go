package rouge

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// addAll adds one pair's scores, one entry per type, as ScoreStream does.
func addAll(a *BootstrapAggregator, scores map[string]Score) {
	for typ, s := range scores {
		a.add(typ, s)
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
			addAll(a, s)
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
		a.add("rouge2", Score{0.25, 0.5, 1.0 / 3})
	}
	want := map[string]AggregateScore{"rouge2": {
		Low: Score{0.25, 0.5, 1.0 / 3}, Mid: Score{0.25, 0.5, 1.0 / 3}, High: Score{0.25, 0.5, 1.0 / 3},
	}}
	if diff := cmp.Diff(want, a.Aggregate(), approx); diff != "" {
		t.Errorf("Aggregate of constant scores mismatch (-want +got):\n%s", diff)
	}
	if got := NewBootstrapAggregator(0, 0, 0).Aggregate(); len(got) != 0 {
		t.Errorf("Aggregate with no scores = %v, want empty", got)
	}
}
