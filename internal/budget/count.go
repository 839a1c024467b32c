// Package budget counts tokens and plans how an article fits a model's
// context window (see internal/models for the windows): whether it fits,
// where to truncate it at a sentence boundary, and how to split it into
// chunks that each fit.
//
// Token counts for OpenAI models are exact BPE counts from
// github.com/tiktoken-go/tokenizer (o200k_base for gpt-4o, gpt-4.1, o1, o3,
// o4 and gpt-5 families; cl100k_base for gpt-4 and gpt-3.5). For any other
// model (llama, mistral, qwen served by Ollama or vLLM, ...) the count is an
// estimate: the cl100k_base count times 1.25, rounded up. On English text
// those tokenizers produce roughly 0.9 to 1.2 times the cl100k_base count,
// so the estimate errs on the side of splitting a little early rather than
// overflowing the window. Other languages can run higher; for them set a
// smaller context window in the config.
//
// Nothing here calls a network or reads a file: the vocabularies are
// compiled into the tokenizer module.
package budget

import (
	"sync"
	"unicode/utf8"

	"github.com/tiktoken-go/tokenizer"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/models"
)

// Encoding names returned by EncodingFor.
const (
	O200kBase  = "o200k_base"
	Cl100kBase = "cl100k_base"
	// Estimate marks models whose tokenizer is unknown: counts are the
	// cl100k_base count times EstimateFactor, rounded up.
	Estimate = "estimate"
)

// EstimateFactor scales the cl100k_base count for models whose tokenizer is
// unknown.
const EstimateFactor = 1.25

// Chat formatting overhead, as in OpenAI's cookbook for gpt-3.5/gpt-4 and
// later chat models: every message is wrapped in
// <|start|>{role}<|message|>{content}<|end|>, and the reply is primed with
// <|start|>assistant<|message|>.
const (
	TokensPerMessage = 3
	TokensReplyPrime = 3
)

// o200kPrefixes and cl100kPrefixes name the model families by encoding.
var (
	o200kPrefixes  = []string{"gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "gpt-oss", "o1", "o3", "o4"}
	cl100kPrefixes = []string{"gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada-002"}
)

// EncodingFor returns the encoding used to count tokens for model:
// O200kBase, Cl100kBase or Estimate.
func EncodingFor(model string) string {
	// o200k first: "gpt-4o" and "gpt-4.1" also start with "gpt-4".
	for _, p := range o200kPrefixes {
		if models.InFamily(model, p) {
			return O200kBase
		}
	}
	for _, p := range cl100kPrefixes {
		if models.InFamily(model, p) {
			return Cl100kBase
		}
	}
	return Estimate
}

// CountFunc counts the tokens of a text for one model. Truncate and Chunk
// take one, so tests and callers can plug in any measure.
type CountFunc func(text string) int

// Counter counts tokens. Building a codec costs tens of milliseconds and
// megabytes of memory, so a Counter builds each encoding once, on first use,
// and is then safe for concurrent use. Create one per program and share it.
type Counter struct {
	o200k  lazyCodec
	cl100k lazyCodec
}

// NewCounter returns a Counter; no codec is built until the first count.
func NewCounter() *Counter {
	return &Counter{
		o200k:  lazyCodec{enc: tokenizer.O200kBase},
		cl100k: lazyCodec{enc: tokenizer.Cl100kBase},
	}
}

type lazyCodec struct {
	enc   tokenizer.Encoding
	once  sync.Once
	codec tokenizer.Codec
}

func (l *lazyCodec) get() tokenizer.Codec {
	l.once.Do(func() {
		// Get only fails for an unknown encoding, and enc is one of ours.
		l.codec, _ = tokenizer.Get(l.enc)
	})
	return l.codec
}

// Count returns the number of tokens of text for model.
func (c *Counter) Count(model, text string) int {
	switch EncodingFor(model) {
	case O200kBase:
		return countWith(c.o200k.get(), text)
	case Cl100kBase:
		return countWith(c.cl100k.get(), text)
	default:
		return estimate(countWith(c.cl100k.get(), text))
	}
}

// For returns a CountFunc bound to model.
func (c *Counter) For(model string) CountFunc {
	var (
		codec  tokenizer.Codec
		factor bool
	)
	switch EncodingFor(model) {
	case O200kBase:
		codec = c.o200k.get()
	case Cl100kBase:
		codec = c.cl100k.get()
	default:
		codec, factor = c.cl100k.get(), true
	}
	return func(text string) int {
		n := countWith(codec, text)
		if factor {
			return estimate(n)
		}
		return n
	}
}

// Bound returns a cheap upper bound of For(model): a text's length in
// bytes (a BPE token is at least one byte), with the same 1.25 factor for
// models whose tokenizer is estimated. Callers that only need to know that
// a prompt fits use it to skip tokenizing.
func (c *Counter) Bound(model string) CountFunc {
	switch EncodingFor(model) {
	case O200kBase, Cl100kBase:
		return func(text string) int { return len(text) }
	}
	return func(text string) int { return estimate(len(text)) }
}

// CountMessages returns the prompt tokens a chat request with msgs costs for
// model, including the per-message framing and the reply priming.
func (c *Counter) CountMessages(model string, msgs []llm.Message) int {
	return MessagesTokens(c.For(model), msgs)
}

// MessagesTokens is CountMessages with an explicit CountFunc.
func MessagesTokens(count CountFunc, msgs []llm.Message) int {
	n := TokensReplyPrime
	for _, m := range msgs {
		n += TokensPerMessage + count(m.Role) + count(m.Content)
	}
	return n
}

func countWith(codec tokenizer.Codec, text string) int {
	if text == "" {
		return 0
	}
	n, err := codec.Count(text)
	if err != nil {
		// The codec only fails inside its regular expression engine;
		// fall back to a pessimistic guess rather than to zero.
		return utf8.RuneCountInString(text)/3 + 1
	}
	return n
}

func estimate(n int) int {
	return (n*5 + 3) / 4 // ceil(n × 1.25) in integers
}
