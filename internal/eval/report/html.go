package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/eval/metrics"
	"github.com/summarize-dev/summarize/internal/eval/rouge"
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
}

// WriteHTML writes one self-contained HTML page: summary table, gates,
// charts as inline SVG (score distributions, variant comparison with CIs,
// cost against quality), comparisons, and per-case bullets beside the
// references with the overlapping words marked. It loads nothing from the
// network.
func WriteHTML(w io.Writer, r *eval.Result, opt HTMLOptions) error {
	if opt.MaxCases <= 0 {
		opt.MaxCases = 100
	}
	if opt.Open <= 0 {
		opt.Open = 3
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
	CasesShown  int
	CasesTotal  int
	Repeat      int
	Shape       string
	ShareColumn bool
	Partial     []string // a note per variant that scored fewer cases than the run has
	Run         []kv     // the manifest's essentials
	RunVariants []htmlRunVariant
}

type htmlRow struct {
	Name, Color                              string
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

type htmlCase struct {
	Index    int
	ID       string
	Title    string
	Open     bool
	Leaks    []int
	Variants []*htmlCaseVariant
	Worst    string // worst status over variants
}

type htmlCaseVariant struct {
	Name, Color, Status string
	Reasons             []string
	Reference           [][]seg
	Bullets             [][]seg
	Leftovers           []string
	Scores              []kv
	Alignment           []alignRow
	AlignedBy           string
	Error               string
}

type kv struct{ K, V string }

type seg struct {
	Text string
	Mark bool
}

type alignRow struct {
	Ref   int
	Cand  int // 0 = no candidate bullet overlaps
	Score string
	Text  string
}

func newHTMLView(r *eval.Result, opt HTMLOptions) (*htmlView, error) {
	m := r.Manifest
	v := &htmlView{
		Manifest: m, Verdict: Verdict(r), Passed: r.Passed(), Metrics: m.Metrics,
		Duration: duration(m.Ended.Sub(m.Started)), Started: m.Started.Format(time.RFC1123),
		Meta: newHTMLMeta(r), Leaks: r.Leaks, Repeat: m.Settings.Repeat, CasesTotal: len(r.CaseIDs),
		Shape: shape(r), ShareColumn: !slices.Contains(m.Metrics, "contract"),
		Run: htmlRun(m),
	}
	v.Primary = primaryMetric(m.Metrics)
	for i, vr := range r.Variants {
		v.Rows = append(v.Rows, newHTMLRow(r, i, vr))
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
	v.Compare = template.HTML(comparisonChart(r))
	if v.Primary != "" {
		v.Histograms = template.HTML(histograms(r, v.Primary))
		v.Scatter = template.HTML(costQuality(r, v.Primary))
	}
	cases, err := htmlCases(r, opt)
	if err != nil {
		return nil, err
	}
	v.Cases, v.CasesShown = cases, len(cases)
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

// htmlCases reads the records of the first opt.MaxCases cases back from
// the results stream (repeat 0 only).
func htmlCases(r *eval.Result, opt HTMLOptions) ([]*htmlCase, error) {
	n := min(len(r.CaseIDs), opt.MaxCases)
	cases := make([]*htmlCase, n)
	order := map[string]int{}
	for i, v := range r.Variants {
		order[v.Name] = i
	}
	leaks := map[string][]int{}
	for _, l := range r.Leaks {
		leaks[l.Case] = append(leaks[l.Case], l.Bullet)
	}
	err := r.Records(func(rec *eval.Record) error {
		if rec.Index < 0 || rec.Index >= n || rec.Repeat != 0 {
			return nil
		}
		c := cases[rec.Index]
		if c == nil {
			c = &htmlCase{Index: rec.Index, ID: rec.Case, Title: rec.Title, Leaks: leaks[rec.Case]}
			cases[rec.Index] = c
		}
		vi := order[rec.Variant]
		cv := &htmlCaseVariant{Name: rec.Variant, Color: color(vi), Status: rec.Status, Reasons: rec.Reasons,
			Leftovers: rec.Leftovers, Error: rec.Error}
		refWords, candWords := wordSet(rec.Reference), wordSet(rec.Bullets)
		for _, ref := range rec.Reference {
			cv.Reference = append(cv.Reference, markWords(ref, candWords))
		}
		for _, b := range rec.Bullets {
			cv.Bullets = append(cv.Bullets, markWords(b, refWords))
		}
		for _, name := range r.Manifest.Metrics {
			if x, ok := rec.Scores[name]; ok {
				cv.Scores = append(cv.Scores, kv{name, fmt.Sprintf("%.3f", x)})
			}
		}
		if rec.Error == "" {
			cv.Alignment, cv.AlignedBy = alignment(rec)
		}
		c.Variants = append(c.Variants, cv)
		if rank(rec.Status) > rank(c.Worst) {
			c.Worst = rec.Status
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := cases[:0]
	for _, c := range cases {
		if c == nil {
			continue // not run
		}
		slices.SortFunc(c.Variants, func(a, b *htmlCaseVariant) int { return order[a.Name] - order[b.Name] })
		c.Open = len(out) < opt.Open
		out = append(out, c)
	}
	return out, nil
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}]+(?:['’][\p{L}]+)?`)

// stopWords are not marked: every bullet shares them.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "in": true, "on": true, "and": true,
	"or": true, "for": true, "at": true, "by": true, "is": true, "are": true, "was": true, "were": true,
	"be": true, "as": true, "with": true, "it": true, "its": true, "that": true, "this": true, "from": true,
	"has": true, "have": true, "had": true, "will": true, "s": true, "but": true, "not": true,
}

// normWord folds case and stems as ROUGE does, so the marks show the
// overlap the scores count.
func normWord(w string) string {
	w = strings.TrimSuffix(strings.ToLower(strings.ReplaceAll(w, "’", "'")), "'s")
	if len(w) > 3 {
		return rouge.Stem(w)
	}
	return w
}

func wordSet(texts []string) map[string]bool {
	set := map[string]bool{}
	for _, t := range texts {
		for _, w := range wordRE.FindAllString(t, -1) {
			if n := normWord(w); !stopWords[n] {
				set[n] = true
			}
		}
	}
	return set
}

// markWords splits s into runs, marking the words found in other.
func markWords(s string, other map[string]bool) []seg {
	var out []seg
	last := 0
	add := func(text string, mark bool) {
		if text == "" {
			return
		}
		if len(out) > 0 && out[len(out)-1].Mark == mark {
			out[len(out)-1].Text += text
			return
		}
		out = append(out, seg{text, mark})
	}
	for _, loc := range wordRE.FindAllStringIndex(s, -1) {
		w := s[loc[0]:loc[1]]
		n := normWord(w)
		add(s[last:loc[0]], false)
		add(w, other[n] && !stopWords[n])
		last = loc[1]
	}
	add(s[last:], false)
	// A space between two marked words belongs to the mark.
	for i := 1; i+1 < len(out); i++ {
		if !out[i].Mark && out[i-1].Mark && out[i+1].Mark && strings.TrimSpace(out[i].Text) == "" {
			out[i-1].Text += out[i].Text + out[i+1].Text
			out = append(out[:i], out[i+2:]...)
			i--
		}
	}
	return out
}

// alignment returns the alignment metric's pairing of reference and
// candidate bullets when the suite scored it, and a word-overlap pairing
// otherwise.
func alignment(rec *eval.Record) ([]alignRow, string) {
	if raw, ok := rec.Details["alignment"]; ok {
		var d metrics.AlignmentDetail
		if err := json.Unmarshal(raw, &d); err == nil && len(d.References) == len(rec.Reference) {
			rows := make([]alignRow, len(d.References))
			for i, m := range d.References {
				rows[i] = alignRow{Ref: i + 1, Score: fmt.Sprintf("%.2f", m.Similarity)}
				if m.Covered && m.Candidate >= 0 && m.Candidate < len(rec.Bullets) {
					rows[i].Cand = m.Candidate + 1
				}
			}
			return rows, "alignment metric (one-to-one, ROUGE-1 similarity)"
		}
	}
	return alignBullets(rec.Reference, rec.Bullets), "most shared content words"
}

// alignBullets pairs each reference bullet with the candidate bullet that
// shares the most content words with it (F1 over word sets).
func alignBullets(ref, cand []string) []alignRow {
	var rows []alignRow
	cs := make([]map[string]bool, len(cand))
	for j, c := range cand {
		cs[j] = wordSet([]string{c})
	}
	for i, r := range ref {
		rs := wordSet([]string{r})
		best, bestF := 0, 0.0
		for j := range cand {
			if f := setF1(rs, cs[j]); f > bestF {
				best, bestF = j+1, f
			}
		}
		row := alignRow{Ref: i + 1, Cand: best, Score: fmt.Sprintf("%.2f", bestF)}
		if best > 0 {
			row.Text = truncate(cand[best-1], 60)
		}
		rows = append(rows, row)
	}
	return rows
}

func setF1(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	for w := range a {
		if b[w] {
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p, r := float64(common)/float64(len(b)), float64(common)/float64(len(a))
	return math.Round(2*p*r/(p+r)*100) / 100
}

// rank orders statuses from best to worst.
func rank(status string) int {
	return slices.Index([]string{"", eval.StatusPass, eval.StatusFail, eval.StatusError}, status)
}
