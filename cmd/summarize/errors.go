package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/redact"
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

// usageHint is the hint of a usage error in command c.
func usageHint(c *cobra.Command) string {
	return fmt.Sprintf("run '%s --help' for usage", c.CommandPath())
}

// unknownCommand is the usage error for a name that is no subcommand of c,
// with cobra's suggestions: unknown command "evl" (did you mean "eval"?).
func unknownCommand(c *cobra.Command, name string, suggestions []string) error {
	msg := fmt.Sprintf("unknown command %q", name)
	if c.HasParent() {
		msg += fmt.Sprintf(" for %q", c.CommandPath())
	}
	if len(suggestions) > 0 {
		quoted := make([]string, len(suggestions))
		for i, s := range suggestions {
			quoted[i] = strconv.Quote(s)
		}
		msg += fmt.Sprintf(" (did you mean %s?)", orList(quoted))
	}
	return withHint(errors.New(msg), exitUsage, usageHint(c))
}

// orList joins words as English does: a, b or c.
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// plural is "1 error", "2 errors".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// argsRange is a command's argument check that reads as a sentence:
// "prompts show: want one template name, got 2 arguments". what names one
// argument (with its article) and what is wanted of them.
func argsRange(min, max int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) >= min && (max < 0 || len(args) <= max) {
			return nil
		}
		var want string
		switch {
		case max == 0:
			return withHint(fmt.Errorf("%s: takes no arguments, got %q", commandName(c), args[0]), exitUsage, usageHint(c))
		case min == max:
			want = what
		case min == 0:
			want = "at most " + what
		default:
			want = what + " or more"
		}
		return withHint(fmt.Errorf("%s: want %s, got %s", commandName(c), want, plural(len(args), "argument")), exitUsage, usageHint(c))
	}
}

// commandName is c's path without the program name: "prompts show".
func commandName(c *cobra.Command) string {
	p := c.CommandPath()
	if i := strings.IndexByte(p, ' '); i >= 0 {
		return p[i+1:]
	}
	return p
}

// usageArgs makes every argument check under c a usage error (exit 2)
// with a hint, whoever wrote it.
func usageArgs(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			err := check(cmd, args)
			var ce *cliError
			if err == nil || errors.As(err, &ce) {
				return err
			}
			return withHint(fmt.Errorf("%s: %w", commandName(cmd), err), exitUsage, usageHint(cmd))
		}
	}
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
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

// report prints err as "summarize: ..." lines, one per problem (a
// dataset or a suite with several problems is several lines), then at
// most one hint line.
func report(w io.Writer, err error) {
	for _, line := range strings.Split(redact.Text(err.Error()), "\n") {
		if line = strings.TrimRight(line, " \t\r"); strings.TrimSpace(line) != "" {
			fmt.Fprintf(w, "summarize: %s\n", line)
		}
	}
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
	case errors.Is(err, llm.ErrNoEndpoint):
		return "set --base-url to the API root (usually ending in /v1)"
	case errors.Is(err, summarize.ErrRefused), errors.Is(err, summarize.ErrFiltered):
		return "run with --raw to see the reply, or try another --model or --prompt"
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
