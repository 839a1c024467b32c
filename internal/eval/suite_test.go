package eval

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
)

func TestLoadSuite(t *testing.T) {
	s := writeSuite(t, `
name: news
dataset: DATASET
variants:
  - name: extractive
    backend: extractive
  - name: v2
    model: gpt-4o-mini
    prompt: headline
    temperature: 0
    bullets: 4
metrics: [rouge1, rougeLsum]
gates:
  rougeLsum: {min: 0.3, variants: [v2]}
  contract: {min: 0.9}
concurrency: 8
repeat: 2
timeout: 90s
prices:
  gpt-4o-mini: {input: 0.15, output: 0.6}
`)
	if s.Name != "news" || s.Concurrency != 8 || s.Repeat != 2 || s.Timeout.Seconds() != 90 {
		t.Errorf("suite settings = %q %d %d %v", s.Name, s.Concurrency, s.Repeat, s.Timeout)
	}
	got := s.Variants[1]
	if got.Backend != config.BackendOpenAI || got.Model != "gpt-4o-mini" || got.Effective["llm.temperature"] != 0 || got.Effective["prompt.bullets"] != 4 || got.Effective["prompt.name"] != "headline" {
		t.Errorf("variant v2 = %+v, want backend openai (the default with a model), the short keys as their config keys", got)
	}
	want := []MetricGate{{Metric: "rougeLsum", Min: 0.3, Variants: []string{"v2"}, MinCoverage: -1, Line: 14}}
	if diff := cmp.Diff(want, s.Gates.Metrics); diff != "" {
		t.Errorf("metric gates (-want +got):\n%s", diff)
	}
	if s.Gates.Contract == nil || s.Gates.Contract.Min != 0.9 {
		t.Errorf("contract gate = %+v", s.Gates.Contract)
	}
	if p := s.Prices["gpt-4o-mini"]; p.Cost(1e6, 1e6) != 0.75 {
		t.Errorf("price = %+v", p)
	}
}

