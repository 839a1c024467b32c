package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// cli runs the binary's command line in-process with env as the whole
// environment (HOME and XDG_CONFIG_HOME point at a temp folder unless env
// sets them).
type cli struct {
	t   *testing.T
	env map[string]string
}

func newCLI(t *testing.T, env map[string]string) *cli {
	home := t.TempDir()
	if env == nil {
		env = map[string]string{}
	}
	for k, v := range map[string]string{"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"), "XDG_CACHE_HOME": filepath.Join(home, ".cache")} {
		if _, ok := env[k]; !ok {
			env[k] = v
		}
	}
	for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(k, env[k]) // os.UserConfigDir and os.UserCacheDir read the process environment
	}
	return &cli{t: t, env: env}
}

func (c *cli) run(args ...string) (stdout, stderr string, code int) {
	return c.exec(context.Background(), "", args...)
}

// exec runs the command line with ctx and stdin as its standard input.
// Retry waits are cut to 1 ms, as the CLI scripts cut them, so no test
// waits real seconds.
func (c *cli) exec(ctx context.Context, stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	var environ []string
	for k, v := range c.env {
		environ = append(environ, k+"="+v)
	}
	a := &app{io: stdio{in: strings.NewReader(stdin), out: &out, err: &errb, retryWaitCap: time.Millisecond},
		getenv: func(k string) string { return c.env[k] }, environ: environ}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	err := root.ExecuteContext(ctx)
	if err != nil {
		report(&errb, err)
	}
	return out.String(), errb.String(), exitCode(err)
}

// writeSuiteDir writes a suite folder: suite.yaml, data.jsonl of the given
// cases (id → article), the fake's own templates in fake-prompts (a suite
// whose checks depend on the bullet count sets prompt.dir: fake-prompts;
// the fake reads no shipped prompt's wording), and returns the suite's
// path.
func writeSuiteDir(t *testing.T, suite string, articles map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	var data strings.Builder
	for id, art := range articles {
		line, _ := json.Marshal(map[string]any{"id": id, "article": art, "reference": []string{"A reference bullet about " + id}})
		data.Write(line)
		data.WriteByte('\n')
	}
	must(t, os.WriteFile(filepath.Join(dir, "data.jsonl"), []byte(data.String()), 0o644))
	must(t, os.CopyFS(filepath.Join(dir, "fake-prompts"), llmtest.Prompts()))
	path := filepath.Join(dir, "suite.yaml")
	must(t, os.WriteFile(path, []byte(suite), 0o644))
	return path
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func sampleArticle(t *testing.T) string {
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sample.txt"))
	must(t, err)
	return string(data)
}

// evalReport is the part of the JSON report the tests read.
type evalReport struct {
	Manifest struct {
		Settings struct {
			Overrides []string `json:"overrides"`
			CacheMode string   `json:"cache_mode"`
		} `json:"settings"`
		Variants []struct {
			Name     string         `json:"name"`
			Model    string         `json:"model"`
			Prompt   string         `json:"prompt"`
			Endpoint string         `json:"endpoint"`
			Config   map[string]any `json:"config"`
			Live     int            `json:"live"`
			Cached   int            `json:"cached"`
			Replayed int            `json:"replayed"`
		} `json:"variants"`
	} `json:"manifest"`
	Variants []struct {
		Name      string                            `json:"name"`
		Cases     int                               `json:"cases"`
		Live      int                               `json:"live"`
		Cached    int                               `json:"cached"`
		LatencyMS *struct{ P50 float64 }            `json:"latency_ms"`
		Metrics   map[string]struct{ Mean float64 } `json:"metrics"`
	} `json:"variants"`
	Records []reportRecord `json:"records"`
}

type reportRecord struct {
	Case    string   `json:"case"`
	Variant string   `json:"variant"`
	Bullets []string `json:"bullets"`
}

func readReport(t *testing.T, path string) evalReport {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	var r evalReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("JSON report %s: %v", path, err)
	}
	slices.SortFunc(r.Records, func(a, b reportRecord) int {
		return cmp.Compare(a.Variant+"\x00"+a.Case, b.Variant+"\x00"+b.Case)
	})
	return r
}

