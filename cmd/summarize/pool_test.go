package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// poolReport is the part of the JSON report the pool tests read.
type poolReport struct {
	Manifest struct {
		Variants []struct {
			Name      string `json:"name"`
			Endpoint  string `json:"endpoint"`
			Endpoints []struct {
				Endpoint string `json:"endpoint"`
				Served   int    `json:"served"`
				Failed   int    `json:"failed"`
				Ejected  int    `json:"ejected"`
			} `json:"endpoints"`
			Live   int `json:"live"`
			Cached int `json:"cached"`
		} `json:"variants"`
	} `json:"manifest"`
	Records []struct {
		Case    string   `json:"case"`
		Bullets []string `json:"bullets"`
		Error   string   `json:"error"`
	} `json:"records"`
}

func readPoolReport(t *testing.T, path string) poolReport {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	var r poolReport
	must(t, json.Unmarshal(data, &r))
	return r
}

// poolArticles are n short articles.
func poolArticles(n int) map[string]string {
	arts := map[string]string{}
	for i := range n {
		arts[fmt.Sprintf("case-%d", i)] = fmt.Sprintf("Story %d: the council met on Tuesday and voted on the plan. Officials said more talks would follow next week. The mayor welcomed the vote in a statement.", i)
	}
	return arts
}

// down makes every request of model on srv a 503.
func down(srv *llmtest.Server, model string) {
	srv.Handle(model, func(llmtest.ChatRequest, int) llmtest.Reply {
		return llmtest.Error(503, "server_error", nil, "The engine is currently overloaded")
	})
}

