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
	// Covered of Total cases had a score; a gate whose share is below
	// MinCoverage fails whatever its value.
	Covered     int     `json:"covered"`
	Total       int     `json:"total"`
	MinCoverage float64 `json:"min_coverage"`
	Pass        bool    `json:"pass"`
	Skipped     bool    `json:"skipped,omitempty"`
	Message     string  `json:"message"`
}

// Undercovered reports whether the gate failed because too few cases were
// scored.
func (g GateResult) Undercovered() bool {
	return g.Total > 0 && float64(g.Covered) < g.MinCoverage*float64(g.Total)
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

// checkGates evaluates the suite's gates on the result and stores them in
// r.Gates. Run calls it, so that no caller can report a result without
// its verdict.
func (r *Result) checkGates() {
	s := r.suite
	var gates []GateResult
	for _, g := range s.Gates.Metrics {
		for _, v := range r.Variants {
			if !inGateScope(g.Variants, v) {
				continue
			}
			gr := r.covered(GateResult{Gate: GateMin, Metric: g.Metric, Variant: v.Name, Threshold: g.Min}, v, g.MinCoverage)
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
			gates = append(gates, coverageVerdict(gr))
		}
	}
	if c := s.Gates.Contract; c != nil {
		for _, v := range r.Variants {
			if !inGateScope(c.Variants, v) {
				continue
			}
			share := v.ContractShare()
			gr := r.covered(GateResult{Gate: GateContract, Variant: v.Name, Value: share, Threshold: c.Min}, v, c.MinCoverage)
			switch {
			case math.IsNaN(share):
				gr.Message = fmt.Sprintf("%s: no finished cases", v.Name)
			case share >= c.Min:
				gr.Pass = true
				gr.Message = fmt.Sprintf("%s: %d of %d runs kept the bullet contract (%s ≥ %s)",
					v.Name, v.ContractKept, v.Scored(), pct(share), pct(c.Min))
			default:
				gr.Message = fmt.Sprintf("%s: %d of %d runs kept the bullet contract: %s is below %s by %s",
					v.Name, v.ContractKept, v.Scored(), pct(share), pct(c.Min), pct(c.Min-share))
			}
			gates = append(gates, coverageVerdict(gr))
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
}

// covered fills in a variant gate's coverage: the cases v scored, of the
// run's cases, and the share required (-1 = the suite's).
func (r *Result) covered(g GateResult, v *VariantResult, minCoverage float64) GateResult {
	if minCoverage < 0 {
		minCoverage = r.suite.Gates.MinCoverage
	}
	g.Covered, g.Total, g.MinCoverage = v.Cases, v.TotalCases, minCoverage
	return g
}

// coverageVerdict fails a gate whose variant left too many cases unscored
// and says in every message how many cases the verdict rests on.
func coverageVerdict(g GateResult) GateResult {
	if g.Skipped || g.Total == 0 {
		return g
	}
	scored := fmt.Sprintf("%d of %d cases scored", g.Covered, g.Total)
	if g.Undercovered() {
		g.Pass = false
		g.Message = fmt.Sprintf("%s; only %s, below min_coverage %s: a verdict on the cases that survived is no verdict",
			g.Message, scored, pct(g.MinCoverage))
		return g
	}
	g.Message += " (" + scored + ")"
	return g
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
			if !ok {
				continue
			}
			if c.N == 0 {
				gr := r.covered(GateResult{Gate: GateRegression, Metric: m, Variant: v.Name, Value: math.NaN(), Threshold: g.Alpha}, v, g.MinCoverage)
				gr.Message = fmt.Sprintf("%s: %s: no case was scored both in this run and in the baseline", v.Name, m)
				out = append(out, coverageVerdict(gr))
				continue
			}
			gr := r.covered(GateResult{Gate: GateRegression, Metric: m, Variant: v.Name, Value: c.MeanDiff,
				Threshold: g.Alpha, P: c.P}, v, g.MinCoverage)
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
			out = append(out, coverageVerdict(gr))
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
// suite tolerates (gates: errors: {max: N}; default 0). The sanity
// baseline's errors do not count: it never fails a report.
func (r *Result) TooManyErrors() bool {
	n := 0
	for _, v := range r.Variants {
		if !v.Baseline {
			n += v.Errors
		}
	}
	return r.suite.Gates.MaxErrors >= 0 && n > r.suite.Gates.MaxErrors
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
