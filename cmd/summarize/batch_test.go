package main

import (
	"context"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// The summarize --batch tests run the summarize command over several files
// against llmtest's fake Batch API and compare what it prints with what the
// same command prints without --batch against a plain fake.

// sumBatch is one summarize --batch test's files and servers.
type sumBatch struct {
	t       *testing.T
	srv     *llmtest.BatchServer
	c       *cli
	files   []string
	prompts string
	cache   string
}

// newSumBatch writes the batch articles as files (ferry, frost, zoo) and
// points OPENAI_BASE_URL at a fresh batch fake, or at what baseURL makes
// of it.
func newSumBatch(t *testing.T, baseURL func(*llmtest.BatchServer) string) *sumBatch {
	t.Helper()
	srv := llmtest.NewBatchServer(t)
	url := srv.URL()
	if baseURL != nil {
		url = baseURL(srv)
	}
	dir := t.TempDir()
	arts := batchArticles()
	var files []string
	for _, name := range []string{"ferry", "frost", "zoo"} {
		p := filepath.Join(dir, name+".txt")
		must(t, os.WriteFile(p, []byte(arts[name]+"\n"), 0o644))
		files = append(files, p)
	}
	prompts := filepath.Join(dir, "fake-prompts")
	must(t, os.CopyFS(prompts, llmtest.Prompts()))
	return &sumBatch{t: t, srv: srv, c: newCLI(t, map[string]string{"OPENAI_BASE_URL": url}), files: files, prompts: prompts,
		cache: filepath.Join(t.TempDir(), "cache")}
}

// args are the summarize command's arguments: the fake's prompts and
// model, extra, then the inputs (the files unless inputs are given).
func (e *sumBatch) args(model string, extra []string, inputs ...string) []string {
	if len(inputs) == 0 {
		inputs = e.files
	}
	args := []string{"--model", model, "--prompt-dir", e.prompts, "--bullets", "2", "--max-retries", "0"}
	return append(append(args, extra...), inputs...)
}

// batch runs summarize --batch (with the test's cache) over the inputs.
func (e *sumBatch) batch(ctx context.Context, stdin, model string, extra []string, inputs ...string) (string, string, int) {
	return runStdin(ctx, e.c, stdin, e.args(model, append([]string{"--batch", "--cache", e.cache}, extra...), inputs...)...)
}

// live runs the same command without --batch against a plain fake.
func (e *sumBatch) live(stdin, model string, extra []string, inputs ...string) (string, string, int) {
	srv := llmtest.NewServer(e.t)
	e.handle(srv)
	c := newCLI(e.t, map[string]string{"OPENAI_BASE_URL": srv.URL()})
	return runStdin(context.Background(), c, stdin, e.args(model, extra, inputs...)...)
}

// handle registers the test's own scenario: fake-giraffe-400 refuses
// every request about the giraffe with a 400 and answers the rest.
func (e *sumBatch) handle(srv *llmtest.Server) {
	srv.Handle("fake-giraffe-400", func(req llmtest.ChatRequest, n int) llmtest.Reply {
		for _, m := range req.Messages {
			if strings.Contains(m.Content, "giraffe") {
				return llmtest.Error(http.StatusBadRequest, "invalid_request_error", nil, "this request is refused")
			}
		}
		return llmtest.OK(req, n)
	})
}

func (e *sumBatch) calls(route string) int { return e.srv.HTTPCalls()[route] }

// runStdin is cli.runCtx with stdin as standard input.
func runStdin(ctx context.Context, c *cli, stdin string, args ...string) (stdout, stderr string, code int) {
	return c.exec(ctx, stdin, args...)
}

// durations are the json and jsonl outputs' timings, which differ from
// run to run.
var durations = regexp.MustCompile(`"duration_ms": ?[0-9.]+`)

func sameOutput(s string) string { return durations.ReplaceAllString(s, `"duration_ms":0`) }

// errorLines are the "summarize: ..." lines of stderr that report failed
// inputs and the exit's error (not the notes and batch lines).
func errorLines(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "summarize: ") && !strings.HasPrefix(l, "summarize: batch") && !strings.HasPrefix(l, "summarize: note") {
			out = append(out, l)
		}
	}
	return out
}

