package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestErrorMessage(t *testing.T) {
	cause := errors.New("dial tcp: connection refused")
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Kind: ErrRateLimited, Status: 429, Message: "slow down"}, "rate limited (HTTP 429): slow down"},
		{&Error{Kind: ErrRateLimited, Status: 429, Attempts: 4}, "rate limited (HTTP 429) after 4 attempts"},
		{&Error{Kind: ErrUnavailable, Err: cause}, "backend unavailable: dial tcp: connection refused"},
		{&Error{Kind: ErrContextTooLong, Status: 400, Message: "too long"}, "input exceeds the model's context window (HTTP 400): too long"},
		{&Error{Status: 418}, "backend error (HTTP 418)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("(%#v).Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestErrorIsUnwrap(t *testing.T) {
	cause := errors.New("cause")
	err := fmt.Errorf("summarize x: %w", &Error{Kind: ErrNotFound, Status: 404, Err: cause})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("errors.Is(%v, ErrNotFound) = false, want true", err)
	}
	if errors.Is(err, ErrUnauthorized) {
		t.Errorf("errors.Is(%v, ErrUnauthorized) = true, want false", err)
	}
	if !errors.Is(err, cause) {
		t.Errorf("errors.Is(%v, cause) = false, want true", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Status != 404 {
		t.Errorf("errors.As(%v) = %v, want the *Error with status 404", err, e)
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&Error{Kind: ErrRateLimited}, true},
		{&Error{Kind: ErrUnavailable, Status: 503}, true},
		{&Error{Kind: ErrTimeout}, true},
		{fmt.Errorf("wrapped: %w", &Error{Kind: ErrUnavailable}), true},
		{&Error{Kind: ErrBadRequest, Status: 400}, false},
		{&Error{Kind: ErrUnauthorized, Status: 401}, false},
		{&Error{Kind: ErrForbidden, Status: 403}, false},
		{&Error{Kind: ErrNotFound, Status: 404}, false},
		{&Error{Kind: ErrContextTooLong, Status: 400}, false},
		{&Error{Kind: ErrQuotaExceeded, Status: 429}, false},
		{&Error{Kind: ErrInvalidResponse, Status: 200}, false},
		{&Error{Kind: ErrInvalidResponse, Status: 200, Transient: true}, true},
		{fmt.Errorf("wrapped: %w", &Error{Kind: ErrInvalidResponse, Transient: true}), true},
		{ErrCacheMiss, false},
		{context.Canceled, false},
		{fmt.Errorf("%w: %w", context.Canceled, &Error{Kind: ErrTimeout}), false},
		{errors.New("something else"), false},
	}
	for _, tt := range tests {
		if got := Retryable(tt.err); got != tt.want {
			t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestKindForStatus(t *testing.T) {
	tests := []struct {
		status int
		want   error
	}{
		{400, ErrBadRequest}, {401, ErrUnauthorized}, {403, ErrForbidden}, {404, ErrNotFound},
		{408, ErrTimeout}, {409, ErrUnavailable}, {413, ErrContextTooLong}, {422, ErrBadRequest},
		{429, ErrRateLimited}, {500, ErrUnavailable}, {502, ErrUnavailable}, {503, ErrUnavailable},
		{504, ErrUnavailable}, {200, ErrInvalidResponse},
	}
	for _, tt := range tests {
		if got := KindForStatus(tt.status); got != tt.want {
			t.Errorf("KindForStatus(%d) = %v, want %v", tt.status, got, tt.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"absent", http.Header{}, 0},
		{"seconds", http.Header{"Retry-After": {"7"}}, 7 * time.Second},
		{"fractional seconds", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{"zero", http.Header{"Retry-After": {"0"}}, 0},
		{"negative", http.Header{"Retry-After": {"-3"}}, 0},
		{"http date", http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second},
		{"http date in the past", http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 0},
		{"garbage", http.Header{"Retry-After": {"soon"}}, 0},
		{"milliseconds first", http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"1"}}, 250 * time.Millisecond},
		{"bad milliseconds fall back", http.Header{"Retry-After-Ms": {"x"}, "Retry-After": {"2"}}, 2 * time.Second},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.header, now); got != tt.want {
			t.Errorf("%s: ParseRetryAfter(%v) = %v, want %v", tt.name, tt.header, got, tt.want)
		}
	}
}

func TestContextWindowIn(t *testing.T) {
	tests := []struct {
		msg  string
		want int
	}{
		{"This model's maximum context length is 1024 tokens. However, you requested 1163 tokens (1100 in the messages, 63 in the completion).", 1024},
		{"request (1163 tokens) exceeds the available context size (1024 tokens), try increasing it", 1024},
		{"the prompt is over the context window of 8192 tokens", 8192},
		{"bad request", 0},
	}
	for _, tt := range tests {
		if got := ContextWindowIn(tt.msg); got != tt.want {
			t.Errorf("ContextWindowIn(%q) = %d, want %d", tt.msg, got, tt.want)
		}
	}
}
