package report

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/summary"
)

func TestHTMLReportManifestAndSources(t *testing.T) {
	r := goldenResult(t)
	var b bytes.Buffer
	if err := WriteHTML(&b, r, HTMLOptions{MaxCases: 1}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		"11/12 <span", // sloppy's cases, marked
		"† sloppy scored 11 of 12 cases",
		"12 cached", "8 live, 4 cached", // answers per variant
		"<td class=\"num\">cached</td>",           // oracle's cost and latency
		"(0123456789ab&#43;dirty)", "v0.0.0-test", // tool
		"6dca86d30ea6e75980ea9503cc910835faebcb891369707ea2456ee3c5c48adc", // dataset
		"<dd>rw</dd>", "llm.seed=7", // cache mode, overrides
		"oracle@0123abcd", "llm.example.test", "fake-chatty", // per variant
		"<dt>prompt.name</dt><dd>oracle</dd>", // resolved config
	} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
}

func TestCostQualityLeavesOutCachedVariants(t *testing.T) {
	r := goldenResult(t)
	r.Variant("lead").Cost = 0.01 // something live has a price: the x axis is cost
	p := costQuality(r, "rougeLsum")
	if p == nil {
		t.Fatal("costQuality drew nothing")
	}
	svg := p.SVG
	if !strings.Contains(svg, "not shown, every answer cached: oracle") {
		t.Errorf("cost chart does not say oracle is left out:\n%s", svg)
	}
	if strings.Contains(svg, "<title>oracle:") {
		t.Errorf("cost chart plots oracle, whose every answer was cached")
	}
}

// caseRowRE finds each case of the page, in page order, with its colour.
var caseRowRE = regexp.MustCompile(`<details class="case[^"]*" id="case-([^"]+)" data-status="([a-z]*)"`)

// caseRows returns the page's case ids in order and their colours.
func caseRows(page string) ([]string, map[string]string) {
	var ids []string
	status := map[string]string{}
	for _, m := range caseRowRE.FindAllStringSubmatch(page, -1) {
		ids = append(ids, m[1])
		status[m[1]] = m[2]
	}
	return ids, status
}

func writeHTML(t *testing.T, r *eval.Result, opt HTMLOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, r, opt); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHTMLColourFromGatedVariants: a variant no gate judges does not
// colour the cases it fails; once gated, its failures colour them and come
// first.
func TestHTMLColourFromGatedVariants(t *testing.T) {
	for _, gated := range []string{"oracle", "sloppy"} {
		t.Run(gated, func(t *testing.T) {
			s := writeSuite(t, `
name: gated
dataset: DATASET
variants:
  - {name: oracle, backend: lead3}
  - {name: sloppy, backend: lead3}
metrics: [rougeLsum, contract]
gates:
  contract: {min: 0, variants: [`+gated+`]}
  errors: {max: 5}
`)
			r := mustRun(t, t.Context(), s, openFixture(t), eval.RunOptions{
				Generators: map[string]eval.Generator{"oracle": refGen(), "sloppy": sloppyGen}})
			ids, status := caseRows(writeHTML(t, r, HTMLOptions{}))
			if len(ids) != 12 {
				t.Fatalf("cases on the page = %d, want 12", len(ids))
			}
			want := map[string]string{"rail-fares": "error", "flu-season": "fail", "museum-return": "fail"}
			for _, id := range ids {
				w := want[id]
				if w == "" || gated == "oracle" {
					w = "pass"
				}
				if status[id] != w {
					t.Errorf("gated %s: case %s coloured %q, want %q", gated, id, status[id], w)
				}
			}
			if gated == "sloppy" {
				if got := ids[:3]; !slices.Contains(got, "rail-fares") || !slices.Contains(got, "flu-season") || !slices.Contains(got, "museum-return") {
					t.Errorf("worst first: the page starts with %q, want sloppy's three failures", got)
				}
			}
		})
	}
}