// Several files, standard input and a missing file print in every format
// what they print without --batch; the requests go in one batch (standard
// input repeats zoo.txt: one request answers both) and no chat call is
// live; a rerun answers from the cache and calls nothing.
func TestSummarizeBatchSameOutput(t *testing.T) {
	const stdin = "The city zoo welcomed a baby giraffe on Friday, the first born there in 20 years.\n\nVisitors can see her from next week, the zoo said.\n"
	for _, format := range []string{"text", "json", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			e := newSumBatch(t, nil)
			inputs := append(slices.Clone(e.files), "-", filepath.Join(t.TempDir(), "missing.txt"))
			extra := []string{"--format", format}
			want, wantErr, wantCode := e.live(stdin, "fake-ok", extra, inputs...)
			if wantCode != exitFailure || !strings.Contains(want+wantErr, "missing.txt") {
				t.Fatalf("live run: exit %d, want 1 for the missing file\n%s%s", wantCode, want, wantErr)
			}
			got, stderr, code := e.batch(context.Background(), stdin, "fake-ok", extra, inputs...)
			if code != wantCode {
				t.Errorf("summarize --batch: exit %d, want %d as without --batch\n%s", code, wantCode, stderr)
			}
			if diff := cmp.Diff(sameOutput(want), sameOutput(got)); diff != "" {
				t.Errorf("summarize --batch output differs from the live run's (-live +batch):\n%s", diff)
			}
			if diff := cmp.Diff(errorLines(wantErr), errorLines(stderr)); diff != "" {
				t.Errorf("summarize --batch errors differ from the live run's (-live +batch):\n%s", diff)
			}
			if n := e.calls(liveChat); n != 0 {
				t.Errorf("summarize --batch made %d live chat calls, want 0", n)
			}
			if n := e.calls("POST /v1/batches"); n != 1 {
				t.Errorf("summarize --batch created %d batches, want 1", n)
			}
			if !regexp.MustCompile(`summarize: batch batch_\w+: completed, 3 of 3 done, 0 failed`).MatchString(stderr) {
				t.Errorf("stderr lacks the progress line with the request counts:\n%s", stderr)
			}
			if !strings.Contains(stderr, "summarize: batch: 3 requests answered by 1 batch") {
				t.Errorf("stderr lacks the batch summary:\n%s", stderr)
			}
			if states, _ := filepath.Glob(filepath.Join(e.cache, "summarize-batch-*.json")); len(states) != 0 {
				t.Errorf("state files left after a finished batch: %v", states)
			}

			before := e.srv.HTTPCalls()
			again, stderr, code := e.batch(context.Background(), stdin, "fake-ok", extra, inputs...)
			if code != wantCode || sameOutput(again) != sameOutput(want) {
				t.Errorf("rerun --batch: exit %d, output:\n%s\nwant:\n%s\n%s", code, again, want, stderr)
			}
			if after := e.srv.HTTPCalls(); !maps.Equal(before, after) {
				t.Errorf("rerun --batch called the server: before %v, after %v", before, after)
			}
		})
	}
}

