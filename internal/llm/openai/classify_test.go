package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"syscall"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/summarize-dev/summarize/internal/llm"
)

// timeoutErr is a net.Error that timed out.
type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestClassify(t *testing.T) {
	var syntax error = json.Unmarshal([]byte("not json"), new(any))
	var typeErr error = json.Unmarshal([]byte(`{"choices": 1}`), new(goopenai.ChatCompletionResponse))
	api := func(status int, code any, msg string) error {
		return &goopenai.APIError{HTTPStatusCode: status, HTTPStatus: fmt.Sprint(status), Code: code, Message: msg, Type: "x"}
	}
	tests := []struct {
		name       string
		err        error
		retryAfter time.Duration
		kind       error // nil: not an *llm.Error
		status     int
		message    string
		retryable  bool
		body       []byte // the error body the transport kept
		base       string
		window     int // ContextWindow
	}{
		{name: "401", err: api(401, "invalid_api_key", "Incorrect API key provided"), kind: llm.ErrUnauthorized, status: 401, message: "Incorrect API key provided"},
		{name: "401 no code", err: api(401, nil, "no key"), kind: llm.ErrUnauthorized, status: 401, message: "no key"},
		{name: "403", err: api(403, nil, "not allowed"), kind: llm.ErrForbidden, status: 403, message: "not allowed"},
		{name: "404 model", err: api(404, "model_not_found", "The model `x` does not exist"), kind: llm.ErrNotFound, status: 404, message: "The model `x` does not exist"},
		{name: "azure deployment", err: api(404, "DeploymentNotFound", "The API deployment for this resource does not exist."), kind: llm.ErrNotFound, status: 404, message: "The API deployment for this resource does not exist."},
		{name: "400", err: api(400, nil, "bad param"), kind: llm.ErrBadRequest, status: 400, message: "bad param"},
		{name: "context code", err: api(400, "context_length_exceeded", "too long"), kind: llm.ErrContextTooLong, status: 400, message: "too long"},
		{name: "context message", err: api(400, nil, "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens"), kind: llm.ErrContextTooLong, status: 400, window: 4096,
			message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens"},
		{name: "413", err: api(413, nil, "payload too large"), kind: llm.ErrContextTooLong, status: 413, message: "payload too large"},
		{name: "429", err: api(429, "rate_limit_exceeded", "slow down"), retryAfter: 2 * time.Second, kind: llm.ErrRateLimited, status: 429, message: "slow down", retryable: true},
		{name: "429 azure numeric code", err: api(429, 429, "Requests to the deployment have exceeded the rate limit"), kind: llm.ErrRateLimited, status: 429,
			message: "Requests to the deployment have exceeded the rate limit", retryable: true},
		{name: "quota", err: api(429, "insufficient_quota", "You exceeded your current quota"), kind: llm.ErrQuotaExceeded, status: 429, message: "You exceeded your current quota"},
		{name: "500", err: api(500, nil, "server had an error"), kind: llm.ErrUnavailable, status: 500, message: "server had an error", retryable: true},
		{name: "503", err: api(503, nil, "overloaded"), kind: llm.ErrUnavailable, status: 503, message: "overloaded", retryable: true},
		{name: "wrapped api error", err: fmt.Errorf("call: %w", api(503, nil, "overloaded")), kind: llm.ErrUnavailable, status: 503, message: "overloaded", retryable: true},
		{name: "proxy html", err: &goopenai.RequestError{HTTPStatusCode: 502, HTTPStatus: "502 Bad Gateway", Err: syntax,
			Body: []byte("<html><body>\n<h1>502 Bad Gateway</h1>\n</body></html>")}, kind: llm.ErrUnavailable, status: 502, message: "502 Bad Gateway", retryable: true},
		{name: "request error 401 empty body", err: &goopenai.RequestError{HTTPStatusCode: 401, Err: syntax}, kind: llm.ErrUnauthorized, status: 401},
		{name: "request error wrapping api error", err: &goopenai.RequestError{HTTPStatusCode: 400, Err: api(0, "context_length_exceeded", "too long")},
			kind: llm.ErrContextTooLong, status: 400, message: "too long"},
		{name: "connection refused", err: &url.Error{Op: "Post", URL: "http://127.0.0.1:1/v1", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}},
			kind: llm.ErrUnavailable, retryable: true},
		{name: "dropped connection", err: &url.Error{Op: "Post", URL: "http://127.0.0.1:1/v1", Err: io.EOF}, kind: llm.ErrUnavailable, retryable: true},
		{name: "reset while reading body", err: fmt.Errorf("error, reading response body: %w", &net.OpError{Op: "read", Err: syscall.ECONNRESET}),
			kind: llm.ErrUnavailable, retryable: true},
		{name: "client timeout", err: &url.Error{Op: "Post", URL: "http://x", Err: timeoutErr{}}, kind: llm.ErrTimeout, retryable: true},
		{name: "deadline", err: &url.Error{Op: "Post", URL: "http://x", Err: context.DeadlineExceeded}, kind: llm.ErrTimeout, retryable: true},
		{name: "garbage body", err: syntax, kind: llm.ErrInvalidResponse, message: "the reply is not a chat completion: " + syntax.Error(), retryable: true},
		{name: "wrong shape", err: typeErr, kind: llm.ErrInvalidResponse, message: "the reply is not a chat completion: " + typeErr.Error()},
		{name: "truncated body", err: io.ErrUnexpectedEOF, kind: llm.ErrUnavailable, message: "the connection closed in the middle of the reply", retryable: true},
		{name: "llama.cpp overflow", err: &goopenai.APIError{HTTPStatusCode: 400, Code: 400, Type: "exceed_context_size_error",
			Message: "request (1163 tokens) exceeds the available context size (1024 tokens), try increasing it"},
			body: []byte(`{"error":{"code":400,"message":"request (1163 tokens) exceeds the available context size (1024 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":1163,"n_ctx":1024}}`),
			kind: llm.ErrContextTooLong, status: 400, window: 1024,
			message: "request (1163 tokens) exceeds the available context size (1024 tokens), try increasing it"},
		{name: "ollama string", err: &goopenai.RequestError{HTTPStatusCode: 400, Err: typeErr,
			Body: []byte(`{"error":"request (1163 tokens) exceeds the available context size (1024 tokens), try increasing it"}`)},
			kind: llm.ErrContextTooLong, status: 400, window: 1024,
			message: "request (1163 tokens) exceeds the available context size (1024 tokens), try increasing it"},
		{name: "ollama model", err: &goopenai.RequestError{HTTPStatusCode: 404, Err: typeErr,
			Body: []byte(`{"error":"model \"llama9\" not found, try pulling it first"}`)},
			kind: llm.ErrNotFound, status: 404, message: `model "llama9" not found, try pulling it first`},
		{name: "vllm classic", err: &goopenai.RequestError{HTTPStatusCode: 400,
			Body: []byte(`{"object":"error","message":"This model's maximum context length is 1024 tokens. However, you requested 1163 tokens (1100 in the messages, 63 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}`)},
			kind: llm.ErrContextTooLong, status: 400, window: 1024,
			message: "This model's maximum context length is 1024 tokens. However, you requested 1163 tokens (1100 in the messages, 63 in the completion). Please reduce the length of the messages or completion."},
		{name: "404 invalid url", err: api(404, nil, "Invalid URL (POST /chat/completions)"), base: "http://localhost:8080",
			kind: llm.ErrNoEndpoint, status: 404, message: "the server has no /chat/completions at http://localhost:8080: does the base URL need /v1? (Invalid URL (POST /chat/completions))"},
		{name: "404 plain text", err: &goopenai.RequestError{HTTPStatusCode: 404, Err: syntax, Body: []byte("404 page not found\n")}, base: "http://localhost:11434",
			kind: llm.ErrNoEndpoint, status: 404, message: "the server has no /chat/completions at http://localhost:11434: does the base URL need /v1? (404 page not found)"},
		{name: "404 path under /v1", err: api(404, nil, "Not Found"), base: "http://x/api/v1",
			kind: llm.ErrNoEndpoint, status: 404, message: "the server has no /chat/completions at http://x/api/v1: check the base URL (Not Found)"},
		{name: "go-openai check", err: goopenai.ErrReasoningModelMaxTokensDeprecated, kind: llm.ErrBadRequest, message: goopenai.ErrReasoningModelMaxTokensDeprecated.Error()},
		{name: "cancelled", err: &url.Error{Op: "Post", URL: "http://x", Err: context.Canceled}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err, seen{retryAfter: tt.retryAfter, body: tt.body, base: tt.base})
			if !errors.Is(got, tt.err) {
				t.Errorf("classify(%v) = %v: the original error is not reachable", tt.err, got)
			}
			if llm.Retryable(got) != tt.retryable {
				t.Errorf("Retryable(classify(%v)) = %v, want %v", tt.err, !tt.retryable, tt.retryable)
			}
			var e *llm.Error
			if tt.kind == nil {
				if errors.As(got, &e) {
					t.Errorf("classify(%v) = %#v, want no *llm.Error", tt.err, e)
				}
				if !errors.Is(got, context.Canceled) {
					t.Errorf("classify(%v) = %v, want context.Canceled", tt.err, got)
				}
				return
			}
			if !errors.As(got, &e) {
				t.Fatalf("classify(%v) = %v (%T), want *llm.Error", tt.err, got, got)
			}
			if e.Kind != tt.kind || e.Status != tt.status || e.Message != tt.message || e.RetryAfter != tt.retryAfter || e.ContextWindow != tt.window {
				t.Errorf("classify(%v) = {Kind: %v, Status: %d, Message: %q, RetryAfter: %v, ContextWindow: %d}, want {%v, %d, %q, %v, %d}",
					tt.err, e.Kind, e.Status, e.Message, e.RetryAfter, e.ContextWindow, tt.kind, tt.status, tt.message, tt.retryAfter, tt.window)
			}
		})
	}
	if got := classify(nil, seen{}); got != nil {
		t.Errorf("classify(nil) = %v, want nil", got)
	}
}

func TestSnippet(t *testing.T) {
	long := make([]byte, 500)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct{ in, want string }{
		{"", ""},
		{"<html><h1>502 Bad Gateway</h1>\n<hr>nginx</html>", "502 Bad Gateway nginx"},
		{"  plain\n\ttext ", "plain text"},
		{string(long), string(long[:200]) + "…"},
	}
	for _, tt := range tests {
		if got := snippet([]byte(tt.in)); got != tt.want {
			t.Errorf("snippet(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
