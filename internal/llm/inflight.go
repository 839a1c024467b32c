package llm

import (
	"context"
	"fmt"
)

// InFlight bounds the requests in flight at once. Share one between every
// backend that counts against the same budget: cmd/summarize gives one to
// all the summarizers of a run, so that the workers (--concurrency) and the
// map requests of a long article together never have more than its size
// in flight. It is safe for concurrent use.
type InFlight struct{ slots chan struct{} }

// NewInFlight returns a bound of n requests at once; n < 1 is 1.
func NewInFlight(n int) *InFlight {
	return &InFlight{slots: make(chan struct{}, max(n, 1))}
}

// Cap is the bound.
func (l *InFlight) Cap() int { return cap(l.slots) }

// WithInFlight returns a Backend that sends at most l.Cap() requests to b
// at once, with every other Backend l bounds; a request waits for a slot
// until ctx ends. Put it next to the client, inside the retries, so that a
// slot is held while a request is on the wire and not while it waits to be
// retried. A nil l returns b.
func WithInFlight(b Backend, l *InFlight) Backend {
	if l == nil {
		return b
	}
	return &inFlight{next: b, l: l}
}

type inFlight struct {
	next Backend
	l    *InFlight
}

func (f *inFlight) Endpoint() string { return endpointOf(f.next) }

func (f *inFlight) Complete(ctx context.Context, req Request) (Response, error) {
	select {
	case f.l.slots <- struct{}{}:
	case <-ctx.Done():
		return Response{}, fmt.Errorf("waiting for one of %d request slots: %w", f.l.Cap(), context.Cause(ctx))
	}
	defer func() { <-f.l.slots }()
	return f.next.Complete(ctx, req)
}
