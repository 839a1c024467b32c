package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/summary"
)

const goldenSuite = `
name: golden
dataset: DATASET
variants:
  - name: lead
    backend: lead3
  - name: oracle
    backend: openai
    model: fake-ok
    prompt: oracle
  - name: sloppy
    backend: openai
    model: fake-chatty
metrics: [rouge1, rouge2, rougeLsum, alignment, contract]
gates:
  rougeLsum: {min: 0.5}
  contract: {min: 1.0}
  errors: {max: 1}
prices:
  fake-ok: {input: 0.15, output: 0.60}
concurrency: 1
`

// sloppyGen breaks the contract on some cases and fails one.
func sloppyGen(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
	switch c.ID {
	case "rail-fares":
		return summary.Summary{}, errors.New("backend unavailable (HTTP 503) after 4 attempts")
	case "flu-season", "museum-return":
		return summary.Summary{Bullets: c.Reference[:1], Leftovers: []string{"Sure! Here are the bullets:"},
			Model: "fake-chatty", Usage: summary.Usage{PromptTokens: 50, CompletionTokens: 10}, Duration: summary.Millis(30 * time.Millisecond)}, nil
	}
	s := sentences(c.Article)
	return summary.Summary{Bullets: []string{s[1], s[0], c.Reference[2]}, Model: "fake-chatty",
		Usage: summary.Usage{PromptTokens: 50, CompletionTokens: 10}, Duration: summary.Millis(30 * time.Millisecond)}, nil
}

// goldenResolve resolves like KeepSettings and adds what the real
// resolver finds out: the prompt's hash and the endpoint.
func goldenResolve(layers ...[]eval.Setting) (eval.Resolved, error) {
	r, err := eval.KeepSettings(layers...)
	if r.Backend == config.BackendOpenAI {
		r.Endpoint = "llm.example.test"
		if name, _ := r.Effective["prompt.name"].(string); name != "" {
			r.Prompt = name + "@0123abcd"
		}
	}
	return r, err
}

// loadSuite writes body (DATASET replaced) to a suite file and loads it
// with opt.
func loadSuite(t *testing.T, body string, opt eval.LoadOptions) *eval.Suite {
	t.Helper()
	path := filepath.Join(t.TempDir(), "suite.yaml")
	writeFile(t, path, strings.ReplaceAll(body, "DATASET", fixtureDataset(t)))
	s, err := eval.LoadSuite(path, opt)
	if err != nil {
		t.Fatalf("LoadSuite: %v", err)
	}
	return s
}

// cachedOn answers the named cases (every case if none) from the "cache".
func cachedOn(gen eval.Generator, ids ...string) eval.Generator {
	return func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		out, err := gen(ctx, c, repeat)
		if err == nil && (len(ids) == 0 || slices.Contains(ids, c.ID)) {
			out.Cached = true
		}
		return out, err
	}
}

// goldenResult is a failing run: lead is below the rougeLsum minimum,
// sloppy breaks the contract and errs on one case (so its gates fail for
// coverage too); oracle is answered from the cache, sloppy partly.
func goldenResult(t *testing.T) *eval.Result {
	t.Helper()
	s := loadSuite(t, goldenSuite, eval.LoadOptions{Resolve: goldenResolve,
		Overrides: []eval.Setting{{Key: "llm.seed", Value: 7}}})
	s.Path = "golden.yaml"
	s.Dataset = "testdata/eval/news.jsonl"
	r := mustRun(t, t.Context(), s, openFixture(t), eval.RunOptions{
		Generators: map[string]eval.Generator{"lead": leadGen(3), "oracle": cachedOn(refGen()),
			"sloppy": cachedOn(sloppyGen, "harbor-bridge", "school-lunch", "rover-water", "bakery-strike")},
		Now:         fixedClock(),
		ToolVersion: "v0.0.0-test",
		ToolCommit:  "0123456789abcdef0123456789abcdef01234567+dirty",
		CacheMode:   "rw",
	})
	r.Manifest.Go, r.Manifest.Platform = "go1.x", "os/arch"
	r.Manifest.Dataset = "testdata/eval/news.jsonl"
	return r
}

