package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

var updateEvalCache = flag.Bool("update-eval-cache", false, "regenerate testdata/eval/cache, the CI suite's recorded LLM answers, from the fake server")

const ciSuite = "../../config/evals/ci.yaml"

// newTestApp is an app with captured output and an empty environment.
func newTestApp(out, errb *bytes.Buffer) *app {
	a := &app{io: stdio{in: strings.NewReader(""), out: out, err: errb}, getenv: func(string) string { return "" }}
	a.rootCmd() // binds the flags the config reads
	return a
}

// TestEvalCacheFixture records the CI suite's LLM answers: the variant's
// base_url (a dummy) is answered by llmtest's fake server while the cache
// keys keep the configured URL, so that replay finds them.
func TestEvalCacheFixture(t *testing.T) {
	if !*updateEvalCache {
		t.Skip("run with -update-eval-cache to regenerate testdata/eval/cache")
	}
	srv := llmtest.NewServer(t)
	dir := filepath.Join("..", "..", "testdata", "eval", "cache")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	a := newTestApp(&out, &errb)
	f := evalFlags{cacheMode: "rw", cacheDir: dir, quiet: true, variants: []string{"llm"},
		dial: func(string) string { return srv.URL() }}
	if err := a.runEval(t.Context(), ciSuite, f); err != nil {
		t.Fatalf("eval with the fake server: %v\n%s%s", err, out.String(), errb.String())
	}
}

// TestEvalCIReplay runs the CI suite as .ci/run does: offline, the LLM
// variant replayed from the committed cache, every gate passing.
func TestEvalCIReplay(t *testing.T) {
	junit := filepath.Join(t.TempDir(), "junit.xml")
	var out, errb bytes.Buffer
	a := newTestApp(&out, &errb)
	err := a.runEval(t.Context(), ciSuite, evalFlags{cacheMode: "replay", junit: junit, quiet: true})
	if err != nil {
		t.Fatalf("eval %s: %v (exit %d)\n%s%s", ciSuite, err, exitCode(err), out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "PASS:") || !strings.Contains(out.String(), "llm ") {
		t.Errorf("table lacks the verdict or the llm variant:\n%s", out.String())
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("junit: %v", err)
	}
	if doc.Tests < 36 || doc.Errors != 0 {
		t.Errorf("junit tests=%d errors=%d, want ≥ 36 tests (12 cases × 3 variants + gates), no errors", doc.Tests, doc.Errors)
	}
}

// TestEvalInterrupted: a run cut short (Ctrl-C before anything finished)
// still writes its reports and exits 1.
func TestEvalInterrupted(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errb bytes.Buffer
	a := newTestApp(&out, &errb)
	f := evalFlags{cacheMode: "replay", quiet: true, json: filepath.Join(dir, "run.json"), junit: filepath.Join(dir, "junit.xml")}
	err := a.runEval(ctx, ciSuite, f)
	if err == nil || exitCode(err) != exitInterrupted || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("interrupted eval: err %v (exit %d), want exit %d saying interrupted", err, exitCode(err), exitInterrupted)
	}
	if want := "summarize: interrupted: writing the reports of what finished\n"; errb.String() != want {
		t.Errorf("stderr of an interrupted eval = %q, want %q", errb.String(), want)
	}
	data, rerr := os.ReadFile(f.json)
	if rerr != nil {
		t.Fatalf("JSON report of an interrupted run: %v", rerr)
	}
	if !strings.Contains(string(data), `"interrupted": true`) {
		t.Errorf("JSON report does not say interrupted")
	}
	if !strings.Contains(out.String(), "INTERRUPTED") {
		t.Errorf("table does not say interrupted:\n%s", out.String())
	}
	if _, err := os.Stat(f.junit); err != nil {
		t.Errorf("JUnit report of an interrupted run: %v", err)
	}
}