// An input whose request the provider refuses (a 400) goes live, where it
// fails as it does without --batch: the same output, error and exit code.
func TestSummarizeBatchFailedRequest(t *testing.T) {
	e := newSumBatch(t, nil)
	e.handle(e.srv.Server)
	extra := []string{"--format", "jsonl"}
	want, wantErr, wantCode := e.live("", "fake-giraffe-400", extra)
	if wantCode == 0 || !strings.Contains(wantErr, "zoo.txt") {
		t.Fatalf("live run: exit %d, want the zoo to fail\n%s%s", wantCode, want, wantErr)
	}
	got, stderr, code := e.batch(context.Background(), "", "fake-giraffe-400", extra)
	if code != wantCode {
		t.Errorf("summarize --batch: exit %d, want %d as without --batch\n%s", code, wantCode, stderr)
	}
	if diff := cmp.Diff(sameOutput(want), sameOutput(got)); diff != "" {
		t.Errorf("output differs from the live run's (-live +batch):\n%s", diff)
	}
	if diff := cmp.Diff(errorLines(wantErr), errorLines(stderr)); diff != "" {
		t.Errorf("errors differ from the live run's (-live +batch):\n%s", diff)
	}
	if !strings.Contains(stderr, "batch: 1 request not answered (first: 3-zoo.txt/r0:") || !strings.Contains(stderr, "they go live") {
		t.Errorf("stderr does not say the refused line goes live:\n%s", stderr)
	}
	if n := e.calls(liveChat); n != 1 {
		t.Errorf("live chat calls: %d, want 1 (the refused request)", n)
	}
}

// Lines an expired batch left go in a follow-up batch (default), then
// live; with --batch-fallback live at once. The output is the live run's
// either way: nothing is lost.
func TestSummarizeBatchExpired(t *testing.T) {
	for _, tc := range []struct {
		fallback      string
		batches, live int
	}{
		{"batch", 2, 1},
		{"live", 1, 2},
	} {
		t.Run(tc.fallback, func(t *testing.T) {
			e := newSumBatch(t, nil)
			e.srv.SetBatchFaults(llmtest.BatchFaults{ExpireAfter: 1})
			want, _, _ := e.live("", "fake-ok", nil)
			got, stderr, code := e.batch(context.Background(), "", "fake-ok", []string{"--batch-fallback", tc.fallback})
			if code != 0 || got != want {
				t.Fatalf("summarize --batch: exit %d, output:\n%s\nwant:\n%s\n%s", code, got, want, stderr)
			}
			if n := e.calls("POST /v1/batches"); n != tc.batches {
				t.Errorf("batches created: %d, want %d", n, tc.batches)
			}
			if n := e.calls(liveChat); n != tc.live {
				t.Errorf("live chat calls: %d, want %d", n, tc.live)
			}
			if !strings.Contains(stderr, "batch expired before the request ran") || !strings.Contains(stderr, "left to live calls") {
				t.Errorf("stderr does not say what expired and what went live:\n%s", stderr)
			}
		})
	}
}

