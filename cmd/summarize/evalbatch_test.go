package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// The batch tests run summarize eval --batch against llmtest's fake Batch
// API; the poll waits are cut to a millisecond, as the retries' are.

const batchSuite = `
name: batch-suite
dataset: data.jsonl
sanity: none
variants:
  - name: llm
    backend: openai
    llm: {model: fake-ok, max_retries: 0}
    prompt: {name: headline, bullets: 2, dir: fake-prompts}
metrics: [rouge1, contract]
`

func batchArticles() map[string]string {
	return map[string]string{
		"ferry": "Ferry fares to the outer islands will double for visitors this summer, the island council decided on Tuesday.\n\nThe council said the extra money will pay for a second boat on the busiest route.",
		"frost": "A late frost has destroyed about half of the apple blossoms in the valley's orchards, growers said on Monday.\n\nTemperatures fell to minus 4 degrees Celsius on Saturday night.",
		"zoo":   "The city zoo welcomed a baby giraffe on Friday, the first born there in 20 years.\n\nVisitors can see her from next week, the zoo said.",
	}
}

// runCtx is cli.run with a context and the tests' short waits.
func (c *cli) runCtx(ctx context.Context, args ...string) (stdout, stderr string, code int) {
	return c.exec(ctx, "", args...)
}

// batchReport is the part of the JSON report the batch tests read.
type batchReport struct {
	Manifest struct {
		Batch *struct {
			Batches, Rounds, Requests, Failed, Live int
			Resumed                                 bool
			Cost                                    float64
			LivePrice                               float64 `json:"live_price"`
		} `json:"batch"`
	} `json:"manifest"`
	Variants []struct {
		Name                       string
		Runs, Errors, Live, Cached int
		Replayed                   int
	} `json:"variants"`
}

func readBatchReport(t *testing.T, path string) batchReport {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	var r batchReport
	must(t, json.Unmarshal(data, &r))
	if len(r.Variants) != 1 {
		t.Fatalf("report %s: %d variants, want 1", path, len(r.Variants))
	}
	return r
}

type batchEnv struct {
	t     *testing.T
	srv   *llmtest.BatchServer
	c     *cli
	suite string
	cache string
	dir   string
}

func newBatchEnv(t *testing.T, baseURL func(*llmtest.BatchServer) string) *batchEnv {
	srv := llmtest.NewBatchServer(t)
	url := srv.URL()
	if baseURL != nil {
		url = baseURL(srv)
	}
	suite := writeSuiteDir(t, batchSuite, batchArticles())
	return &batchEnv{t: t, srv: srv, c: newCLI(t, map[string]string{"OPENAI_BASE_URL": url}), suite: suite,
		cache: filepath.Join(t.TempDir(), "cache"), dir: t.TempDir()}
}

func (e *batchEnv) eval(ctx context.Context, json string, args ...string) (string, string, int) {
	all := append([]string{"eval", e.suite, "--cache", e.cache, "--json", filepath.Join(e.dir, json)}, args...)
	return e.c.runCtx(ctx, all...)
}

func (e *batchEnv) calls(route string) int { return e.srv.HTTPCalls()[route] }

const liveChat = "POST /v1/chat/completions"

