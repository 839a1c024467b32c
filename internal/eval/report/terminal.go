// Package report writes an eval run's reports: the terminal table, the
// JSON report (the whole run with its manifest, usable as a baseline), the
// JSONL records, JUnit XML that mirrors the verdict, a Markdown summary for
// CI pages and a self-contained HTML page. Every writer reads the
// eval.Result and, for what shows cases, streams its records back.
package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/jsonl"
)

// WriteTable writes the run's summary as aligned text: one row per variant
// with each metric's mean and 95% CI and where its answers came from, the
// comparisons, the leaks and the gates.
func WriteTable(w io.Writer, r *eval.Result) error {
	ew := &errWriter{w: w}
	m := r.Manifest
	fmt.Fprintf(ew, "suite %s: %s in %s%s\n", m.Suite, shape(r), duration(m.Ended.Sub(m.Started)), stopNote(r))
	tableVariants(ew, r)
	if len(r.Comparisons) > 0 {
		fmt.Fprintf(ew, "\ncomparisons (B − A on the same cases; paired permutation test; * p < 0.05):\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
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
	tableProblems(ew, r)
	tableMeta(ew, r)
	if len(r.Gates) > 0 {
		fmt.Fprintf(ew, "\ngates:\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, g := range r.Gates {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", verdict(g), g.Name(), g.Message)
		}
		tw.Flush()
	}
	fmt.Fprintf(ew, "\n%s\n", Verdict(r))
	return ew.err
}

// tableVariants writes a row per variant and a note under the table for
// each variant that scored fewer cases than the run has.
func tableVariants(w io.Writer, r *eval.Result) {
	m := r.Manifest
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"variant", "cases", "errors"}
	for _, name := range m.Metrics {
		head = append(head, name, "95% CI")
	}
	share := !slices.Contains(m.Metrics, "contract")
	if share {
		head = append(head, "contract")
	}
	head = append(head, "tokens", "answers", "cost", "p50 latency")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, v := range r.Variants {
		name := v.Name
		if v.Baseline {
			name += " (baseline)"
		}
		row := []string{name, casesCell(v), fmt.Sprint(v.Errors)}
		for _, name := range m.Metrics {
			st := v.Metrics[name]
			row = append(row, num(st.Mean), ci(st.Lo, st.Hi))
		}
		if share {
			row = append(row, pct(v.ContractShare()))
		}
		row = append(row, tokens(v.PromptTokens+v.CompletionTokens), sourceCell(v),
			costCell(v), latencyCell(v))
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	for _, v := range r.Variants {
		if v.Partial() {
			fmt.Fprintf(w, "%s %s\n", partialMark, partialNote(v))
		}
	}
}

// tableProblems lists the leaks and each variant's first errors.
func tableProblems(w io.Writer, r *eval.Result) {
	if len(r.Leaks) > 0 {
		fmt.Fprintf(w, "\nleakage: %d reference bullets appear verbatim in their articles (leakage: %s):\n", len(r.Leaks), r.Manifest.Settings.Leakage)
		for i, l := range r.Leaks {
			if i == 5 {
				fmt.Fprintf(w, "  … and %d more\n", len(r.Leaks)-i)
				break
			}
			fmt.Fprintf(w, "  %s bullet %d: %q\n", l.Case, l.Bullet, truncate(l.Text, 70))
		}
	}
	for _, v := range r.Variants {
		for _, e := range v.FirstErrors {
			fmt.Fprintf(w, "error: %s: %s\n", v.Name, truncate(e, 200))
		}
	}
}

// Verdict is the run's one-line outcome.
func Verdict(r *eval.Result) string {
	failed := r.FailedGates()
	var parts []string
	switch {
	case r.Interrupted:
		parts = append(parts, "INTERRUPTED: reports cover the cases that finished")
	case r.StopReason == eval.StopMaxCost:
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
func shape(r *eval.Result) string {
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

func verdict(g eval.GateResult) string {
	switch {
	case g.Skipped:
		return "SKIP"
	case g.Pass:
		return "PASS"
	}
	return "FAIL"
}

func stopNote(r *eval.Result) string {
	switch r.StopReason {
	case eval.StopInterrupted:
		return " (interrupted)"
	case eval.StopMaxCost:
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

func pval(c eval.Comparison) string {
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
func costCell(v *eval.VariantResult) string {
	if v.AllCached() {
		return "cached"
	}
	return money(v.Cost)
}

// latencyCell is the median latency of the live runs; "cached" when there
// were none.
func latencyCell(v *eval.VariantResult) string {
	if v.LatencyMS == nil {
		if v.AllCached() {
			return "cached"
		}
		return "-"
	}
	return duration(time.Duration(v.LatencyMS.P50 * float64(time.Millisecond)))
}

// variantManifest returns the manifest entry of the named variant, or nil.
func variantManifest(r *eval.Result, name string) *eval.VariantManifest {
	for i := range r.Manifest.Variants {
		if r.Manifest.Variants[i].Name == name {
			return &r.Manifest.Variants[i]
		}
	}
	return nil
}

// configValue shows a resolved config value: strings as they are, other
// values as JSON where they can be.
func configValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if b, err := jsonl.Marshal(v); err == nil {
		return string(b)
	}
	return fmt.Sprint(v)
}

// partialMark flags a variant that scored fewer than the run's cases.
const partialMark = "†"

// casesCell is the number of cases the variant scored; "11/12 †" when that
// is fewer than the run has.
func casesCell(v *eval.VariantResult) string {
	if v.Partial() {
		return fmt.Sprintf("%d/%d %s", v.Cases, v.TotalCases, partialMark)
	}
	return fmt.Sprint(v.Cases)
}

// partialNote explains the mark of a partial variant.
func partialNote(v *eval.VariantResult) string {
	return fmt.Sprintf("%s scored %d of %d cases: its means rest on those cases, and a comparison with it uses only the cases both variants scored (n).",
		v.Name, v.Cases, v.TotalCases)
}

// sourceCell says where the variant's answers came from: "12 live",
// "8 live, 4 cached".
func sourceCell(v *eval.VariantResult) string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{v.Live, eval.SourceLive}, {v.Cached, eval.SourceCached}, {v.Replayed, eval.SourceReplayed}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// shortCommit shortens a VCS revision to 12 characters, keeping a
// "+dirty" mark.
func shortCommit(c string) string {
	rev, mark, _ := strings.Cut(c, "+")
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if mark != "" {
		rev += "+" + mark
	}
	return rev
}

// promptOf is the variant's prompt: the configured name@hash, or the ones
// seen in its outputs.
func promptOf(v eval.VariantManifest) string {
	if v.Prompt != "" {
		return v.Prompt
	}
	return strings.Join(v.Prompts, ", ")
}

// otherThan returns the items of seen that are not want: the models that
// answered other than the one configured.
func otherThan(seen []string, want string) []string {
	var out []string
	for _, s := range seen {
		if s != want && want != "" {
			out = append(out, s)
		}
	}
	return out
}
