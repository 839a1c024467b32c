package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval/meta"
	"github.com/summarize-dev/summarize/internal/eval/rouge"
	"github.com/summarize-dev/summarize/internal/jsonl"
	"github.com/summarize-dev/summarize/internal/shareddata"
)

// metaEntry is one element of the JSON report's "meta" list.
type metaEntry struct {
	Human, Metric, Level, Coef string
	Value                      *float64
	CI                         [2]*float64
	N                          int
}

// The dev judgments through the CLI: import --format judged, then the
// meta-dev suite. Its JSON meta entries agree with an independent
// computation (ROUGE-1 from the rouge package, correlations from meta, the
// items joined here from the raw files), and ROUGE-1 against SummEval
// consistency is the published check value.
func TestMetaDevSuite(t *testing.T) {
	human := shareddata.File(t, "news-human-dev.jsonl")
	systems := shareddata.File(t, "news-systems.jsonl")
	pairs := shareddata.File(t, "news-dev.jsonl")
	dir := t.TempDir()
	data := filepath.Join(dir, "judged.jsonl")
	c := newCLI(t, nil)
	if _, stderr, code := c.run("eval", "import", "--format", "judged", "--pairs", pairs, "--systems", systems, human, "-o", data); code != 0 {
		t.Fatalf("import judged: exit %d: %s", code, stderr)
	}
	suite := filepath.Join(dir, "meta.yaml")
	must(t, os.WriteFile(suite, []byte("dataset: judged.jsonl\nsanity: none\nclean: false\nvariants: [{name: published, backend: dataset}]\nmetrics: [rouge1]\nmeta: {human: [consistency, relevance, factuality]}\n"), 0o644))
	out := filepath.Join(dir, "run.json")
	stdout, stderr, code := c.run("eval", suite, "-q", "--json", out)
	if code != 0 {
		t.Fatalf("eval: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "agreement with human judgments") {
		t.Errorf("the table has no agreement section:\n%.2000s", stdout)
	}
	raw, err := os.ReadFile(out)
	must(t, err)
	var rep struct{ Meta []metaEntry }
	must(t, json.Unmarshal(raw, &rep))
	got := map[string]metaEntry{}
	for _, m := range rep.Meta {
		got[m.Human+"/"+m.Metric+"/"+m.Level+"/"+m.Coef] = m
	}
	if m := got["consistency/rouge1/summary/spearman"]; m.Value == nil || math.Abs(*m.Value-0.149) > 0.002 {
		t.Errorf("ROUGE-1 vs consistency, summary-level Spearman = %v, want 0.149 (G-Eval's protocol on the dev articles)", m.Value)
	}

	// The independent computation.
	refs := map[string][]string{}
	scanJSON(t, pairs, func(b []byte) {
		var p struct {
			ID        string
			Reference []string
		}
		must(t, json.Unmarshal(b, &p))
		refs[p.ID] = p.Reference
	})
	outs := map[[2]string][]string{}
	scanJSON(t, systems, func(b []byte) {
		var s struct {
			ID, System string
			Bullets    []string
		}
		must(t, json.Unmarshal(b, &s))
		outs[[2]string{s.ID, s.System}] = s.Bullets
	})
	scorer, err := rouge.NewScorer([]string{"rouge1"}, rouge.Options{Stemmer: true})
	must(t, err)
	items := map[string][]meta.Item{}
	scanJSON(t, human, func(b []byte) {
		var h struct {
			ID, System string
			Human      map[string]float64
		}
		must(t, json.Unmarshal(b, &h))
		f := scorer.ScoreBullets(refs[h.ID], outs[[2]string{h.ID, h.System}])["rouge1"].F
		for name, v := range h.Human {
			items[name] = append(items[name], meta.Item{Group: h.ID, System: h.System, Metric: f, Human: v})
		}
	})
	for _, name := range []string{"consistency", "relevance", "factuality"} {
		for _, a := range meta.Measure(items[name], meta.Options{Samples: -1}) {
			m, ok := got[name+"/rouge1/"+a.Level+"/"+a.Coef]
			switch {
			case !ok:
				t.Errorf("%s %s/%s: not in the JSON meta list", name, a.Level, a.Coef)
			case !a.OK():
				if m.Value != nil {
					t.Errorf("%s %s/%s = %v, want null (%s)", name, a.Level, a.Coef, *m.Value, a.Reason)
				}
			case m.Value == nil || math.Abs(*m.Value-a.Value) > 1e-6 || m.N != a.N:
				t.Errorf("%s %s/%s = %v (n=%d), independent computation %.6f (n=%d)", name, a.Level, a.Coef, m.Value, m.N, a.Value, a.N)
			}
		}
	}
}

func scanJSON(t *testing.T, path string, fn func([]byte)) {
	t.Helper()
	f, err := os.Open(path)
	must(t, err)
	defer f.Close()
	must(t, jsonl.Scan(f, func(_ int, _ int64, b []byte) error { fn(b); return nil }))
}

// Asking a dataset for what it lacks is a usage error at its line.
func TestMetaBadInput(t *testing.T) {
	c := newCLI(t, nil)
	for _, tc := range []struct{ name, data, suite, want string }{
		{"unknown judgment",
			`{"id":"a","article":"The council met on Tuesday. It voted.","reference":["Council votes"],"candidate":["Council met"],"human":{"relevance":3}}`,
			"dataset: data.jsonl\nsanity: none\nvariants: [{name: given, backend: dataset}]\nmetrics: [rouge1]\nmeta: {human: [coherence]}\n",
			`suite.yaml:5: meta.human: no record of data.jsonl has the judgment "coherence" (records have: relevance)`},
		{"no candidate",
			`{"id":"a","article":"The council met on Tuesday. It voted.","reference":["Council votes"]}`,
			"dataset: data.jsonl\nsanity: none\nvariants: [{name: given, backend: dataset}]\nmetrics: [rouge1]\n",
			`data.jsonl:1: no "candidate" bullets, which variant "given" (backend: dataset) scores`},
		{"no group",
			`{"id":"a","article":"The council met on Tuesday. It voted.","reference":["Council votes"],"candidate":["Council met"],"system":"s1","human":{"relevance":3}}`,
			"dataset: data.jsonl\nsanity: none\nvariants: [{name: given, backend: dataset}]\nmetrics: [rouge1]\nmeta: {human: [relevance]}\n",
			`data.jsonl:1: no "group" (the article the candidate summarizes), which meta needs for summary-level agreement when the suite has one variant (suite.yaml:5)`},
		{"no system",
			`{"id":"a","article":"The council met on Tuesday. It voted.","reference":["Council votes"],"candidate":["Council met"],"group":"g1","human":{"relevance":3}}`,
			"dataset: data.jsonl\nsanity: none\nvariants: [{name: given, backend: dataset}]\nmetrics: [rouge1]\nmeta: {human: [relevance]}\n",
			`data.jsonl:1: no "system" (what produced the candidate), which meta needs for system-level agreement when the suite has one variant (suite.yaml:5)`},
		{"non-numeric judgment",
			`{"id":"a","article":"The council met on Tuesday. It voted.","reference":["Council votes"],"candidate":["x"],"human":{"relevance":"high"}}`,
			"dataset: data.jsonl\nsanity: none\nvariants: [{name: given, backend: dataset}]\nmetrics: [rouge1]\n",
			`data.jsonl:1: "human": "relevance": want a number, got "high"`},
	} {
		dir := t.TempDir()
		must(t, os.WriteFile(filepath.Join(dir, "data.jsonl"), []byte(tc.data+"\n"), 0o644))
		suite := filepath.Join(dir, "suite.yaml")
		must(t, os.WriteFile(suite, []byte(tc.suite), 0o644))
		_, stderr, code := c.run("eval", suite, "-q")
		stderr = strings.ReplaceAll(stderr, dir+string(filepath.Separator), "")
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", tc.name, code, stderr, tc.want)
		}
	}
	// The summarize command has no dataset to take bullets from.
	file := filepath.Join(t.TempDir(), "a.txt")
	must(t, os.WriteFile(file, []byte("The council met on Tuesday and voted on the plan for the new bridge."), 0o644))
	if _, stderr, code := c.run("--backend", "dataset", file); code != exitUsage || !strings.Contains(stderr, "eval suites only") {
		t.Errorf("summarize --backend dataset: exit %d, %q", code, stderr)
	}
}

