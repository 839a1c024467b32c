package llm

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

// EstimateTokens is the default token estimate of a request: one token per
// four bytes of message content (rounded up), plus a few tokens of framing per
// message, plus MaxTokens for the reply.
func EstimateTokens(req Request) int {
	n := 0
	for _, m := range req.Messages {
		n += (len(m.Content)+3)/4 + 4
	}
	return n + req.MaxTokens
}

// WithRateLimit returns a Backend that keeps calls to b under rpm requests
// per minute and tpm tokens per minute (estimated before the call; see
// EstimateTokens). Requests are spread evenly over the minute; tokens may be
// spent in a burst of up to one minute's worth. A limit <= 0 is no limit.
// Waiting ends early when ctx ends; a wait that would pass ctx's deadline is
// not started and fails at once with a retryable ErrRateLimited whose
// RetryAfter is the wait. The returned Backend is safe for
// concurrent use; share one per API key.
func WithRateLimit(b Backend, rpm, tpm int) Backend {
	r := &rateLimited{next: b}
	if rpm > 0 {
		r.requests = rate.NewLimiter(rate.Limit(float64(rpm)/60), 1)
	}
	if tpm > 0 {
		r.tokens = rate.NewLimiter(rate.Limit(float64(tpm)/60), tpm)
	}
	return r
}

type rateLimited struct {
	next     Backend
	requests *rate.Limiter // nil: unlimited
	tokens   *rate.Limiter // nil: unlimited
}

func (r *rateLimited) Endpoint() string { return endpointOf(r.next) }

func (r *rateLimited) Complete(ctx context.Context, req Request) (Response, error) {
	if r.requests != nil {
		if err := wait(ctx, r.requests, 1, "requests"); err != nil {
			return Response{}, err
		}
	}
	if r.tokens != nil {
		n := min(max(EstimateTokens(req), 1), r.tokens.Burst())
		if err := wait(ctx, r.tokens, n, "tokens"); err != nil {
			return Response{}, err
		}
	}
	return r.next.Complete(ctx, req)
}

// wait takes n tokens from lim, waiting for them until ctx ends. When ctx
// has a deadline the wait would pass, it takes nothing and returns
// ErrRateLimited at once, with RetryAfter set to the wait: under WithRetry
// the time spent queueing then does not count against one attempt's
// timeout.
func wait(ctx context.Context, lim *rate.Limiter, n int, what string) error {
	now := time.Now()
	res := lim.ReserveN(now, n)
	if !res.OK() {
		return fmt.Errorf("rate limit: %d %s exceed the burst of %d", n, what, lim.Burst())
	}
	delay := res.DelayFrom(now)
	if delay == 0 {
		return nil
	}
	if deadline, ok := ctx.Deadline(); ok && now.Add(delay).After(deadline) {
		res.CancelAt(now)
		return &Error{Kind: ErrRateLimited, RetryAfter: delay,
			Message: fmt.Sprintf("client-side limit on %s: the next slot is %v away, past the deadline", what, delay.Round(time.Millisecond))}
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		res.Cancel()
		return fmt.Errorf("rate limit: %w", context.Cause(ctx))
	}
}
