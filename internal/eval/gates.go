package eval

import (
	"fmt"
	"math"
	"slices"
)

// Gate kinds.
const (
	GateMin        = "min"        // a metric's mean must reach a minimum
	GateContract   = "contract"   // the share of runs keeping the bullet contract
	GateRegression = "regression" // no significant drop against the baseline
	GateLeakage    = "leakage"    // no reference bullet in its article (leakage: fail)
)

// GateResult is the verdict of one gate on one variant.
type GateResult struct {
	Gate      string  `json:"gate"`
	Metric    string  `json:"metric,omitempty"`
	Variant   string  `json:"variant,omitempty"`
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
	P         float64 `json:"p,omitempty"` // regression gates
	Pass      bool    `json:"pass"`
	Skipped   bool    `json:"skipped,omitempty"`
	Message   string  `json:"message"`
}

// Name is a short label: "rougeLsum ≥ 0.30", "contract ≥ 100%".
func (g GateResult) Name() string {
	switch g.Gate {
	case GateMin:
		return fmt.Sprintf("%s ≥ %.3g", g.Metric, g.Threshold)
	case GateContract:
		return fmt.Sprintf("contract ≥ %s", pct(g.Threshold))
	case GateRegression:
		return fmt.Sprintf("%s: no regression (α=%.3g)", g.Metric, g.Threshold)
	case GateLeakage:
		return "no leaked references"
	}
	return g.Gate
}

// CheckGates evaluates the suite's gates on the result, stores them in
// r.Gates and returns the failed ones.
func (r *Result) CheckGates() []GateResult {
	s := r.suite
	var gates []GateResult
	for _, g := range s.Gates.Metrics {
		for _, v := range r.Variants {
			if !inGateScope(g.Variants, v) {
				continue
			}
			gr := GateResult{Gate: GateMin, Metric: g.Metric, Variant: v.Name, Threshold: g.Min}
			st := v.Metrics[g.Metric]
			switch {
			case st == nil || st.N == 0:
				gr.Value = math.NaN()
				gr.Message = fmt.Sprintf("%s: no %s scores (every case failed?)", v.Name, g.Metric)
			default:
				gr.Value = st.Mean
				gr.Pass = st.Mean >= g.Min
				if gr.Pass {
					gr.Message = fmt.Sprintf("%s: %s mean %.4f ≥ %.4f", v.Name, g.Metric, st.Mean, g.Min)
				} else {
					gr.Message = fmt.Sprintf("%s: %s mean %.4f is below the minimum %.4f by %.4f",
						v.Name, g.Metric, st.Mean, g.Min, g.Min-st.Mean)
				}
			}
			gates = append(gates, gr)
		}
	}
	if c := s.Gates.Contract; c != nil {
		for _, v := range r.Variants {
			if !inGateScope(c.Variants, v) {
				continue
			}
			share := v.ContractShare()
			gr := GateResult{Gate: GateContract, Variant: v.Name, Value: share, Threshold: c.Min}
			switch {
			case math.IsNaN(share):
				gr.Message = fmt.Sprintf("%s: no finished cases", v.Name)
			case share >= c.Min:
				gr.Pass = true
				gr.Message = fmt.Sprintf("%s: %d of %d kept the bullet contract (%s ≥ %s)",
					v.Name, v.ContractKept, v.Scored(), pct(share), pct(c.Min))
			default:
				gr.Message = fmt.Sprintf("%s: %d of %d kept the bullet contract: %s is below %s by %s",
					v.Name, v.ContractKept, v.Scored(), pct(share), pct(c.Min), pct(c.Min-share))
			}
			gates = append(gates, gr)
		}
	}
	if g := s.Gates.Regression; g != nil {
		gates = append(gates, r.regressionGates(g)...)
	}
	if s.Leakage == LeakageFail {
		gr := GateResult{Gate: GateLeakage, Value: float64(len(r.Leaks)), Pass: len(r.Leaks) == 0}
		if gr.Pass {
			gr.Message = "no reference bullet appears verbatim in its article"
		} else {
			gr.Message = fmt.Sprintf("%d reference bullets appear verbatim in their articles (first: case %q, bullet %d)",
				len(r.Leaks), r.Leaks[0].Case, r.Leaks[0].Bullet)
		}
		gates = append(gates, gr)
	}
	r.Gates = gates
	return r.FailedGates()
}

func (r *Result) regressionGates(g *RegressionGate) []GateResult {
	metrics := g.Metrics
	if len(metrics) == 0 {
		metrics = r.Manifest.Metrics
	}
	var out []GateResult
	for _, v := range r.Variants {
		if !inGateScope(g.Variants, v) {
			continue
		}
		if r.baseline == nil || !r.baseline.Has(v.Name) {
			why := "no baseline given"
			if r.baseline != nil {
				why = fmt.Sprintf("variant not in baseline %s", r.baseline.Path)
			}
			out = append(out, GateResult{Gate: GateRegression, Variant: v.Name, Threshold: g.Alpha,
				Pass: true, Skipped: true, Message: fmt.Sprintf("%s: skipped: %s", v.Name, why)})
			continue
		}
		for _, m := range metrics {
			c, ok := r.BaselineComparison(v.Name, m)
			if !ok || c.N == 0 {
				continue
			}
			gr := GateResult{Gate: GateRegression, Metric: m, Variant: v.Name, Value: c.MeanDiff,
				Threshold: g.Alpha, P: c.P}
			gr.Pass = !(c.MeanDiff < 0 && c.P < g.Alpha)
			switch {
			case !gr.Pass:
				gr.Message = fmt.Sprintf("%s: %s fell by %.4f against the baseline (%.4f → %.4f over %d cases), p=%.4f < α=%.3g",
					v.Name, m, -c.MeanDiff, c.MeanA, c.MeanB, c.N, c.P, g.Alpha)
			case c.MeanDiff < 0:
				gr.Message = fmt.Sprintf("%s: %s %.4f → %.4f, not a significant drop (p=%.4f ≥ α=%.3g)",
					v.Name, m, c.MeanA, c.MeanB, c.P, g.Alpha)
			default:
				gr.Message = fmt.Sprintf("%s: %s %.4f → %.4f (%+.4f, p=%.4f)", v.Name, m, c.MeanA, c.MeanB, c.MeanDiff, c.P)
			}
			out = append(out, gr)
		}
	}
	return out
}

// FailedGates returns the gates that did not pass.
func (r *Result) FailedGates() []GateResult {
	var out []GateResult
	for _, g := range r.Gates {
		if !g.Pass {
			out = append(out, g)
		}
	}
	return out
}

// Errors returns the number of records that ended in an error.
func (r *Result) Errors() int {
	n := 0
	for _, v := range r.Variants {
		n += v.Errors
	}
	return n
}

// TooManyErrors reports whether the run had more errored cases than the
// suite tolerates (gates: errors: {max: N}; default 0).
func (r *Result) TooManyErrors() bool {
	return r.suite.Gates.MaxErrors >= 0 && r.Errors() > r.suite.Gates.MaxErrors
}

// inGateScope reports whether a gate with the given variants list applies
// to v: the listed variants, or, with no list, every variant but the sanity
// baseline.
func inGateScope(scope []string, v *VariantResult) bool {
	if len(scope) == 0 {
		return !v.Baseline
	}
	return slices.Contains(scope, v.Name)
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}
