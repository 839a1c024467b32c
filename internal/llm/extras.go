package llm

import "context"

// Streamer is an optional interface: a Backend that can hand over the reply
// while it is generated. Stream calls onDelta with each piece of content in
// order and returns the whole reply, as Complete would. The wrappers of this
// package (retry, rate limit, cache) do not stream: callers that want both
// find the Streamer on the innermost backend and accept that a stream is
// not retried.
type Streamer interface {
	Stream(ctx context.Context, req Request, onDelta func(string)) (Response, error)
}

// ModelLister is an optional interface: a Backend that can list the models
// its server offers.
type ModelLister interface {
	Models(ctx context.Context) ([]string, error)
}
