package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/summarize-dev/summarize/internal/eval"
)

// WriteMarkdown writes the run's summary as GitHub-flavoured Markdown, fit
// for $GITHUB_STEP_SUMMARY or a pull-request comment: the verdict, a row
// per variant, the gates, the comparisons, the problems, and what ran
// (tool, dataset, cache, overrides, each variant's backend, model, prompt
// and endpoint).
func WriteMarkdown(w io.Writer, r *eval.Result) error {
	ew := &errWriter{w: w}
	m := r.Manifest
	icon := "✅"
	if !r.Passed() {
		icon = "❌"
	}
	fmt.Fprintf(ew, "## %s Eval `%s`\n\n", icon, mdCode(m.Suite))
	fmt.Fprintf(ew, "**%s** · %s · %s · dataset `%.12s`\n\n",
		mdEsc(Verdict(r)), shape(r), duration(m.Ended.Sub(m.Started)), m.DatasetSHA256)
	mdVariants(ew, r)
	mdMeta(ew, r)
	mdGates(ew, r)
	mdComparisons(ew, r)
	if len(r.Leaks) > 0 {
		fmt.Fprintf(ew, "\n**Leakage:** %d reference bullets appear verbatim in their articles (first: `%s` bullet %d).\n",
			len(r.Leaks), mdCode(r.Leaks[0].Case), r.Leaks[0].Bullet)
	}
	var errs []string
	for _, v := range r.Variants {
		for _, e := range v.FirstErrors {
			errs = append(errs, fmt.Sprintf("- `%s`: %s", mdCode(v.Name), mdEsc(truncate(e, 200))))
		}
	}
	if len(errs) > 0 {
		fmt.Fprintf(ew, "\n**Errors** (first of each variant):\n\n%s\n", strings.Join(errs, "\n"))
	}
	mdRun(ew, r)
	return ew.err
}

