package batch_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/batch"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
	"github.com/summarize-dev/summarize/internal/llm/openai"
)

const key = "sk-batch-test-key"

type fixture struct {
	srv   *llmtest.BatchServer
	api   *openai.Client
	cache *llm.Cache
	state string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	srv := llmtest.NewBatchServer(t, llmtest.WithAPIKey(key))
	api, err := openai.New(openai.Options{BaseURL: srv.URL(), APIKey: key, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cache, err := llm.OpenCache(filepath.Join(dir, "cache"))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: srv, api: api, cache: cache, state: filepath.Join(dir, "batch-state.json")}
}

func (f *fixture) options(identity string) batch.Options {
	return batch.Options{API: f.api, Cache: f.cache, StatePath: f.state, Identity: identity,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}
}

// request is a distinct article per case, so each reply tells which
// request it answers (the fake's bullets quote the article).
func request(model string, c int) llm.Request {
	return llm.Request{Model: model, Temperature: 0, MaxTokens: 200, Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: "Summarize the article in exactly 2 bullets."},
		{Role: llm.RoleUser, Content: fmt.Sprintf("Case%d opened the meeting on Monday. The council voted on item %d. Nobody objected.", c, c)}}}
}

// items is cases × repeats of fake-ok requests, IDs "case-C/rR".
func items(model string, cases, repeats int) []batch.Item {
	var out []batch.Item
	for c := range cases {
		for r := range repeats {
			out = append(out, batch.Item{ID: fmt.Sprintf("case-%d/r%d", c, r), Request: request(model, c), Repeat: r})
		}
	}
	return out
}

func liveChatCalls(srv *llmtest.BatchServer) int { return srv.HTTPCalls()["POST /v1/chat/completions"] }

func TestRunHappyPath(t *testing.T) {
	f := newFixture(t)
	its := items("fake-ok", 3, 2)
	var progress []batch.Counts
	o := f.options("suite-a")
	o.Progress = func(s batch.Status) { progress = append(progress, s.Counts) }
	out, err := batch.Run(t.Context(), o, its)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(out.Results) != 6 || len(out.Retry) != 0 || len(out.Failures) != 0 || out.Submitted != 6 {
		t.Fatalf("Run: %d results, %d retry, %d failures, %d submitted; want 6, 0, 0, 6",
			len(out.Results), len(out.Retry), len(out.Failures), out.Submitted)
	}
	if n := liveChatCalls(f.srv); n != 0 {
		t.Errorf("live chat calls = %d, want 0", n)
	}
	if len(progress) == 0 || progress[len(progress)-1] != (batch.Counts{Total: 6, Completed: 6}) {
		t.Errorf("progress = %v, want it to end at 6 of 6 completed", progress)
	}
	if _, err := os.Stat(f.state); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("state file after a finished run: %v, want it removed", err)
	}
	// Every reply is the one its own request gets live, and the cache
	// holds it under the live key: a replay run needs no batch.
	replay := llm.WithCache(f.api, f.cache, llm.CacheReplay)
	for _, it := range its {
		want := fmt.Sprintf("Case%d opened", strings.TrimPrefix(strings.Split(it.ID, "/")[0], "case-")[0]-'0')
		if got := out.Results[it.ID].Content; !strings.Contains(got, want) {
			t.Errorf("result %s = %q, want it to quote %q", it.ID, got, want)
		}
		resp, err := replay.Complete(llm.WithRepeat(t.Context(), it.Repeat), it.Request)
		if err != nil || !resp.Cached || resp.Content != out.Results[it.ID].Content {
			t.Errorf("replay of %s: %q, cached %v, err %v; want the batch result from the cache", it.ID, resp.Content, resp.Cached, err)
		}
	}
	if u := out.Usage["fake-ok"]; u.PromptTokens == 0 || u.CompletionTokens == 0 {
		t.Errorf("usage = %+v, want tokens counted", u)
	}
	// The fake's lines were answered out of order.
	b := f.srv.Batches()[0]
	var order []string
	for _, l := range bytes.Split(bytes.TrimSpace(f.srv.FileBytes(*b.OutputFileID)), []byte("\n")) {
		var ol llmtest.BatchOutputLine
		json.Unmarshal(l, &ol)
		order = append(order, ol.CustomID)
	}
	if slices.IsSorted(order) {
		t.Errorf("output file order %v is the input's: the test does not exercise out-of-order lines", order)
	}
}