const hermeticSuite = `
dataset: data.jsonl
sanity: none
variants:
  - name: offline
    backend: extractive
  - name: llm
    backend: openai
    llm: {model: fake-ok, seed: 7, max_retries: 0}
    prompt: {name: headline, max_words: 12}
metrics: [rouge1, contract]
`

// A personal config file and SUMMARIZE_* variables change nothing in a
// suite run: the suite and the eval flags define it.
func TestEvalIsHermetic(t *testing.T) {
	srv := llmtest.NewServer(t)
	suite := writeSuiteDir(t, hermeticSuite, map[string]string{"sample": sampleArticle(t)})
	runOnce := func(personal bool) (evalReport, []llmtest.Request) {
		env := map[string]string{"OPENAI_BASE_URL": srv.URL()}
		c := newCLI(t, env)
		if personal {
			cfgDir := filepath.Join(env["XDG_CONFIG_HOME"], "summarize")
			must(t, os.MkdirAll(cfgDir, 0o755))
			must(t, os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("prompt:\n  max_words: 8\n  bullets: 5\nextractive:\n  max_words: 10\n"), 0o644))
			env["SUMMARIZE_LLM_TEMPERATURE"] = "1.5"
			env["SUMMARIZE_PROMPT_BULLETS"] = "1"
		}
		before := len(srv.Requests())
		out := filepath.Join(t.TempDir(), "run.json")
		stdout, stderr, code := c.run("eval", suite, "-q", "--cache-mode", "off", "--json", out)
		if code != 0 {
			t.Fatalf("eval (personal=%v) exit %d\n%s%s", personal, code, stdout, stderr)
		}
		return readReport(t, out), srv.Requests()[before:]
	}
	clean, cleanReqs := runOnce(false)
	dirty, dirtyReqs := runOnce(true)
	if diff := gocmp.Diff(clean.Manifest.Variants, dirty.Manifest.Variants); diff != "" {
		t.Errorf("manifest variants changed by a personal config (-clean +personal):\n%s", diff)
	}
	if diff := gocmp.Diff(clean.Records, dirty.Records); diff != "" {
		t.Errorf("bullets changed by a personal config (-clean +personal):\n%s", diff)
	}
	if len(cleanReqs) == 0 || len(cleanReqs) != len(dirtyReqs) {
		t.Fatalf("requests: %d without, %d with a personal config", len(cleanReqs), len(dirtyReqs))
	}
	for i := range cleanReqs {
		if diff := gocmp.Diff(cleanReqs[i].Body, dirtyReqs[i].Body); diff != "" {
			t.Errorf("request %d changed by a personal config (-clean +personal):\n%s", i, diff)
		}
	}
	// The variant's own keys did reach the request: the seed, and
	// max_words in the rendered prompt.
	req := cleanReqs[0].Body
	if req.Seed == nil || *req.Seed != 7 {
		t.Errorf("request seed = %v, want the variant's llm.seed 7", req.Seed)
	}
	if !strings.Contains(req.Messages[0].Content+req.LastUser(), "12 words") {
		t.Errorf("rendered prompt does not carry prompt.max_words 12:\n%s", req.Messages[0].Content)
	}
	llm := clean.Manifest.Variants[1]
	if llm.Config["llm.seed"] != 7.0 || llm.Config["prompt.max_words"] != 12.0 || !strings.HasPrefix(llm.Prompt, "headline@") || llm.Endpoint == "" {
		t.Errorf("manifest of llm = %+v, want seed 7, max_words 12, the prompt hash and the endpoint host", llm)
	}
}

