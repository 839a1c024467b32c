package llm

import (
	"context"
	"fmt"

	"golang.org/x/time/rate"
)

// TokenEstimator is an optional interface: a Backend that can count a
// request's tokens better than the default estimate (characters/4 plus
// MaxTokens) implements it, and WithRateLimit uses it.
type TokenEstimator interface {
	EstimateTokens(req Request) int
}

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
// Waiting ends early when ctx ends. The returned Backend is safe for
// concurrent use; share one per API key.
func WithRateLimit(b Backend, rpm, tpm int) Backend {
	r := &rateLimited{next: b}
	if rpm > 0 {
		r.requests = rate.NewLimiter(rate.Limit(float64(rpm)/60), 1)
	}
	if tpm > 0 {
		r.tokens = rate.NewLimiter(rate.Limit(float64(tpm)/60), tpm)
	}
	if e, ok := b.(TokenEstimator); ok {
		r.estimate = e.EstimateTokens
	} else {
		r.estimate = EstimateTokens
	}
	return r
}

type rateLimited struct {
	next     Backend
	requests *rate.Limiter // nil: unlimited
	tokens   *rate.Limiter // nil: unlimited
	estimate func(Request) int
}

func (r *rateLimited) Endpoint() string { return endpointOf(r.next) }

func (r *rateLimited) Complete(ctx context.Context, req Request) (Response, error) {
	if r.requests != nil {
		if err := r.requests.Wait(ctx); err != nil {
			return Response{}, fmt.Errorf("rate limit: %w", ctxErr(ctx, err))
		}
	}
	if r.tokens != nil {
		n := min(max(r.estimate(req), 1), r.tokens.Burst())
		if err := r.tokens.WaitN(ctx, n); err != nil {
			return Response{}, fmt.Errorf("rate limit: %w", ctxErr(ctx, err))
		}
	}
	return r.next.Complete(ctx, req)
}

// ctxErr prefers the context's own error, so callers can test it with
// errors.Is(err, context.Canceled) or context.DeadlineExceeded. rate.Wait
// fails at once when the deadline would pass before a token frees: that is
// reported as ErrTimeout.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	if _, ok := ctx.Deadline(); ok {
		// The wait would outlast the deadline: a timeout, which a retry
		// with a fresh attempt deadline may get past.
		return &Error{Kind: ErrTimeout, Message: err.Error(), Err: context.DeadlineExceeded}
	}
	return err
}
