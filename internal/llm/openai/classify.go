package openai

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/summarize-dev/summarize/internal/llm"
)

// seen is what the transport saw of the reply an error came from.
type seen struct {
	retryAfter time.Duration
	body       []byte // an error reply's body, as sent
	base       string // the base URL requests go to
}

// classify maps an error from go-openai to the llm error kinds, keeping the
// server's message, the Retry-After the transport saw and, for a request
// over the window, the window the server stated. A cancelled context is
// returned as is: the caller stopped, the backend did not fail.
func classify(err error, s seen) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var (
		reqErr *goopenai.RequestError
		apiErr *goopenai.APIError
		netErr net.Error
		urlErr *url.Error
		synErr *json.SyntaxError
		typErr *json.UnmarshalTypeError
	)
	var e *llm.Error
	switch {
	case errors.As(err, &reqErr) && reqErr.HTTPStatusCode != 0:
		// An error status whose body is not OpenAI's error JSON: a proxy's
		// HTML page, an empty body, Ollama's {"error": "..."} or vLLM's
		// {"object": "error", "message": ...}.
		e = &llm.Error{Status: reqErr.HTTPStatusCode, Message: snippet(reqErr.Body), RetryAfter: s.retryAfter, Err: err}
		if errors.As(reqErr.Err, &apiErr) && apiErr.Message != "" {
			e.Kind = apiKind(apiErr, reqErr.HTTPStatusCode)
			e.Message = apiErr.Message
		} else {
			typ := ""
			if msg, t := bodyMessage(reqErr.Body); msg != "" {
				e.Message, typ = msg, t
			}
			e.Kind = apiKind(&goopenai.APIError{Message: e.Message, Type: typ}, reqErr.HTTPStatusCode)
		}
	case errors.As(err, &apiErr):
		e = &llm.Error{Kind: apiKind(apiErr, apiErr.HTTPStatusCode), Status: apiErr.HTTPStatusCode,
			Message: apiErr.Message, RetryAfter: s.retryAfter, Err: err}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return &llm.Error{Kind: llm.ErrTimeout, Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		// The body ended before its length or its JSON did: the connection
		// closed mid-reply. Another attempt may get the whole of it.
		return &llm.Error{Kind: llm.ErrUnavailable, Message: "the connection closed in the middle of the reply", Err: err}
	case errors.As(err, &synErr):
		// A 200 whose body is not JSON at all: a proxy's page, a server
		// that crashed while writing. Worth another attempt; repeated, it
		// still reads as an invalid response.
		return &llm.Error{Kind: llm.ErrInvalidResponse, Transient: true,
			Message: "the reply is not a chat completion: " + err.Error(), Err: err}
	case errors.As(err, &typErr):
		// Valid JSON of another shape: the same server will send it again.
		return &llm.Error{Kind: llm.ErrInvalidResponse, Message: "the reply is not a chat completion: " + err.Error(), Err: err}
	case errors.As(err, &urlErr), errors.As(err, &netErr), errors.Is(err, io.EOF):
		return &llm.Error{Kind: llm.ErrUnavailable, Err: err}
	default:
		// go-openai's own checks of the request (reasoning-model limits,
		// content fields misused): nothing was sent.
		return &llm.Error{Kind: llm.ErrBadRequest, Message: err.Error(), Err: err}
	}
	switch e.Kind {
	case llm.ErrContextTooLong:
		e.ContextWindow = statedWindow(s.body, e.Message)
	case llm.ErrNoEndpoint:
		e.Message = noEndpoint(s.base, e.Message)
	}
	return e
}

// bodyMessage finds the message and type in error bodies of other shapes
// than OpenAI's: {"error": "..."} (Ollama) and {"object": "error",
// "message": "...", "type": "..."} (vLLM).
func bodyMessage(body []byte) (msg, typ string) {
	var b struct {
		Error   json.RawMessage `json:"error"`
		Object  string          `json:"object"`
		Message string          `json:"message"`
		Type    string          `json:"type"`
	}
	if json.Unmarshal(body, &b) != nil {
		return "", ""
	}
	if s := ""; json.Unmarshal(b.Error, &s) == nil && s != "" {
		return s, ""
	}
	if b.Message != "" {
		return b.Message, b.Type
	}
	return "", ""
}

// statedWindow is the window an overflow reply states: llama.cpp's
// "n_ctx" field, else the number in its message.
func statedWindow(body []byte, msg string) int {
	var b struct {
		Error struct {
			NCtx int `json:"n_ctx"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &b) == nil && b.Error.NCtx > 0 {
		return b.Error.NCtx
	}
	return llm.ContextWindowIn(msg)
}

// noEndpoint says that the server has no chat completions at base, and
// what the usual cause is.
func noEndpoint(base, msg string) string {
	s := "the server has no /chat/completions at " + base
	switch {
	case base == "":
	case !strings.HasSuffix(strings.TrimRight(base, "/"), "/v1") && !strings.HasPrefix(base, "azure:"):
		s += ": does the base URL need /v1?"
	default:
		s += ": check the base URL"
	}
	if msg != "" {
		s += " (" + msg + ")"
	}
	return s
}

// apiKind refines the status's kind with OpenAI's error code and message.
func apiKind(e *goopenai.APIError, status int) error {
	code := strings.ToLower(codeString(e.Code))
	typ := strings.ToLower(e.Type)
	msg := strings.ToLower(e.Message)
	switch {
	case code == "context_length_exceeded" || code == "string_above_max_length" || typ == "exceed_context_size_error" ||
		strings.Contains(msg, "maximum context length") || strings.Contains(msg, "context_length_exceeded") ||
		strings.Contains(msg, "context window") || strings.Contains(msg, "context size") ||
		strings.Contains(msg, "exceeds the context length"):
		return llm.ErrContextTooLong
	case code == "insufficient_quota":
		return llm.ErrQuotaExceeded
	case code == "invalid_api_key":
		return llm.ErrUnauthorized
	case code == "model_not_found" || code == "deploymentnotfound":
		return llm.ErrNotFound
	case status == http.StatusNotFound && !strings.Contains(msg, "model"):
		// "Invalid URL (POST /chat/completions)", "404 page not found",
		// Azure's "Resource not found": the path, not the model.
		return llm.ErrNoEndpoint
	case status == 0:
		return llm.ErrInvalidResponse
	}
	return llm.KindForStatus(status)
}

func codeString(c any) string {
	switch c := c.(type) {
	case string:
		return c
	case nil:
		return ""
	default:
		b, _ := json.Marshal(c)
		return string(b)
	}
}

var tags = regexp.MustCompile(`<[^>]*>`)

// snippet is a short one-line version of an error body: tags removed,
// whitespace collapsed, at most 200 characters.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(tags.ReplaceAllString(string(body), " ")), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
