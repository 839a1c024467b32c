package openai

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/summarize-dev/summarize/internal/llm"
)

// classify maps an error from go-openai to the llm error kinds, keeping the
// server's message and the Retry-After the transport saw. A cancelled
// context is returned as is: the caller stopped, the backend did not fail.
func classify(err error, retryAfter time.Duration) error {
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
	switch {
	case errors.As(err, &reqErr) && reqErr.HTTPStatusCode != 0:
		// An error status whose body is not OpenAI's error JSON (a proxy's
		// HTML page, an empty body).
		e := &llm.Error{Kind: llm.KindForStatus(reqErr.HTTPStatusCode), Status: reqErr.HTTPStatusCode,
			Message: snippet(reqErr.Body), RetryAfter: retryAfter, Err: err}
		if errors.As(reqErr.Err, &apiErr) {
			e.Kind = apiKind(apiErr, reqErr.HTTPStatusCode)
			e.Message = apiErr.Message
		}
		return e
	case errors.As(err, &apiErr):
		return &llm.Error{Kind: apiKind(apiErr, apiErr.HTTPStatusCode), Status: apiErr.HTTPStatusCode,
			Message: apiErr.Message, RetryAfter: retryAfter, Err: err}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return &llm.Error{Kind: llm.ErrTimeout, Err: err}
	case errors.As(err, &synErr), errors.As(err, &typErr), errors.Is(err, io.ErrUnexpectedEOF) && !errors.As(err, &urlErr):
		return &llm.Error{Kind: llm.ErrInvalidResponse, Message: "the reply is not a chat completion: " + err.Error(), Err: err}
	case errors.As(err, &urlErr), errors.As(err, &netErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &llm.Error{Kind: llm.ErrUnavailable, Err: err}
	default:
		// go-openai's own checks of the request (reasoning-model limits,
		// content fields misused): nothing was sent.
		return &llm.Error{Kind: llm.ErrBadRequest, Message: err.Error(), Err: err}
	}
}

// apiKind refines the status's kind with OpenAI's error code and message.
func apiKind(e *goopenai.APIError, status int) error {
	code := strings.ToLower(codeString(e.Code))
	msg := strings.ToLower(e.Message)
	switch {
	case code == "context_length_exceeded" || code == "string_above_max_length" ||
		strings.Contains(msg, "maximum context length") || strings.Contains(msg, "context_length_exceeded") ||
		strings.Contains(msg, "context window"):
		return llm.ErrContextTooLong
	case code == "insufficient_quota":
		return llm.ErrQuotaExceeded
	case code == "invalid_api_key":
		return llm.ErrUnauthorized
	case code == "model_not_found" || code == "deploymentnotfound":
		return llm.ErrNotFound
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
