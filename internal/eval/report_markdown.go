package eval

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// WriteMarkdown writes the run's summary as GitHub-flavoured Markdown, fit
// for $GITHUB_STEP_SUMMARY or a pull-request comment.
func WriteMarkdown(w io.Writer, r *Result) error {
	ew := &errWriter{w: w}
	m := r.Manifest
	icon := "✅"
	if !r.Passed() {
		icon = "❌"
	}
	fmt.Fprintf(ew, "## %s Eval `%s`\n\n", icon, mdCode(m.Suite))
	fmt.Fprintf(ew, "**%s** · %s · %s · dataset `%.12s`\n\n",
		mdEsc(Verdict(r)), shape(r), duration(m.Ended.Sub(m.Started)), m.DatasetSHA256)

	head := append([]string{"variant", "cases", "errors"}, m.Metrics...)
	share := !slices.Contains(m.Metrics, "contract")
	if share {
		head = append(head, "contract")
	}
	head = append(head, "tokens", "cost", "p50 latency")
	mdRow(ew, head)
	mdRule(ew, len(head), 1)
	for _, v := range r.Variants {
		name := "`" + mdCode(v.Name) + "`"
		if v.Baseline {
			name += " (baseline)"
		}
		row := []string{name, fmt.Sprint(v.Cases), fmt.Sprint(v.Errors)}
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
		row = append(row, tokens(v.PromptTokens+v.CompletionTokens), costCell(v),
			latencyCell(v))
		mdRow(ew, row)
	}

	if len(r.Gates) > 0 {
		fmt.Fprintf(ew, "\n### Gates\n\n")
		mdRow(ew, []string{"", "gate", "variant", "detail"})
		mdRule(ew, 4, 0)
		for _, g := range r.Gates {
			mark := "✅"
			switch {
			case g.Skipped:
				mark = "⏭️"
			case !g.Pass:
				mark = "❌"
			}
			mdRow(ew, []string{mark, mdEsc(g.Name()), "`" + mdCode(g.Variant) + "`", mdEsc(g.Message)})
		}
	}

	if len(r.Comparisons) > 0 {
		fmt.Fprintf(ew, "\n<details><summary>Comparisons (paired permutation test, B − A; bold: p &lt; 0.05)</summary>\n\n")
		mdRow(ew, []string{"metric", "A", "B", "n", "diff", "95% CI", "p", "effect"})
		mdRule(ew, 8, 3)
		for _, c := range r.Comparisons {
			a := "`" + mdCode(c.A) + "`"
			if c.Baseline {
				a += " (baseline)"
			}
			p := strings.TrimSuffix(pval(c), "*")
			if c.N > 0 && c.P < 0.05 {
				p = "**" + p + "**"
			}
			mdRow(ew, []string{c.Metric, a, "`" + mdCode(c.B) + "`", fmt.Sprint(c.N), signed(c.MeanDiff),
				signedCI(c.Lo, c.Hi), p, effect(c.EffectSize)})
		}
		fmt.Fprintf(ew, "\n</details>\n")
	}
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
	fmt.Fprintf(ew, "\n<sub>summarize %s · %s · models: %s</sub>\n", mdEsc(orDash(m.Version)), m.Started.Format(time.RFC3339), mdEsc(modelList(m)))
	return ew.err
}

func modelList(m Manifest) string {
	var out []string
	for _, v := range m.Variants {
		s := v.Name + "=" + v.Backend
		if v.Model != "" {
			s += ":" + v.Model
		}
		if len(v.Prompts) > 0 {
			s += " (" + strings.Join(v.Prompts, ",") + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
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
