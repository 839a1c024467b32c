// Package models is the table of what summarize knows about language
// models: context windows, output limits and list prices, with the config's
// overrides, looked up by model family. The overflow planner
// (internal/summarize), --estimate and 'summarize models' read it.
package models

import (
	"strings"

	"github.com/summarize-dev/summarize/internal/llm"
)

// Model is what the planner needs to know about a model: its context window
// and output limit in tokens, and its prices in US dollars per million
// input and output tokens.
type Model struct {
	Name          string  `json:"name" yaml:"name" mapstructure:"name"`
	ContextWindow int     `json:"context_window" yaml:"context_window" mapstructure:"context_window"`
	MaxOutput     int     `json:"max_output" yaml:"max_output" mapstructure:"max_output"`
	InputPrice    float64 `json:"input_price" yaml:"input_price" mapstructure:"input_price"`
	OutputPrice   float64 `json:"output_price" yaml:"output_price" mapstructure:"output_price"`
	// BatchDiscount is the share of the live price taken off requests sent
	// through the provider's Batch API: 0.5 for OpenAI and Azure OpenAI; 0
	// (no discount) where there is none or none is known.
	BatchDiscount float64 `json:"batch_discount,omitempty" yaml:"batch_discount" mapstructure:"batch_discount"`
}

// Fallback limits for a model that is neither in the table nor configured:
// small enough for any chat model served today, so a long article is split
// rather than silently cut by a local server.
const (
	DefaultContextWindow = 8192
	DefaultMaxOutput     = 2048
)

// Models returns the built-in table: context windows, output limits and list
// prices (USD per 1M tokens, standard tier, as published by OpenAI in 2025).
// Local model families (served by Ollama, vLLM, llama.cpp) cost nothing and
// get conservative windows: Ollama's default context is smaller than what the
// weights support, and it truncates the prompt silently. Set
// llm.context_window (or a models entry in the config) to what the server
// really runs with.
//
// It returns a fresh slice; the caller may modify it.
func Models() []Model {
	return []Model{
		{"gpt-4o", 128_000, 16_384, 2.50, 10.00, 0.5},
		{"chatgpt-4o-latest", 128_000, 16_384, 5.00, 15.00, 0.5},
		{"gpt-4o-mini", 128_000, 16_384, 0.15, 0.60, 0.5},
		{"gpt-4.1", 1_047_576, 32_768, 2.00, 8.00, 0.5},
		{"gpt-4.1-mini", 1_047_576, 32_768, 0.40, 1.60, 0.5},
		{"gpt-4.1-nano", 1_047_576, 32_768, 0.10, 0.40, 0.5},
		{"gpt-5", 400_000, 128_000, 1.25, 10.00, 0.5},
		{"gpt-5-mini", 400_000, 128_000, 0.25, 2.00, 0.5},
		{"gpt-5-nano", 400_000, 128_000, 0.05, 0.40, 0.5},
		{"o1", 200_000, 100_000, 15.00, 60.00, 0.5},
		{"o1-mini", 128_000, 65_536, 1.10, 4.40, 0.5},
		{"o3", 200_000, 100_000, 2.00, 8.00, 0.5},
		{"o3-mini", 200_000, 100_000, 1.10, 4.40, 0.5},
		{"o4-mini", 200_000, 100_000, 1.10, 4.40, 0.5},
		{"gpt-4-turbo", 128_000, 4_096, 10.00, 30.00, 0.5},
		{"gpt-4", 8_192, 8_192, 30.00, 60.00, 0.5},
		{"gpt-3.5-turbo", 16_385, 4_096, 0.50, 1.50, 0.5},
		{"llama3", 8_192, 2_048, 0, 0, 0},
		{"llama3.1", 8_192, 2_048, 0, 0, 0},
		{"llama3.2", 8_192, 2_048, 0, 0, 0},
		{"llama3.3", 8_192, 2_048, 0, 0, 0},
		{"qwen2.5", 32_768, 8_192, 0, 0, 0},
		{"qwen3", 32_768, 8_192, 0, 0, 0},
		{"mistral", 32_768, 8_192, 0, 0, 0},
		{"mistral-nemo", 32_768, 8_192, 0, 0, 0},
		{"gemma2", 8_192, 2_048, 0, 0, 0},
		{"gemma3", 32_768, 8_192, 0, 0, 0},
		{"phi3", 4_096, 2_048, 0, 0, 0},
		{"phi4", 16_384, 4_096, 0, 0, 0},
	}
}