// --set changes every variant and the manifest says so; a mistyped key is
// an error that suggests the right one.
func TestEvalSet(t *testing.T) {
	srv := llmtest.NewServer(t)
	suite := writeSuiteDir(t, hermeticSuite, map[string]string{"sample": sampleArticle(t)})
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	out := filepath.Join(t.TempDir(), "run.json")
	stdout, stderr, code := c.run("eval", suite, "-q", "--cache-mode", "off", "--variant", "llm", "--set", "llm.model=fake-json", "--json", out)
	if code != 0 {
		t.Fatalf("eval --set: exit %d\n%s%s", code, stdout, stderr)
	}
	r := readReport(t, out)
	if diff := gocmp.Diff([]string{"llm.model=fake-json"}, r.Manifest.Settings.Overrides); diff != "" {
		t.Errorf("manifest overrides (-want +got):\n%s", diff)
	}
	if m := r.Manifest.Variants[0].Model; m != "fake-json" {
		t.Errorf("manifest model = %q, want fake-json", m)
	}
	if n := srv.Count("fake-json"); n == 0 {
		t.Errorf("the server saw no request for the --set model")
	}

	_, stderr, code = c.run("eval", suite, "--set", "llm.modle=x")
	if code != exitUsage || !strings.Contains(stderr, `--set llm.modle: unknown key "llm.modle" (did you mean "llm.model"?)`) {
		t.Errorf("eval --set llm.modle: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = c.run("eval", suite, "--set", "prompt.bullets=3.5")
	if code != exitUsage || !strings.Contains(stderr, "prompt.bullets: want a whole number, got 3.5") {
		t.Errorf("eval --set prompt.bullets=3.5: exit %d, stderr %q", code, stderr)
	}
}

// Flags of the summarize command that do not apply to eval are refused
// with what to use instead, before anything runs.
func TestEvalRejectsSummarizeFlags(t *testing.T) {
	suite := writeSuiteDir(t, "dataset: data.jsonl\nvariants: [{name: a, backend: extractive}]\n", map[string]string{"x": "Some text. More text here for the test."})
	c := newCLI(t, nil)
	for _, tc := range []struct{ flag, hint string }{
		{"--model=gpt-4o", "--set llm.model"},
		{"-f=json", "--json"},
		{"--bullets=5", "--set prompt.bullets"},
		{"--max-words=8", "--set prompt.max_words"},
		{"--config=x.yaml", "reads no config file"},
	} {
		_, stderr, code := c.run("eval", suite, tc.flag)
		if code != exitUsage || !strings.Contains(stderr, "does not apply to eval") || !strings.Contains(stderr, tc.hint) {
			t.Errorf("eval %s: exit %d, stderr %q; want exit 2 with a hint naming %q", tc.flag, code, stderr, tc.hint)
		}
	}
}

// Variant mistakes are reported at their line with a suggestion.
func TestEvalSuiteKeyErrors(t *testing.T) {
	c := newCLI(t, nil)
	for _, tc := range []struct{ suite, want string }{
		{"dataset: data.jsonl\nvariants:\n  - name: v2\n    llm: {modle: gpt-4o}\n",
			`suite.yaml:4: unknown key "llm.modle" in variant "v2" (did you mean "llm.model"?)`},
		{"dataset: data.jsonl\nvariants:\n  - name: a\n    backend: extractive\n    temprature: 0.2\n",
			`suite.yaml:5: unknown key "temprature" in variant "a" (did you mean "temperature"?)`},
		{"dataset: data.jsonl\nvariants:\n  - name: a\n    model: m\n    prompt: {name: headlin}\n",
			`suite.yaml:5: variant "a": prompt.name: unknown prompt "headlin"`},
		{"dataset: data.jsonl\nvariants:\n  - name: a\n    llm: {model: m, temperature: 3}\n",
			`suite.yaml:4: variant "a": llm.temperature: 3 is outside 0..2`},
		{"dataset: data.jsonl\ndefaults:\n  prompt: {bullets: 3.5}\nvariants: [{name: a, backend: extractive}]\n",
			`suite.yaml:3: variant "a": prompt.bullets: want a whole number, got 3.5`},
		{"dataset: data.jsonl\nvariants: [{name: a, backend: auto}]\n",
			`variant "a": backend: "auto" depends on the environment`},
	} {
		suite := writeSuiteDir(t, tc.suite, map[string]string{"x": "Some text. More text here for the test."})
		_, stderr, code := c.run("eval", suite)
		stderr = strings.ReplaceAll(stderr, filepath.Dir(suite)+string(filepath.Separator), "")
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("suite\n%s\nexit %d, stderr %q; want exit 2 and %q", tc.suite, code, stderr, tc.want)
		}
	}
}

// A flaky server that loses half a variant's cases fails its gates (exit
// 3) even when errors are tolerated, and the verdict says how many cases
// it covered; the JUnit file then holds a failure.
func TestEvalFlakyServerFailsGates(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Handle("fake-flaky", func(req llmtest.ChatRequest, n int) llmtest.Reply {
		if strings.Contains(req.LastUser(), "lose me") {
			return llmtest.Error(500, "server_error", nil, "The server had an error")
		}
		return llmtest.Reply{Content: "- One bullet about the story here\n- Another bullet about the story\n- A third bullet about the story"}
	})
	articles := map[string]string{}
	for i := range 6 {
		tag := "keep me"
		if i%2 == 1 {
			tag = "lose me"
		}
		articles[fmt.Sprintf("case-%d", i)] = fmt.Sprintf("Story %d: the council met on Tuesday and voted on the plan (%s). Officials said more talks would follow next week.", i, tag)
	}
	suite := writeSuiteDir(t, `
dataset: data.jsonl
sanity: none
variants:
  - name: llm
    llm: {model: fake-flaky, max_retries: 0}
metrics: [rouge1, contract]
gates:
  rouge1: {min: 0.0}
  contract: {min: 0.0}
  errors: {max: 100}
`, articles)
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	junit := filepath.Join(t.TempDir(), "junit.xml")
	stdout, stderr, code := c.run("eval", suite, "-q", "--cache-mode", "off", "--junit", junit)
	if code != exitGate {
		t.Fatalf("exit %d, want 3\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "3 of 6 cases scored") {
		t.Errorf("table does not say the gates covered 3 of 6 cases:\n%s", stdout)
	}
	if f := junitCounts(t, junit); f.failures == 0 {
		t.Errorf("eval exited 3 but the JUnit file has no <failure>")
	}
}

type junitTotals struct{ failures, errors int }

// junitCounts counts <failure> and <error> elements in a JUnit file.
func junitCounts(t *testing.T, path string) junitTotals {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	var tot junitTotals
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "failure":
				tot.failures++
			case "error":
				tot.errors++
			}
		}
	}
	return tot
}

