package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/budget"
	"github.com/summarize-dev/summarize/internal/extractive"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/openai"
	"github.com/summarize-dev/summarize/internal/models"
	"github.com/summarize-dev/summarize/internal/prompt"
	"github.com/summarize-dev/summarize/internal/redact"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// pipelineInputs are what newPipeline needs besides the resolved config:
// what only the running command knows.
type pipelineInputs struct {
	getenv func(string) string // the API key's variable is read through it
	// warn receives the pipeline's notes ("note: ...") and warnings, for
	// stderr.
	warn func(string)
	// maxWordsSet: prompt.max_words was given (flag, env, file, suite), so
	// it caps the offline summarizer's bullets even at its default value.
	maxWordsSet bool
	// keepRaw copies the model's last reply into Summary.Raw.
	keepRaw bool
	// inFlight bounds the requests in flight; the caller shares one between
	// all its summarizers (the eval's variants), so that its workers and
	// the map requests of long articles together stay within
	// --concurrency. Nil: no bound.
	inFlight *llm.InFlight
	// wrap, when set, wraps the backend inside the retries: the eval puts
	// its response cache there.
	wrap func(llm.Backend) llm.Backend
	// onRetry, when set, hears every retry with the input or eval case it
	// was for.
	onRetry func(src string, attempt int, err error, wait time.Duration)
	// onPool, when set, is handed the endpoint pool (llm.endpoints) once it
	// is made, for its per-endpoint counts.
	onPool func(*llm.Pool)
	// retryWaitCap, when > 0, cuts every wait between retries to at most
	// this. Only the CLI tests set it (see stdio.retryWaitCap).
	retryWaitCap time.Duration
}

// newPipeline returns the Summarizer for cfg with every part wired, built
// once, nothing set afterwards. For backend openai (or auto with an API key
// or a base URL), from the wire up:
//
//	newBackend:  openai client (llm.base_url, the key in llm.api_key_env)
//	             → in.inFlight (requests in flight ≤ --concurrency)
//	             → llm.rpm / llm.tpm rate limit
//	             → in.wrap (the eval's response cache)
//	             → retries (llm.max_retries, llm.timeout per attempt)
//	summarize.LLM:      one prompt (prompt.*), parse, check, one repair
//	summarize.Overflow: llm.overflow for articles over the model's window
//	sourced:            names the input in the retry notes
//
// extractive and lead3 are the offline summarizers; dataset is refused
// (eval suites only).
func newPipeline(cfg config.Config, in pipelineInputs) (summarize.Summarizer, error) {
	if cfg.Prompt.Dir != "" { // a broken template fails on every backend
		if _, err := loadPrompts(cfg.Prompt.Dir); err != nil {
			return nil, err
		}
	}
	backend, note := resolveBackend(cfg, in.getenv)
	if note != "" && in.warn != nil {
		in.warn(note)
	}
	switch backend {
	case config.BackendExtractive:
		return newExtractive(cfg, in.maxWordsSet)
	case config.BackendLead3:
		return summarize.Lead{N: offlineBullets(cfg)}, nil
	case config.BackendDataset:
		return nil, withHint(errors.New("backend dataset scores the bullets an eval dataset holds: it is for eval suites only"), exitUsage,
			"use --backend openai, extractive or lead3")
	}
	b, err := newBackend(cfg.LLM, in)
	if err != nil {
		return nil, err
	}
	o, err := newOverflow(cfg, b, in)
	if err != nil {
		return nil, err
	}
	return sourced{o}, nil
}

// resolveBackend resolves "auto" to the backend that will run; note says
// so when it picks the extractive summarizer.
func resolveBackend(cfg config.Config, getenv func(string) string) (b config.Backend, note string) {
	if cfg.Backend != config.BackendAuto {
		return cfg.Backend, ""
	}
	if getenv(cfg.LLM.APIKeyEnv) != "" || cfg.LLM.BaseURL != "" || len(cfg.LLM.Endpoints) > 0 {
		return config.BackendOpenAI, ""
	}
	return config.BackendExtractive, fmt.Sprintf("note: no LLM configured (%s is empty and no --base-url): using the built-in extractive summarizer", cfg.LLM.APIKeyEnv)
}

