package openai

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
)

// exchange holds what the transport saw of one call's HTTP reply: go-openai's
// error types drop the response headers, so Retry-After is captured here.
type exchange struct {
	mu         sync.Mutex
	status     int
	retryAfter time.Duration
}

func (e *exchange) set(status int, retryAfter time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status, e.retryAfter = status, retryAfter
}

func (e *exchange) get() (int, time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status, e.retryAfter
}

type exchangeKey struct{}

func withExchange(ctx context.Context, e *exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, e)
}

// transport records each reply's status and Retry-After in the request's
// exchange, and sets the User-Agent.
type transport struct {
	base      http.RoundTripper
	userAgent string
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.userAgent != "" {
		r = r.Clone(r.Context()) // a RoundTripper must not modify its request
		r.Header.Set("User-Agent", t.userAgent)
	}
	resp, err := t.base.RoundTrip(r)
	if resp != nil {
		if e, ok := r.Context().Value(exchangeKey{}).(*exchange); ok {
			e.set(resp.StatusCode, llm.ParseRetryAfter(resp.Header, time.Now()))
		}
	}
	return resp, err
}