func TestReportGolden(t *testing.T) {
	r := goldenResult(t)
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"golden.txt", func(b *bytes.Buffer) error { return WriteTableOptions(b, r, TableOptions{}) }},
		{"golden.md", func(b *bytes.Buffer) error { return WriteMarkdown(b, r) }},
		{"golden.junit.xml", func(b *bytes.Buffer) error { return WriteJUnit(b, r) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.String())
		})
	}
}

func TestGates(t *testing.T) {
	r := goldenResult(t)
	type gate struct{ Gate, Variant, Message string }
	var failed []gate
	for _, g := range r.FailedGates() {
		failed = append(failed, gate{g.Gate, g.Variant, g.Message})
	}
	lead := r.Variant("lead").Metrics["rougeLsum"].Mean
	if lead >= 0.5 {
		t.Fatalf("lead rougeLsum = %v; the fixture expects lead under the 0.5 gate", lead)
	}
	var sawMin, sawContract, sawCoverage bool
	for _, g := range failed {
		switch {
		case g.Gate == eval.GateMin && g.Variant == "lead":
			sawMin = strings.Contains(g.Message, "is below the minimum 0.5000 by")
		case g.Gate == eval.GateMin && g.Variant == "sloppy":
			sawCoverage = strings.Contains(g.Message, "only 11 of 12 cases scored")
		case g.Gate == eval.GateContract && g.Variant == "sloppy":
			sawContract = strings.HasPrefix(g.Message, "sloppy: 9 of 11 runs kept the bullet contract: 81.8% is below 100.0% by 18.2%")
		case g.Variant == "oracle":
			t.Errorf("oracle failed gate %+v", g)
		}
	}
	if !sawMin || !sawContract || !sawCoverage {
		t.Errorf("failed gates = %+v, want lead's rougeLsum minimum, sloppy's contract share and sloppy's coverage", failed)
	}
	if r.TooManyErrors() {
		t.Errorf("TooManyErrors with 1 error and errors: {max: 1}")
	}
	if r.Passed() {
		t.Errorf("Passed with failed gates")
	}
}

func TestRegressionAgainstBaseline(t *testing.T) {
	dir := t.TempDir()
	suite := `
name: reg
dataset: DATASET
variants:
  - name: v
    backend: openai
    model: m
metrics: [rouge1, rougeLsum]
gates:
  regression: {alpha: 0.05}
`
	s := writeSuite(t, suite)
	d := openFixture(t)
	good := mustRun(t, t.Context(), s, d, eval.RunOptions{Generators: map[string]eval.Generator{"v": refGen()}})
	basePath := filepath.Join(dir, "base.json")
	f, err := os.Create(basePath)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(f, good); err != nil {
		t.Fatal(err)
	}
	f.Close()
	base, err := eval.LoadBaseline(basePath)
	if err != nil {
		t.Fatalf("LoadBaseline(--json report): %v", err)
	}

	// The same variant now copies the lead: a clear regression.
	worse := mustRun(t, t.Context(), s, d, eval.RunOptions{Baseline: base, Generators: map[string]eval.Generator{"v": leadGen(3)}})
	failed := worse.FailedGates()
	if len(failed) != 2 {
		t.Fatalf("failed gates = %+v, want rouge1 and rougeLsum regressions", failed)
	}
	for _, g := range failed {
		if g.Gate != eval.GateRegression || g.Variant != "v" || !strings.Contains(g.Message, "fell by") || !(g.P < 0.05) {
			t.Errorf("gate %+v, want a significant regression of v", g)
		}
	}
	// Compared with itself, nothing regresses.
	same := mustRun(t, t.Context(), s, d, eval.RunOptions{Baseline: base, Generators: map[string]eval.Generator{"v": refGen()}})
	if failed := same.FailedGates(); len(failed) != 0 {
		t.Errorf("a run equal to its baseline failed %+v", failed)
	}
	// The JSONL stream is a baseline too.
	baseL, err := eval.LoadBaseline(good.ResultsPath)
	if err != nil {
		t.Fatalf("LoadBaseline(results.jsonl): %v", err)
	}
	if !baseL.Has("v") || baseL.Has("w") {
		t.Errorf("baseline from JSONL: Has(v)=%v Has(w)=%v", baseL.Has("v"), baseL.Has("w"))
	}
}

