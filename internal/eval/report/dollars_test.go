package report

import (
	"math"
	"testing"
)

func TestDollars(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want string
	}{{0.004, "$0.004"}, {0.015, "$0.015"}, {2.5, "$2.50"}, {10, "$10.00"}, {0, "$0.00"}} {
		if got := Dollars(tt.in); got != tt.want {
			t.Errorf("Dollars(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEffectNotFinite(t *testing.T) {
	for _, d := range []float64{math.Inf(1), math.Inf(-1), math.NaN()} {
		if got := effect(d); got != "–" {
			t.Errorf("effect(%v) = %q, want %q", d, got, "–")
		}
	}
}
