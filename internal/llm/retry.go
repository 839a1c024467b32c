package llm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// RetryPolicy says how WithRetry retries. Its zero value makes one attempt
// and no retry, as llm.max_retries: 0 does; the zero delays below take
// their defaults.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt, so at
	// most MaxRetries+1 attempts are made. 0 (or less) means no retry.
	MaxRetries int
	// BaseDelay is the wait before the first retry (default 500ms); each
	// further retry doubles it, with jitter, up to MaxDelay.
	BaseDelay time.Duration
	// MaxDelay caps the backoff's own waits (default 30s). It does not cut
	// a wait the server asked for: see MaxWait.
	MaxDelay time.Duration
	// MaxWait is the longest Retry-After that is honoured (default
	// DefaultMaxWait). A server that asks for more, or for more than the
	// caller's deadline leaves, gets no retry: the error says how long it
	// asked to wait.
	MaxWait time.Duration
	// AttemptTimeout bounds each attempt with context.WithTimeout; 0 means
	// only the caller's context bounds it.
	AttemptTimeout time.Duration
	// OnRetry, when set, is called before each wait (for logging or
	// progress); attempt is the number of the attempt that just failed.
	OnRetry func(attempt int, err error, wait time.Duration)
	// Sleep, when set, replaces the timer between attempts: it must wait d
	// or return ctx's error when ctx ends first. Tests and benchmarks use
	// it to run retries without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultMaxWait is the longest server-requested wait honoured when
// RetryPolicy.MaxWait is 0.
const DefaultMaxWait = 5 * time.Minute

func (p RetryPolicy) withDefaults() RetryPolicy {
	p.MaxRetries = max(p.MaxRetries, 0)
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.MaxWait <= 0 {
		p.MaxWait = DefaultMaxWait
	}
	if p.Sleep == nil {
		p.Sleep = sleep
	}
	if p.BaseDelay > p.MaxDelay {
		p.BaseDelay = p.MaxDelay
	}
	return p
}

// WithRetry returns a Backend that retries b's retryable failures (see
// Retryable) with jittered exponential backoff, waiting what the server asked
// for in Retry-After when it said (up to MaxWait and the caller's deadline;
// beyond them it gives up and says what the server asked). It stops as soon as
// ctx ends. Response.Attempts tells how many attempts were made; when it
// gives up the error says "after N attempts" and still matches its kind with
// errors.Is.
func WithRetry(b Backend, p RetryPolicy) Backend {
	return &retrier{next: b, p: p.withDefaults()}
}

type retrier struct {
	next Backend
	p    RetryPolicy
}

func (r *retrier) Endpoint() string { return endpointOf(r.next) }

func (r *retrier) Complete(ctx context.Context, req Request) (Response, error) {
	maxAttempts := r.p.MaxRetries + 1
	for attempt := 1; ; attempt++ {
		resp, err := r.attempt(ctx, req)
		if err == nil {
			resp.Attempts = attempt
			return resp, nil
		}
		if ctx.Err() != nil {
			// The caller gave up: report that, with what was happening.
			return Response{}, fmt.Errorf("%w (attempt %d: %w)", context.Cause(ctx), attempt, err)
		}
		if !Retryable(err) || attempt >= maxAttempts {
			return Response{}, gaveUp(err, attempt)
		}
		serverWait := retryAfter(err)
		if limit, what := r.waitLimit(ctx); serverWait > limit {
			return Response{}, gaveUp(tooLongWait(err, serverWait, limit, what), attempt)
		}
		wait := r.p.delay(attempt, serverWait)
		if r.p.OnRetry != nil {
			r.p.OnRetry(attempt, err, wait)
		}
		if r.p.Sleep(ctx, wait) != nil {
			return Response{}, fmt.Errorf("%w (waiting to retry after attempt %d: %w)", context.Cause(ctx), attempt, err)
		}
	}
}

// waitLimit is the longest server-requested wait worth honouring: MaxWait,
// or less when the caller's deadline is nearer.
func (r *retrier) waitLimit(ctx context.Context) (time.Duration, string) {
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left < r.p.MaxWait {
			return left, "the time left before the deadline"
		}
	}
	return r.p.MaxWait, "the longest wait retries allow"
}

// tooLongWait adds to err that the server asked for a wait over limit.
func tooLongWait(err error, wait, limit time.Duration, what string) error {
	note := fmt.Sprintf("the server asked to wait %s before retrying, more than %s (%s)",
		roundWait(wait), what, roundWait(limit))
	var e *Error
	if errors.As(err, &e) && e == err {
		c := *e
		if c.Message != "" {
			c.Message += "; "
		}
		c.Message += note
		return &c
	}
	return fmt.Errorf("%w; %s", err, note)
}

func roundWait(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.0f s", d.Seconds())
	}
	return d.Round(time.Millisecond).String()
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (r *retrier) attempt(ctx context.Context, req Request) (Response, error) {
	if r.p.AttemptTimeout <= 0 {
		return r.next.Complete(ctx, req)
	}
	actx, cancel := context.WithTimeout(ctx, r.p.AttemptTimeout)
	defer cancel()
	resp, err := r.next.Complete(actx, req)
	if err != nil && ctx.Err() == nil && actx.Err() != nil && !errors.Is(err, ErrTimeout) {
		// Our per-attempt deadline fired: that is a timeout, whatever the
		// backend made of it.
		err = &Error{Kind: ErrTimeout, Message: fmt.Sprintf("no reply within %v", r.p.AttemptTimeout), Err: err}
	}
	return resp, err
}

// delay is the wait after the given failed attempt (1-based).
func (p RetryPolicy) delay(attempt int, serverWait time.Duration) time.Duration {
	if serverWait > 0 {
		return serverWait // within MaxWait: Complete checked
	}
	d := float64(p.BaseDelay) * math.Pow(2, float64(attempt-1))
	d = min(d, float64(p.MaxDelay))
	// Equal jitter: half fixed, half random, so waits never collapse to 0
	// and concurrent callers spread out.
	return time.Duration(d/2 + rand.Float64()*d/2)
}

func retryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// gaveUp adds the attempt count to err when more than one attempt was made.
func gaveUp(err error, attempts int) error {
	if attempts <= 1 {
		return err
	}
	var e *Error
	if errors.As(err, &e) && e == err {
		c := *e
		c.Attempts = attempts
		return &c
	}
	return fmt.Errorf("after %d attempts: %w", attempts, err)
}