func TestJSONReport(t *testing.T) {
	r := goldenResult(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Manifest eval.Manifest    `json:"manifest"`
		Passed   bool             `json:"passed"`
		Variants []map[string]any `json:"variants"`
		Records  []eval.Record    `json:"records"`
		Gates    []map[string]any `json:"gates"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JSON report does not parse: %v\n%s", err, b.String()[:min(b.Len(), 2000)])
	}
	if doc.Manifest.DatasetSHA256 == "" || doc.Manifest.Version != "v0.0.0-test" || len(doc.Manifest.Variants) != 3 {
		t.Errorf("manifest = %+v", doc.Manifest)
	}
	if got := doc.Manifest.Variants[1].Prompts; len(got) != 1 || got[0] != "oracle@0123abcd" {
		t.Errorf("oracle prompts in manifest = %v, want [oracle@0123abcd]", got)
	}
	if len(doc.Records) != 36 || doc.Passed {
		t.Errorf("records = %d, passed = %v; want 36, false", len(doc.Records), doc.Passed)
	}
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 36 {
		t.Errorf("JSONL lines = %d, want 36", n)
	}
}

func TestHTMLReport(t *testing.T) {
	s := writeSuite(t, goldenSuite)
	evil := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		return summary.Summary{Bullets: []string{"<script>alert(1)</script> " + c.Reference[0], "Tom & Jerry \"quoted\"", c.Reference[1]}}, nil
	}
	r := mustRun(t, t.Context(), s, openFixture(t), eval.RunOptions{
		Generators: map[string]eval.Generator{"lead": leadGen(3), "oracle": refGen(), "sloppy": evil},
	})
	var b bytes.Buffer
	if err := WriteHTML(&b, r, HTMLOptions{MaxCases: 5}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, "<script>alert") {
		t.Errorf("HTML report does not escape bullets")
	}
	for _, want := range []string{"&lt;script&gt;", "<svg", "<mark>", "Showing 5 of 12 cases", "Variant comparison"} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	for _, bad := range []string{"http://", "https://", "<link", "src="} {
		if strings.Contains(strings.ReplaceAll(page, `xmlns="http://www.w3.org/2000/svg"`, ""), bad) {
			t.Errorf("HTML report refers to something outside itself: %q", bad)
		}
	}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("HTML does not parse: %v", err)
	}
	if n := countClass(doc, "details", "case"); n != 5 {
		t.Errorf("case panels = %d, want 5", n)
	}
	// A panel per metric, per variant's distribution, and cost against quality.
	if n, want := count(doc, "svg"), len(r.Manifest.Metrics)+len(r.Variants)+1; n != want || countClass(doc, "figure", "panel") != n {
		t.Errorf("charts = %d in %d panels, want %d, each a panel", n, countClass(doc, "figure", "panel"), want)
	}
	if os.Getenv("EVAL_HTML_OUT") != "" {
		os.WriteFile(os.Getenv("EVAL_HTML_OUT"), b.Bytes(), 0o644)
	}
}

func count(n *html.Node, tag string) int { return countClass(n, tag, "") }

// countClass counts the tag elements with class (any, if "").
func countClass(n *html.Node, tag, class string) int {
	c := 0
	if n.Type == html.ElementNode && n.Data == tag && (class == "" || hasClass(n, class)) {
		c++
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c += countClass(ch, tag, class)
	}
	return c
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && slices.Contains(strings.Fields(a.Val), class) {
			return true
		}
	}
	return false
}

func TestMarkWords(t *testing.T) {
	got := markWords("Drivers face a 9-mile detour", wordSet([]string{"a detour of 9 miles for drivers"}))
	want := []seg{{"Drivers", true}, {" face a ", false}, {"9", true}, {"-", false}, {"mile detour", true}}
	if len(got) != len(want) {
		t.Fatalf("markWords = %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("markWords seg %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
