package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/redact"
	"github.com/summarize-dev/summarize/internal/summarize"
)

type runOptions struct {
	dryRun      bool
	raw         bool
	estimate    bool
	concurrency int
	batch       batchOptions // --batch and its flags (batch.go)
}

// warn prints a message from the pipeline on stderr: a note (which backend
// runs, a retry) unless --quiet, anything else as a warning.
func (a *app) warn(msg string) {
	switch {
	case strings.HasPrefix(msg, "note: "), strings.HasPrefix(msg, "attempt "):
		if !a.quiet {
			fmt.Fprintln(a.io.err, "summarize: "+msg)
		}
	default:
		fmt.Fprintln(a.io.err, "summarize: warning: "+msg)
	}
}

// summarizeInputs is the default command: each input in order, one result
// each; a failing input does not stop the others.
func (a *app) summarizeInputs(ctx context.Context, args []string, opts runOptions) error {
	st, err := a.settings()
	if err != nil {
		return err
	}
	cfg := st.cfg
	if len(args) == 0 {
		if a.io.inTerminal {
			return withHint(errNoInput, exitUsage, "run 'summarize --help' for usage")
		}
		args = []string{"-"}
	}
	if n := countStdin(args); n > 1 {
		return usageErr("standard input (-) is given %d times", n)
	}
	bm, done, err := a.summarizeBatch(ctx, cfg, st.maxWordsSet, args, opts) // batch.go
	if err != nil || done {
		return err
	}
	if opts.dryRun {
		return a.previewPrompts(ctx, cfg, args)
	}
	if opts.estimate {
		return a.estimate(ctx, cfg, args)
	}
	if name, _ := resolveBackend(cfg, a.getenv); opts.raw && name != config.BackendOpenAI {
		return usageErr("--raw shows the model's reply, and the %s backend has none", name)
	}
	var pool *llm.Pool
	s, err := newPipeline(cfg, pipelineInputs{
		getenv: a.getenv, warn: a.warn, maxWordsSet: st.maxWordsSet, keepRaw: opts.raw,
		// -j inputs at once, and at most -j requests in flight with the
		// map requests of long articles.
		inFlight: llm.NewInFlight(opts.concurrency),
		onRetry: func(src string, attempt int, err error, wait time.Duration) {
			a.warn("note: " + retryLine(cfg.LLM.MaxRetries, src, attempt, err, wait))
		},
		retryWaitCap: a.io.retryWaitCap,
		onPool:       func(p *llm.Pool) { pool = p },
		wrap:         bm.wrap(), // --batch: answers from the cache the batches filled
	})
	if err != nil {
		return err
	}
	defer a.endBatch(bm)
	if pool != nil {
		defer a.notePoolFailures(pool)
	}
	out := newPrinter(a.io.out, cfg.Output.Format, len(args) > 1, opts.raw)
	// A key a server echoes back is not printed.
	secrets := llmSecrets(cfg.LLM, a.getenv)
	var failed []string
	var firstErr error
	for o := range a.summarizeAll(ctx, cfg, s, args, opts.concurrency) {
		if o.err != nil {
			if ctx.Err() != nil {
				break // interrupted: said once below
			}
			var re *summarize.ReplyError
			if opts.raw && errors.As(o.err, &re) && re.Raw != "" {
				fmt.Fprintln(a.io.out, secrets.Redact(re.Raw))
			}
			err := describe("summarize", o.src, o.err)
			if len(args) > 1 {
				report(a.io.err, err)
			}
			out.failure(o.src, err)
			failed = append(failed, displaySource(o.src))
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if err := out.result(redactSummary(o.sum, secrets)); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	if err := out.close(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted: %w", ctx.Err())
	}
	switch {
	case len(failed) == 0:
		return nil
	case len(args) == 1:
		return firstErr
	default:
		return &cliError{err: fmt.Errorf("%d of %d inputs failed: %s", len(failed), len(args), strings.Join(failed, ", ")), code: exitCode(firstErr)}
	}
}

// redactSummary removes the run's secrets from everything printed of sum.
func redactSummary(sum summarize.Summary, s *redact.Secrets) summarize.Summary {
	each := func(xs []string) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = s.Redact(x)
		}
		return out
	}
	sum.Bullets, sum.Warnings, sum.Violations, sum.Leftovers = each(sum.Bullets), each(sum.Warnings), each(sum.Violations), each(sum.Leftovers)
	sum.Raw = s.Redact(sum.Raw)
	return sum
}

