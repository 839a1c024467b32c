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
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/jsonl"
)

// TableOptions shape the terminal table.
type TableOptions struct {
	// Width is the terminal's width in columns; a table wider moves each
	// variant's CIs to a second line, or drops them with a note when that
	// is still too wide. 0 = no limit.
	Width int
	// Wide keeps the whole table: CIs beside the means and every pair of
	// variants compared, whatever the width.
	Wide bool
	// Color marks PASS and FAIL in colour (a terminal without NO_COLOR).
	Color bool
}

// WriteTableOptions writes the run's summary as aligned text: one row per
// variant with each metric's mean and 95% CI and where its answers came
// from, the comparisons (each variant against the first and the baseline
// unless opt.Wide; the JSON report has them all), the leaks and the gates.
func WriteTableOptions(w io.Writer, r *eval.Result, opt TableOptions) error {
	ew := &errWriter{w: w}
	m := r.Manifest
	fmt.Fprintf(ew, "suite %s: %s in %s%s\n", m.Suite, shape(r), duration(m.Ended.Sub(m.Started)), stopNote(r))
	dropped := fitVariants(ew, r, opt)
	tableComparisons(ew, r, opt, dropped)
	tableProblems(ew, r)
	tableMeta(ew, r)
	if len(r.Gates) > 0 {
		fmt.Fprintf(ew, "\ngates:\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, g := range r.Gates {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", paint(opt, verdict(g)), g.Name(), g.Message)
		}
		tw.Flush()
	}
	fmt.Fprintf(ew, "\n%s\n", paintVerdict(opt, Verdict(r)))
	return ew.err
}

// ciLayout is where the variants table puts the CIs.
type ciLayout int

const (
	ciInline ciLayout = iota // a column beside each mean
	ciBelow                  // a second line per variant
	ciNone                   // left out, with a note
)

// fitVariants writes the variants table in the first layout that fits
// opt.Width, and reports whether the CIs had to be left out.
func fitVariants(w io.Writer, r *eval.Result, opt TableOptions) (dropped bool) {
	var b strings.Builder
	for _, l := range []ciLayout{ciInline, ciBelow, ciNone} {
		b.Reset()
		tableVariants(&b, r, l)
		if opt.Wide || opt.Width <= 0 || widest(b.String()) <= opt.Width {
			io.WriteString(w, b.String())
			if l == ciNone {
				fmt.Fprintln(w, "(95% CIs: --wide)")
			}
			return l == ciNone
		}
	}
	// Too many metrics for a row each: a column per variant instead.
	tableTransposed(w, r)
	fmt.Fprintln(w, "(a column per variant to fit the width; 95% CIs: --wide)")
	return true
}

// tableTransposed writes the variants table turned: a row per figure and a
// column per variant, which fits a narrow terminal whatever the metrics.
func tableTransposed(w io.Writer, r *eval.Result) {
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	head := []string{""}
	for _, v := range r.Variants {
		name := v.Name
		if v.Baseline {
			name += " (baseline)"
		}
		head = append(head, name)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	row := func(label string, cell func(v *eval.VariantResult) string) {
		cells := []string{label}
		for _, v := range r.Variants {
			cells = append(cells, cell(v))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	row("cases", casesCell)
	row("errors", func(v *eval.VariantResult) string { return fmt.Sprint(v.Errors) })
	for _, name := range r.Manifest.Metrics {
		row(name, func(v *eval.VariantResult) string { return num(v.Metrics[name].Mean) })
	}
	if !slices.Contains(r.Manifest.Metrics, "contract") {
		row("contract", func(v *eval.VariantResult) string { return pct(v.ContractShare()) })
	}
	row("tokens", func(v *eval.VariantResult) string { return tokens(v.PromptTokens + v.CompletionTokens) })
	row("answers", sourceCell)
	row("cost", costCell)
	row("p50 latency", latencyCell)
	tw.Flush()
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		if line != "" {
			fmt.Fprintln(w, strings.TrimRight(line, " \n"))
		}
	}
	for _, v := range r.Variants {
		if v.Partial() {
			fmt.Fprintf(w, "%s %s\n", partialMark, partialNote(v))
		}
	}
}

// widest is the width of the longest line of s, in runes, leaving out the
// notes under a table (prose, which the terminal wraps).
func widest(s string) int {
	n := 0
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(line, partialMark) {
			n = max(n, utf8.RuneCountInString(line))
		}
	}
	return n
}

// tableVariants writes a row per variant and a note under the table for
// each variant that scored fewer cases than the run has.
func tableVariants(w io.Writer, r *eval.Result, layout ciLayout) {
	m := r.Manifest
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	head := []string{"variant", "cases", "errors"}
	for _, name := range m.Metrics {
		head = append(head, name)
		if layout == ciInline {
			head = append(head, "95% CI")
		}
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
		below := []string{"", "", ""}
		for _, name := range m.Metrics {
			st := v.Metrics[name]
			row = append(row, num(st.Mean))
			switch layout {
			case ciInline:
				row = append(row, ci(st.Lo, st.Hi))
			case ciBelow:
				below = append(below, ci(st.Lo, st.Hi))
			}
		}
		if share {
			row = append(row, pct(v.ContractShare()))
		}
		row = append(row, tokens(v.PromptTokens+v.CompletionTokens), sourceCell(v),
			costCell(v), latencyCell(v))
		fmt.Fprintln(tw, strings.Join(row, "\t"))
		if layout == ciBelow {
			// As many cells as the row, so that the columns stay one block.
			below = append(below, make([]string, len(row)-len(below))...)
			fmt.Fprintln(tw, strings.Join(below, "\t"))
		}
	}
	tw.Flush()
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		if line != "" {
			fmt.Fprintln(w, strings.TrimRight(line, " \n")) // a CI line ends in empty cells
		}
	}
	for _, v := range r.Variants {
		if v.Partial() {
			fmt.Fprintf(w, "%s %s\n", partialMark, partialNote(v))
		}
	}
}

