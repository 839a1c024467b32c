package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
)

//go:embed report.html.tmpl
var htmlTemplate string

// HTMLOptions tune the HTML report.
type HTMLOptions struct {
	// MaxCases caps the cases shown with their bullets; 0 = 100. The
	// charts and tables always cover every case.
	MaxCases int
	// Open is how many of the shown cases start expanded; 0 = 3.
	Open int
	// Sort orders the cases and so picks which MaxCases are shown: one
	// of HTMLSorts; "" = SortWorst. The page can re-sort what it shows.
	Sort string
	// Articles returns the article of each case id asked for, as the
	// variants saw it; the page shows it in each case. nil leaves the
	// articles out. It is asked for the shown cases only.
	Articles func(ids []string) (map[string]string, error)
}

// WriteHTML writes one self-contained HTML page: the run's provenance,
// summary table, gates, charts as inline SVG (variant comparison with
// CIs, score distributions, cost against quality), comparisons, and the
// cases worst first, each with its article, references, and every
// variant's bullets (beside the baseline's, when there is one) with the
// overlapping words and unsupported spans marked. A small script in the
// page filters, searches and re-sorts the cases. It loads nothing from
// the network.
func WriteHTML(w io.Writer, r *eval.Result, opt HTMLOptions) error {
	if opt.MaxCases <= 0 {
		opt.MaxCases = 100
	}
	if opt.Open <= 0 {
		opt.Open = 3
	}
	if opt.Sort == "" {
		opt.Sort = SortWorst
	}
	if !slices.Contains(HTMLSorts, opt.Sort) {
		return fmt.Errorf("write HTML report: unknown case order %q (want one of %s)", opt.Sort, strings.Join(HTMLSorts, ", "))
	}
	tmpl, err := template.New("report").Funcs(template.FuncMap{
		"pct": pct, "num": num,
	}).Parse(htmlTemplate)
	if err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	v, err := newHTMLView(r, opt)
	if err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	if err := tmpl.Execute(w, v); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

type htmlView struct {
	Manifest    eval.Manifest
	Verdict     string
	Passed      bool
	Duration    string
	Started     string
	Metrics     []string
	Primary     string
	Rows        []htmlRow
	Gates       []htmlGate
	Meta        *htmlMeta
	Comparisons []htmlComparison
	Leaks       []dataset.Leak
	Errors      []string
	Compare     template.HTML
	Histograms  template.HTML
	Scatter     template.HTML
	Cases       []*htmlCase
	Top         []*htmlCase // the worst few, linked from the summary
	CasesShown  int
	CasesTotal  int
	Repeat      int
	Shape       string
	ShareColumn bool
	Partial     []string // a note per variant that scored fewer cases than the run has
	Run         []kv     // the manifest's essentials
	RunVariants []htmlRunVariant
	Answers     string // where the run's answers came from, over every variant
	Baseline    *htmlBaseline
	Sorts       []kv // value, label
	Sort        string
	Variants    []string
	HasArticles bool
}

type htmlRow struct {
	Name, Color                              string
	Gated                                    bool
	Cases                                    string // "12", or "11/12" when Partial
	Partial                                  bool
	Errors, Failed                           int
	Cells                                    []htmlCell
	Contract, Tokens, Answers, Cost, Latency string
	Model, Prompt, Endpoint                  string
}

// htmlRunVariant is a variant as the manifest records it.
type htmlRunVariant struct {
	Name, Color, Backend, Model, Prompt, Endpoint, Answers string
	Baseline                                               bool
	Config                                                 []kv
}

type htmlCell struct{ Mean, CI string }

type htmlGate struct {
	Status, Name, Variant, Message string
}

type htmlComparison struct {
	Metric, A, B, Diff, CI, P, Effect string
	N                                 int
	Baseline, Significant, Better     bool
}

type kv struct{ K, V string }

func newHTMLView(r *eval.Result, opt HTMLOptions) (*htmlView, error) {
	m := r.Manifest
	v := &htmlView{
		Manifest: m, Verdict: Verdict(r), Passed: r.Passed(), Metrics: m.Metrics,
		Duration: duration(m.Ended.Sub(m.Started)), Started: m.Started.Format(time.RFC1123),
		Meta: newHTMLMeta(r), Leaks: r.Leaks, Repeat: m.Settings.Repeat, CasesTotal: len(r.CaseIDs),
		Shape: shape(r), ShareColumn: !slices.Contains(m.Metrics, "contract"),
		Run: htmlRun(m), Answers: answers(r), Baseline: newHTMLBaseline(r), Sort: opt.Sort,
		HasArticles: opt.Articles != nil,
	}
	for _, s := range HTMLSorts {
		v.Sorts = append(v.Sorts, kv{s, sortLabels[s]})
	}
	gated := gatedVariants(r)
	v.Primary = primaryMetric(m.Metrics)
	for i, vr := range r.Variants {
		row := newHTMLRow(r, i, vr)
		row.Gated = gated[i]
		v.Rows = append(v.Rows, row)
		v.Variants = append(v.Variants, vr.Name)
		if vr.Partial() {
			v.Partial = append(v.Partial, partialNote(vr))
		}
		for _, e := range vr.FirstErrors {
			v.Errors = append(v.Errors, vr.Name+": "+e)
		}
		if vm := variantManifest(r, vr.Name); vm != nil {
			v.RunVariants = append(v.RunVariants, newHTMLRunVariant(i, vm, vr))
		}
	}
	for _, g := range r.Gates {
		v.Gates = append(v.Gates, htmlGate{Status: verdict(g), Name: g.Name(), Variant: g.Variant, Message: g.Message})
	}
	for _, c := range r.Comparisons {
		v.Comparisons = append(v.Comparisons, htmlComparison{
			Metric: c.Metric, A: c.A, B: c.B, N: c.N, Diff: signed(c.MeanDiff), CI: signedCI(c.Lo, c.Hi),
			P: pval(c), Effect: effect(c.EffectSize), Baseline: c.Baseline,
			Significant: c.N > 0 && c.P < 0.05, Better: c.MeanDiff > 0,
		})
	}
	v.Compare = template.HTML(panelsHTML(comparisonChart(r)))
	if v.Primary != "" {
		v.Histograms = template.HTML(panelsHTML(histograms(r, v.Primary)))
		if p := costQuality(r, v.Primary); p != nil {
			v.Scatter = template.HTML(p.html())
		}
	}
	cases, err := htmlCases(r, opt, v.Primary)
	if err != nil {
		return nil, err
	}
	v.Cases, v.CasesShown, v.Top = cases, len(cases), topCases(cases, 3)
	return v, nil
}

func newHTMLRow(r *eval.Result, i int, vr *eval.VariantResult) htmlRow {
	row := htmlRow{Name: vr.Name, Color: color(i), Cases: fmt.Sprint(vr.Cases), Partial: vr.Partial(),
		Errors: vr.Errors, Failed: vr.Failed,
		Contract: pct(vr.ContractShare()), Tokens: tokens(vr.PromptTokens + vr.CompletionTokens),
		Answers: sourceCell(vr), Cost: costCell(vr), Latency: latencyCell(vr)}
	if row.Partial {
		row.Cases = fmt.Sprintf("%d/%d", vr.Cases, vr.TotalCases)
	}
	if vm := variantManifest(r, vr.Name); vm != nil {
		row.Model = vm.Backend
		if vm.Model != "" {
			row.Model += " · " + vm.Model
		}
		row.Prompt, row.Endpoint = promptOf(*vm), vm.Endpoint
	}
	if vr.Baseline {
		row.Model += " · sanity baseline"
	}
	for _, name := range r.Manifest.Metrics {
		st := vr.Metrics[name]
		row.Cells = append(row.Cells, htmlCell{num(st.Mean), ci(st.Lo, st.Hi)})
	}
	return row
}

// htmlRun lists the manifest's essentials, leaving out what is not set.
func htmlRun(m eval.Manifest) []kv {
	tool := "summarize " + orDash(m.Version)
	if m.Commit != "" {
		tool += " (" + shortCommit(m.Commit) + ")"
	}
	out := []kv{{"tool", tool + " · " + m.Go + " · " + m.Platform}, {"suite", m.SuitePath},
		{"dataset", fmt.Sprintf("%s · %d of %d cases", m.Dataset, m.Cases, m.DatasetCases)},
		{"sha256", m.DatasetSHA256}}
	s := m.Settings
	add := func(k, v string) {
		if v != "" && v != "0" {
			out = append(out, kv{k, v})
		}
	}
	add("cache", strings.TrimSpace(s.CacheMode+" "+s.CacheDir))
	add("overrides", strings.Join(s.Overrides, "  "))
	add("repeat", fmt.Sprint(s.Repeat))
	add("concurrency", fmt.Sprint(s.Concurrency))
	add("timeout", s.Timeout)
	add("limit", fmt.Sprint(s.Limit))
	add("sample", fmt.Sprint(s.Sample))
	add("seed", fmt.Sprint(s.Seed))
	add("baseline", s.Baseline)
	add("ended", m.Ended.Format(time.RFC1123))
	return out
}

func newHTMLRunVariant(i int, vm *eval.VariantManifest, vr *eval.VariantResult) htmlRunVariant {
	rv := htmlRunVariant{Name: vm.Name, Color: color(i), Backend: vm.Backend, Model: vm.Model,
		Prompt: promptOf(*vm), Endpoint: vm.Endpoint, Answers: sourceCell(vr), Baseline: vm.Baseline}
	if seen := otherThan(vm.Models, vm.Model); len(seen) > 0 {
		rv.Model += " (answered by " + strings.Join(seen, ", ") + ")"
	}
	for _, k := range slices.Sorted(maps.Keys(vm.Config)) {
		rv.Config = append(rv.Config, kv{k, configValue(vm.Config[k])})
	}
	return rv
}

// primaryMetric picks the metric the charts focus on.
func primaryMetric(metrics []string) string {
	for _, p := range []string{"rougeLsum", "rougeL", "rouge2", "rouge1", "alignment"} {
		if slices.Contains(metrics, p) {
			return p
		}
	}
	if len(metrics) > 0 {
		return metrics[0]
	}
	return ""
}
