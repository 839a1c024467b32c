package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
)

// exchange holds what the transport saw of one call's HTTP reply: go-openai's
// error types drop the response headers, so Retry-After is captured here.
// It also tells the transport to send temperature 0, which go-openai omits.
type exchange struct {
	zeroTemperature bool // set before the call, read only after

	mu         sync.Mutex
	status     int
	retryAfter time.Duration
	body       []byte // an error reply's body
}

func (e *exchange) set(status int, retryAfter time.Duration, body []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status, e.retryAfter, e.body = status, retryAfter, body
}

func (e *exchange) get() (int, time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status, e.retryAfter
}

// seen is what classify needs of the exchange.
func (e *exchange) seen(base string) seen {
	e.mu.Lock()
	defer e.mu.Unlock()
	return seen{retryAfter: e.retryAfter, body: e.body, base: base}
}

type exchangeKey struct{}

func withExchange(ctx context.Context, e *exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, e)
}

// transport records each reply's status, Retry-After and error body in the
// request's exchange, sets the User-Agent, and puts "temperature": 0 back
// into bodies when the exchange asks for it.
type transport struct {
	base      http.RoundTripper
	userAgent string
}

// maxErrorBody bounds how much of an error reply is kept.
const maxErrorBody = 64 << 10

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	ex, _ := r.Context().Value(exchangeKey{}).(*exchange)
	if t.userAgent != "" || ex != nil && ex.zeroTemperature {
		r = r.Clone(r.Context()) // a RoundTripper must not modify its request
	}
	if t.userAgent != "" {
		r.Header.Set("User-Agent", t.userAgent)
	}
	if ex != nil && ex.zeroTemperature && r.Body != nil {
		if err := zeroTemperature(r); err != nil {
			return nil, err
		}
	}
	resp, err := t.base.RoundTrip(r)
	if resp != nil && ex != nil {
		var body []byte
		if resp.StatusCode >= 400 {
			body, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(body))
		}
		ex.set(resp.StatusCode, llm.ParseRetryAfter(resp.Header, time.Now()), body)
	}
	return resp, err
}

// zeroTemperature rewrites r's JSON body with "temperature": 0. go-openai
// tags the field omitempty, so a requested 0 would reach the server as
// absent (its default, usually 1).
func zeroTemperature(r *http.Request) error {
	var raw []byte
	var err error
	if n := r.ContentLength; n > 0 && n <= maxSizedBody {
		// go-openai says the length: read it into a buffer of that size.
		raw = make([]byte, n)
		_, err = io.ReadFull(r.Body, raw)
	} else {
		raw, err = io.ReadAll(r.Body)
	}
	r.Body.Close()
	if err != nil {
		return err
	}
	raw = withZeroTemperature(raw)
	r.Body = io.NopCloser(bytes.NewReader(raw))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }
	r.ContentLength = int64(len(raw))
	return nil
}

// maxSizedBody is the largest request body zeroTemperature reads into a
// buffer of the stated length (past it, the stated length is not trusted).
const maxSizedBody = 64 << 20

// withZeroTemperature returns the JSON body with "temperature": 0, in raw
// itself when it can. The
// client sends zeroTemperatureMark (go-openai would leave a 0 out), which
// encoding/json writes as 1e-45: that member is spliced to 0 without
// decoding the body (this runs on every request). A body without exactly
// one such member, or with none at all, is rewritten through a map.
func withZeroTemperature(raw []byte) []byte {
	mark := []byte(`"temperature":1e-45`)
	if i := bytes.Index(raw, mark); i >= 0 && bytes.Count(raw, []byte(`"temperature":`)) == 1 {
		end := i + len(mark)
		if end == len(raw) || raw[end] == ',' || raw[end] == '}' || raw[end] == ' ' || raw[end] == '\n' {
			// The member gets shorter: splice it in place.
			zero := i + copy(raw[i:], `"temperature":0`)
			return raw[:zero+copy(raw[zero:], raw[end:])]
		}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err == nil {
		fields["temperature"] = json.RawMessage("0")
		if b, err := json.Marshal(fields); err == nil {
			return b
		}
	}
	return raw
}
