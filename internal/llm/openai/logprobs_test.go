package openai

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

func TestCompleteLogprobs(t *testing.T) {
	s := llmtest.NewServer(t)
	c := newClient(t, Options{BaseURL: s.URL(), Timeout: 5 * time.Second})
	req := request("fake-judge-logprobs")
	req.Logprobs, req.TopLogprobs = true, 5
	resp, err := c.Complete(context.Background(), req)
	if err != nil {
		t.Fatalf("Complete() error = %v", err)
	}
	if resp.Content != "Score: 4" {
		t.Errorf("Complete() content = %q, want %q", resp.Content, "Score: 4")
	}
	var top []llm.Logprob
	for _, p := range llmtest.JudgeLogprobs(4) {
		top = append(top, llm.Logprob{Token: p.Token, Logprob: p.Logprob})
	}
	want := []llm.TokenLogprob{
		{Token: "Score", Logprob: -0.01, Top: []llm.Logprob{{Token: "Score", Logprob: -0.01}}},
		{Token: ":", Logprob: -0.001, Top: []llm.Logprob{{Token: ":", Logprob: -0.001}}},
		{Token: " ", Logprob: -0.001, Top: []llm.Logprob{{Token: " ", Logprob: -0.001}}},
		{Token: "4", Logprob: math.Log(0.6), Top: top},
	}
	if diff := cmp.Diff(want, resp.Logprobs, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("Complete() logprobs (-want +got):\n%s", diff)
	}
	got := s.Requests()[0].Body
	if !got.Logprobs || got.TopLogprobs == nil || *got.TopLogprobs != 5 {
		t.Errorf("wire request logprobs = %v, top_logprobs = %v, want true, 5", got.Logprobs, deref(got.TopLogprobs))
	}

	// Not asked: none sent, none received.
	resp, err = c.Complete(context.Background(), request("fake-judge-logprobs"))
	if err != nil {
		t.Fatalf("Complete() error = %v", err)
	}
	if resp.Logprobs != nil {
		t.Errorf("Complete() without logprobs: logprobs = %v, want none", resp.Logprobs)
	}
	if got := s.Requests()[1].Body; got.Logprobs || got.TopLogprobs != nil {
		t.Errorf("wire request without logprobs sent logprobs = %v, top_logprobs = %v", got.Logprobs, deref(got.TopLogprobs))
	}
}