func TestLoadSuiteErrors(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.jsonl")
	if err := os.WriteFile(data, []byte(`{"id":"a","article":"Some text here.","reference":["x"]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A resolver with a small schema: the real one is cmd/summarize's.
	known := []string{"backend", "llm.model", "llm.temperature", "prompt.name", "prompt.bullets"}
	resolveFn := func(layers ...[]Setting) (Resolved, error) {
		for _, l := range layers {
			for _, st := range l {
				switch {
				case !slices.Contains(known, st.Key):
					return Resolved{}, &SettingError{Key: st.Key, Unknown: true, Known: known}
				case st.Key == "llm.temperature":
					if _, ok := st.Value.(float64); !ok {
						if _, ok := st.Value.(int); !ok {
							return Resolved{}, &SettingError{Key: st.Key, Msg: fmt.Sprintf("want a number, got %q", st.Value)}
						}
					}
				case st.Key == "prompt.name" && st.Value != "headline":
					return Resolved{}, &SettingError{Key: st.Key, Msg: "no such prompt (see summarize prompts list)"}
				}
			}
		}
		return KeepSettings(layers...)
	}
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"typo in a variant key", `
dataset: data.jsonl
variants:
  - name: a
    model: m
    temprature: 0.2
`, []string{`suite.yaml:6: unknown key "temprature" in variant "a" (did you mean "temperature"?)`}},
		{"typo in a nested key", `
dataset: data.jsonl
variants:
  - name: v2
    llm: {modle: m}
`, []string{`suite.yaml:5: unknown key "llm.modle" in variant "v2" (did you mean "llm.model"?)`}},
		{"typo in defaults", `
dataset: data.jsonl
defaults:
  prompt:
    bulets: 4
variants: [{name: a, backend: extractive}]
`, []string{`suite.yaml:5: unknown key "prompt.bulets" in variant "a" (did you mean "prompt.bullets"?)`}},
		{"unknown top-level key", `
dataset: data.jsonl
variant:
  - name: a
`, []string{`suite.yaml:3: unknown key "variant" in suite (did you mean "variants"?)`, `suite.yaml:2: missing key "variants"`}},
		{"missing dataset file", `
dataset: nope.jsonl
variants: [{name: a, backend: extractive}]
`, []string{`suite.yaml:2: dataset nope.jsonl: no such file`}},
		{"unknown metric", `
dataset: data.jsonl
variants: [{name: a, backend: extractive}]
metrics:
  - rouge1
  - bleu
`, []string{`suite.yaml:6: metrics: unknown metric "bleu"`}},
		{"duplicate variant", `
dataset: data.jsonl
variants:
  - name: a
    backend: extractive
  - name: a
    backend: lead3
`, []string{`suite.yaml:6: duplicate variant name "a" (first on line 4)`}},
		{"unknown prompt and backend", `
dataset: data.jsonl
variants:
  - name: a
    prompt: headlin
  - name: b
    backend: anthropic
`, []string{`suite.yaml:5: variant "a": prompt.name: no such prompt`, `suite.yaml:7: variant "b": unknown backend "anthropic"`}},
		{"bad values", `
dataset: data.jsonl
variants: [{name: a, backend: extractive, temperature: hot}]
concurrency: 0
timeout: soon
leakage: maybe
`, []string{`suite.yaml:3: variant "a": llm.temperature: want a number, got "hot"`, `suite.yaml:4: concurrency: want at least 1, got 0`,
			`suite.yaml:5: timeout: want a duration like 90s or 2m, got "soon"`, `suite.yaml:6: leakage: want report or fail, got "maybe"`}},
		{"gate on a metric not scored", `
dataset: data.jsonl
variants: [{name: a, backend: extractive}]
metrics: [rouge1]
gates:
  rouge2: {min: 0.1}
  contract: {min: 2}
  regression: {baseline: old.json}
`, []string{`suite.yaml:6: gates: "rouge2" is not a metric of this suite (did you mean "rouge1"?)`,
			`suite.yaml:7: gates.contract: want min between 0 and 1`}},
		{"gate on an unknown variant", `
dataset: data.jsonl
variants: [{name: a, backend: extractive}]
metrics: [rouge1]
gates:
  rouge1: {min: 0.1, variants: [b]}
`, []string{`suite.yaml:6: gates.rouge1: unknown variant "b"`}},
		{"not YAML", "dataset: [\n", []string{"suite.yaml: yaml: "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "suite.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadSuite(path, LoadOptions{Resolve: resolveFn})
			if err == nil {
				t.Fatalf("LoadSuite: no error, want %q", tc.want)
			}
			msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("LoadSuite error\n%s\nlacks %q", msg, w)
				}
			}
		})
	}
}

func TestLeakageFail(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.jsonl")
	os.WriteFile(data, []byte(`{"id":"leaky","article":"The mayor resigned on Friday after ten years in office. A vote follows.","reference":["The mayor resigned on Friday after ten years in office"]}
{"id":"clean","article":"Rain fell for a week. Rivers rose across the region.","reference":["A week of rain made rivers rise"]}
`), 0o644)
	path := filepath.Join(dir, "suite.yaml")
	os.WriteFile(path, []byte("dataset: data.jsonl\nleakage: fail\nvariants: [{name: a, backend: lead3}]\nmetrics: [rouge1]\n"), 0o644)
	s, err := LoadSuite(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := dataset.Open(s.Dataset)
	if err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, t.Context(), s, d, RunOptions{Generators: map[string]Generator{"a": leadGen(1)}})
	failed := r.FailedGates()
	if len(failed) != 1 || failed[0].Gate != GateLeakage {
		t.Fatalf("failed gates = %+v, want the leakage gate", failed)
	}
	for _, rec := range records(t, r) {
		wantStatus := StatusPass
		if rec.Case == "leaky" {
			wantStatus = StatusFail
		}
		if rec.Status != wantStatus {
			t.Errorf("case %s status = %s (%v), want %s", rec.Case, rec.Status, rec.Reasons, wantStatus)
		}
	}
}
