package llm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// script is a Backend that fails with errs[i] on call i and succeeds after.
type script struct {
	mu    sync.Mutex
	errs  []error
	calls int
}

func (s *script) Complete(ctx context.Context, req Request) (Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.calls
	s.calls++
	if i < len(s.errs) {
		return Response{}, s.errs[i]
	}
	return Response{Content: "ok"}, nil
}

func (s *script) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func fails(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

func TestWithRetryAttempts(t *testing.T) {
	rate := &Error{Kind: ErrRateLimited, Status: 429, Message: "slow down"}
	unavailable := &Error{Kind: ErrUnavailable, Status: 503}
	tests := []struct {
		name         string
		errs         []error
		maxRetries   int
		wantCalls    int
		wantErr      error  // kind; nil for success
		wantInErr    string // substring of the error
		wantAttempts int    // Response.Attempts on success
	}{
		{"success first", nil, 3, 1, nil, "", 1},
		{"two 503 then ok", fails(2, unavailable), 3, 3, nil, "", 3},
		{"timeout then ok", fails(1, &Error{Kind: ErrTimeout}), 3, 2, nil, "", 2},
		{"always 429", fails(10, rate), 2, 3, ErrRateLimited, "rate limited (HTTP 429) after 3 attempts: slow down", 0},
		{"no retries", fails(10, rate), 0, 1, ErrRateLimited, "rate limited (HTTP 429): slow down", 0},
		{"negative is none", fails(10, rate), -1, 1, ErrRateLimited, "rate limited (HTTP 429): slow down", 0},
		{"401 at once", fails(10, &Error{Kind: ErrUnauthorized, Status: 401}), 3, 1, ErrUnauthorized, "unauthorized (HTTP 401)", 0},
		{"400 at once", fails(10, &Error{Kind: ErrBadRequest, Status: 400}), 3, 1, ErrBadRequest, "bad request", 0},
		{"403 at once", fails(10, &Error{Kind: ErrForbidden, Status: 403}), 3, 1, ErrForbidden, "forbidden", 0},
		{"404 at once", fails(10, &Error{Kind: ErrNotFound, Status: 404}), 3, 1, ErrNotFound, "model not found", 0},
		{"context length at once", fails(10, &Error{Kind: ErrContextTooLong, Status: 400}), 3, 1, ErrContextTooLong, "context window", 0},
		{"wrapped retryable", fails(10, errors.Join(errors.New("x"), unavailable)), 1, 2, ErrUnavailable, "after 2 attempts: ", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{errs: tt.errs}
				b := WithRetry(s, RetryPolicy{MaxRetries: tt.maxRetries, BaseDelay: time.Second})
				resp, err := b.Complete(t.Context(), Request{Model: "m"})
				if got := s.count(); got != tt.wantCalls {
					t.Errorf("calls = %d, want %d", got, tt.wantCalls)
				}
				if tt.wantErr == nil {
					if err != nil {
						t.Fatalf("Complete() error = %v, want nil", err)
					}
					if resp.Attempts != tt.wantAttempts {
						t.Errorf("Response.Attempts = %d, want %d", resp.Attempts, tt.wantAttempts)
					}
					return
				}
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Complete() error = %v, want errors.Is %v", err, tt.wantErr)
				}
				if err != nil && !strings.Contains(err.Error(), tt.wantInErr) {
					t.Errorf("Complete() error = %q, want it to contain %q", err, tt.wantInErr)
				}
			})
		})
	}
}

