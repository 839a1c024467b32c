package budget

import (
	"strings"
	"sync"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm"
)

func TestEncodingFor(t *testing.T) {
	tests := []struct{ model, want string }{
		{"gpt-4o", O200kBase},
		{"gpt-4o-mini-2024-07-18", O200kBase},
		{"GPT-4o", O200kBase},
		{"openai/gpt-4.1-nano", O200kBase},
		{"ft:gpt-4o-mini-2024-07-18:acme::abc123", O200kBase},
		{"o1", O200kBase},
		{"o3-mini", O200kBase},
		{"o4-mini-2025-04-16", O200kBase},
		{"gpt-5", O200kBase},
		{"gpt-5-mini", O200kBase},
		{"gpt-4", Cl100kBase},
		{"gpt-4-0613", Cl100kBase},
		{"gpt-4-turbo", Cl100kBase},
		{"gpt-3.5-turbo", Cl100kBase},
		{"llama3:8b", Estimate},
		{"qwen2.5:14b", Estimate},
		{"mistral", Estimate},
		{"o1x", Estimate},
		{"", Estimate},
	}
	for _, tt := range tests {
		if got := EncodingFor(tt.model); got != tt.want {
			t.Errorf("EncodingFor(%q) = %q, want %q", tt.model, got, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	// Reference counts are those of OpenAI's tiktoken, as recorded in the
	// tokenizer module's own tests; the estimate is ceil(1.25 × cl100k).
	const quote = "We know what we are, but know not what we may be."
	tests := []struct {
		model, text string
		want        int
	}{
		{"gpt-4o", "", 0},
		{"gpt-4o", "hello world", 2},
		{"gpt-4", "hello world", 2},
		{"gpt-4o", "hello   world", 3},
		{"gpt-4o", "supercalifragilistic", 6},
		{"gpt-4", "supercalifragilistic", 7},
		{"gpt-5-mini", quote, 14},
		{"gpt-3.5-turbo", quote, 14},
		{"llama3", "hello world", 3},           // ceil(2 × 1.25)
		{"mistral", "supercalifragilistic", 9}, // ceil(7 × 1.25)
		{"qwen2.5:7b", quote, 18},              // ceil(14 × 1.25)
		{"some-unknown-model", "", 0},
	}
	c := NewCounter()
	for _, tt := range tests {
		if got := c.Count(tt.model, tt.text); got != tt.want {
			t.Errorf("Count(%q, %q) = %d, want %d", tt.model, tt.text, got, tt.want)
		}
		if got := c.For(tt.model)(tt.text); got != tt.want {
			t.Errorf("For(%q)(%q) = %d, want %d", tt.model, tt.text, got, tt.want)
		}
	}
}

func TestCountMessages(t *testing.T) {
	msgs := []llm.Message{
		{Role: llm.RoleSystem, Content: "You are a helpful assistant."}, // 6 tokens
		{Role: llm.RoleUser, Content: "hello world"},                    // 2 tokens
	}
	tests := []struct {
		model string
		msgs  []llm.Message
		want  int
	}{
		// 3 for the reply priming, then per message 3 + role (1) + content.
		{"gpt-4o", msgs, 3 + (3 + 1 + 6) + (3 + 1 + 2)},
		{"gpt-4", msgs, 3 + (3 + 1 + 6) + (3 + 1 + 2)},
		// Estimated: each part is rounded up on its own; 1 → 2, 6 → 8, 2 → 3.
		{"llama3", msgs, 3 + (3 + 2 + 8) + (3 + 2 + 3)},
		{"gpt-4o", nil, 3},
	}
	c := NewCounter()
	for _, tt := range tests {
		if got := c.CountMessages(tt.model, tt.msgs); got != tt.want {
			t.Errorf("CountMessages(%q, %d messages) = %d, want %d", tt.model, len(tt.msgs), got, tt.want)
		}
	}
}

func TestCounterConcurrent(t *testing.T) {
	c := NewCounter()
	var wg sync.WaitGroup
	got := make([]int, 8)
	for i := range got {
		wg.Go(func() {
			model := "gpt-4o"
			if i%2 == 1 {
				model = "gpt-4"
			}
			got[i] = c.Count(model, "We know what we are, but know not what we may be.")
		})
	}
	wg.Wait()
	for i, n := range got {
		if n != 14 {
			t.Errorf("concurrent Count #%d = %d, want 14", i, n)
		}
	}
}

// Bound never counts less than For: it is what lets a prompt that fits by
// its bound skip tokenizing.
func TestBoundIsAnUpperBound(t *testing.T) {
	c := NewCounter()
	texts := []string{
		"", "a", " ", "Hello, world!", "The council voted 7-2 on Tuesday.",
		"日本語の記事本文です。東京都は火曜日に発表した。", "emoji 🎉🎉🎉 and ünïcödé",
		strings.Repeat("x", 5000), strings.Repeat("ab ", 2000), "\n\n\n\t\t  ",
	}
	for _, model := range []string{"gpt-4o-mini", "gpt-4", "llama3.1:8b", "mistral"} {
		count, bound := c.For(model), c.Bound(model)
		for _, text := range texts {
			if b, n := bound(text), count(text); b < n {
				t.Errorf("%s: Bound(%.20q) = %d < For = %d", model, text, b, n)
			}
		}
	}
}
