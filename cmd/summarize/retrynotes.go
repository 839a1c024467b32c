package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// sourceKey carries the input (or eval case) a call is for, so that a
// retry can name it.
type sourceKey struct{}

// sourced puts the article's source in the context of its calls.
type sourced struct{ summarize.Summarizer }

func (s sourced) Summarize(ctx context.Context, a summarize.Article) (summarize.Summary, error) {
	return s.Summarizer.Summarize(context.WithValue(ctx, sourceKey{}, a.Source), a)
}

// sourcedRetry retries as llm.WithRetry does, with an OnRetry that knows
// the input the call is for.
type sourcedRetry struct {
	next    llm.Backend
	policy  llm.RetryPolicy
	onRetry func(src string, attempt int, err error, wait time.Duration)
}

func (r sourcedRetry) Complete(ctx context.Context, req llm.Request) (llm.Response, error) {
	src, _ := ctx.Value(sourceKey{}).(string)
	if src == "" {
		src = "request"
	}
	p := r.policy
	p.OnRetry = func(attempt int, err error, wait time.Duration) { r.onRetry(src, attempt, err, wait) }
	return llm.WithRetry(r.next, p).Complete(ctx, req)
}

// Endpoint is the wrapped backend's, for the cache keys and the manifest.
func (r sourcedRetry) Endpoint() string {
	if e, ok := r.next.(interface{ Endpoint() string }); ok {
		return e.Endpoint()
	}
	return ""
}

// retryKinds are the reasons a retry is counted under, in report order.
var retryKinds = []string{"rate limited", "server errors", "timeouts", "invalid responses"}

// retryKind names why err was retried.
func retryKind(err error) string {
	switch {
	case errors.Is(err, llm.ErrRateLimited):
		return "rate limited"
	case errors.Is(err, llm.ErrTimeout):
		return "timeouts"
	case errors.Is(err, llm.ErrUnavailable):
		return "server errors"
	}
	return "invalid responses"
}

// retryCount counts a variant's retries by kind; safe for the eval's
// workers.
type retryCount struct {
	mu     sync.Mutex
	byKind map[string]int
	pool   *llm.Pool // the variant's endpoint pool, when llm.endpoints is set
}

func (c *retryCount) add(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKind == nil {
		c.byKind = map[string]int{}
	}
	c.byKind[retryKind(err)]++
}

// counts returns a copy of the counts; nil when there were none.
func (c *retryCount) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.byKind) == 0 {
		return nil
	}
	m := make(map[string]int, len(c.byKind))
	for k, n := range c.byKind {
		m[k] = n
	}
	return m
}

// retrySummary is "7 retries (5 rate limited, 2 server errors)".
func retrySummary(byKind map[string]int) string {
	total := 0
	var parts []string
	for _, k := range retryKinds {
		if n := byKind[k]; n > 0 {
			total += n
			if n == 1 {
				k = strings.TrimSuffix(k, "s") // 1 server error, 1 timeout
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	word := "retries"
	if total == 1 {
		word = "retry"
	}
	return fmt.Sprintf("%d %s (%s)", total, word, strings.Join(parts, ", "))
}

// onceWarner says each of a variant's warnings once, named after the
// variant: an eval's repeats of a case give the same warning again. A
// warning names its case first ("case: the bullets break the contract:
// details"); the case and what happened make it the same warning, whatever
// the details of each repeat.
func onceWarner(variant string, warn func(string)) func(string) {
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(msg string) {
		label := "warning: "
		if rest, ok := strings.CutPrefix(msg, "note: "); ok {
			label, msg = "note: ", rest
		}
		key := msg
		if f := strings.SplitN(msg, ": ", 3); len(f) == 3 {
			key = f[0] + ": " + f[1]
		}
		mu.Lock()
		dup := seen[key]
		seen[key] = true
		mu.Unlock()
		if !dup {
			warn(label + variant + ": " + msg)
		}
	}
}

// reportRetries says each variant's retries in one line after an eval and
// records them in the manifest.
func (a *app) reportRetries(res *eval.Result, retried map[string]*retryCount) {
	for i, vm := range res.Manifest.Variants {
		c := retried[vm.Name]
		if c == nil {
			continue
		}
		if c.pool != nil {
			var use []eval.EndpointUse
			for _, st := range c.pool.Stats() {
				use = append(use, eval.EndpointUse{Endpoint: st.Name, Served: st.Served, Failed: st.Failed, Ejected: st.Ejected})
			}
			res.Manifest.Variants[i].Endpoints = use
			fmt.Fprintf(a.io.err, "summarize: %s: endpoints: %s\n", vm.Name, endpointSummary(use))
		}
		byKind := c.counts()
		if byKind == nil {
			continue
		}
		res.Manifest.Variants[i].Retries = byKind
		fmt.Fprintf(a.io.err, "summarize: %s: llm: %s\n", vm.Name, retrySummary(byKind))
	}
}

// endpointSummary says what each server of a pool did: "http://a/v1
// served 40 (2 failed, taken out once), http://b/v1 served 38".
func endpointSummary(use []eval.EndpointUse) string {
	parts := make([]string, len(use))
	for i, e := range use {
		p := fmt.Sprintf("%s served %d", e.Endpoint, e.Served)
		var extra []string
		if e.Failed > 0 {
			extra = append(extra, fmt.Sprintf("%d failed", e.Failed))
		}
		if e.Ejected > 0 {
			extra = append(extra, "taken out "+plural(e.Ejected, "time"))
		}
		if len(extra) > 0 {
			p += " (" + strings.Join(extra, ", ") + ")"
		}
		parts[i] = p
	}
	return strings.Join(parts, ", ")
}
