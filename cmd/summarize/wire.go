package main

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/budget"
	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/extractive"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/openai"
	"github.com/summarize-dev/summarize/internal/prompt"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// wiring builds the parts of the pipeline from a resolved config.
type wiring struct {
	cfg     config.Config
	getenv  func(string) string
	warn    func(string)
	prompts *prompt.Set
	counter *budget.Counter // token counting, shared by every summarizer
	// maxWordsSet: prompt.max_words was given (flag, env, file, suite), so
	// it caps the offline summarizer's bullets even at its default value.
	maxWordsSet bool
	// retryNotes says each retry on stderr, naming the input (the summarize
	// command; the eval says them with -v and counts them instead).
	retryNotes bool
	// onRetry, when set, hears every retry with the input or case it was
	// for (the eval counts them per variant).
	onRetry func(src string, attempt int, err error, wait time.Duration)

	noteOnce sync.Once
}

// backendName resolves "auto" to the backend that will run.
func (w *wiring) backendName() string {
	b := w.cfg.Backend
	if b != "auto" {
		return b
	}
	if w.getenv(w.cfg.LLM.APIKeyEnv) != "" || w.cfg.LLM.BaseURL != "" {
		return "openai"
	}
	w.noteOnce.Do(func() {
		w.warn(fmt.Sprintf("note: no LLM configured (%s is empty and no --base-url): using the built-in extractive summarizer", w.cfg.LLM.APIKeyEnv))
	})
	return "extractive"
}

// loadPrompts parses the built-in templates and prompt.dir once.
func (w *wiring) loadPrompts() (*prompt.Set, error) {
	if w.prompts != nil {
		return w.prompts, nil
	}
	sub, err := subFS("prompts")
	if err != nil {
		return nil, err
	}
	s, err := prompt.Load(sub, w.cfg.Prompt.Dir)
	if err != nil {
		ce := &cliError{err: fmt.Errorf("load prompts: %w", err), code: exitUsage}
		if errors.As(err, new(*prompt.MissingBlockError)) {
			ce.hint = blockHint
		}
		return nil, ce
	}
	w.prompts = s
	return s, nil
}

// summarizer builds the Summarizer for the config. wrap, when not nil,
// wraps the LLM backend (the eval runner adds its cache there).
func (w *wiring) summarizer(keepRaw bool, wrap func(llm.Backend) llm.Backend) (summarize.Summarizer, error) {
	if w.cfg.Prompt.Dir != "" { // a broken template fails on every backend
		if _, err := w.loadPrompts(); err != nil {
			return nil, err
		}
	}
	switch w.backendName() {
	case "extractive":
		return w.extractive()
	case "lead3":
		return summarize.Lead{N: w.bullets()}, nil
	case "dataset":
		return nil, withHint(errors.New("backend dataset scores the bullets an eval dataset holds: it is for eval suites only"), exitUsage,
			"use --backend openai, extractive or lead3")
	}
	b, err := w.backend()
	if err != nil {
		return nil, err
	}
	if wrap != nil {
		b = wrap(b)
	}
	policy := llm.RetryPolicy{
		MaxRetries:     retries(w.cfg.LLM.MaxRetries),
		AttemptTimeout: w.cfg.LLM.Timeout,
	}
	onRetry := w.onRetry
	if w.retryNotes {
		onRetry = func(src string, attempt int, err error, wait time.Duration) {
			w.warn("note: " + w.retryLine(src, attempt, err, wait))
		}
	}
	if onRetry == nil {
		b = llm.WithRetry(b, policy)
	} else {
		b = sourcedRetry{next: b, policy: policy, onRetry: onRetry}
	}
	s, err := w.llmSummarizer(b, keepRaw)
	if err != nil {
		return nil, err
	}
	return sourced{s}, nil
}

// retryLine is how a retry is said: "article.txt: attempt 1 of 5 failed
// (...); retrying in 1s".
func (w *wiring) retryLine(src string, attempt int, err error, wait time.Duration) string {
	return fmt.Sprintf("%s: attempt %d of %d failed (%v); retrying in %s", src, attempt, w.cfg.LLM.MaxRetries+1, err, wait.Round(time.Millisecond))
}