// A variant with llm.endpoints spreads its requests over the servers; one
// that fails every request loses nothing (with no retries configured, the
// pool's retry on another endpoint is what saves them), and the manifest
// and stderr say what each endpoint served and failed. The cache key does
// not depend on which endpoint answered: a rerun with another second
// endpoint answers from the cache.
func TestEvalEndpointPool(t *testing.T) {
	good, bad, other := llmtest.NewServer(t), llmtest.NewServer(t), llmtest.NewServer(t)
	down(bad, "fake-ok")
	suiteText := func(second string) string {
		return fmt.Sprintf(`
dataset: data.jsonl
sanity: none
variants:
  - name: llm
    llm:
      model: fake-ok
      max_retries: 0
      endpoints:
        - {base_url: %q, concurrency: 2}
        - {base_url: %q, api_key_env: SECOND_KEY}
metrics: [rouge1, contract]
`, good.URL(), second)
	}
	const n = 8
	dir := filepath.Dir(writeSuiteDir(t, suiteText(bad.URL()), poolArticles(n)))
	suite := filepath.Join(dir, "suite.yaml")
	cacheDir := t.TempDir()
	c := newCLI(t, map[string]string{"SECOND_KEY": "sk-second-secret-0123456789"})
	out := filepath.Join(t.TempDir(), "run.json")
	stdout, stderr, code := c.run("eval", suite, "-q", "--cache", cacheDir, "--json", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	r := readPoolReport(t, out)
	for _, rec := range r.Records {
		if rec.Error != "" || len(rec.Bullets) == 0 {
			t.Errorf("case %s lost: %q", rec.Case, rec.Error)
		}
	}
	if len(r.Records) != n {
		t.Fatalf("%d records, want %d", len(r.Records), n)
	}
	v := r.Manifest.Variants[0]
	if len(v.Endpoints) != 2 {
		t.Fatalf("manifest endpoints = %+v", v.Endpoints)
	}
	g, b := v.Endpoints[0], v.Endpoints[1]
	if g.Endpoint != strings.TrimRight(good.URL(), "/") || g.Served != n || g.Failed != 0 {
		t.Errorf("good endpoint: %+v, want all %d served", g, n)
	}
	if b.Served != 0 || b.Failed == 0 || b.Failed != len(bad.Requests()) || (b.Failed >= 3) != (b.Ejected > 0) {
		t.Errorf("failing endpoint: %+v (it saw %d requests), want failures counted, and taken out after 3", b, len(bad.Requests()))
	}
	if !strings.Contains(v.Endpoint, ",") {
		t.Errorf("manifest endpoint %q should name both hosts", v.Endpoint)
	}
	if !strings.Contains(stderr, "llm: endpoints: "+g.Endpoint+" served 8") || !strings.Contains(stderr, "failed") {
		t.Errorf("stderr does not say what each endpoint did:\n%s", stderr)
	}
	if strings.Contains(stdout+stderr, "sk-second-secret") {
		t.Error("an endpoint's key reached the output")
	}

	// Another second endpoint: the same cache keys, nothing sent.
	must(t, os.WriteFile(suite, []byte(suiteText(other.URL())), 0o644))
	before := len(good.Requests())
	out2 := filepath.Join(t.TempDir(), "run2.json")
	stdout, stderr, code = c.run("eval", suite, "-q", "--cache", cacheDir, "--json", out2)
	if code != 0 {
		t.Fatalf("rerun exit %d\n%s%s", code, stdout, stderr)
	}
	if sent := len(good.Requests()) - before + len(other.Requests()); sent != 0 {
		t.Errorf("rerun with another second endpoint sent %d requests, want all from the cache", sent)
	}
	if v := readPoolReport(t, out2).Manifest.Variants[0]; v.Cached != n {
		t.Errorf("rerun: %d cached of %d", v.Cached, n)
	}
}

// A bad endpoint list is one line naming the key and the line, exit 2.
func TestEndpointListErrors(t *testing.T) {
	for _, tc := range []struct{ name, list, want string }{
		{"duplicate", `[{base_url: "http://a:8000/v1"}, {base_url: "http://A:8000/v1/"}]`, "llm.endpoints[1].base_url: the same server as llm.endpoints[0]"},
		{"malformed", `[{base_url: "gpu1:8000"}]`, "llm.endpoints[0].base_url: want an http:// or https:// URL with a host"},
		{"empty", `[{concurrency: 2}]`, "llm.endpoints[0].base_url: must not be empty"},
		{"negative", `[{base_url: "http://a/v1", concurrency: -1}]`, "llm.endpoints[0].concurrency: -1 is negative"},
		{"unknown field", `[{base_url: "http://a/v1", concurency: 2}]`, `unknown key "concurency" in llm.endpoints[0] (did you mean "concurrency"?)`},
		{"key pasted", `[{base_url: "http://a/v1", api_key_env: "sk-abc-123"}]`, "llm.endpoints[0].api_key_env: want the name of an environment variable"},
		{"not a list", `"http://a/v1"`, "llm.endpoints: want a list of {base_url, api_key_env, concurrency}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "c.yaml")
			must(t, os.WriteFile(cfg, []byte("backend: openai\nllm:\n  model: fake-ok\n  endpoints: "+tc.list+"\n"), 0o644))
			art := filepath.Join(dir, "a.txt")
			must(t, os.WriteFile(art, []byte("The council met on Tuesday. It voted on the plan."), 0o644))
			c := newCLI(t, nil)
			stdout, stderr, code := c.run("--config", cfg, art)
			if code != exitUsage {
				t.Fatalf("exit %d, want 2\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "c.yaml:4") {
				t.Errorf("stderr = %q, want %q at c.yaml:4", stderr, tc.want)
			}
			if strings.Contains(stderr, "sk-abc-123") {
				t.Error("the pasted key was repeated")
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 1 {
				t.Errorf("want one error line (and at most a hint), got:\n%s", stderr)
			}
		})
	}
}

// summarize FILE with llm.endpoints: the failing server's requests are
// served by the other, and a note says what each did.
func TestSummarizeEndpointPool(t *testing.T) {
	good, bad := llmtest.NewServer(t), llmtest.NewServer(t)
	down(bad, "fake-ok")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	must(t, os.WriteFile(cfg, []byte(fmt.Sprintf("llm:\n  model: fake-ok\n  max_retries: 0\n  endpoints:\n    - {base_url: %q}\n    - {base_url: %q}\n", bad.URL(), good.URL())), 0o644))
	var files []string
	for i := range 3 {
		f := filepath.Join(dir, fmt.Sprintf("a%d.txt", i))
		must(t, os.WriteFile(f, []byte(fmt.Sprintf("Story %d: the council met on Tuesday and voted on the plan. Officials said more talks would follow next week. The mayor welcomed the vote in a statement.", i)), 0o644))
		files = append(files, f)
	}
	c := newCLI(t, nil)
	stdout, stderr, code := c.run(append([]string{"--config", cfg, "-j", "1"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if strings.Count(stdout, "- ") < 9 {
		t.Errorf("want three bullets for each of three files:\n%s", stdout)
	}
	if len(bad.Requests()) == 0 {
		t.Fatal("the first endpoint was never tried")
	}
	want := fmt.Sprintf("note: endpoints: %s served 0 (%d failed, taken out 1 time), %s served 3", strings.TrimRight(bad.URL(), "/"), len(bad.Requests()), strings.TrimRight(good.URL(), "/"))
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
}