// newBackend is the one place the LLM backend is made, every layer between
// the summarizer and the wire (see newPipeline). With llm.endpoints, a pool
// of clients takes the one client's place, under the same bound, rate
// limit, cache and retries.
func newBackend(c config.LLM, in pipelineInputs) (llm.Backend, error) {
	var wire llm.Backend
	if len(c.Endpoints) > 0 {
		p, err := newPool(c, in.getenv)
		if err != nil {
			return nil, err
		}
		if in.onPool != nil {
			in.onPool(p)
		}
		wire = p
	} else {
		cl, err := newClient(c, in.getenv)
		if err != nil {
			return nil, err
		}
		wire = cl
	}
	b := llm.WithInFlight(wire, in.inFlight)
	if c.RPM > 0 || c.TPM > 0 {
		b = llm.WithRateLimit(b, c.RPM, c.TPM)
	}
	if in.wrap != nil {
		b = in.wrap(b)
	}
	policy := llm.RetryPolicy{MaxRetries: c.MaxRetries, AttemptTimeout: c.Timeout}
	if in.retryWaitCap > 0 {
		policy.Sleep = cappedSleep(in.retryWaitCap)
	}
	if in.onRetry == nil {
		return llm.WithRetry(b, policy), nil
	}
	return sourcedRetry{next: b, policy: policy, onRetry: in.onRetry}, nil
}

// newClient is the OpenAI-compatible client for c, the key read from
// c.APIKeyEnv; it needs a key unless a base URL is set (Azure always
// does).
func newClient(c config.LLM, getenv func(string) string) (*openai.Client, error) {
	key := getenv(c.APIKeyEnv)
	azure := c.APIType == config.APITypeAzure
	if key == "" && (c.BaseURL == "" || azure) {
		hint := fmt.Sprintf("export %s=..., or set --base-url for a local server, or run with --backend extractive", c.APIKeyEnv)
		if azure {
			hint = fmt.Sprintf("export %s=... with the Azure resource's key (Azure needs one even with llm.base_url set), or run with --backend extractive", c.APIKeyEnv)
		}
		return nil, withHint(fmt.Errorf("no API key: environment variable %s is empty", c.APIKeyEnv), exitUsage, hint)
	}
	cl, err := openai.New(openai.Options{
		BaseURL:         c.BaseURL,
		APIKey:          key,
		Organization:    c.Organization,
		Azure:           azure,
		AzureAPIVersion: c.APIVersion,
		Timeout:         c.Timeout,
		UserAgent:       "summarize/" + version,
	})
	if err != nil {
		return nil, &cliError{err: fmt.Errorf("llm backend: %w", err), code: exitUsage}
	}
	return cl, nil
}

// newPool is the pool of llm.endpoints: a client per endpoint, with its
// own key variable (default llm.api_key_env) and cap on requests in flight.
func newPool(c config.LLM, getenv func(string) string) (*llm.Pool, error) {
	eps := make([]llm.Endpoint, 0, len(c.Endpoints))
	for i, e := range c.Endpoints {
		ec := c
		ec.BaseURL = e.BaseURL
		if e.APIKeyEnv != "" {
			ec.APIKeyEnv = e.APIKeyEnv
		}
		name := redact.URL(strings.TrimRight(e.BaseURL, "/"))
		cl, err := newClient(ec, getenv)
		if err != nil {
			if ce, ok := err.(*cliError); ok {
				c := *ce
				c.err = fmt.Errorf("llm.endpoints[%d] (%s): %w", i, name, ce.err)
				return nil, &c
			}
			return nil, fmt.Errorf("llm.endpoints[%d] (%s): %w", i, name, err)
		}
		eps = append(eps, llm.Endpoint{Name: name, Backend: cl, MaxInFlight: e.Concurrency})
	}
	p, err := llm.NewPool(eps, llm.PoolOptions{})
	if err != nil {
		return nil, &cliError{err: err, code: exitUsage}
	}
	return p, nil
}

// cappedSleep waits at most cap between retries (the CLI tests).
func cappedSleep(cap time.Duration) func(ctx context.Context, d time.Duration) error {
	return func(ctx context.Context, d time.Duration) error {
		t := time.NewTimer(min(d, cap))
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			return nil
		}
	}
}

