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
	_ llm.ModelLister = (*Client)(nil)
	_ llm.Endpointer  = (*Client)(nil)
)

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