// --batch sends the misses in one batch, makes no live chat call, and the
// run answers from the cache; a replay run afterwards needs no server.
func TestEvalBatchHappyPath(t *testing.T) {
	e := newBatchEnv(t, nil)
	stdout, stderr, code := e.eval(context.Background(), "batch.json", "--batch")
	if code != 0 {
		t.Fatalf("eval --batch: exit %d\n%s%s", code, stdout, stderr)
	}
	if n := e.calls(liveChat); n != 0 {
		t.Errorf("eval --batch made %d live chat calls, want 0", n)
	}
	if n := e.calls("POST /v1/batches"); n != 1 {
		t.Errorf("eval --batch created %d batches, want 1", n)
	}
	if !regexp.MustCompile(`batch batch_\w+: completed, 3 of 3 done, 0 failed`).MatchString(stderr) {
		t.Errorf("stderr lacks the progress line with the request counts:\n%s", stderr)
	}
	if !strings.Contains(stderr, "batch: 3 requests answered by 1 batch") {
		t.Errorf("stderr lacks the batch summary:\n%s", stderr)
	}
	r := readBatchReport(t, filepath.Join(e.dir, "batch.json"))
	v := r.Variants[0]
	if v.Runs != 3 || v.Errors != 0 || v.Live != 0 || v.Cached != 3 {
		t.Errorf("variant = %+v, want 3 runs, all cached, no error", v)
	}
	if b := r.Manifest.Batch; b == nil || b.Batches != 1 || b.Requests != 3 || b.Live != 0 || b.Failed != 0 {
		t.Errorf("manifest batch = %+v, want 1 batch answering 3 requests", b)
	}
	states, _ := filepath.Glob(filepath.Join(e.dir, "summarize-batch-*.json"))
	if len(states) != 0 {
		t.Errorf("state files left after a finished batch: %v", states)
	}

	// A rerun and a replay run need no batch and no server.
	before := e.srv.HTTPCalls()
	if _, stderr, code := e.eval(context.Background(), "again.json", "--batch"); code != 0 {
		t.Fatalf("rerun --batch: exit %d\n%s", code, stderr)
	}
	replay := newCLI(t, map[string]string{"OPENAI_BASE_URL": e.c.env["OPENAI_BASE_URL"]})
	out := filepath.Join(e.dir, "replay.json")
	if _, stderr, code := replay.runCtx(context.Background(), "eval", e.suite, "--cache", e.cache, "--cache-mode", "replay", "--json", out); code != 0 {
		t.Fatalf("replay after the batch: exit %d\n%s", code, stderr)
	}
	if after := e.srv.HTTPCalls(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("rerun and replay called the server: before %v, after %v", before, after)
	}
	if v := readBatchReport(t, out).Variants[0]; v.Replayed != 3 || v.Errors != 0 {
		t.Errorf("replay variant = %+v, want 3 replayed runs", v)
	}
}

// interrupter is a proxy before the fake that cancels the eval (Ctrl-C)
// the first time it sees the batch polled, once armed.
type interrupter struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

func (i *interrupter) arm(cancel context.CancelFunc) {
	i.mu.Lock()
	i.cancel = cancel
	i.mu.Unlock()
}

func interruptingProxy(t *testing.T, srv *llmtest.BatchServer, i *interrupter) string {
	target, err := url.Parse(srv.URL())
	must(t, err)
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	ps := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i.mu.Lock()
		cancel := i.cancel
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/batches/") && cancel != nil {
			i.cancel = nil
			i.mu.Unlock()
			cancel()
			http.Error(w, `{"error":{"message":"interrupted"}}`, http.StatusServiceUnavailable)
			return
		}
		i.mu.Unlock()
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ps.Close)
	return ps.URL + "/v1"
}