// Lookup returns what is known about the model called name. Overrides (from
// config, keyed by model name) come first, then the built-in table. A dated
// or tagged name matches its family by the longest prefix followed by "-",
// ":", "@" or "_": "gpt-4o-2024-08-06" is gpt-4o, "gpt-4o-mini-2024-07-18"
// is gpt-4o-mini, "llama3:8b" is llama3, "openai/gpt-4o" is gpt-4o.
//
// An override applies unless a built-in entry matches name more
// specifically ("gpt-4o" in the config does not change gpt-4o-mini). Its
// zero fields are taken from the built-in entry, so a config may set only a
// context window. The returned Model is named name.
//
// When neither matches, Lookup returns ok == false and a Model with
// DefaultContextWindow, DefaultMaxOutput and no price.
func Lookup(name string, overrides map[string]Model) (Model, bool) {
	base, okBase := longestMatch(name, Models())
	ovr := make([]Model, 0, len(overrides))
	for key, m := range overrides {
		m.Name = key
		ovr = append(ovr, m)
	}
	over, okOver := longestMatch(name, ovr)
	// An override for a family does not reach a more specific built-in
	// entry: "gpt-4o" in the config does not change gpt-4o-mini.
	if okOver && okBase && len(normalize(over.Name)) < len(normalize(base.Name)) {
		okOver = false
	}
	switch {
	case okOver && okBase:
		base = merge(base, over)
	case okOver:
		base = merge(Model{ContextWindow: DefaultContextWindow, MaxOutput: DefaultMaxOutput}, over)
	case !okBase:
		base = Model{ContextWindow: DefaultContextWindow, MaxOutput: DefaultMaxOutput}
	}
	base.Name = name
	return base, okBase || okOver
}

func longestMatch(name string, table []Model) (Model, bool) {
	n := normalize(name)
	var (
		best  Model
		found bool
	)
	for _, m := range table {
		if hasFamilyPrefix(n, normalize(m.Name)) && (!found || len(m.Name) > len(best.Name)) {
			best, found = m, true
		}
	}
	return best, found
}

func merge(base, over Model) Model {
	if over.ContextWindow > 0 {
		base.ContextWindow = over.ContextWindow
	}
	if over.MaxOutput > 0 {
		base.MaxOutput = over.MaxOutput
	}
	if over.InputPrice > 0 {
		base.InputPrice = over.InputPrice
	}
	if over.OutputPrice > 0 {
		base.OutputPrice = over.OutputPrice
	}
	if over.BatchDiscount > 0 {
		base.BatchDiscount = over.BatchDiscount
	}
	return base
}

// BatchCost is the price of a Batch API request whose live price is live.
func (m Model) BatchCost(live float64) float64 { return live * (1 - m.BatchDiscount) }

// Cost returns the price in US dollars of usage on m.
func Cost(m Model, usage llm.Usage) float64 {
	return (float64(usage.PromptTokens)*m.InputPrice + float64(usage.CompletionTokens)*m.OutputPrice) / 1e6
}

// InFamily reports whether the model called name belongs to family: name,
// without a "provider/" path or "ft:" marker and in lower case, is family or
// family followed by "-", ":", "@" or "_". "gpt-4o-2024-08-06" and
// "openai/gpt-4o" are in gpt-4o; "gpt-4o" is not in gpt-4, nor "gpt-4.5".
func InFamily(name, family string) bool {
	return hasFamilyPrefix(normalize(name), normalize(family))
}

// normalize lowercases a model name and strips what providers put around
// the family name: a "provider/" path (OpenRouter, Together) and a "ft:"
// fine-tune marker.
func normalize(model string) string {
	name := strings.ToLower(strings.TrimSpace(model))
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimPrefix(name, "ft:")
}

// hasFamilyPrefix reports whether name is family or family followed by a
// separator.
func hasFamilyPrefix(name, family string) bool {
	rest, ok := strings.CutPrefix(name, family)
	if !ok {
		return false
	}
	return rest == "" || rest[0] == '-' || rest[0] == ':' || rest[0] == '@' || rest[0] == '_'
}