// The README's dev-style suite with an ungated sanity baseline that breaks
// a contract: exit 0, and the JUnit file has no failure and no error.
func TestEvalPassMeansCleanJUnit(t *testing.T) {
	suite := writeSuiteDir(t, `
dataset: data.jsonl
variants:
  - name: extractive
    backend: extractive
metrics: [rouge1, contract]
contract: {max_words: 12}
gates:
  rouge1: {min: 0.0}
`, map[string]string{"sample": sampleArticle(t)})
	c := newCLI(t, nil)
	junit := filepath.Join(t.TempDir(), "junit.xml")
	stdout, stderr, code := c.run("eval", suite, "-q", "--junit", junit)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if tot := junitCounts(t, junit); tot.failures != 0 || tot.errors != 0 {
		t.Errorf("eval exited 0 but the JUnit file has %d failures and %d errors", tot.failures, tot.errors)
	}
}

// A rerun served from the cache is reported as cached: no latency, no
// cost, and the counts say so.
func TestEvalCachedRerun(t *testing.T) {
	srv := llmtest.NewServer(t)
	suite := writeSuiteDir(t, hermeticSuite+"prices:\n  fake-ok: {input: 1, output: 1}\n", map[string]string{"sample": sampleArticle(t)})
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	cache := t.TempDir()
	var reports []evalReport
	var tables []string
	for range 2 {
		out := filepath.Join(t.TempDir(), "run.json")
		stdout, stderr, code := c.run("eval", suite, "-q", "--variant", "llm", "--cache", cache, "--json", out)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		reports = append(reports, readReport(t, out))
		tables = append(tables, stdout)
	}
	first, second := reports[0].Variants[0], reports[1].Variants[0]
	if first.Live != 1 || first.Cached != 0 || first.LatencyMS == nil {
		t.Errorf("first run: live %d cached %d latency %v, want one live run with a latency", first.Live, first.Cached, first.LatencyMS)
	}
	if second.Live != 0 || second.Cached != 1 || second.LatencyMS != nil {
		t.Errorf("rerun: live %d cached %d latency %v, want one cached run and no latency", second.Live, second.Cached, second.LatencyMS)
	}
	if m := reports[1].Manifest.Variants[0]; m.Cached != 1 || m.Live != 0 {
		t.Errorf("rerun manifest: live %d cached %d", m.Live, m.Cached)
	}
	if !strings.Contains(tables[1], "cached") {
		t.Errorf("rerun table does not say cached:\n%s", tables[1])
	}
}

