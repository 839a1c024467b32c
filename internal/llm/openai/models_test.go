package openai

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// The Client offers the optional interfaces.
var (
	_ llm.Streamer    = (*Client)(nil)
	_ llm.ModelLister = (*Client)(nil)
	_ llm.Endpointer  = (*Client)(nil)
)

func TestStream(t *testing.T) {
	s := llmtest.NewServer(t)
	s.Handle("cut-short", func(req llmtest.ChatRequest, n int) llmtest.Reply {
		return llmtest.Reply{RawBody: []byte("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"- half\"}}]}\n\n"),
			Header: map[string][]string{"Content-Type": {"text/event-stream"}}}
	})
	c := newClient(t, Options{BaseURL: s.URL(), APIKey: "sk-test"})
	var pieces []string
	resp, err := c.Stream(t.Context(), request("fake-ok"), func(d string) { pieces = append(pieces, d) })
	if err != nil {
		t.Fatalf("Stream(fake-ok) error = %v", err)
	}
	if resp.Content != okBullets || strings.Join(pieces, "") != okBullets || len(pieces) < 3 {
		t.Errorf("Stream(fake-ok) = %q in %d pieces, want %q in several", resp.Content, len(pieces), okBullets)
	}
	if resp.FinishReason != "stop" || resp.Model != "fake-ok" {
		t.Errorf("Stream(fake-ok) = %+v, want finish reason stop and the model", resp)
	}
	if !s.Requests()[0].Body.Stream {
		t.Errorf("request body did not ask for a stream")
	}

	tests := []struct {
		model string
		kind  error
	}{
		{"fake-401", llm.ErrUnauthorized},
		{"fake-429-always", llm.ErrRateLimited},
		{"fake-context-length", llm.ErrContextTooLong},
		{"fake-drop", llm.ErrUnavailable},
		{"fake-empty", llm.ErrInvalidResponse},
		{"cut-short", llm.ErrUnavailable},
	}
	for _, tt := range tests {
		_, err := c.Stream(t.Context(), request(tt.model), nil)
		if !errors.Is(err, tt.kind) {
			t.Errorf("Stream(%s) error = %v, want %v", tt.model, err, tt.kind)
		}
	}
}

func TestModels(t *testing.T) {
	s := llmtest.NewServer(t, llmtest.WithAPIKey("sk-test"))
	got, err := newClient(t, Options{BaseURL: s.URL(), APIKey: "sk-test"}).Models(t.Context())
	if err != nil || !slices.Contains(got, "fake-ok") || !slices.IsSorted(got) {
		t.Errorf("Models() = %v, %v; want a sorted list with fake-ok", got, err)
	}
	_, err = newClient(t, Options{BaseURL: s.URL(), APIKey: "sk-wrong-key"}).Models(t.Context())
	if !errors.Is(err, llm.ErrUnauthorized) || strings.Contains(err.Error(), "sk-wrong-key") {
		t.Errorf("Models() with a wrong key: error = %v, want ErrUnauthorized without the key", err)
	}
	az, err := newClient(t, Options{Azure: true, BaseURL: s.AzureURL(), APIKey: "sk-test"}).Models(t.Context())
	if err != nil || !slices.Contains(az, "fake-ok") {
		t.Errorf("Azure Models() = %v, %v", az, err)
	}
}
