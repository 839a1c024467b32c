package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

const judgeArticle = "The city council approved a new budget on Tuesday after a long debate fake-score=3. " +
	"Critics said the plan ignores transport and raises fees for families. " +
	"The mayor said taxes would not rise next year under the new plan."

func judgeSuite(model, extra string) string {
	return `
dataset: data.jsonl
sanity: none
variants:
  - name: llm
    backend: openai
    llm: {model: fake-ok, max_retries: 0}
metrics: [rouge1, judge]
judge:
  model: ` + model + `
  dimensions: [coherence, fluency]
` + extra + `
prices:
  ` + model + `: {input: 1000, output: 2000}
`
}

type judgeRecord struct {
	Scores map[string]float64            `json:"scores"`
	Parts  map[string]map[string]float64 `json:"parts"`
	Cost   float64                       `json:"cost"`
	Source string                        `json:"source"`
	Error  string                        `json:"error"`
}

func runJudgeEval(t *testing.T, c *cli, suite string, args ...string) (judgeRecord, float64) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "run.json")
	stdout, stderr, code := c.run(append([]string{"eval", suite, "-q", "--json", out}, args...)...)
	if code != 0 {
		t.Fatalf("eval exit %d\n%s%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	must(t, err)
	var r struct {
		Variants []struct {
			Metrics map[string]struct{ Mean float64 } `json:"metrics"`
		} `json:"variants"`
		Records []judgeRecord `json:"records"`
	}
	must(t, json.Unmarshal(data, &r))
	if len(r.Records) != 1 || len(r.Variants) != 1 {
		t.Fatalf("report has %d records, %d variants; want 1 of each", len(r.Records), len(r.Variants))
	}
	if !strings.Contains(stdout, "judge") {
		t.Errorf("the table does not show the judge metric:\n%s", stdout)
	}
	return r.Records[0], r.Variants[0].Metrics["judge"].Mean
}

func TestEvalJudge(t *testing.T) {
	srv := llmtest.NewServer(t)
	suite := writeSuiteDir(t, judgeSuite("fake-judge", "  samples: 2"), map[string]string{"a": judgeArticle})
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	cache := filepath.Join(t.TempDir(), "cache")

	rec, mean := runJudgeEval(t, c, suite, "--cache", cache)
	if rec.Error != "" {
		t.Fatalf("record error: %s", rec.Error)
	}
	if rec.Scores["judge"] != 3 || mean != 3 {
		t.Errorf("judge score = %v, mean %v; want 3 (the fake judge reads fake-score=3 in the article)", rec.Scores["judge"], mean)
	}
	want := map[string]float64{"coherence": 3, "fluency": 3, "spread": 0}
	for k, v := range want {
		if got, ok := rec.Parts["judge"][k]; !ok || got != v {
			t.Errorf("parts.judge.%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	if _, ok := rec.Scores["rouge1"]; !ok {
		t.Errorf("the offline metric is gone: scores = %v", rec.Scores)
	}
	if rec.Cost <= 0 {
		t.Errorf("record cost = %v, want the judge's calls priced", rec.Cost)
	}
	// Two dimensions × two samples, each asking for logprobs (the default).
	if n := srv.Count("fake-judge"); n != 4 {
		t.Errorf("judge requests = %d, want 4", n)
	}
	for _, r := range srv.Requests() {
		if r.Body.Model != "fake-judge" {
			continue
		}
		if !r.Body.Logprobs || r.Body.Temperature == nil || *r.Body.Temperature != 1 {
			t.Errorf("judge request logprobs %v temperature %v; want true and 1 (samples > 1)", r.Body.Logprobs, r.Body.Temperature)
		}
		if u := r.Body.LastUser(); !strings.Contains(u, "<summary>\n- ") || !strings.Contains(u, "fake-score=3") {
			t.Errorf("judge prompt lacks the delimited bullets or the article:\n%s", u)
		}
	}

	// A rerun is answered from the cache: no judge request, same scores.
	again, _ := runJudgeEval(t, c, suite, "--cache", cache)
	if n := srv.Count("fake-judge"); n != 4 {
		t.Errorf("judge requests after a cached rerun = %d, want still 4", n)
	}
	if again.Scores["judge"] != 3 || again.Source != "cached" {
		t.Errorf("rerun: judge %v, source %q; want 3 from the cache", again.Scores["judge"], again.Source)
	}
}

func TestEvalJudgeLogprobs(t *testing.T) {
	srv := llmtest.NewServer(t)
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	suite := writeSuiteDir(t, judgeSuite("fake-judge-logprobs", ""), map[string]string{"a": judgeArticle})
	rec, _ := runJudgeEval(t, c, suite, "--cache-mode", "off")
	if want := llmtest.JudgeMean(3); math.Abs(rec.Scores["judge"]-want) > 1e-9 {
		t.Errorf("judge score = %v, want %v (weighted by the top logprobs)", rec.Scores["judge"], want)
	}

	off := writeSuiteDir(t, judgeSuite("fake-judge-logprobs", "  logprobs: false"), map[string]string{"a": judgeArticle})
	rec, _ = runJudgeEval(t, c, off, "--cache-mode", "off")
	if rec.Scores["judge"] != 3 {
		t.Errorf("judge score with logprobs: false = %v, want the sampled 3", rec.Scores["judge"])
	}
}

// The judge's own base_url is where its requests go; the variants keep
// theirs.
func TestEvalJudgeOwnEndpoint(t *testing.T) {
	summ, judgeSrv := llmtest.NewServer(t), llmtest.NewServer(t)
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": summ.URL(), "JUDGE_KEY": "sk-judge"})
	suite := writeSuiteDir(t, judgeSuite("fake-judge", "  base_url: "+judgeSrv.URL()+"\n  api_key_env: JUDGE_KEY"), map[string]string{"a": judgeArticle})
	rec, _ := runJudgeEval(t, c, suite, "--cache-mode", "off")
	if rec.Scores["judge"] != 3 || summ.Count("fake-judge") != 0 || judgeSrv.Count("fake-judge") != 2 || judgeSrv.Count("fake-ok") != 0 {
		t.Errorf("judge %v; judge requests to the summarizer's server %d, to its own %d", rec.Scores["judge"], summ.Count("fake-judge"), judgeSrv.Count("fake-judge"))
	}
	if got := judgeSrv.Requests()[0].Header.Get("Authorization"); got != "Bearer sk-judge" {
		t.Errorf("judge Authorization = %q, want the key from judge.api_key_env", got)
	}
}

func TestEvalJudgeSuiteErrors(t *testing.T) {
	tests := []struct {
		name, suite, want string
	}{
		{"judge metric without a section", `
dataset: data.jsonl
variants:
  - name: x
    backend: extractive
metrics:
  - rouge1
  - judge
`, "suite.yaml:8: metrics: judge needs a judge section"},
		{"section without the metric", `
dataset: data.jsonl
variants:
  - name: x
    backend: extractive
metrics: [rouge1]
judge: {model: fake-judge}
`, "suite.yaml:7: judge: the section is set but metrics do not list judge"},
		{"unknown dimension", `
dataset: data.jsonl
variants:
  - name: x
    backend: extractive
metrics: [judge]
judge:
  model: fake-judge
  dimensions: [coherence, wit]
`, `suite.yaml:9: judge.dimensions: unknown judge dimension "wit"`},
		{"bad samples and typo", `
dataset: data.jsonl
variants:
  - name: x
    backend: extractive
metrics: [judge]
judge:
  model: fake-judge
  samples: 0
  dimension: [coherence]
`, `suite.yaml:9: judge.samples: want at least 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
			suite := writeSuiteDir(t, tt.suite, map[string]string{"a": judgeArticle})
			_, stderr, code := c.run("eval", suite, "-q", "--cache-mode", "off")
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("eval exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, exitUsage, tt.want)
			}
		})
	}
}

// A rubric folder shadows the built-ins and adds dimensions.
func TestEvalJudgeRubricDir(t *testing.T) {
	srv := llmtest.NewServer(t)
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	suite := writeSuiteDir(t, `
dataset: data.jsonl
sanity: none
variants:
  - name: llm
    backend: openai
    llm: {model: fake-ok, max_retries: 0}
metrics: [judge]
judge:
  model: fake-judge
  dimensions: [wit]
  rubrics: rubrics
`, map[string]string{"a": judgeArticle})
	dir := filepath.Join(filepath.Dir(suite), "rubrics")
	must(t, os.MkdirAll(dir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "wit.tmpl"), []byte(`{{define "system"}}{{end}}{{define "user"}}How witty, 1 to 5? fake-score=5 {{.Summary}}{{end}}`), 0o644))
	rec, _ := runJudgeEval(t, c, suite, "--cache-mode", "off")
	// The user's rubric leaves the article (and its fake-score=3) out.
	if rec.Scores["judge"] != 5 || rec.Parts["judge"]["wit"] != 5 {
		t.Errorf("judge = %v, parts %v; want 5 from the user's rubric", rec.Scores["judge"], rec.Parts["judge"])
	}
}

// A gate on the judge's mean works as on any metric.
func TestEvalJudgeGate(t *testing.T) {
	srv := llmtest.NewServer(t)
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	suite := writeSuiteDir(t, judgeSuite("fake-judge", "gates:\n  judge: {min: 3.5}"), map[string]string{"a": judgeArticle})
	stdout, stderr, code := c.run("eval", suite, "-q", "--cache-mode", "off")
	if code != exitGate || !strings.Contains(stderr, "judge") {
		t.Errorf("eval exit %d, want %d (judge 3 < 3.5)\n%s%s", code, exitGate, stdout, stderr)
	}
}
