package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Error kinds. Callers test them with errors.Is; adapters return them inside
// an *Error that keeps the HTTP status, the server's message and the cause.
var (
	ErrUnauthorized    = errors.New("unauthorized")
	ErrForbidden       = errors.New("forbidden")
	ErrNotFound        = errors.New("model not found")
	ErrNoEndpoint      = errors.New("no such endpoint") // a 404 for the path, not the model: the base URL is wrong
	ErrBadRequest      = errors.New("bad request")
	ErrRateLimited     = errors.New("rate limited")
	ErrQuotaExceeded   = errors.New("quota exceeded")
	ErrContextTooLong  = errors.New("input exceeds the model's context window")
	ErrUnavailable     = errors.New("backend unavailable")
	ErrTimeout         = errors.New("timed out")
	ErrInvalidResponse = errors.New("invalid response")
)

// Error is a classified backend failure. Its Error method reads like
// "rate limited (HTTP 429): <server message>"; errors.Is(err, Kind) holds and
// the original error stays reachable through Unwrap.
type Error struct {
	Kind       error         // one of the Err* kinds above
	Status     int           // HTTP status, 0 when no reply arrived
	Message    string        // the server's message (never the API key)
	RetryAfter time.Duration // how long the server asked us to wait, 0 when it did not say
	Attempts   int           // set by WithRetry when it gives up after more than one attempt
	// Transient marks a failure that may pass on a retry although its kind
	// usually does not: a 200 whose body is broken JSON (a proxy or a
	// server that crashed while writing) is ErrInvalidResponse, but worth
	// another attempt.
	Transient bool
	// ContextWindow is the window the server stated in an ErrContextTooLong
	// reply (llama.cpp's n_ctx, "maximum context length is N tokens"), 0
	// when it stated none.
	ContextWindow int
	Err           error // the cause, if any
}

// Error formats the kind, the status, the attempts and the message.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
	} else {
		b.WriteString("backend error")
	}
	if e.Status > 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	switch {
	case e.Message != "":
		b.WriteString(": ")
		b.WriteString(e.Message)
	case e.Err != nil:
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is reports whether target is e's kind.
func (e *Error) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether trying the same request again may succeed:
// rate limits, unavailable backends (5xx, transport failures, a reply cut
// off mid-body), timeouts, and errors marked Transient (a broken JSON
// body). Everything else (bad request, auth, missing model, context
// length, a cancelled context, a cache miss) fails at once.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var e *Error
	if errors.As(err, &e) && e.Transient {
		return true
	}
	return errors.Is(err, ErrRateLimited) ||
		errors.Is(err, ErrUnavailable) ||
		errors.Is(err, ErrTimeout)
}

// contextWindowIn finds the window a server states when it rejects a
// request as too long: OpenAI and vLLM ("maximum context length is 4096
// tokens"), llama.cpp and Ollama ("the available context size (1024
// tokens)"), others ("context window of 8192 tokens").
var contextWindowIn = regexp.MustCompile(`(?i)(?:context (?:length|window)(?: is| of)?|context size) \(?(\d{3,9}) tokens`)

// ContextWindowIn returns the context window stated in a server's error
// message, or 0.
func ContextWindowIn(msg string) int {
	if m := contextWindowIn.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// KindForStatus maps an HTTP error status to an error kind. It does not look
// at the body: adapters refine 400s (context length) and 429s (quota) from it.
func KindForStatus(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusRequestTimeout:
		return ErrTimeout
	case status == http.StatusRequestEntityTooLarge:
		return ErrContextTooLong
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status == http.StatusConflict:
		return ErrUnavailable // OpenAI: "the resource is being updated; retry"
	case status >= 500:
		return ErrUnavailable
	case status >= 400:
		return ErrBadRequest
	default:
		return ErrInvalidResponse
	}
}

// ParseRetryAfter reads how long a server asked the client to wait, from
// "Retry-After-Ms" (milliseconds, sent by OpenAI) or "Retry-After" in either
// of its forms: delay-seconds ("120") or an HTTP-date, taken relative to now.
// It returns 0 when the header is absent, malformed or in the past.
func ParseRetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