// The extractive bullets of an eval case are what summarize prints for the
// same article saved as a file: both go through the same cleaning.
func TestEvalSummarizesWhatUsersSummarize(t *testing.T) {
	art := sampleArticle(t)
	suite := writeSuiteDir(t, "dataset: data.jsonl\nsanity: none\nvariants: [{name: extractive, backend: extractive}]\nmetrics: [rouge1]\n", map[string]string{"sample": art})
	c := newCLI(t, nil)
	out := filepath.Join(t.TempDir(), "run.json")
	stdout, stderr, code := c.run("eval", suite, "-q", "--json", out)
	if code != 0 {
		t.Fatalf("eval exit %d\n%s%s", code, stdout, stderr)
	}
	file := filepath.Join(t.TempDir(), "sample.txt")
	must(t, os.WriteFile(file, []byte(art), 0o644))
	stdout, stderr, code = c.run("--format", "json", file)
	if code != 0 {
		t.Fatalf("summarize exit %d\n%s%s", code, stdout, stderr)
	}
	var printed struct{ Bullets []string }
	must(t, json.Unmarshal([]byte(stdout), &printed))
	got := readReport(t, out).Records[0].Bullets
	if len(printed.Bullets) == 0 {
		t.Fatal("summarize printed no bullets")
	}
	if diff := gocmp.Diff(printed.Bullets, got); diff != "" {
		t.Errorf("eval bullets differ from summarize on the file (-summarize +eval):\n%s", diff)
	}
}