// TestHTMLWorstFirstPicksCases: with more cases than --html-cases, the
// order picks which are shown: the largest drops against the first
// variant, or the first cases in dataset order.
func TestHTMLWorstFirstPicksCases(t *testing.T) {
	s := writeSuite(t, `
name: drops
dataset: DATASET
variants:
  - {name: oracle, backend: lead3}
  - {name: lead, backend: lead3}
metrics: [rougeLsum]
gates:
  rougeLsum: {min: 0}
`)
	r := mustRun(t, t.Context(), s, openFixture(t), eval.RunOptions{
		Generators: map[string]eval.Generator{"oracle": refGen(), "lead": leadGen(3)}})
	// The oracle scores 1 everywhere: the largest drops are lead's lowest scores.
	scores := r.Variant("lead").Scores("rougeLsum")
	byScore := slices.Clone(r.CaseIDs)
	slices.SortStableFunc(byScore, func(a, b string) int {
		return cmpFloat(scores[slices.Index(r.CaseIDs, a)], scores[slices.Index(r.CaseIDs, b)])
	})
	for _, tc := range []struct {
		sort string
		want []string
	}{
		{SortWorst, byScore[:3]},
		{SortDrop, byScore[:3]},
		{SortDataset, r.CaseIDs[:3]},
	} {
		page := writeHTML(t, r, HTMLOptions{MaxCases: 3, Sort: tc.sort})
		if ids, _ := caseRows(page); !slices.Equal(ids, tc.want) {
			t.Errorf("sort %s: cases %q, want %q", tc.sort, ids, tc.want)
		}
		if !strings.Contains(page, "Showing 3 of 12 cases") {
			t.Errorf("sort %s: the page does not say it shows 3 of 12 cases", tc.sort)
		}
	}
	if err := WriteHTML(&bytes.Buffer{}, r, HTMLOptions{Sort: "best"}); err == nil {
		t.Errorf("WriteHTML with sort %q: no error", "best")
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestHTMLBaselineBeforeAfter: against a baseline, an open case shows the
// baseline's bullets and score changes, and the page names the baseline
// file and what its manifest says ran.
func TestHTMLBaselineBeforeAfter(t *testing.T) {
	suite := `
name: before-after
dataset: DATASET
variants:
  - {name: lead, backend: lead3}
metrics: [rougeLsum]
`
	withPrompt := func(gen eval.Generator, prompt string) eval.Generator {
		return func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
			out, err := gen(ctx, c, repeat)
			out.Prompt = prompt
			return out, err
		}
	}
	dir := t.TempDir()
	basePath := filepath.Join(dir, "base.json")
	before := mustRun(t, t.Context(), writeSuite(t, suite), openFixture(t),
		eval.RunOptions{Generators: map[string]eval.Generator{"lead": withPrompt(leadGen(3), "headline@0ld")}})
	var b bytes.Buffer
	if err := WriteJSON(&b, before); err != nil {
		t.Fatal(err)
	}
	writeFile(t, basePath, b.String())
	base, err := eval.LoadBaseline(basePath)
	if err != nil {
		t.Fatal(err)
	}
	after := mustRun(t, t.Context(), writeSuite(t, suite), openFixture(t),
		eval.RunOptions{Generators: map[string]eval.Generator{"lead": withPrompt(leadGen(1), "headline@1ew")}, Baseline: base})
	page := writeHTML(t, after, HTMLOptions{Open: 12})
	var third string // a bullet only the baseline has
	for _, rec := range records(t, before) {
		if rec.Case == "harbor-bridge" {
			third = rec.Bullets[2]
		}
	}
	for _, want := range []string{basePath, `id="baseline"`, "vs baseline", "Bullets now", "Baseline <span class=\"badge pass\">",
		html.EscapeString(third), "<code>headline@0ld</code>", `<span class="changed"><code>headline@1ew</code></span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML report against a baseline lacks %q", want)
		}
	}
	if ids, _ := caseRows(page); len(ids) != 12 {
		t.Errorf("cases = %d, want 12", len(ids))
	}
}

// TestHTMLArticles: the page asks for the articles of the cases it shows,
// and only those.
func TestHTMLArticles(t *testing.T) {
	r := goldenResult(t)
	var asked []string
	page := writeHTML(t, r, HTMLOptions{MaxCases: 2, Articles: func(ids []string) (map[string]string, error) {
		asked = ids
		out := map[string]string{}
		for _, id := range ids {
			out[id] = "First paragraph of " + id + ".\n\nSecond <b>paragraph</b>."
		}
		return out, nil
	}})
	shown, _ := caseRows(page)
	if !slices.Equal(asked, shown) || len(shown) != 2 {
		t.Errorf("articles asked for %q, cases shown %q: want the 2 shown", asked, shown)
	}
	for _, id := range shown {
		if !strings.Contains(page, "<p>First paragraph of "+id+".</p>") {
			t.Errorf("the article of %s is not on the page", id)
		}
	}
	if !strings.Contains(page, "<p>Second &lt;b&gt;paragraph&lt;/b&gt;.</p>") {
		t.Errorf("article paragraphs are not split or not escaped")
	}
}

func TestMarkBulletUnsupported(t *testing.T) {
	got, unplaced := markBullet("Crews found 14 bodies on Monday", wordSet([]string{"crews found bodies"}), []string{"14", "not"})
	want := []span{{seg{"Crews found", true}, false}, {seg{" ", false}, false}, {seg{"14", false}, true},
		{seg{" ", false}, false}, {seg{"bodies", true}, false}, {seg{" on Monday", false}, false}}
	if !slices.Equal(got, want) {
		t.Errorf("markBullet = %+v\nwant %+v", got, want)
	}
	if !slices.Equal(unplaced, []string{"not"}) {
		t.Errorf("markBullet unplaced = %q, want [not]", unplaced)
	}
}

// TestComparisonAxesFitTheData: each metric's axis covers its means and
// CIs and is narrower than 0–1 when the scores are.
func TestComparisonAxesFitTheData(t *testing.T) {
	r := goldenResult(t)
	for _, p := range comparisonChart(r) {
		var lo, hi float64
		if _, err := fmt.Sscanf(strings.Replace(p.Range, "–", " ", 1), "axis %g %g", &lo, &hi); err != nil {
			t.Fatalf("%s: range %q: %v", p.Caption, p.Range, err)
		}
		minLo, maxHi := 1.0, 0.0
		for _, v := range r.Variants {
			if st := v.Metrics[p.Caption]; st != nil && st.N > 0 {
				minLo, maxHi = min(minLo, st.Lo), max(maxHi, st.Hi)
			}
		}
		if lo > minLo || hi < maxHi {
			t.Errorf("%s: axis %g–%g does not cover the CIs %g–%g", p.Caption, lo, hi, minLo, maxHi)
		}
		if maxHi-minLo < 0.5 && hi-lo >= 1 {
			t.Errorf("%s: axis %g–%g for data within %g–%g: not scaled to the data", p.Caption, lo, hi, minLo, maxHi)
		}
	}
}
