package eval

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable writes the run's summary as aligned text: one row per variant
// with each metric's mean and 95% CI, the comparisons, the leaks and the
// gates.
func WriteTable(w io.Writer, r *Result) error {
	ew := &errWriter{w: w}
	m := r.Manifest
	fmt.Fprintf(ew, "suite %s: %s in %s%s\n", m.Suite, shape(r), duration(m.Ended.Sub(m.Started)), stopNote(r))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	head := []string{"variant", "cases", "errors"}
	for _, name := range m.Metrics {
		head = append(head, name, "95% CI")
	}
	share := !slices.Contains(m.Metrics, "contract")
	if share {
		head = append(head, "contract")
	}
	head = append(head, "tokens", "cost", "p50 latency")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, v := range r.Variants {
		name := v.Name
		if v.Baseline {
			name += " (baseline)"
		}
		row := []string{name, fmt.Sprint(v.Cases), fmt.Sprint(v.Errors)}
		for _, name := range m.Metrics {
			st := v.Metrics[name]
			row = append(row, num(st.Mean), ci(st.Lo, st.Hi))
		}
		if share {
			row = append(row, pct(v.ContractShare()))
		}
		row = append(row, tokens(v.PromptTokens+v.CompletionTokens),
			costCell(v), latencyCell(v))
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	if len(r.Comparisons) > 0 {
		fmt.Fprintf(ew, "\ncomparisons (B − A on the same cases; paired permutation test; * p < 0.05):\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  metric\tA\tB\tn\tmean A\tmean B\tdiff\t95% CI\tp\teffect")
		for _, c := range r.Comparisons {
			a := c.A
			if c.Baseline {
				a = c.A + " (baseline)"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Metric, a, c.B, c.N,
				num(c.MeanA), num(c.MeanB), signed(c.MeanDiff), signedCI(c.Lo, c.Hi), pval(c), effect(c.EffectSize))
		}
		tw.Flush()
	}
	if len(r.Leaks) > 0 {
		fmt.Fprintf(ew, "\nleakage: %d reference bullets appear verbatim in their articles (leakage: %s):\n", len(r.Leaks), m.Settings.Leakage)
		for i, l := range r.Leaks {
			if i == 5 {
				fmt.Fprintf(ew, "  … and %d more\n", len(r.Leaks)-i)
				break
			}
			fmt.Fprintf(ew, "  %s bullet %d: %q\n", l.Case, l.Bullet, truncate(l.Text, 70))
		}
	}
	for _, v := range r.Variants {
		for _, e := range v.FirstErrors {
			fmt.Fprintf(ew, "error: %s: %s\n", v.Name, truncate(e, 200))
		}
	}
	if len(r.Gates) > 0 {
		fmt.Fprintf(ew, "\ngates:\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, g := range r.Gates {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", verdict(g), g.Name(), g.Message)
		}
		tw.Flush()
	}
	fmt.Fprintf(ew, "\n%s\n", Verdict(r))
	return ew.err
}

// Verdict is the run's one-line outcome.
func Verdict(r *Result) string {
	failed := r.FailedGates()
	var parts []string
	switch {
	case r.Interrupted:
		parts = append(parts, "INTERRUPTED: reports cover the cases that finished")
	case r.StopReason == StopMaxCost:
		parts = append(parts, fmt.Sprintf("STOPPED at max cost (%s spent): reports cover the cases that finished", money(r.Spent)))
	}
	if r.TooManyErrors() {
		parts = append(parts, fmt.Sprintf("ERRORS: %d runs failed", r.Errors()))
	}
	switch {
	case len(failed) > 0:
		parts = append(parts, fmt.Sprintf("FAIL: %d of %d gates failed", len(failed), len(r.Gates)))
	case len(parts) == 0 && len(r.Gates) == 0:
		parts = append(parts, "PASS: no gates to check")
	case len(parts) == 0:
		parts = append(parts, fmt.Sprintf("PASS: %d gates passed", len(r.Gates)))
	}
	return strings.Join(parts, "; ")
}

// shape describes the run's size: "12 cases × 3 variants".
func shape(r *Result) string {
	m := r.Manifest
	s := fmt.Sprintf("%s × %s", plural(m.Cases, "case"), plural(len(r.Variants), "variant"))
	if m.Settings.Repeat > 1 {
		s += fmt.Sprintf(" × %d repeats", m.Settings.Repeat)
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func verdict(g GateResult) string {
	switch {
	case g.Skipped:
		return "SKIP"
	case g.Pass:
		return "PASS"
	}
	return "FAIL"
}

func stopNote(r *Result) string {
	switch r.StopReason {
	case StopInterrupted:
		return " (interrupted)"
	case StopMaxCost:
		return " (stopped at max cost)"
	}
	return ""
}

func num(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%.4f", x)
}

func signed(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	return fmt.Sprintf("%+.4f", x)
}

func ci(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "-"
	}
	return fmt.Sprintf("[%.3f, %.3f]", lo, hi)
}

func signedCI(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "-"
	}
	return fmt.Sprintf("[%+.3f, %+.3f]", lo, hi)
}

func pval(c Comparison) string {
	if c.N == 0 {
		return "-"
	}
	s := fmt.Sprintf("%.4f", c.P)
	if c.P < 0.05 {
		s += "*"
	}
	return s
}

func effect(d float64) string {
	switch {
	case math.IsNaN(d):
		return "-"
	case math.IsInf(d, 1):
		return "+inf"
	case math.IsInf(d, -1):
		return "-inf"
	}
	return fmt.Sprintf("%+.2f", d)
}

func money(x float64) string {
	switch {
	case x == 0:
		return "$0"
	case x < 0.01:
		return fmt.Sprintf("$%.5f", x)
	}
	return fmt.Sprintf("$%.2f", x)
}

func tokens(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

func duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// errWriter keeps the first write error so report code can write freely.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, nil
}

// costCell is what the variant's live calls cost; "cached" when every
// answer came from the cache.
func costCell(v *VariantResult) string {
	if v.AllCached() {
		return "cached"
	}
	return money(v.Cost)
}

// latencyCell is the median latency of the live runs; "cached" when there
// were none.
func latencyCell(v *VariantResult) string {
	if v.LatencyMS == nil {
		if v.AllCached() {
			return "cached"
		}
		return "-"
	}
	return duration(time.Duration(v.LatencyMS.P50 * float64(time.Millisecond)))
}