// --json - writes the report to standard output (the table goes to
// stderr), and a report path that cannot be written stops the run before
// it starts.
func TestEvalReportPaths(t *testing.T) {
	suite := writeSuiteDir(t, "dataset: data.jsonl\nsanity: none\nvariants: [{name: e, backend: extractive}]\nmetrics: [rouge1]\n",
		map[string]string{"sample": sampleArticle(t)})
	c := newCLI(t, nil)
	stdout, stderr, code := c.run("eval", suite, "-q", "--json", "-")
	if code != 0 {
		t.Fatalf("eval --json -: exit %d\n%s", code, stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Errorf("stdout of --json - is not one JSON document: %v\n%.300s", err, stdout)
	}
	if !strings.Contains(stderr, "PASS") {
		t.Errorf("the table did not go to stderr:\n%s", stderr)
	}

	blocker := filepath.Join(t.TempDir(), "file")
	must(t, os.WriteFile(blocker, nil, 0o644))
	_, stderr, code = c.run("eval", suite, "-q", "--junit", filepath.Join(blocker, "junit.xml"))
	if code != exitUsage || !strings.Contains(stderr, "--junit") {
		t.Errorf("unwritable --junit: exit %d, stderr %q; want exit 2 naming --junit", code, stderr)
	}
	_, stderr, code = c.run("eval", suite, "-q", "--json", "-", "--markdown", "-")
	if code != exitUsage || !strings.Contains(stderr, "standard output") {
		t.Errorf("two reports on stdout: exit %d, stderr %q", code, stderr)
	}
	// A link to a device is written through, not replaced.
	link := filepath.Join(t.TempDir(), "out")
	must(t, os.Symlink(os.DevNull, link))
	_, stderr, code = c.run("eval", suite, "-q", "--json", link)
	if code != 0 {
		t.Fatalf("--json to a link to the null device: exit %d, %s", code, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link to the null device was replaced: %v %v", st.Mode(), err)
	}
}

// A regression gate whose baseline does not exist says how to make it.
func TestEvalMissingBaselineHint(t *testing.T) {
	suite := writeSuiteDir(t, "dataset: data.jsonl\nvariants: [{name: e, backend: extractive}]\nmetrics: [rouge1]\n", map[string]string{"x": "Some text. More text here."})
	c := newCLI(t, nil)
	_, stderr, code := c.run("eval", suite, "--baseline", "results/main.json")
	if code != exitUsage || !strings.Contains(stderr, "hint: make it from a run") || !strings.Contains(stderr, "--no-baseline --json results/main.json") {
		t.Errorf("missing baseline: exit %d, stderr %q", code, stderr)
	}
}

// What a suite run leaves out is said once, so nobody wonders why their
// config file changed nothing.
func TestEvalSaysWhatItIgnores(t *testing.T) {
	suite := writeSuiteDir(t, "dataset: data.jsonl\nsanity: none\nvariants: [{name: e, backend: extractive}]\nmetrics: [rouge1]\n", map[string]string{"sample": sampleArticle(t)})
	c := newCLI(t, map[string]string{"SUMMARIZE_PROMPT_BULLETS": "1"})
	cfgDir := filepath.Join(c.env["XDG_CONFIG_HOME"], "summarize")
	must(t, os.MkdirAll(cfgDir, 0o755))
	must(t, os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("prompt: {bullets: 5}\n"), 0o644))
	_, stderr, code := c.run("eval", suite)
	if code != 0 || !strings.Contains(stderr, "note: eval ignores SUMMARIZE_PROMPT_BULLETS and the config file") {
		t.Errorf("exit %d, stderr %q; want a note naming the variable and the config file", code, stderr)
	}
}

// A key a server echoes back reaches no report, cache entry or output.
func TestEvalCanaryKeyLeaksNowhere(t *testing.T) {
	const canary = "sk-canary-0123456789abcdef"
	srv := llmtest.NewServer(t)
	srv.Handle("fake-echo", func(req llmtest.ChatRequest, n int) llmtest.Reply {
		return llmtest.Reply{Content: "- The council heard the key " + canary + " today\n- Officials met on Tuesday to vote\n- More talks follow next week"}
	})
	suite := writeSuiteDir(t, "dataset: data.jsonl\nsanity: none\nvariants: [{name: llm, llm: {model: fake-echo}}]\nmetrics: [rouge1, faithfulness]\n",
		map[string]string{"sample": sampleArticle(t)})
	c := newCLI(t, map[string]string{"OPENAI_API_KEY": canary, "OPENAI_BASE_URL": srv.URL()})
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	stdout, stderr, code := c.run("eval", suite, "-q", "--cache", cache, "--json", filepath.Join(dir, "r.json"),
		"--jsonl", filepath.Join(dir, "r.jsonl"), "--html", filepath.Join(dir, "r.html"), "--markdown", filepath.Join(dir, "r.md"), "--junit", filepath.Join(dir, "r.xml"))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, canary) {
		t.Errorf("the key is in the command's output")
	}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(data), canary) {
			t.Errorf("the key is in %s", path)
		}
		return err
	})
	must(t, err)
	if data, _ := os.ReadFile(filepath.Join(dir, "r.jsonl")); !strings.Contains(string(data), "REDACTED") {
		t.Errorf("the echoed key was not replaced by REDACTED in the records")
	}
}

// The summarize command does not print a key the server echoes back.
func TestSummarizeCanaryKey(t *testing.T) {
	const canary = "sk-canary-0123456789abcdef"
	srv := llmtest.NewServer(t)
	srv.Handle("fake-echo", func(req llmtest.ChatRequest, n int) llmtest.Reply {
		return llmtest.Reply{Content: "- The council heard the key " + canary + " today\n- Officials met on Tuesday to vote\n- More talks follow next week"}
	})
	file := filepath.Join(t.TempDir(), "a.txt")
	must(t, os.WriteFile(file, []byte(sampleArticle(t)), 0o644))
	c := newCLI(t, map[string]string{"OPENAI_API_KEY": canary, "OPENAI_BASE_URL": srv.URL()})
	for _, args := range [][]string{{"--model", "fake-echo", file}, {"--model", "fake-echo", "--raw", file}, {"--model", "fake-echo", "-f", "json", file}} {
		stdout, stderr, code := c.run(args...)
		if code != 0 || strings.Contains(stdout+stderr, canary) || !strings.Contains(stdout, "REDACTED") {
			t.Errorf("summarize %v: exit %d, the key printed: %v\n%s%s", args, code, strings.Contains(stdout+stderr, canary), stdout, stderr)
		}
	}
}

