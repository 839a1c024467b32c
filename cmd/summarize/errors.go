package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitGate    = 3
)

// cliError is an error with an exit code and an optional hint line.
type cliError struct {
	err  error
	code int
	hint string
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

func usageErr(format string, a ...any) error {
	return &cliError{err: fmt.Errorf(format, a...), code: exitUsage}
}

func withHint(err error, code int, hint string) error {
	return &cliError{err: err, code: code, hint: hint}
}

// exitCode is the process exit code for err.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ce *cliError
	if errors.As(err, &ce) && ce.code != 0 {
		return ce.code
	}
	return exitFailure
}

// report prints err as one line "summarize: ..." and at most one hint line.
func report(w io.Writer, err error) {
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	fmt.Fprintf(w, "summarize: %s\n", msg)
	if h := hintFor(err); h != "" {
		fmt.Fprintf(w, "hint: %s\n", h)
	}
}

// hintFor phrases the hint for err: an explicit one, or one derived from
// the error's kind.
func hintFor(err error) string {
	var ce *cliError
	if errors.As(err, &ce) && ce.hint != "" {
		return ce.hint
	}
	switch {
	case errors.Is(err, llm.ErrUnauthorized):
		return "check the API key (llm.api_key_env names the variable that holds it)"
	case errors.Is(err, llm.ErrRateLimited):
		return "lower --concurrency or raise llm.max_retries"
	case errors.Is(err, llm.ErrContextTooLong):
		return "set --context-window (llm.context_window, or a models entry) to the server's real window; --overflow map-reduce or truncate handle long articles"
	case errors.Is(err, llm.ErrNotFound):
		return "check --model (and --base-url): the server does not know that model"
	case errors.Is(err, llm.ErrTimeout):
		return "raise --timeout, or check that the server at --base-url is up"
	case errors.Is(err, llm.ErrUnavailable):
		return "check --base-url and that the server is up; retries are set by --max-retries"
	case errors.Is(err, llm.ErrInvalidResponse):
		return "the server's reply is not OpenAI-compatible JSON: check --base-url (it usually ends in /v1)"
	case errors.Is(err, summarize.ErrNoBullets):
		return "run with --raw to see the reply, or try another --prompt or --model"
	case errors.Is(err, summarize.ErrContract):
		return "run without --strict to keep the bullets with a warning"
	case errors.Is(err, clean.ErrBinary):
		return "summarize reads plain text and HTML; convert other documents to text first"
	case errors.Is(err, clean.ErrTooLarge):
		return "raise clean.max_bytes (SUMMARIZE_CLEAN_MAX_BYTES) if the input is really that large"
	case errors.Is(err, context.Canceled):
		return ""
	}
	return ""
}
