package llm

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCacheKeyLogprobs(t *testing.T) {
	base := NewCacheKey("http://x/v1", req("a"), 0)
	lp := req("a")
	lp.Logprobs = true
	if NewCacheKey("http://x/v1", lp, 0).Hash() == base.Hash() {
		t.Errorf("asking for logprobs leaves the hash unchanged")
	}
	lp5 := lp
	lp5.TopLogprobs = 5
	if NewCacheKey("http://x/v1", lp5, 0).Hash() == NewCacheKey("http://x/v1", lp, 0).Hash() {
		t.Errorf("changing top_logprobs leaves the hash unchanged")
	}
}

func TestCacheKeepsLogprobs(t *testing.T) {
	c, err := OpenCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want := []TokenLogprob{{Token: "4", Logprob: -0.5, Top: []Logprob{{Token: "4", Logprob: -0.5}, {Token: "5", Logprob: -0.9}}}}
	calls := 0
	b := WithCache(BackendFunc(func(ctx context.Context, r Request) (Response, error) {
		calls++
		return Response{Content: "4", Logprobs: want}, nil
	}), c, CacheRW)
	r := req("a")
	r.Logprobs, r.TopLogprobs = true, 5
	for range 2 {
		resp, err := b.Complete(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, resp.Logprobs); diff != "" {
			t.Errorf("Complete() logprobs (-want +got):\n%s", diff)
		}
	}
	if calls != 1 {
		t.Errorf("backend called %d times, want 1 (then a cache hit)", calls)
	}
}
