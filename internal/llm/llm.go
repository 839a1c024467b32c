// Package llm defines the provider-neutral side of talking to a language
// model: the one-method Backend, the request and response types, the error
// kinds callers test with errors.Is, and wrappers that add retries, rate
// limits and a response cache around any Backend.
//
// Only internal/llm/openai knows about a concrete wire protocol.
package llm

import (
	"context"
	"time"

	"github.com/summarize-dev/summarize/internal/summary"
)

// Role of a chat message.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one chat message.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Request is one completion request.
type Request struct {
	Model    string    `json:"model"`
	Messages []Message `json:"messages"`
	// Temperature is sent as given; 0 means deterministic output and is sent
	// as such (adapters must not drop it).
	Temperature float64 `json:"temperature"`
	// MaxTokens caps the reply; 0 leaves it to the server.
	MaxTokens int `json:"max_tokens,omitempty"`
	// Seed asks the server for reproducible sampling when it supports it; 0 = unset.
	Seed int `json:"seed,omitempty"`
	// Logprobs asks for the log probability of each reply token, and
	// TopLogprobs (0-20, with Logprobs) for that many of the most likely
	// tokens at each position. Servers that do not support them ignore or
	// reject them; Response.Logprobs is then empty.
	Logprobs    bool `json:"logprobs,omitempty"`
	TopLogprobs int  `json:"top_logprobs,omitempty"`
}

// TokenLogprob is one token of a reply with its log probability (natural
// log) and, when asked for, the most likely tokens at its position.
type TokenLogprob struct {
	Token   string    `json:"token"`
	Logprob float64   `json:"logprob"`
	Top     []Logprob `json:"top,omitempty"`
}

// Logprob is one candidate token at a position of the reply.
type Logprob struct {
	Token   string  `json:"token"`
	Logprob float64 `json:"logprob"`
}

// Usage is the token accounting reported by the server. It is declared in
// the leaf package summary, because a Summary carries the sum of its
// calls' usage and eval reads it without linking this package.
type Usage = summary.Usage

// Response is one completion.
type Response struct {
	Content string `json:"content"`
	Model   string `json:"model,omitempty"`
	// FinishReason is why the reply ended, in OpenAI's words, which most
	// servers share: FinishStop, FinishLength (cut at max_tokens),
	// FinishContentFilter; "" when the server did not say.
	FinishReason string `json:"finish_reason,omitempty"`
	// Refusal is the model's own explanation when it declined to answer
	// (OpenAI's message.refusal); Content is then usually empty.
	Refusal string `json:"refusal,omitempty"`
	// Warnings say what the adapter changed in the request to suit the
	// model (a temperature a reasoning model does not take), for stderr.
	Warnings []string      `json:"warnings,omitempty"`
	Usage    Usage         `json:"usage"`
	Attempts int           `json:"attempts,omitempty"` // filled by the retry wrapper
	Cached   bool          `json:"cached,omitempty"`   // filled by the cache wrapper
	Latency  time.Duration `json:"latency,omitempty"`
	// Logprobs holds the reply's tokens with their log probabilities when
	// the request asked for them and the server sent them.
	Logprobs []TokenLogprob `json:"logprobs,omitempty"`
}

// Finish reasons.
const (
	FinishStop          = "stop"
	FinishLength        = "length"
	FinishContentFilter = "content_filter"
)

// Backend completes chat requests. Extras (ModelLister, Endpointer) are
// optional interfaces found by type assertion.
type Backend interface {
	Complete(ctx context.Context, req Request) (Response, error)
}

// BackendFunc adapts a function to Backend; tests need nothing more. It is
// for tests: no binary of this module uses it.
type BackendFunc func(ctx context.Context, req Request) (Response, error)

// Complete calls f (for tests, like BackendFunc).
func (f BackendFunc) Complete(ctx context.Context, req Request) (Response, error) {
	return f(ctx, req)
}