// BenchmarkMetaDev times the full dev meta-evaluation: every judged output
// scored by every offline metric, every metric and part against every
// judgment at every level, with bootstrap intervals.
func BenchmarkMetaDev(b *testing.B) {
	human := shareddata.File(b, "news-human-dev.jsonl")
	systems := shareddata.File(b, "news-systems.jsonl")
	pairs := shareddata.File(b, "news-dev.jsonl")
	dir := b.TempDir()
	c := &cli{env: map[string]string{"HOME": dir}}
	if _, stderr, code := c.run("eval", "import", "--format", "judged", "--pairs", pairs, "--systems", systems, human, "-o", filepath.Join(dir, "judged.jsonl")); code != 0 {
		b.Fatalf("import: %s", stderr)
	}
	suite := filepath.Join(dir, "meta.yaml")
	if err := os.WriteFile(suite, []byte("dataset: judged.jsonl\nsanity: none\nclean: false\nvariants: [{name: published, backend: dataset}]\n"+
		"metrics: [rouge1, rouge2, rougeL, rougeLsum, alignment, contract, faithfulness]\n"+
		"meta: {human: [consistency, relevance, coherence, fluency, litepyramid_recall, factuality]}\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if stdout, stderr, code := c.run("eval", suite, "-q", "--cache-mode", "off"); code != 0 {
			b.Fatalf("eval: exit %d\n%s%s", code, stdout, stderr)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/1000, "s/run")
}

// The README's agreement table is what config/evals/meta-dev.yaml prints.
func TestReadmeAgreementTable(t *testing.T) {
	human := shareddata.File(t, "news-human-dev.jsonl")
	systems := shareddata.File(t, "news-systems.jsonl")
	pairs := shareddata.File(t, "news-dev.jsonl")
	dir := t.TempDir()
	c := newCLI(t, nil)
	if _, stderr, code := c.run("eval", "import", "--format", "judged", "--pairs", pairs, "--systems", systems, human, "-o", filepath.Join(dir, "judged-dev.jsonl")); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	text, err := os.ReadFile(filepath.Join("..", "..", "config", "evals", "meta-dev.yaml"))
	must(t, err)
	suite := filepath.Join(dir, "meta-dev.yaml")
	must(t, os.WriteFile(suite, []byte(strings.Replace(string(text), "dataset: ../../judged-dev.jsonl", "dataset: judged-dev.jsonl", 1)), 0o644))
	out := filepath.Join(dir, "run.json")
	if stdout, stderr, code := c.run("eval", suite, "-q", "--json", out); code != 0 {
		t.Fatalf("eval: exit %d\n%s%s", code, stdout, stderr)
	}
	raw, err := os.ReadFile(out)
	must(t, err)
	var rep struct{ Meta []metaEntry }
	must(t, json.Unmarshal(raw, &rep))
	value := map[string]string{}
	for _, m := range rep.Meta {
		if m.Value != nil {
			value[m.Human+"/"+m.Metric+"/"+m.Level+"/"+m.Coef] = fmt.Sprintf("%.3f", *m.Value)
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	must(t, err)
	judgments := []string{"consistency", "relevance", "coherence", "fluency", "litepyramid_recall", "factuality"}
	rows := 0
	for _, line := range strings.Split(string(readme), "\n") {
		if !strings.HasPrefix(line, "| `") || !strings.Contains(line, " / ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		metric := strings.Trim(cells[0], "`")
		if len(cells) != 1+len(judgments) {
			continue
		}
		rows++
		for i, h := range judgments {
			pair := strings.Split(strings.ReplaceAll(cells[1+i], "**", ""), " / ")
			for j, key := range []string{"summary/spearman", "partial/pearson"} {
				if got := value[h+"/"+metric+"/"+key]; got != pair[j] {
					t.Errorf("README %s × %s %s = %s, the suite prints %s", metric, h, key, pair[j], got)
				}
			}
		}
	}
	if rows < 5 {
		t.Errorf("found %d rows of the README's agreement table", rows)
	}
}