// Ctrl-C while the batch runs leaves its state file: --batch-status shows
// the batch, and a rerun picks it up instead of creating another.
func TestEvalBatchResume(t *testing.T) {
	var stop interrupter
	e := newBatchEnv(t, func(s *llmtest.BatchServer) string { return interruptingProxy(t, s, &stop) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop.arm(cancel)
	_, stderr, code := e.eval(ctx, "first.json", "--batch")
	if code != exitInterrupted {
		t.Fatalf("interrupted eval --batch: exit %d, want %d\n%s", code, exitInterrupted, stderr)
	}
	if !strings.Contains(stderr, "interrupted while waiting for the batch") || !strings.Contains(stderr, "hint: rerun the same command") {
		t.Errorf("stderr of the interrupted run:\n%s", stderr)
	}
	states, _ := filepath.Glob(filepath.Join(e.dir, "summarize-batch-*.json"))
	if len(states) != 1 {
		t.Fatalf("state files after the interrupt: %v, want 1", states)
	}
	stdout, stderr, code := e.eval(context.Background(), "status.json", "--batch-status")
	if code != 0 || !regexp.MustCompile(`(?m)^batch_\w+\t(validating|in_progress|finalizing|completed)\b.*\tfake-ok\t3 requests`).MatchString(stdout) {
		t.Errorf("--batch-status: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if n := e.calls(liveChat); n != 0 {
		t.Errorf("--batch-status made %d chat calls", n)
	}

	_, stderr, code = e.eval(context.Background(), "second.json", "--batch")
	if code != 0 {
		t.Fatalf("rerun after the interrupt: exit %d\n%s", code, stderr)
	}
	if n := e.calls("POST /v1/batches"); n != 1 {
		t.Errorf("batches created over both runs: %d, want 1 (the rerun resumes)", n)
	}
	if n := e.calls("POST /v1/files"); n != 1 {
		t.Errorf("files uploaded over both runs: %d, want 1", n)
	}
	if !strings.Contains(stderr, "batch: resumed 1 batch") {
		t.Errorf("rerun does not say it resumed:\n%s", stderr)
	}
	r := readBatchReport(t, filepath.Join(e.dir, "second.json"))
	if b := r.Manifest.Batch; b == nil || !b.Resumed || b.Requests != 3 {
		t.Errorf("manifest batch = %+v, want resumed with 3 requests", b)
	}
	if n := e.calls(liveChat); n != 0 {
		t.Errorf("resumed run made %d live chat calls", n)
	}
	if stdout, _, _ := e.eval(context.Background(), "none.json", "--batch-status"); !strings.HasPrefix(stdout, "no batch in progress") {
		t.Errorf("--batch-status after the batch finished: %q", stdout)
	}
}

// --batch-cancel cancels the batch; the rerun sends what it did not run in
// a follow-up batch.
func TestEvalBatchCancel(t *testing.T) {
	var stop interrupter
	e := newBatchEnv(t, func(s *llmtest.BatchServer) string { return interruptingProxy(t, s, &stop) })
	e.srv.SetBatchFaults(llmtest.BatchFaults{PollsPerStatus: 3})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop.arm(cancel)
	if _, stderr, code := e.eval(ctx, "first.json", "--batch"); code != exitInterrupted {
		t.Fatalf("interrupted eval --batch: exit %d\n%s", code, stderr)
	}
	stdout, stderr, code := e.eval(context.Background(), "cancel.json", "--batch-cancel")
	if code != 0 || !regexp.MustCompile(`(?m)^batch_\w+\t(cancelling|cancelled)\b`).MatchString(stdout) {
		t.Fatalf("--batch-cancel: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if got := e.srv.Batches()[0].Status; got != "cancelling" && got != "cancelled" {
		t.Errorf("batch after --batch-cancel: %s", got)
	}
	e.srv.SetBatchFaults(llmtest.BatchFaults{})
	_, stderr, code = e.eval(context.Background(), "second.json", "--batch")
	if code != 0 {
		t.Fatalf("rerun after --batch-cancel: exit %d\n%s", code, stderr)
	}
	if n := e.calls("POST /v1/batches"); n != 2 {
		t.Errorf("batches created: %d, want 2 (the cancelled one, then a follow-up)", n)
	}
	if n := e.calls(liveChat); n != 0 {
		t.Errorf("%d live chat calls, want 0", n)
	}
	if v := readBatchReport(t, filepath.Join(e.dir, "second.json")).Variants[0]; v.Cached != 3 || v.Errors != 0 {
		t.Errorf("variant after the follow-up batch = %+v, want 3 cached runs", v)
	}
}

// Lines an expired batch left go in a follow-up batch (default), and live
// once they have been in two; with --batch-fallback live they go live at
// once. No line is lost either way.
func TestEvalBatchExpired(t *testing.T) {
	for _, tc := range []struct {
		fallback            string
		batches, live, fail int
	}{
		{"batch", 2, 1, 3}, // 1 answered, 2 left; then 1 answered, 1 left → live
		{"live", 1, 2, 2},
	} {
		t.Run(tc.fallback, func(t *testing.T) {
			e := newBatchEnv(t, nil)
			e.srv.SetBatchFaults(llmtest.BatchFaults{ExpireAfter: 1})
			_, stderr, code := e.eval(context.Background(), "run.json", "--batch", "--batch-fallback", tc.fallback)
			if code != 0 {
				t.Fatalf("eval: exit %d\n%s", code, stderr)
			}
			if n := e.calls("POST /v1/batches"); n != tc.batches {
				t.Errorf("batches created: %d, want %d", n, tc.batches)
			}
			if n := e.calls(liveChat); n != tc.live {
				t.Errorf("live chat calls: %d, want %d", n, tc.live)
			}
			if !strings.Contains(stderr, "batch expired before the request ran") {
				t.Errorf("stderr does not say the lines expired:\n%s", stderr)
			}
			r := readBatchReport(t, filepath.Join(e.dir, "run.json"))
			if v := r.Variants[0]; v.Runs != 3 || v.Errors != 0 || v.Live != tc.live {
				t.Errorf("variant = %+v, want 3 runs without errors, %d live", v, tc.live)
			}
			if b := r.Manifest.Batch; b == nil || b.Live != tc.live || b.Failed != tc.fail || b.Requests != 3-tc.live {
				t.Errorf("manifest batch = %+v, want %d live, %d failed lines", b, tc.live, tc.fail)
			}
		})
	}
}

// A batch that fails validation is a usage error (2) with the provider's
// reasons, and nothing is called live.
func TestEvalBatchValidation(t *testing.T) {
	e := newBatchEnv(t, nil)
	line := 2
	e.srv.SetBatchFaults(llmtest.BatchFaults{FailValidation: &llmtest.BatchError{Code: "invalid_request", Message: "model not allowed in batches", Line: &line}})
	_, stderr, code := e.eval(context.Background(), "run.json", "--batch")
	if code != exitUsage {
		t.Fatalf("eval: exit %d, want %d\n%s", code, exitUsage, stderr)
	}
	if !strings.Contains(stderr, "batch failed validation") || !strings.Contains(stderr, "line 2: invalid_request: model not allowed in batches") {
		t.Errorf("stderr lacks the validation error:\n%s", stderr)
	}
	if n := e.calls(liveChat); n != 0 {
		t.Errorf("%d live chat calls after a failed validation", n)
	}
	if _, err := os.Stat(filepath.Join(e.dir, "run.json")); err == nil {
		t.Errorf("a report was written for a run that did not run")
	}
}

// A state file of another suite is refused (2); the batch it holds is not
// touched.
func TestEvalBatchOtherWork(t *testing.T) {
	var stop interrupter
	e := newBatchEnv(t, func(s *llmtest.BatchServer) string { return interruptingProxy(t, s, &stop) })
	state := filepath.Join(e.dir, "state.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop.arm(cancel)
	if _, stderr, code := e.eval(ctx, "first.json", "--batch", "--batch-state", state); code != exitInterrupted {
		t.Fatalf("interrupted eval: exit %d\n%s", code, stderr)
	}
	other := writeSuiteDir(t, strings.Replace(batchSuite, "batch-suite", "other-suite", 1), batchArticles())
	_, stderr, code := e.c.runCtx(context.Background(), "eval", other, "--cache", e.cache, "--batch", "--batch-state", state)
	if code != exitUsage || !strings.Contains(stderr, "batch state file is for other work") {
		t.Errorf("eval of another suite with the same state: exit %d\n%s", code, stderr)
	}
	if n := e.calls("POST /v1/batches"); n != 1 {
		t.Errorf("batches created: %d, want 1", n)
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("the other work's state file is gone: %v", err)
	}
}

// Bad batch flags are usage errors before any work.
func TestEvalBatchFlags(t *testing.T) {
	e := newBatchEnv(t, nil)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--batch", "--cache-mode", "replay"}, "--batch needs the response cache in rw mode"},
		{[]string{"--batch", "--batch-fallback", "never"}, `--batch-fallback "never": want batch or live`},
		{[]string{"--batch-status", "--batch-cancel"}, "choose one"},
	} {
		_, stderr, code := e.eval(context.Background(), "x.json", tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("eval %v: exit %d, stderr %q; want exit 2 with %q", tc.args, code, stderr, tc.want)
		}
	}
	if n := len(e.srv.HTTPCalls()); n != 0 {
		t.Errorf("bad flags reached the server: %v", e.srv.HTTPCalls())
	}
}

// A long article's map requests go in the first batch and its merge in
// the next; nothing goes live.
func TestEvalBatchMapReduce(t *testing.T) {
	srv := llmtest.NewBatchServer(t)
	long := strings.Repeat(sampleArticle(t)+"\n\n", 3)
	suite := writeSuiteDir(t, `
name: long-suite
dataset: data.jsonl
sanity: none
variants:
  - name: llm
    backend: openai
    llm: {model: fake-ok, max_retries: 0, context_window: 600, max_tokens: 100}
    prompt: {name: headline, bullets: 2, dir: fake-prompts}
metrics: [rouge1]
`, map[string]string{"long": long})
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	out := filepath.Join(t.TempDir(), "run.json")
	_, stderr, code := c.runCtx(context.Background(), "eval", suite, "--cache", filepath.Join(t.TempDir(), "cache"), "--json", out, "--batch")
	if code != 0 {
		t.Fatalf("eval --batch of a long article: exit %d\n%s", code, stderr)
	}
	if n := srv.HTTPCalls()[liveChat]; n != 0 {
		t.Errorf("%d live chat calls, want 0", n)
	}
	bs := srv.Batches()
	if len(bs) != 2 || bs[0].RequestCounts.Total < 2 || bs[1].RequestCounts.Total != 1 {
		t.Fatalf("batches = %+v, want the parts in one, then the merge alone", bs)
	}
	r := readBatchReport(t, out)
	if b := r.Manifest.Batch; b == nil || b.Rounds != 2 || b.Requests != bs[0].RequestCounts.Total+1 {
		t.Errorf("manifest batch = %+v, want 2 rounds", b)
	}
	if v := r.Variants[0]; v.Runs != 1 || v.Errors != 0 || v.Cached != 1 {
		t.Errorf("variant = %+v, want one cached run", v)
	}
}

// Batch-answered calls are priced at half the model's price, apart from the
// live cost, which stays 0.
func TestEvalBatchCost(t *testing.T) {
	srv := llmtest.NewBatchServer(t)
	suite := writeSuiteDir(t, batchSuite+"prices: {fake-ok: {input: 1000, output: 3000, batch_discount: 0.5}}\n", batchArticles())
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	out := filepath.Join(t.TempDir(), "run.json")
	_, stderr, code := c.runCtx(context.Background(), "eval", suite, "--cache", filepath.Join(t.TempDir(), "cache"), "--json", out, "--batch")
	if code != 0 {
		t.Fatalf("eval --batch: exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(out)
	must(t, err)
	var r struct {
		Manifest struct {
			Batch struct {
				Cost      float64
				LivePrice float64 `json:"live_price"`
			}
		}
		Variants []struct{ Cost float64 }
		Records  []struct {
			PromptTokens     int `json:"prompt_tokens"`
			CompletionTokens int `json:"completion_tokens"`
		}
	}
	must(t, json.Unmarshal(data, &r))
	want := 0.0
	for _, rec := range r.Records {
		want += (float64(rec.PromptTokens)*1000 + float64(rec.CompletionTokens)*3000) / 1e6
	}
	b := r.Manifest.Batch
	if want == 0 || !near(b.LivePrice, want) || !near(b.Cost, want/2) {
		t.Errorf("manifest batch cost %g, live price %g; want %g and %g from the records' usage", b.Cost, b.LivePrice, want/2, want)
	}
	if r.Variants[0].Cost != 0 {
		t.Errorf("live cost %g, want 0: every call went by batch", r.Variants[0].Cost)
	}
	if !strings.Contains(stderr, "at the batch price") {
		t.Errorf("stderr does not say the batch cost:\n%s", stderr)
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// --max-cost bounds a batch: one whose worst case (every reply at its
// token limit) would pass it is not sent, and says its worst case, which
// is at least what the batch then costs when allowed.
func TestEvalBatchMaxCost(t *testing.T) {
	srv := llmtest.NewBatchServer(t)
	suite := writeSuiteDir(t, batchSuite+"prices: {fake-ok: {input: 1000, output: 3000, batch_discount: 0.5}}\n", batchArticles())
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	cache := filepath.Join(t.TempDir(), "cache")
	out := filepath.Join(t.TempDir(), "run.json")
	_, stderr, code := c.runCtx(context.Background(), "eval", suite, "--cache", cache, "--json", out, "--batch", "--max-cost", "0.0001")
	if code != exitFailure {
		t.Fatalf("eval --batch over budget: exit %d, want %d\n%s", code, exitFailure, stderr)
	}
	m := regexp.MustCompile(`the batch of 3 requests for llm could cost up to \$([0-9.]+) at the batch price, over --max-cost \$0\.0001: nothing was sent\n.*hint: raise --max-cost`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("stderr does not say why the batch was not sent:\n%s", stderr)
	}
	if n := srv.HTTPCalls(); n["POST /v1/batches"]+n["POST /v1/files"]+n[liveChat] != 0 {
		t.Errorf("the refused batch called the server: %v", n)
	}
	var worst float64
	fmt.Sscan(m[1], &worst)

	_, stderr, code = c.runCtx(context.Background(), "eval", suite, "--cache", cache, "--json", out, "--batch", "--max-cost", fmt.Sprint(worst))
	if code != 0 {
		t.Fatalf("eval --batch --max-cost at the worst case: exit %d\n%s", code, stderr)
	}
	r := readBatchReport(t, out)
	if b := r.Manifest.Batch; b == nil || b.Requests != 3 || b.Cost <= 0 || b.Cost > worst {
		t.Errorf("manifest batch = %+v; want 3 requests costing more than 0 and at most the worst case %g", b, worst)
	}
}

// The judge's requests go by batch too: those over the offline baseline's
// bullets with the variant's requests in the first round (every rubric and
// sample of a case at once), those over the LLM variant's bullets in the
// next. No live chat call is made, and every record has its judgment.
func TestEvalBatchJudge(t *testing.T) {
	srv := llmtest.NewBatchServer(t)
	s := strings.Replace(batchSuite, "metrics: [rouge1, contract]", "metrics: [rouge1, judge]\njudge: {model: fake-judge, dimensions: [coherence, fluency], samples: 2}", 1)
	suite := writeSuiteDir(t, strings.Replace(s, "sanity: none\n", "", 1), batchArticles()) // with the lead3 baseline
	c := newCLI(t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	cache := filepath.Join(t.TempDir(), "cache")
	out := filepath.Join(t.TempDir(), "run.json")
	_, stderr, code := c.runCtx(context.Background(), "eval", suite, "--cache", cache, "--json", out, "--batch")
	if code != 0 {
		t.Fatalf("eval --batch with a judge: exit %d\n%s", code, stderr)
	}
	if n := srv.HTTPCalls(); n[liveChat] != 0 || n["POST /v1/batches"] != 3 || !strings.Contains(stderr, "batch: 15 requests to send") || !strings.Contains(stderr, "batch: 12 requests to send") {
		t.Errorf("calls %v: want 3 batches (the variant's requests and the baseline's judgments, a batch a model; then the variant's judgments) and no live chat call\n%s", n, stderr)
	}
	data, err := os.ReadFile(out)
	must(t, err)
	var r struct {
		Records []struct {
			Variant string
			Scores  map[string]float64
			Error   string
		}
	}
	must(t, json.Unmarshal(data, &r))
	if len(r.Records) != 6 {
		t.Fatalf("%d records, want 3 cases × (llm, lead3)", len(r.Records))
	}
	for _, rec := range r.Records {
		if _, ok := rec.Scores["judge"]; !ok || rec.Error != "" {
			t.Errorf("%s record: scores %v, error %q; want a judgment", rec.Variant, rec.Scores, rec.Error)
		}
	}
	// A replay run afterwards judges from the cache alone.
	replay := filepath.Join(t.TempDir(), "replay.json")
	before := srv.HTTPCalls()
	if _, stderr, code := c.runCtx(context.Background(), "eval", suite, "--cache", cache, "--cache-mode", "replay", "--json", replay); code != 0 {
		t.Fatalf("replay: exit %d\n%s", code, stderr)
	}
	if after := srv.HTTPCalls(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("replay called the server: %v then %v", before, after)
	}
}

// A batch sent before is resumed under --max-cost whatever its worst case:
// it is paid for, and refusing it would only orphan it.
func TestEvalBatchMaxCostResumes(t *testing.T) {
	var stop interrupter
	e := newBatchEnv(t, func(s *llmtest.BatchServer) string { return interruptingProxy(t, s, &stop) })
	e.suite = writeSuiteDir(t, batchSuite+"prices: {fake-ok: {input: 1000, output: 3000, batch_discount: 0.5}}\n", batchArticles())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop.arm(cancel)
	if _, stderr, code := e.eval(ctx, "first.json", "--batch"); code != exitInterrupted {
		t.Fatalf("interrupted eval --batch: exit %d\n%s", code, stderr)
	}
	if _, stderr, code := e.eval(context.Background(), "fresh.json", "--batch", "--max-cost", "0.0001", "--batch-state", filepath.Join(t.TempDir(), "other.json")); code != exitFailure || !strings.Contains(stderr, "nothing was sent") {
		t.Fatalf("a new batch over --max-cost: exit %d, want %d and the refusal\n%s", code, exitFailure, stderr)
	}
	_, stderr, code := e.eval(context.Background(), "second.json", "--batch", "--max-cost", "0.0001")
	if code != 0 || !strings.Contains(stderr, "batch: resumed 1 batch") {
		t.Fatalf("rerun under --max-cost: exit %d, want the batch resumed\n%s", code, stderr)
	}
	if n := e.calls("POST /v1/batches"); n != 1 {
		t.Errorf("batches created: %d, want 1", n)
	}
}