func TestWithRetryWaits(t *testing.T) {
	tests := []struct {
		name     string
		header   func(now time.Time) http.Header
		maxDelay time.Duration
		want     time.Duration
	}{
		{"retry-after seconds", func(time.Time) http.Header { return http.Header{"Retry-After": {"7"}} }, 0, 7 * time.Second},
		{"retry-after http date", func(now time.Time) http.Header {
			return http.Header{"Retry-After": {now.Add(12 * time.Second).UTC().Format(http.TimeFormat)}}
		}, 0, 12 * time.Second},
		{"retry-after above MaxDelay honoured", func(time.Time) http.Header { return http.Header{"Retry-After": {"90"}} }, 5 * time.Second, 90 * time.Second},
		{"retry-after-ms", func(time.Time) http.Header { return http.Header{"Retry-After-Ms": {"1500"}} }, 0, 1500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// The server's answer is computed when the call happens,
				// as an adapter would.
				calls := 0
				b := WithRetry(BackendFunc(func(ctx context.Context, req Request) (Response, error) {
					calls++
					if calls == 1 {
						return Response{}, &Error{Kind: ErrRateLimited, Status: 429,
							RetryAfter: ParseRetryAfter(tt.header(time.Now()), time.Now())}
					}
					return Response{Content: "ok"}, nil
				}), RetryPolicy{MaxRetries: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: tt.maxDelay})
				start := time.Now()
				resp, err := b.Complete(t.Context(), Request{})
				if err != nil {
					t.Fatalf("Complete() error = %v", err)
				}
				if got := time.Since(start); got != tt.want {
					t.Errorf("waited %v, want %v", got, tt.want)
				}
				if resp.Attempts != 2 {
					t.Errorf("Response.Attempts = %d, want 2", resp.Attempts)
				}
			})
		})
	}
}

func TestWithRetryBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var waits []time.Duration
		s := &script{errs: fails(3, &Error{Kind: ErrUnavailable, Status: 502})}
		b := WithRetry(s, RetryPolicy{MaxRetries: 3, BaseDelay: time.Second, MaxDelay: 3 * time.Second,
			OnRetry: func(attempt int, err error, wait time.Duration) { waits = append(waits, wait) }})
		start := time.Now()
		if _, err := b.Complete(t.Context(), Request{}); err != nil {
			t.Fatalf("Complete() error = %v", err)
		}
		// Equal jitter: wait n lies in [d/2, d] with d = 1s, 2s, then 4s capped to 3s.
		bounds := [][2]time.Duration{{500 * time.Millisecond, time.Second}, {time.Second, 2 * time.Second}, {1500 * time.Millisecond, 3 * time.Second}}
		if len(waits) != len(bounds) {
			t.Fatalf("OnRetry called %d times, want %d", len(waits), len(bounds))
		}
		var total time.Duration
		for i, w := range waits {
			total += w
			if w < bounds[i][0] || w > bounds[i][1] {
				t.Errorf("wait %d = %v, want within %v", i+1, w, bounds[i])
			}
		}
		if got := time.Since(start); got != total {
			t.Errorf("elapsed %v, want the sum of waits %v", got, total)
		}
	})
}

func TestWithRetryCancelDuringWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{errs: fails(10, &Error{Kind: ErrRateLimited, Status: 429, RetryAfter: time.Minute})}
		b := WithRetry(s, RetryPolicy{MaxRetries: 5, MaxDelay: time.Hour})
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(10*time.Second, cancel)
		start := time.Now()
		_, err := b.Complete(ctx, Request{})
		if got := time.Since(start); got != 10*time.Second {
			t.Errorf("returned after %v, want 10s (at cancellation)", got)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Complete() error = %v, want context.Canceled", err)
		}
		if Retryable(err) {
			t.Errorf("Retryable(%v) = true, want false", err)
		}
		if s.count() != 1 {
			t.Errorf("calls = %d, want 1", s.count())
		}
	})
}

func TestWithRetryAttemptTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		hang := BackendFunc(func(ctx context.Context, req Request) (Response, error) {
			if calls.Add(1) == 3 {
				return Response{Content: "ok"}, nil
			}
			<-ctx.Done()
			return Response{}, ctx.Err()
		})
		b := WithRetry(hang, RetryPolicy{MaxRetries: 1, BaseDelay: time.Second, AttemptTimeout: 2 * time.Second})
		_, err := b.Complete(t.Context(), Request{})
		if !errors.Is(err, ErrTimeout) {
			t.Errorf("Complete() error = %v, want ErrTimeout", err)
		}
		if !strings.Contains(err.Error(), "after 2 attempts") {
			t.Errorf("Complete() error = %q, want it to say after 2 attempts", err)
		}
		if got := calls.Load(); got != 2 {
			t.Errorf("calls = %d, want 2", got)
		}
		// A third attempt (allowed by a bigger budget) succeeds.
		b = WithRetry(hang, RetryPolicy{MaxRetries: 5, BaseDelay: time.Second, AttemptTimeout: 2 * time.Second})
		resp, err := b.Complete(t.Context(), Request{})
		if err != nil || resp.Attempts != 1 {
			t.Errorf("Complete() = %+v, %v; want success at attempt 1", resp, err)
		}
	})
}

func TestWithRetryCallerDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{errs: fails(10, &Error{Kind: ErrUnavailable, Status: 503})}
		b := WithRetry(s, RetryPolicy{MaxRetries: 100, BaseDelay: time.Second, MaxDelay: time.Second})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		_, err := b.Complete(ctx, Request{})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Complete() error = %v, want context.DeadlineExceeded", err)
		}
		if n := s.count(); n < 5 || n > 11 {
			t.Errorf("calls = %d, want between 5 and 11 in 5s of 0.5–1s waits", n)
		}
	})
}

func TestWithRetryConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		b := WithRetry(BackendFunc(func(ctx context.Context, req Request) (Response, error) {
			if calls.Add(1)%2 == 1 {
				return Response{}, &Error{Kind: ErrUnavailable, Status: 500}
			}
			return Response{Content: req.Model}, nil
		}), RetryPolicy{MaxRetries: 10})
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				if _, err := b.Complete(t.Context(), Request{Model: string(rune('a' + i))}); err != nil {
					t.Errorf("Complete() error = %v", err)
				}
			})
		}
		wg.Wait()
	})
}

// A server that asks for a wait over MaxWait, or over what the caller's
// deadline leaves, gets no retry, and the error says what it asked.
func TestWithRetryWaitTooLong(t *testing.T) {
	tests := []struct {
		name     string
		wait     time.Duration
		maxWait  time.Duration
		deadline time.Duration // 0: none
		want     string
	}{
		{"over default MaxWait", time.Hour, 0, 0, "the server asked to wait 3600 s before retrying, more than the longest wait retries allow (300 s)"},
		{"over MaxWait", 2 * time.Minute, time.Minute, 0, "the server asked to wait 120 s before retrying, more than the longest wait retries allow (60 s)"},
		{"over the deadline", 2 * time.Minute, 0, 30 * time.Second, "the server asked to wait 120 s before retrying, more than the time left before the deadline (30 s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &script{errs: fails(10, &Error{Kind: ErrRateLimited, Status: 429, Message: "slow down", RetryAfter: tt.wait})}
				b := WithRetry(s, RetryPolicy{MaxRetries: 3, MaxWait: tt.maxWait})
				ctx := t.Context()
				if tt.deadline > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.deadline)
					defer cancel()
				}
				start := time.Now()
				_, err := b.Complete(ctx, Request{})
				if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "slow down; "+tt.want) {
					t.Errorf("Complete() error = %v, want ErrRateLimited saying %q", err, tt.want)
				}
				if s.count() != 1 || time.Since(start) != 0 {
					t.Errorf("calls = %d after %v, want 1 at once", s.count(), time.Since(start))
				}
			})
		})
	}
}

// Sleep replaces the timer: a policy with it retries without waiting.
func TestWithRetrySleepHook(t *testing.T) {
	var slept []time.Duration
	s := &script{errs: fails(2, &Error{Kind: ErrRateLimited, Status: 429, RetryAfter: 45 * time.Second})}
	b := WithRetry(s, RetryPolicy{MaxRetries: 3, Sleep: func(ctx context.Context, d time.Duration) error {
		slept = append(slept, d)
		return ctx.Err()
	}})
	resp, err := b.Complete(t.Context(), Request{})
	if err != nil || resp.Attempts != 3 {
		t.Fatalf("Complete() = %+v, %v; want success at attempt 3", resp, err)
	}
	if len(slept) != 2 || slept[0] != 45*time.Second || slept[1] != 45*time.Second {
		t.Errorf("Sleep got %v, want [45s 45s]", slept)
	}
}