// Ctrl-C while the batch runs exits 130 and keeps the state file;
// --batch-status shows the batch, a rerun picks it up instead of creating
// another, and --batch-status then finds none.
func TestSummarizeBatchResume(t *testing.T) {
	var stop interrupter
	e := newSumBatch(t, func(s *llmtest.BatchServer) string { return interruptingProxy(t, s, &stop) })
	want, _, _ := e.live("", "fake-ok", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop.arm(cancel)
	stdout, stderr, code := e.batch(ctx, "", "fake-ok", nil)
	if code != exitInterrupted || stdout != "" {
		t.Fatalf("interrupted summarize --batch: exit %d, want %d, stdout %q\n%s", code, exitInterrupted, stdout, stderr)
	}
	if !strings.Contains(stderr, "interrupted while waiting for the batch") || !strings.Contains(stderr, "hint: rerun the same command") {
		t.Errorf("stderr of the interrupted run:\n%s", stderr)
	}
	states, _ := filepath.Glob(filepath.Join(e.cache, "summarize-batch-*.json"))
	if len(states) != 1 {
		t.Fatalf("state files after the interrupt: %v, want 1", states)
	}
	stdout, stderr, code = e.batch(context.Background(), "", "fake-ok", []string{"--batch-status"})
	if code != 0 || !regexp.MustCompile(`(?m)^batch_\w+\t(validating|in_progress|finalizing|completed)\b.*\tfake-ok\t3 requests`).MatchString(stdout) {
		t.Errorf("--batch-status: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// Other inputs are other work: their status is none.
	if stdout, _, _ := e.batch(context.Background(), "", "fake-ok", []string{"--batch-status"}, e.files[:2]...); !strings.HasPrefix(stdout, "no batch in progress for 2 inputs") {
		t.Errorf("--batch-status of other inputs: %q", stdout)
	}

	got, stderr, code := e.batch(context.Background(), "", "fake-ok", nil)
	if code != 0 || got != want {
		t.Fatalf("rerun after the interrupt: exit %d, output:\n%s\nwant:\n%s\n%s", code, got, want, stderr)
	}
	if n := e.calls("POST /v1/batches"); n != 1 {
		t.Errorf("batches created over both runs: %d, want 1 (the rerun resumes)", n)
	}
	if n := e.calls("POST /v1/files"); n != 1 {
		t.Errorf("files uploaded over both runs: %d, want 1", n)
	}
	if n := e.calls(liveChat); n != 0 {
		t.Errorf("%d live chat calls, want 0", n)
	}
	if !strings.Contains(stderr, "batch: resumed 1 batch") {
		t.Errorf("rerun does not say it resumed:\n%s", stderr)
	}
	if stdout, _, _ := e.batch(context.Background(), "", "fake-ok", []string{"--batch-status"}); !strings.HasPrefix(stdout, "no batch in progress for 3 inputs") {
		t.Errorf("--batch-status after the batch finished: %q", stdout)
	}
}

// --batch-cancel cancels the batch; the rerun sends what it did not run in
// a follow-up batch and prints everything.
func TestSummarizeBatchCancel(t *testing.T) {
	var stop interrupter
	e := newSumBatch(t, func(s *llmtest.BatchServer) string { return interruptingProxy(t, s, &stop) })
	e.srv.SetBatchFaults(llmtest.BatchFaults{PollsPerStatus: 3})
	want, _, _ := e.live("", "fake-ok", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop.arm(cancel)
	if _, stderr, code := e.batch(ctx, "", "fake-ok", nil); code != exitInterrupted {
		t.Fatalf("interrupted summarize --batch: exit %d\n%s", code, stderr)
	}
	stdout, stderr, code := e.batch(context.Background(), "", "fake-ok", []string{"--batch-cancel"})
	if code != 0 || !regexp.MustCompile(`(?m)^batch_\w+\t(cancelling|cancelled)\b`).MatchString(stdout) {
		t.Fatalf("--batch-cancel: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if got := e.srv.Batches()[0].Status; got != "cancelling" && got != "cancelled" {
		t.Errorf("batch after --batch-cancel: %s", got)
	}
	e.srv.SetBatchFaults(llmtest.BatchFaults{})
	got, stderr, code := e.batch(context.Background(), "", "fake-ok", nil)
	if code != 0 || got != want {
		t.Fatalf("rerun after --batch-cancel: exit %d, output:\n%s\nwant:\n%s\n%s", code, got, want, stderr)
	}
	if n := e.calls("POST /v1/batches"); n != 2 {
		t.Errorf("batches created: %d, want 2 (the cancelled one, then a follow-up)", n)
	}
	if n := e.calls(liveChat); n != 0 {
		t.Errorf("%d live chat calls, want 0", n)
	}
}

// A long article's map requests go in the first batch and its merge in
// the next; the output is the live run's and nothing goes live.
func TestSummarizeBatchMapReduce(t *testing.T) {
	e := newSumBatch(t, nil)
	long := filepath.Join(t.TempDir(), "long.txt")
	must(t, os.WriteFile(long, []byte(strings.Repeat(sampleArticle(t)+"\n\n", 3)), 0o644))
	extra := []string{"--context-window", "600", "--max-tokens", "100", "--overflow", "map-reduce"}
	want, wantErr, wantCode := e.live("", "fake-ok", extra, long, e.files[0])
	if wantCode != 0 {
		t.Fatalf("live run: exit %d\n%s", wantCode, wantErr)
	}
	got, stderr, code := e.batch(context.Background(), "", "fake-ok", extra, long, e.files[0])
	if code != 0 || got != want {
		t.Fatalf("summarize --batch of a long article: exit %d, output:\n%s\nwant:\n%s\n%s", code, got, want, stderr)
	}
	if n := e.calls(liveChat); n != 0 {
		t.Errorf("%d live chat calls, want 0", n)
	}
	bs := e.srv.Batches()
	if len(bs) != 2 || bs[0].RequestCounts.Total < 3 || bs[1].RequestCounts.Total != 1 {
		t.Errorf("batches = %+v, want the parts and the short file in one, then the merge alone", bs)
	}
}

// Bad batch flags, and --batch with a backend that makes no LLM request,
// are usage errors before any work.
func TestSummarizeBatchFlags(t *testing.T) {
	e := newSumBatch(t, nil)
	noLLM := newCLI(t, nil) // no key, no base URL: auto is the extractive backend
	for _, tc := range []struct {
		c    *cli
		args []string
		want string
	}{
		{e.c, []string{"--batch", "--backend", "extractive"}, "the extractive backend makes none"},
		{e.c, []string{"--batch", "--backend", "lead3"}, "the lead3 backend makes none"},
		{noLLM, []string{"--batch"}, "the extractive backend makes none"},
		{noLLM, []string{"--batch-status"}, "the extractive backend makes none"},
		{e.c, []string{"--batch", "--batch-fallback", "never"}, `--batch-fallback "never": want batch or live`},
		{e.c, []string{"--batch-status", "--batch-cancel"}, "choose one"},
		{e.c, []string{"--batch", "--dry-run"}, "choose one"},
		{e.c, []string{"--cache", e.cache}, "are for --batch"},
		{e.c, []string{"--batch-state", filepath.Join(e.cache, "s.json")}, "are for --batch"},
	} {
		_, stderr, code := runStdin(context.Background(), tc.c, "", append(tc.args, e.files...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("summarize %v: exit %d, stderr %q; want exit 2 with %q", tc.args, code, stderr, tc.want)
		}
	}
	if n := len(e.srv.HTTPCalls()); n != 0 {
		t.Errorf("bad flags reached the server: %v", e.srv.HTTPCalls())
	}
	if _, err := os.Stat(e.cache); err == nil {
		t.Errorf("bad flags made the cache %s", e.cache)
	}
}

// summarize --help lists the batch flags.
func TestSummarizeBatchHelp(t *testing.T) {
	stdout, _, code := newCLI(t, nil).run("--help")
	for _, flag := range []string{"--batch ", "--batch-state", "--batch-status", "--batch-cancel", "--batch-fallback", "--cache", "summarize --batch"} {
		if code != 0 || !strings.Contains(stdout, flag) {
			t.Errorf("summarize --help: exit %d, lacks %q", code, flag)
		}
	}
}

// A reply that breaks the bullet contract is repaired in a second round's
// batch: the output is the live run's (which repairs it live), and nothing
// goes live.
func TestSummarizeBatchRepair(t *testing.T) {
	e := newSumBatch(t, nil)
	want, wantErr, wantCode := e.live("", "fake-badcontract", []string{"--format", "jsonl"}, e.files[0])
	if wantCode != 0 || !strings.Contains(want, `"calls":2`) {
		t.Fatalf("live run: exit %d, want one repaired summary (2 calls)\n%s%s", wantCode, want, wantErr)
	}
	got, stderr, code := e.batch(context.Background(), "", "fake-badcontract", []string{"--format", "jsonl"}, e.files[0])
	if code != 0 || sameOutput(got) != sameOutput(want) {
		t.Fatalf("summarize --batch: exit %d, output:\n%s\nwant:\n%s\n%s", code, got, want, stderr)
	}
	if n := e.calls(liveChat); n != 0 {
		t.Errorf("%d live chat calls, want 0", n)
	}
	if bs := e.srv.Batches(); len(bs) != 2 {
		t.Errorf("%d batches, want 2: the reply, then its repair", len(bs))
	}
}