// retries maps the config's "0 = no retries" to the policy's convention.
func retries(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

func (w *wiring) bullets() int {
	if w.cfg.Extractive.Bullets > 0 {
		return w.cfg.Extractive.Bullets
	}
	return w.cfg.Prompt.Bullets
}

// maxWords is the offline summarizer's word cap: extractive.max_words when
// set, else prompt.max_words when it differs from its default (--max-words
// applies to every backend), else tuned, the summarizer's own default.
func (w *wiring) maxWords(tuned int) int {
	switch {
	case w.cfg.Extractive.MaxWords > 0:
		return w.cfg.Extractive.MaxWords
	case w.maxWordsSet || w.cfg.Prompt.MaxWords != config.Default().Prompt.MaxWords:
		return w.cfg.Prompt.MaxWords
	}
	return tuned
}

func (w *wiring) extractive() (summarize.Summarizer, error) {
	o := extractive.DefaultOptions()
	o.Bullets = w.bullets()
	o.MaxWords = w.maxWords(o.MaxWords)
	o.MinWords = min(o.MinWords, o.MaxWords)
	s, err := extractive.New(o)
	if err != nil {
		return nil, &cliError{err: err, code: exitUsage}
	}
	return summarize.Extractive{S: s}, nil
}

// backend builds the OpenAI-compatible client, with the client-side rate
// limit when one is configured.
func (w *wiring) backend() (llm.Backend, error) {
	c := w.cfg.LLM
	key := w.getenv(c.APIKeyEnv)
	if key == "" && (c.BaseURL == "" || c.APIType == "azure") {
		hint := fmt.Sprintf("export %s=..., or set --base-url for a local server, or run with --backend extractive", c.APIKeyEnv)
		if c.APIType == "azure" {
			hint = fmt.Sprintf("export %s=... with the Azure resource's key (Azure needs one even with llm.base_url set), or run with --backend extractive", c.APIKeyEnv)
		}
		return nil, withHint(fmt.Errorf("no API key: environment variable %s is empty", c.APIKeyEnv), exitUsage, hint)
	}
	cl, err := openai.New(openai.Options{
		BaseURL:         c.BaseURL,
		APIKey:          key,
		Organization:    c.Organization,
		Azure:           c.APIType == "azure",
		AzureAPIVersion: c.APIVersion,
		Timeout:         c.Timeout,
		UserAgent:       "summarize/" + version,
	})
	if err != nil {
		return nil, &cliError{err: fmt.Errorf("llm backend: %w", err), code: exitUsage}
	}
	var b llm.Backend = cl
	if c.RPM > 0 || c.TPM > 0 {
		b = llm.WithRateLimit(b, c.RPM, c.TPM)
	}
	return b, nil
}

func (w *wiring) llmSummarizer(b llm.Backend, keepRaw bool) (*summarize.LLM, error) {
	ps, err := w.loadPrompts()
	if err != nil {
		return nil, err
	}
	t, err := ps.Get(w.cfg.Prompt.Name)
	if err != nil {
		return nil, &cliError{err: err, code: exitUsage, hint: "see 'summarize prompts list'"}
	}
	var examples []prompt.Example
	if w.cfg.Prompt.Examples != "" {
		if examples, err = prompt.LoadExamples(w.cfg.Prompt.Examples); err != nil {
			return nil, &cliError{err: err, code: exitUsage}
		}
	}
	s := &summarize.LLM{
		Backend: b,
		Opts: summarize.Options{
			Model: w.cfg.LLM.Model, Template: t,
			Bullets: w.cfg.Prompt.Bullets, MaxWords: w.cfg.Prompt.MaxWords,
			Language: w.cfg.Prompt.Language, Examples: examples,
			Temperature: w.cfg.LLM.Temperature, MaxTokens: w.cfg.LLM.MaxTokens, Seed: w.cfg.LLM.Seed,
			Strict: w.cfg.Output.Strict, KeepRaw: keepRaw, Warn: w.warn,
		},
	}
	o, err := w.overflow(s)
	if err != nil {
		return nil, err
	}
	s.Overflow = o.Run
	return s, nil
}

// overflow is the planner for articles longer than the model's window
// (llm.overflow), with the built-in or shadowed reduce prompt.
func (w *wiring) overflow(s *summarize.LLM) (*summarize.Overflow, error) {
	ps, err := w.loadPrompts()
	if err != nil {
		return nil, err
	}
	reduce, err := ps.Get("reduce")
	if err != nil {
		return nil, &cliError{err: fmt.Errorf("load prompts: %w", err), code: exitUsage}
	}
	if w.counter == nil {
		w.counter = budget.NewCounter()
	}
	return &summarize.Overflow{LLM: s, Strategy: w.cfg.LLM.Overflow, Model: w.modelInfo(), Reduce: reduce, Counter: w.counter}, nil
}

// loadOptions and cleanOptions map the config to the cleaner's options.
func (w *wiring) loadOptions(a *app) clean.LoadOptions {
	return clean.LoadOptions{
		Stdin:     a.io.in,
		MaxBytes:  w.cfg.Clean.MaxBytes,
		Timeout:   w.cfg.Clean.FetchTimeout,
		UserAgent: "summarize/" + version,
	}
}

// cleanOptions maps clean.* to the cleaner's options; an empty rule list
// means every rule (the cleaner reads only nil that way).
func (w *wiring) cleanOptions() clean.Options {
	o := clean.Options{DisableRules: w.cfg.Clean.Disable, ExtraPatterns: w.cfg.Clean.Patterns}
	if len(w.cfg.Clean.Rules) > 0 {
		o.Rules = w.cfg.Clean.Rules
	}
	return o
}

var errNoInput = errors.New("no input: give a FILE, a URL, or - for standard input")