// tableComparisons writes the paired tests: each variant against the
// first, and against the regression baseline, unless opt.Wide asks for
// every pair. Without the variants' CIs (dropped) the differences' CIs go
// too.
func tableComparisons(w io.Writer, r *eval.Result, opt TableOptions, dropped bool) {
	var shown []eval.Comparison
	first := ""
	if len(r.Variants) > 0 {
		first = r.Variants[0].Name
	}
	for _, c := range r.Comparisons {
		if opt.Wide || c.Baseline || c.A == first || c.B == first {
			shown = append(shown, c)
		}
	}
	if len(shown) == 0 {
		return
	}
	against := ""
	if !opt.Wide {
		against = ", each variant against " + first
	}
	fmt.Fprintf(w, "\ncomparisons (B − A on the same cases%s; paired permutation test; * p < 0.05):\n", against)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "  metric\tA\tB\tn\tmean A\tmean B\tdiff\t95% CI\tp\teffect"
	if dropped {
		head = "  metric\tA\tB\tn\tmean A\tmean B\tdiff\tp\teffect"
	}
	fmt.Fprintln(tw, head)
	for _, c := range shown {
		a := c.A
		if c.Baseline {
			a = c.A + " (baseline)"
		}
		cells := []string{"  " + c.Metric, a, c.B, fmt.Sprint(c.N), num(c.MeanA), num(c.MeanB), signed(c.MeanDiff)}
		if !dropped {
			cells = append(cells, signedCI(c.Lo, c.Hi))
		}
		cells = append(cells, pval(c), effect(c.EffectSize))
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	if n := len(r.Comparisons) - len(shown); n > 0 {
		fmt.Fprintf(w, "(%s between the other variants: --wide, or the JSON report)\n", plural(n, "more comparison"))
	}
}

// ANSI colours of the verdicts.
const (
	ansiRed    = "\033[31m"
	ansiGreen  = "\033[32m"
	ansiYellow = "\033[33m"
	ansiReset  = "\033[0m"
)

// paint colours a verdict word (PASS, FAIL, SKIP) when opt.Color.
func paint(opt TableOptions, word string) string {
	if !opt.Color {
		return word
	}
	switch word {
	case "PASS":
		return ansiGreen + word + ansiReset
	case "FAIL", "ERRORS", "INTERRUPTED":
		return ansiRed + word + ansiReset
	case "SKIP", "STOPPED":
		return ansiYellow + word + ansiReset
	}
	return word
}

// paintVerdict colours the leading word of each part of the verdict line
// ("FAIL: ...; ERRORS: ...").
func paintVerdict(opt TableOptions, v string) string {
	parts := strings.Split(v, "; ")
	for i, p := range parts {
		n := strings.IndexFunc(p, func(r rune) bool { return r < 'A' || r > 'Z' })
		if n > 0 {
			parts[i] = paint(opt, p[:n]) + p[n:]
		}
	}
	return strings.Join(parts, "; ")
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
		limit := ""
		if m := r.Manifest.Settings.MaxCost; m > 0 {
			limit = " " + Dollars(m)
		}
		parts = append(parts, fmt.Sprintf("STOPPED at max cost%s (%s spent): reports cover the cases that finished", limit, money(r.Spent)))
	}
	if r.TooManyErrors() {
		parts = append(parts, fmt.Sprintf("ERRORS: %s failed", plural(r.Errors(), "run")))
	}
	switch {
	case len(failed) > 0:
		parts = append(parts, fmt.Sprintf("FAIL: %d of %d gates failed", len(failed), len(r.Gates)))
	case len(parts) == 0 && len(r.Gates) == 0:
		parts = append(parts, "PASS: no gates to check")
	case len(parts) == 0:
		parts = append(parts, fmt.Sprintf("PASS: %s passed", plural(len(r.Gates), "gate")))
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

// effect is an effect size, or "–" when there is none to show: NaN, or
// infinite when the differences do not vary.
func effect(d float64) string {
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return "–"
	}
	return fmt.Sprintf("%+.2f", d)
}

// Dollars is an amount the user gave, such as a --max-cost limit, as it
// was given: $0.004, $0.015, $2.50, $10.00; never rounded to cents.
func Dollars(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if _, frac, _ := strings.Cut(s, "."); len(frac) > 2 {
		return "$" + s
	}
	return fmt.Sprintf("$%.2f", x)
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