func TestRunSendsWhatLiveSends(t *testing.T) {
	f := newFixture(t)
	req := request("fake-ok", 1)
	if _, err := f.api.Complete(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	if _, err := batch.Run(t.Context(), f.options("w"), []batch.Item{{ID: "x/r0", Request: req}}); err != nil {
		t.Fatal(err)
	}
	var live, batched []byte
	for _, r := range f.srv.Requests() {
		if r.Header.Get("X-Llmtest-Batch") != "" {
			batched = r.RawBody
		} else {
			live = r.RawBody
		}
	}
	var a, b map[string]any
	json.Unmarshal(live, &a)
	json.Unmarshal(batched, &b)
	if fmt.Sprint(a) != fmt.Sprint(b) || a["temperature"] != 0.0 {
		t.Errorf("batch body %s, live body %s: want the same, with temperature 0", batched, live)
	}
}

func TestRunCacheFirst(t *testing.T) {
	f := newFixture(t)
	its := items("fake-ok", 4, 1)
	if err := f.cache.Put(llm.NewCacheKey(f.api.Endpoint(), its[0].Request, 0), llm.Response{Content: "- cached"}); err != nil {
		t.Fatal(err)
	}
	out, err := batch.Run(t.Context(), f.options("w"), its)
	if err != nil {
		t.Fatal(err)
	}
	b := f.srv.Batches()
	if out.Cached != 1 || len(b) != 1 || b[0].RequestCounts.Total != 3 || out.Results[its[0].ID].Content != "- cached" {
		t.Errorf("cached %d, batches %d (total %d), first result %q; want 1 hit and 3 lines submitted",
			out.Cached, len(b), b[0].RequestCounts.Total, out.Results[its[0].ID].Content)
	}
	// Everything cached: a second run submits nothing.
	out, err = batch.Run(t.Context(), f.options("w"), its)
	if err != nil || out.Cached != 4 || len(f.srv.Batches()) != 1 {
		t.Errorf("rerun: cached %d, batches %d, err %v; want 4 hits and no new batch", out.Cached, len(f.srv.Batches()), err)
	}
}

func TestRunLineFailures(t *testing.T) {
	f := newFixture(t)
	f.srv.SetBatchFaults(llmtest.BatchFaults{FailCustomIDs: []string{"case-1/r0"}})
	its := items("fake-ok", 3, 1)
	out, err := batch.Run(t.Context(), f.options("w"), its)
	if err != nil {
		t.Fatalf("Run: %v (line failures are not a run error)", err)
	}
	if len(out.Retry) != 1 || out.Retry[0].ID != "case-1/r0" || len(out.Results) != 2 {
		t.Fatalf("retry = %v, %d results; want case-1/r0 alone to retry", out.Retry, len(out.Results))
	}
	if err := out.Failures["case-1/r0"]; !errors.Is(err, llm.ErrUnavailable) || !strings.Contains(err.Error(), "500") {
		t.Errorf("failure = %v, want backend unavailable (HTTP 500)", err)
	}
	if _, ok, _ := f.cache.Get(llm.NewCacheKey(f.api.Endpoint(), its[1].Request, 0)); ok {
		t.Error("a failed line was cached")
	}
}

func TestRunExpiryThenFollowUp(t *testing.T) {
	f := newFixture(t)
	f.srv.SetBatchFaults(llmtest.BatchFaults{ExpireAfter: 2})
	its := items("fake-ok", 5, 1)
	out, err := batch.Run(t.Context(), f.options("w"), its)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if out.Batches[0].State != batch.StateExpired || len(out.Results) != 2 || len(out.Retry) != 3 {
		t.Fatalf("expired run: state %s, %d results, %d retry; want expired, 2, 3", out.Batches[0].State, len(out.Results), len(out.Retry))
	}
	for _, it := range out.Retry {
		if !errors.Is(out.Failures[it.ID], batch.ErrExpired) {
			t.Errorf("failure of %s = %v, want ErrExpired", it.ID, out.Failures[it.ID])
		}
	}
	f.srv.SetBatchFaults(llmtest.BatchFaults{})
	again, err := batch.Run(t.Context(), f.options("w"), out.Retry)
	if err != nil || len(again.Results) != 3 || len(again.Retry) != 0 {
		t.Fatalf("follow-up: %d results, %d retry, err %v; want 3, 0", len(again.Results), len(again.Retry), err)
	}
	if n := len(f.srv.Batches()); n != 2 {
		t.Errorf("batches = %d, want 2 (the expired one and the follow-up)", n)
	}
	// All five are now cached.
	final, err := batch.Run(t.Context(), f.options("w"), its)
	if err != nil || final.Cached != 5 {
		t.Errorf("third run: cached %d, err %v; want all 5 from the cache", final.Cached, err)
	}
}

func TestRunValidationFailure(t *testing.T) {
	f := newFixture(t)
	f.srv.SetBatchFaults(llmtest.BatchFaults{FailValidation: &llmtest.BatchError{
		Code: "token_limit_exceeded", Message: "Enqueued token limit reached for fake-ok."}})
	its := items("fake-ok", 2, 1)
	out, err := batch.Run(t.Context(), f.options("w"), its)
	if !errors.Is(err, batch.ErrValidation) || !strings.Contains(err.Error(), "token_limit_exceeded: Enqueued token limit") {
		t.Fatalf("Run: %v, want ErrValidation with the provider's reason", err)
	}
	if len(out.Retry) != 2 {
		t.Errorf("retry = %d items, want both", len(out.Retry))
	}
	if _, err := os.Stat(f.state); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("state after a failed batch: %v, want removed (nothing left to resume)", err)
	}
}

