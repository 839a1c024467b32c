package models

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/llm"
)

func TestLookup(t *testing.T) {
	overrides := map[string]Model{
		"gpt-4o":       {ContextWindow: 64_000},                    // partial: keeps prices
		"llama3":       {ContextWindow: 131_072, MaxOutput: 4_096}, // a bigger num_ctx
		"my-finetune":  {ContextWindow: 4_096, InputPrice: 3, OutputPrice: 12},
		"my-finetune-": {ContextWindow: 1}, // never matches a real name
	}
	tests := []struct {
		name      string
		overrides map[string]Model
		want      Model
		wantOK    bool
	}{
		{"gpt-4o", nil, Model{"gpt-4o", 128_000, 16_384, 2.50, 10.00, 0.5}, true},
		{"gpt-4o-2024-08-06", nil, Model{"gpt-4o-2024-08-06", 128_000, 16_384, 2.50, 10.00, 0.5}, true},
		{"gpt-4o-mini-2024-07-18", nil, Model{"gpt-4o-mini-2024-07-18", 128_000, 16_384, 0.15, 0.60, 0.5}, true},
		{"openai/gpt-4.1-mini", nil, Model{"openai/gpt-4.1-mini", 1_047_576, 32_768, 0.40, 1.60, 0.5}, true},
		{"gpt-4-0613", nil, Model{"gpt-4-0613", 8_192, 8_192, 30, 60, 0.5}, true},
		{"gpt-4-turbo-2024-04-09", nil, Model{"gpt-4-turbo-2024-04-09", 128_000, 4_096, 10, 30, 0.5}, true},
		{"gpt-3.5-turbo-0125", nil, Model{"gpt-3.5-turbo-0125", 16_385, 4_096, 0.50, 1.50, 0.5}, true},
		{"o3-mini", nil, Model{"o3-mini", 200_000, 100_000, 1.10, 4.40, 0.5}, true},
		{"gpt-5-mini-2025-08-07", nil, Model{"gpt-5-mini-2025-08-07", 400_000, 128_000, 0.25, 2.00, 0.5}, true},
		{"llama3:8b", nil, Model{"llama3:8b", 8_192, 2_048, 0, 0, 0}, true},
		{"llama3.1:8b", nil, Model{"llama3.1:8b", 8_192, 2_048, 0, 0, 0}, true},
		{"qwen2.5:14b-instruct", nil, Model{"qwen2.5:14b-instruct", 32_768, 8_192, 0, 0, 0}, true},
		{"mistral", nil, Model{"mistral", 32_768, 8_192, 0, 0, 0}, true},
		// "gpt-4.5" is not gpt-4, and an unknown model gets the fallback.
		{"gpt-4.5-preview", nil, Model{"gpt-4.5-preview", DefaultContextWindow, DefaultMaxOutput, 0, 0, 0}, false},
		{"deepseek-r1", nil, Model{"deepseek-r1", DefaultContextWindow, DefaultMaxOutput, 0, 0, 0}, false},
		// Overrides.
		{"gpt-4o-2024-11-20", overrides, Model{"gpt-4o-2024-11-20", 64_000, 16_384, 2.50, 10.00, 0.5}, true},
		{"gpt-4o-mini", overrides, Model{"gpt-4o-mini", 128_000, 16_384, 0.15, 0.60, 0.5}, true},
		{"llama3:70b", overrides, Model{"llama3:70b", 131_072, 4_096, 0, 0, 0}, true},
		{"my-finetune", overrides, Model{"my-finetune", 4_096, DefaultMaxOutput, 3, 12, 0}, true},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.name, tt.overrides)
		if diff := cmp.Diff(tt.want, got); diff != "" || ok != tt.wantOK {
			t.Errorf("Lookup(%q) = %+v, %v, want %+v, %v; diff (-want +got):\n%s", tt.name, got, ok, tt.want, tt.wantOK, diff)
		}
	}
}

func TestModelsDoesNotAlias(t *testing.T) {
	m := Models()
	m[0].ContextWindow = 1
	if got, _ := Lookup(m[0].Name, nil); got.ContextWindow == 1 {
		t.Errorf("changing the slice Models returned changed Lookup(%q)", m[0].Name)
	}
}

func TestCost(t *testing.T) {
	tests := []struct {
		model string
		usage llm.Usage
		want  float64 // worked out by hand from the price table
	}{
		// 1M × $0.15 + 0.5M × $0.60 = $0.15 + $0.30.
		{"gpt-4o-mini", llm.Usage{PromptTokens: 1_000_000, CompletionTokens: 500_000}, 0.45},
		// 12,345 × $2.50/1M + 678 × $10/1M = $0.0308625 + $0.00678.
		{"gpt-4o-2024-08-06", llm.Usage{PromptTokens: 12_345, CompletionTokens: 678}, 0.0376425},
		// 200,000 × $1.25/1M + 2,000 × $10/1M = $0.25 + $0.02.
		{"gpt-5", llm.Usage{PromptTokens: 200_000, CompletionTokens: 2_000}, 0.27},
		// Local models are free.
		{"llama3:8b", llm.Usage{PromptTokens: 7_000, CompletionTokens: 300}, 0},
		{"gpt-4o", llm.Usage{}, 0},
	}
	for _, tt := range tests {
		m, _ := Lookup(tt.model, nil)
		if got := Cost(m, tt.usage); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Cost(%s, %+v) = %.10f, want %.10f", tt.model, tt.usage, got, tt.want)
		}
	}
}

func TestInFamily(t *testing.T) {
	tests := []struct {
		name, family string
		want         bool
	}{
		{"gpt-4o", "gpt-4o", true},
		{"GPT-4o-2024-08-06", "gpt-4o", true},
		{"openai/gpt-4o", "gpt-4o", true},
		{"ft:gpt-4o-mini:org", "gpt-4o-mini", true},
		{"llama3:8b", "llama3", true},
		{"gpt-4o", "gpt-4", false},
		{"gpt-4.5", "gpt-4", false},
	}
	for _, tt := range tests {
		if got := InFamily(tt.name, tt.family); got != tt.want {
			t.Errorf("InFamily(%q, %q) = %v, want %v", tt.name, tt.family, got, tt.want)
		}
	}
}

// OpenAI's models are billed at half price through the Batch API; local
// ones have no discount; a config entry may set its own.
func TestBatchDiscount(t *testing.T) {
	for _, tc := range []struct {
		model     string
		overrides map[string]Model
		live      float64
		want      float64
	}{
		{"gpt-4o-mini-2024-07-18", nil, 2.0, 1.0},
		{"llama3.1:8b", nil, 2.0, 2.0},
		{"my-model", map[string]Model{"my-model": {InputPrice: 1, BatchDiscount: 0.25}}, 2.0, 1.5},
		{"gpt-4o", map[string]Model{"gpt-4o": {ContextWindow: 64_000}}, 2.0, 1.0}, // an override without a discount keeps the table's
	} {
		m, _ := Lookup(tc.model, tc.overrides)
		if got := m.BatchCost(tc.live); got != tc.want {
			t.Errorf("%s: BatchCost(%g) = %g, want %g", tc.model, tc.live, got, tc.want)
		}
	}
}