// newOverflow is the LLM summarizer of cfg over b, wrapped in the overflow
// strategy (llm.overflow) with the built-in or shadowed reduce prompt. A
// long article's map requests go as many at once as in.inFlight allows.
func newOverflow(cfg config.Config, b llm.Backend, in pipelineInputs) (*summarize.Overflow, error) {
	ps, err := loadPrompts(cfg.Prompt.Dir)
	if err != nil {
		return nil, err
	}
	t, err := ps.Get(cfg.Prompt.Name)
	if err != nil {
		return nil, &cliError{err: err, code: exitUsage, hint: "see 'summarize prompts list'"}
	}
	reduce, err := ps.Get("reduce")
	if err != nil {
		return nil, &cliError{err: fmt.Errorf("load prompts: %w", err), code: exitUsage}
	}
	var examples []prompt.Example
	if cfg.Prompt.Examples != "" {
		if examples, err = prompt.LoadExamples(cfg.Prompt.Examples); err != nil {
			return nil, &cliError{err: err, code: exitUsage}
		}
	}
	s := &summarize.LLM{
		Backend: b,
		Opts: summarize.Options{
			Model: cfg.LLM.Model, Template: t,
			Bullets: cfg.Prompt.Bullets, MaxWords: cfg.Prompt.MaxWords,
			Language: cfg.Prompt.Language, Examples: examples,
			Temperature: cfg.LLM.Temperature, MaxTokens: cfg.LLM.MaxTokens, Seed: cfg.LLM.Seed,
			Strict: cfg.Output.Strict, KeepRaw: in.keepRaw, Warn: in.warn,
		},
	}
	o := summarize.OverflowOptions{Strategy: cfg.LLM.Overflow, Model: modelInfo(cfg), Reduce: reduce, Counter: budget.NewCounter()}
	if in.inFlight != nil {
		o.Concurrency = in.inFlight.Cap()
	}
	ov, err := summarize.NewOverflow(s, o)
	if err != nil {
		return nil, &cliError{err: err, code: exitUsage}
	}
	return ov, nil
}

// newPreview is the pipeline --dry-run and --estimate show, whatever the
// backend: the LLM summarizer with no backend, so nothing can be sent, and
// no key needed. It says on stderr which model and template it assumed.
func newPreview(cfg config.Config, warn func(string)) (*summarize.Overflow, error) {
	o, err := newOverflow(cfg, nil, pipelineInputs{warn: warn})
	if err != nil {
		return nil, err
	}
	warn(fmt.Sprintf("note: preview for model %s with template %s; no request is sent", cfg.LLM.Model, o.LLM().Opts.Template.ID()))
	return o, nil
}

// modelInfo is the model table entry for the configured model, with the
// config's overrides and llm.context_window applied.
func modelInfo(cfg config.Config) models.Model {
	m, _ := models.Lookup(cfg.LLM.Model, modelOverrides(cfg))
	if cfg.LLM.ContextWindow > 0 {
		m.ContextWindow = cfg.LLM.ContextWindow
	}
	return m
}

// modelOverrides are the config's models entries, by name.
func modelOverrides(cfg config.Config) map[string]models.Model {
	over := map[string]models.Model{}
	for _, m := range cfg.Models {
		over[m.Name] = models.Model{ContextWindow: m.ContextWindow, MaxOutput: m.MaxOutput, InputPrice: m.InputPrice, OutputPrice: m.OutputPrice, BatchDiscount: m.BatchDiscount}
	}
	return over
}

// offlineBullets is extractive.bullets, else prompt.bullets.
func offlineBullets(cfg config.Config) int {
	if cfg.Extractive.Bullets > 0 {
		return cfg.Extractive.Bullets
	}
	return cfg.Prompt.Bullets
}

// offlineMaxWords is the offline summarizer's word cap: extractive.max_words
// when set, else prompt.max_words when given or different from its default
// (--max-words applies to every backend), else tuned, the summarizer's own
// default.
func offlineMaxWords(cfg config.Config, maxWordsSet bool, tuned int) int {
	switch {
	case cfg.Extractive.MaxWords > 0:
		return cfg.Extractive.MaxWords
	case maxWordsSet || cfg.Prompt.MaxWords != config.Default().Prompt.MaxWords:
		return cfg.Prompt.MaxWords
	}
	return tuned
}

func newExtractive(cfg config.Config, maxWordsSet bool) (summarize.Summarizer, error) {
	o := extractive.DefaultOptions()
	o.Bullets = offlineBullets(cfg)
	o.MaxWords = offlineMaxWords(cfg, maxWordsSet, o.MaxWords)
	o.MinWords = min(o.MinWords, o.MaxWords)
	s, err := extractive.New(o)
	if err != nil {
		return nil, &cliError{err: err, code: exitUsage}
	}
	return summarize.Extractive{S: s}, nil
}

// retryLine is how a retry is said: "article.txt: attempt 1 of 5 failed
// (...); retrying in 1s".
func retryLine(maxRetries int, src string, attempt int, err error, wait time.Duration) string {
	return fmt.Sprintf("%s: attempt %d of %d failed (%v); retrying in %s", src, attempt, maxRetries+1, err, wait.Round(time.Millisecond))
}