// mdVariants writes the table of variants and a note for each variant that
// scored fewer cases than the run has.
func mdVariants(w io.Writer, r *eval.Result) {
	m := r.Manifest
	head := append([]string{"variant", "cases", "errors"}, m.Metrics...)
	share := !slices.Contains(m.Metrics, "contract")
	if share {
		head = append(head, "contract")
	}
	head = append(head, "tokens", "answers", "cost", "p50 latency")
	mdRow(w, head)
	mdRule(w, len(head), 1)
	for _, v := range r.Variants {
		name := "`" + mdCode(v.Name) + "`"
		if v.Baseline {
			name += " (baseline)"
		}
		row := []string{name, casesCell(v), fmt.Sprint(v.Errors)}
		for _, name := range m.Metrics {
			st := v.Metrics[name]
			if st.N == 0 {
				row = append(row, "–")
				continue
			}
			row = append(row, fmt.Sprintf("%.4f <sub>[%.3f, %.3f]</sub>", st.Mean, st.Lo, st.Hi))
		}
		if share {
			row = append(row, pct(v.ContractShare()))
		}
		row = append(row, tokens(v.PromptTokens+v.CompletionTokens), sourceCell(v), costCell(v),
			latencyCell(v))
		mdRow(w, row)
	}
	var notes []string
	for _, v := range r.Variants {
		if v.Partial() {
			notes = append(notes, partialMark+" "+mdEsc(partialNote(v)))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\n%s\n", strings.Join(notes, "<br>\n"))
	}
}

func mdGates(w io.Writer, r *eval.Result) {
	if len(r.Gates) == 0 {
		return
	}
	fmt.Fprintf(w, "\n### Gates\n\n")
	mdRow(w, []string{"", "gate", "variant", "detail"})
	mdRule(w, 4, 0)
	for _, g := range r.Gates {
		mark := "✅"
		switch {
		case g.Skipped:
			mark = "⏭️"
		case !g.Pass:
			mark = "❌"
		}
		mdRow(w, []string{mark, mdEsc(g.Name()), "`" + mdCode(g.Variant) + "`", mdEsc(g.Message)})
	}
}

func mdComparisons(w io.Writer, r *eval.Result) {
	if len(r.Comparisons) == 0 {
		return
	}
	fmt.Fprintf(w, "\n<details><summary>Comparisons (paired permutation test, B − A; bold: p &lt; 0.05)</summary>\n\n")
	mdRow(w, []string{"metric", "A", "B", "n", "diff", "95% CI", "p", "effect"})
	mdRule(w, 8, 3)
	for _, c := range r.Comparisons {
		a := "`" + mdCode(c.A) + "`"
		if c.Baseline {
			a += " (baseline)"
		}
		p := strings.TrimSuffix(pval(c), "*")
		if c.N > 0 && c.P < 0.05 {
			p = "**" + p + "**"
		}
		mdRow(w, []string{c.Metric, a, "`" + mdCode(c.B) + "`", fmt.Sprint(c.N), signed(c.MeanDiff),
			signedCI(c.Lo, c.Hi), p, effect(c.EffectSize)})
	}
	fmt.Fprintf(w, "\n</details>\n")
}

// mdRun writes the manifest's essentials: enough to tell two runs apart
// and to run this one again.
func mdRun(w io.Writer, r *eval.Result) {
	m := r.Manifest
	parts := []string{"summarize " + mdEsc(orDash(m.Version))}
	if m.Commit != "" {
		parts[0] += " `" + mdCode(shortCommit(m.Commit)) + "`"
	}
	parts = append(parts, "started "+m.Started.Format(time.RFC3339),
		fmt.Sprintf("dataset `%s` sha256 `%.12s` (%d of %d cases)", mdCode(m.Dataset), m.DatasetSHA256, m.Cases, m.DatasetCases))
	if m.Settings.CacheMode != "" {
		parts = append(parts, "cache `"+mdCode(m.Settings.CacheMode)+"`")
	}
	for _, o := range m.Settings.Overrides {
		parts = append(parts, "`--set "+mdCode(o)+"`")
	}
	fmt.Fprintf(w, "\n**Run:** %s\n\n", strings.Join(parts, " · "))
	for _, v := range m.Variants {
		fmt.Fprintf(w, "- %s\n", mdVariantLine(v))
	}
}

// mdVariantLine is one variant of the manifest: "`oracle`: openai · model
// `gpt-4o-mini` · prompt `headline@1a2b3c4d` · `api.openai.com`".
func mdVariantLine(v eval.VariantManifest) string {
	name := "`" + mdCode(v.Name) + "`"
	if v.Baseline {
		name += " (baseline)"
	}
	parts := []string{mdEsc(v.Backend)}
	if v.Model != "" {
		parts = append(parts, "model `"+mdCode(v.Model)+"`")
	}
	if seen := otherThan(v.Models, v.Model); len(seen) > 0 {
		parts = append(parts, "answered by `"+mdCode(strings.Join(seen, ", "))+"`")
	}
	if p := promptOf(v); p != "" {
		parts = append(parts, "prompt `"+mdCode(p)+"`")
	}
	if v.Endpoint != "" {
		parts = append(parts, "`"+mdCode(v.Endpoint)+"`")
	}
	return name + ": " + strings.Join(parts, " · ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func mdRow(w io.Writer, cells []string) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
}

// mdRule writes the header rule; columns from left on are right-aligned.
func mdRule(w io.Writer, n, left int) {
	cells := make([]string, n)
	for i := range cells {
		cells[i] = "---"
		if i >= left && left > 0 {
			cells[i] = "---:"
		}
	}
	mdRow(w, cells)
}

// mdEsc escapes what would break a table cell or start markup.
func mdEsc(s string) string {
	r := strings.NewReplacer("|", "\\|", "\n", " ", "<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_", "`", "\\`", "[", "\\[")
	return r.Replace(s)
}

// mdCode makes s safe inside a `code span`.
func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", "\\|", "\n", " ").Replace(s)
}
