package llm

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func okBackend() BackendFunc {
	return func(ctx context.Context, req Request) (Response, error) { return Response{Content: "ok"}, nil }
}

func TestEstimateTokens(t *testing.T) {
	tests := []struct {
		req  Request
		want int
	}{
		{Request{}, 0},
		{Request{MaxTokens: 100}, 100},
		{Request{Messages: []Message{{Role: RoleUser, Content: "abcd"}}}, 1 + 4},
		{Request{Messages: []Message{{Role: RoleUser, Content: "abcde"}}, MaxTokens: 10}, 2 + 4 + 10},
		{Request{Messages: []Message{{Content: strings.Repeat("x", 400)}, {Content: ""}}}, 100 + 4 + 4},
	}
	for _, tt := range tests {
		if got := EstimateTokens(tt.req); got != tt.want {
			t.Errorf("EstimateTokens(%+v) = %d, want %d", tt.req, got, tt.want)
		}
	}
}

func TestWithRateLimitRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := WithRateLimit(okBackend(), 60, 0) // one a second
		start := time.Now()
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				if _, err := b.Complete(t.Context(), Request{}); err != nil {
					t.Errorf("Complete() error = %v", err)
				}
			})
		}
		wg.Wait()
		if got := time.Since(start); got != 4*time.Second {
			t.Errorf("5 calls at 60 rpm took %v, want 4s", got)
		}
	})
}

func TestWithRateLimitTokens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 600 tokens a minute = 10 a second, burst 600; each call costs 300
		// (a request with no messages is estimated at its MaxTokens).
		b := WithRateLimit(okBackend(), 0, 600)
		start := time.Now()
		for range 3 {
			if _, err := b.Complete(t.Context(), Request{MaxTokens: 300}); err != nil {
				t.Fatalf("Complete() error = %v", err)
			}
		}
		if got := time.Since(start); got != 30*time.Second {
			t.Errorf("3×300 tokens at 600 tpm took %v, want 30s", got)
		}
		// A request bigger than a minute's budget waits for a full bucket
		// instead of failing.
		b = WithRateLimit(okBackend(), 0, 600)
		start = time.Now()
		for range 2 {
			if _, err := b.Complete(t.Context(), Request{MaxTokens: 5000}); err != nil {
				t.Fatalf("Complete() error = %v", err)
			}
		}
		if got := time.Since(start); got != time.Minute {
			t.Errorf("2 oversized calls at 600 tpm took %v, want 1m", got)
		}
	})
}

func TestWithRateLimitDefaultEstimate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 60 tpm = 1 token a second; the request is 4+4+36 = 44 tokens.
		b := WithRateLimit(okBackend(), 0, 60)
		req := Request{Messages: []Message{{Role: RoleUser, Content: "0123456789abcdef"}}, MaxTokens: 36}
		start := time.Now()
		for range 2 {
			if _, err := b.Complete(t.Context(), req); err != nil {
				t.Fatalf("Complete() error = %v", err)
			}
		}
		if got := time.Since(start); got != 28*time.Second {
			t.Errorf("2×44 tokens with a 60-token bucket took %v, want 28s", got)
		}
	})
}

func TestWithRateLimitCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := WithRateLimit(okBackend(), 1, 0) // one a minute
		if _, err := b.Complete(t.Context(), Request{}); err != nil {
			t.Fatalf("first Complete() error = %v", err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(3*time.Second, cancel)
		start := time.Now()
		_, err := b.Complete(ctx, Request{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Complete() error = %v, want context.Canceled", err)
		}
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("returned after %v, want 3s", got)
		}

		// A deadline shorter than the wait fails at once, as a retryable
		// rate limit that says how long to wait, and takes no slot.
		ctx, cancel = context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		start = time.Now()
		_, err = b.Complete(ctx, Request{})
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrRateLimited || e.RetryAfter != 57*time.Second || !Retryable(err) {
			t.Errorf("Complete() error = %#v, want a retryable ErrRateLimited with RetryAfter 57s", err)
		}
		if got := time.Since(start); got != 0 {
			t.Errorf("returned after %v, want at once", got)
		}
	})
}

func TestWithRateLimitUnderRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 6 rpm: a slot every 10s. With 4s attempts, callers queue across
		// attempts (waiting what the limiter said) instead of timing out.
		b := WithRetry(WithRateLimit(okBackend(), 6, 0), RetryPolicy{MaxRetries: 5, AttemptTimeout: 4 * time.Second, MaxDelay: time.Minute})
		start := time.Now()
		var (
			mu       sync.Mutex
			attempts []int
			wg       sync.WaitGroup
		)
		for range 3 {
			wg.Go(func() {
				resp, err := b.Complete(t.Context(), Request{})
				if err != nil {
					t.Errorf("Complete() error = %v", err)
				}
				mu.Lock()
				attempts = append(attempts, resp.Attempts)
				mu.Unlock()
			})
		}
		wg.Wait()
		slices.Sort(attempts)
		if want := []int{1, 2, 3}; !slices.Equal(attempts, want) {
			t.Errorf("attempts = %v, want %v", attempts, want)
		}
		if got := time.Since(start); got != 20*time.Second {
			t.Errorf("3 calls at 6 rpm took %v, want 20s", got)
		}
	})
}

func TestWithRateLimitUnlimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := WithRateLimit(okBackend(), 0, 0)
		start := time.Now()
		for range 100 {
			if _, err := b.Complete(t.Context(), Request{MaxTokens: 1 << 20}); err != nil {
				t.Fatalf("Complete() error = %v", err)
			}
		}
		if got := time.Since(start); got != 0 {
			t.Errorf("unlimited calls took %v, want 0", got)
		}
	})
}