func TestRunBadItems(t *testing.T) {
	f := newFixture(t)
	for _, its := range [][]batch.Item{
		{{ID: "a", Request: request("fake-ok", 1)}, {ID: "a", Request: request("fake-ok", 2)}},
		{{ID: "", Request: request("fake-ok", 1)}},
		{{ID: "a\nb", Request: request("fake-ok", 1)}},
	} {
		if _, err := batch.Run(t.Context(), f.options("w"), its); err == nil {
			t.Errorf("Run(%q): no error", its[0].ID)
		}
	}
	if n := len(f.srv.Batches()); n != 0 {
		t.Errorf("batches after bad items = %d, want 0", n)
	}
}

// interrupt runs until the first poll and stops there, as Ctrl-C would,
// leaving the state file.
func interrupt(t *testing.T, f *fixture, identity string, its []batch.Item) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	o := f.options(identity)
	o.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	if _, err := batch.Run(ctx, o, its); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted Run: %v, want context.Canceled", err)
	}
	if _, err := os.Stat(f.state); err != nil {
		t.Fatalf("state file after an interrupted run: %v", err)
	}
}

func TestRunResume(t *testing.T) {
	f := newFixture(t)
	f.srv.SetBatchFaults(llmtest.BatchFaults{PollsPerStatus: 3})
	its := items("fake-ok", 3, 2)
	interrupt(t, f, "suite-a", its)
	st, err := batch.ReadState(f.state)
	if err != nil || len(st.Batches) != 1 || len(st.Batches[0].Lines) != 6 || strings.Contains(fmt.Sprint(st), key) {
		t.Fatalf("state = %+v, %v; want one batch with 6 lines and no key", st, err)
	}
	out, err := batch.Run(t.Context(), f.options("suite-a"), its)
	if err != nil || !out.Resumed || len(out.Results) != 6 {
		t.Fatalf("resumed Run: resumed %v, %d results, err %v", out.Resumed, len(out.Results), err)
	}
	if n := len(f.srv.Batches()); n != 1 {
		t.Errorf("batches created = %d, want 1: a resume must not submit again", n)
	}
	if calls := f.srv.HTTPCalls(); calls["POST /v1/batches"] != 1 || calls["POST /v1/files"] != 1 {
		t.Errorf("HTTP calls %v: want one upload and one create", calls)
	}
}

func TestRunStateForOtherWork(t *testing.T) {
	f := newFixture(t)
	its := items("fake-ok", 2, 1)
	interrupt(t, f, "suite-a", its)
	_, err := batch.Run(t.Context(), f.options("suite-b"), its)
	if !errors.Is(err, batch.ErrOtherWork) || !strings.Contains(err.Error(), f.state) {
		t.Fatalf("Run with another identity: %v, want ErrOtherWork naming the state file", err)
	}
	if n := len(f.srv.Batches()); n != 1 {
		t.Errorf("batches = %d, want 1", n)
	}
	if _, err := os.Stat(f.state); err != nil {
		t.Errorf("the other work's state file: %v, want it kept", err)
	}
}