// outcome is one input's result.
type outcome struct {
	src string
	sum summarize.Summary
	err error
}

// summarizeAll summarizes the inputs with at most n at a time and yields
// the outcomes in input order, each as soon as it and all before it are
// done. Inputs not started when ctx ends are not started at all.
func (a *app) summarizeAll(ctx context.Context, cfg config.Config, s summarize.Summarizer, args []string, n int) iter.Seq[outcome] {
	return func(yield func(outcome) bool) {
		n = max(1, min(n, len(args)))
		done := make([]chan outcome, len(args))
		for i := range done {
			done[i] = make(chan outcome, 1) // each written once: no send blocks
		}
		sem := make(chan struct{}, n)
		// The feeder counts in wg, so a worker's Add never races Wait; on an
		// early stop, cancel runs first, then Wait.
		var wg sync.WaitGroup
		defer wg.Wait()
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, src := range args {
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
				}
				if ctx.Err() != nil { // also when a slot and the end came together
					done[i] <- outcome{src: src, err: ctx.Err()}
					continue
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					sum, err := a.one(ctx, cfg, s, src)
					done[i] <- outcome{src: src, sum: sum, err: err}
				}()
			}
		}()
		for i := range args {
			if !yield(<-done[i]) {
				return
			}
		}
	}
}

// one loads, cleans and summarizes one input.
func (a *app) one(ctx context.Context, cfg config.Config, s summarize.Summarizer, src string) (summarize.Summary, error) {
	art, err := a.load(ctx, cfg, src)
	if err != nil {
		return summarize.Summary{}, err
	}
	sum, err := s.Summarize(ctx, art)
	sum.Source = displaySource(src)
	return sum, err
}

// inputError is a load or clean failure; its message already names the
// input, so callers add no prefix.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// describe names src in err unless err already does.
func describe(verb, src string, err error) error {
	var ie *inputError
	if errors.As(err, &ie) {
		return err
	}
	return fmt.Errorf("%s %s: %w", verb, displaySource(src), err)
}

func (a *app) load(ctx context.Context, cfg config.Config, src string) (clean.Article, error) {
	if l, ok := a.inputs[src]; ok { // loaded before the batch (batch.go)
		return l.art, l.err
	}
	in, err := clean.Load(ctx, src, loadOptions(cfg, a.io.in))
	if err != nil {
		return clean.Article{}, &inputError{err}
	}
	art, err := clean.Clean(in, cleanOptions(cfg))
	if err != nil {
		return clean.Article{}, &inputError{err}
	}
	art.Source = displaySource(src)
	return art, nil
}

func countStdin(args []string) int {
	n := 0
	for _, a := range args {
		if a == "-" {
			n++
		}
	}
	return n
}

// displaySource is how an input is named in output and errors: URLs
// without credentials.
func displaySource(src string) string {
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		return redact.URL(src)
	}
	return src
}

// llmSecrets are the values output must not show: the API keys (of
// llm.api_key_env and of each endpoint's variable) and the credentials in
// the base URLs.
func llmSecrets(c config.LLM, getenv func(string) string) *redact.Secrets {
	keys := []string{getenv(c.APIKeyEnv)}
	urls := []string{c.BaseURL}
	for _, e := range c.Endpoints {
		keys = append(keys, getenv(cmp.Or(e.APIKeyEnv, c.APIKeyEnv)))
		urls = append(urls, e.BaseURL)
	}
	return redact.NewSecrets(append(keys, redact.URLSecrets(urls...)...)...)
}

// notePoolFailures says, when a server of llm.endpoints failed requests,
// what each server did (the requests it failed were retried on others).
func (a *app) notePoolFailures(p *llm.Pool) {
	var use []eval.EndpointUse
	failed := false
	for _, st := range p.Stats() {
		use = append(use, eval.EndpointUse{Endpoint: st.Name, Served: st.Served, Failed: st.Failed, Ejected: st.Ejected})
		failed = failed || st.Failed > 0
	}
	if failed {
		a.warn("note: endpoints: " + endpointSummary(use))
	}
}