type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// clean, like every command, fails when its output cannot be written.
func TestCleanWriteError(t *testing.T) {
	newCLI(t, nil)
	file := filepath.Join(t.TempDir(), "a.txt")
	must(t, os.WriteFile(file, []byte(sampleArticle(t)), 0o644))
	var errb bytes.Buffer
	a := &app{io: stdio{in: strings.NewReader(""), out: fullWriter{}, err: &errb}, getenv: func(string) string { return "" }}
	root := a.rootCmd()
	root.SetArgs([]string{"clean", file})
	err := root.ExecuteContext(context.Background())
	if exitCode(err) != exitFailure || !strings.Contains(fmt.Sprint(err), "no space left") {
		t.Errorf("clean to a full disk: %v (exit %d), want exit 1 naming the write error", err, exitCode(err))
	}
}

// A report path that is a link to a file writes the file and leaves the
// link in place.
func TestReportThroughSymlink(t *testing.T) {
	suite := writeSuiteDir(t, "dataset: data.jsonl\nsanity: none\nvariants: [{name: e, backend: extractive}]\nmetrics: [rouge1]\n", map[string]string{"sample": sampleArticle(t)})
	dir := t.TempDir()
	target := filepath.Join(dir, "real.json")
	must(t, os.WriteFile(target, nil, 0o644))
	link := filepath.Join(dir, "link.json")
	must(t, os.Symlink(target, link))
	c := newCLI(t, nil)
	if _, stderr, code := c.run("eval", suite, "-q", "--json", link); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced")
	}
	if data, _ := os.ReadFile(target); !strings.Contains(string(data), `"manifest"`) {
		t.Errorf("the link's target does not hold the report")
	}
}

// A key pasted where its variable's name goes is refused without being
// repeated.
func TestPastedKeyInAPIKeyEnv(t *testing.T) {
	const key = "sk-proj-abcdefghijklmnop0123456789"
	file := filepath.Join(t.TempDir(), "a.txt")
	must(t, os.WriteFile(file, []byte(sampleArticle(t)), 0o644))
	c := newCLI(t, map[string]string{"SUMMARIZE_LLM_API_KEY_ENV": key})
	for _, args := range [][]string{{file}, {"config", "show"}} {
		stdout, stderr, code := c.run(args...)
		if code != exitUsage || strings.Contains(stdout+stderr, key) || !strings.Contains(stderr, "llm.api_key_env") {
			t.Errorf("%v: exit %d, key shown %v: %s", args, code, strings.Contains(stdout+stderr, key), stderr)
		}
	}
	suite := writeSuiteDir(t, "dataset: data.jsonl\nvariants: [{name: v, llm: {model: m, api_key_env: "+key+"}}]\n", map[string]string{"x": "Some text here. More text."})
	_, stderr, code := newCLI(t, nil).run("eval", suite)
	if code != exitUsage || strings.Contains(stderr, key) {
		t.Errorf("suite with a pasted key: exit %d, key shown %v: %s", code, strings.Contains(stderr, key), stderr)
	}
}

// A report to a link to /proc/self/fd/N (how CI scripts name a pipe) is
// written into the pipe, and the link stays.
func TestReportThroughProcFdLink(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd here")
	}
	suite := writeSuiteDir(t, "dataset: data.jsonl\nsanity: none\nvariants: [{name: e, backend: extractive}]\nmetrics: [rouge1]\n", map[string]string{"sample": sampleArticle(t)})
	r, w, err := os.Pipe()
	must(t, err)
	defer r.Close()
	got := make(chan string, 1)
	go func() { data, _ := io.ReadAll(r); got <- string(data) }()
	link := filepath.Join(t.TempDir(), "out.json")
	must(t, os.Symlink(fmt.Sprintf("/proc/self/fd/%d", w.Fd()), link))
	c := newCLI(t, nil)
	_, stderr, code := c.run("eval", suite, "-q", "--json", link)
	w.Close()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if out := <-got; !strings.Contains(out, `"manifest"`) {
		t.Errorf("the pipe got %.100q, want the JSON report", out)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced")
	}
}