func TestStatusAndCancel(t *testing.T) {
	f := newFixture(t)
	f.srv.SetBatchFaults(llmtest.BatchFaults{LinesPerPoll: 1})
	its := items("fake-ok", 4, 1)
	if _, err := batch.StatusOf(t.Context(), f.api, f.state); !errors.Is(err, batch.ErrNoState) {
		t.Errorf("StatusOf with no state: %v, want ErrNoState", err)
	}
	interrupt(t, f, "w", its)
	rep, err := batch.StatusOf(t.Context(), f.api, f.state) // in_progress, one line answered
	if err != nil || len(rep.Batches) != 1 || rep.Batches[0].State != batch.StateInProgress {
		t.Fatalf("StatusOf: %+v, %v; want one batch in progress", rep, err)
	}
	rep, err = batch.Cancel(t.Context(), f.api, f.state)
	if err != nil || rep.Batches[0].State != batch.StateCancelling {
		t.Fatalf("Cancel: %+v, %v; want cancelling", rep, err)
	}
	out, err := batch.Run(t.Context(), f.options("w"), its)
	if err != nil {
		t.Fatalf("Run after cancel: %v", err)
	}
	if out.Batches[0].State != batch.StateCancelled || len(out.Results)+len(out.Retry) != 4 || len(out.Retry) == 0 {
		t.Fatalf("after cancel: %s, %d results, %d retry; want cancelled and every item accounted for",
			out.Batches[0].State, len(out.Results), len(out.Retry))
	}
	for _, it := range out.Retry {
		if !errors.Is(out.Failures[it.ID], batch.ErrCancelled) {
			t.Errorf("failure of %s = %v, want ErrCancelled", it.ID, out.Failures[it.ID])
		}
	}
}

// tamper rewrites the state file's line map.
func tamper(t *testing.T, path string, edit func(map[string]string)) {
	t.Helper()
	st, err := batch.ReadState(path)
	if err != nil {
		t.Fatal(err)
	}
	edit(st.Batches[0].Lines)
	b, _ := json.Marshal(st)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestRunUnknownAndMissingCustomIDs(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(map[string]string)
		want string
	}{
		{"unknown", func(m map[string]string) { delete(m, "case-0/r0") }, `unknown custom_id "case-0/r0"`},
		{"missing", func(m map[string]string) { m["ghost/r0"] = strings.Repeat("0", 64) }, "no line for 1 requests (ghost/r0)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			its := items("fake-ok", 3, 1)
			interrupt(t, f, "w", its)
			tamper(t, f.state, tc.edit)
			out, err := batch.Run(t.Context(), f.options("w"), its)
			if !errors.Is(err, batch.ErrMismatch) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Run: %v, want ErrMismatch saying %s", err, tc.want)
			}
			// Nothing finished is lost: the known lines are results, cached.
			for _, id := range []string{"case-1/r0", "case-2/r0"} {
				if _, ok := out.Results[id]; !ok {
					t.Errorf("result %s lost", id)
				}
			}
			if _, ok, _ := f.cache.Get(llm.NewCacheKey(f.api.Endpoint(), its[1].Request, 0)); !ok {
				t.Error("a good line of a mismatched batch was not cached")
			}
		})
	}
}

func TestRunOneBatchPerModel(t *testing.T) {
	f := newFixture(t)
	its := append(items("fake-ok", 2, 1), batch.Item{ID: "json/r0", Request: request("fake-json", 9)})
	out, err := batch.Run(t.Context(), f.options("w"), its)
	if err != nil || len(out.Results) != 3 {
		t.Fatalf("Run: %d results, %v", len(out.Results), err)
	}
	if b := f.srv.Batches(); len(b) != 2 || b[0].RequestCounts.Total != 2 || b[1].RequestCounts.Total != 1 {
		t.Errorf("batches = %+v, want one of 2 fake-ok lines and one of 1 fake-json line", b)
	}
}

func TestCollector(t *testing.T) {
	f := newFixture(t)
	hit := request("fake-ok", 1)
	f.cache.Put(llm.NewCacheKey(f.api.Endpoint(), hit, 0), llm.Response{Content: "- hit"})
	c := batch.NewCollector(f.api.Endpoint(), f.cache)
	resp, err := c.Complete(t.Context(), hit)
	if err != nil || !resp.Cached || resp.Content != "- hit" {
		t.Errorf("Complete(hit) = %+v, %v; want the cached reply", resp, err)
	}
	ctx := batch.WithLabel(llm.WithRepeat(t.Context(), 2), "case-7/short")
	for range 2 { // the same request twice is one item
		if _, err := c.Complete(ctx, request("fake-ok", 7)); !errors.Is(err, batch.ErrDeferred) {
			t.Errorf("Complete(miss) = %v, want ErrDeferred", err)
		}
	}
	c.Complete(batch.WithLabel(t.Context(), "case-7/short"), request("fake-ok", 8))
	var ids []string
	for _, it := range c.Items() {
		ids = append(ids, it.ID)
	}
	if want := []string{"case-7/short/r2", "case-7/short/r0"}; !slices.Equal(ids, want) {
		t.Errorf("Items() IDs = %v, want %v", ids, want)
	}
	if it := c.Items()[0]; it.Repeat != 2 {
		t.Errorf("item repeat = %d, want 2", it.Repeat)
	}
}
