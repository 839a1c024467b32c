package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/budget"
	"github.com/summarize-dev/summarize/internal/eval"
	evalreport "github.com/summarize-dev/summarize/internal/eval/report"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/batch"
	"github.com/summarize-dev/summarize/internal/models"
	"github.com/summarize-dev/summarize/internal/redact"
)

// The batch loop both commands share (summarize eval --batch, evalbatch.go;
// summarize --batch, batch.go). A command's work is run once with a
// batch.Collector in place of the live backend (it answers cache hits and
// records misses), the misses are sent through the provider's Batch API and
// their replies stored in the response cache. The pass is repeated while it
// finds new requests (map-reduce merges need the maps' replies, a repair
// needs the first reply), at most maxBatchRounds times. Then the command
// runs normally and reads every answer from the cache; whatever is still
// missing (lines that failed, see --batch-fallback) goes live, and is said
// so.

// Fallback policies for lines a batch did not answer (--batch-fallback).
const (
	fallbackBatch = "batch" // a follow-up batch for transient failures, then live
	fallbackLive  = "live"  // live at once
)

// maxBatchRounds bounds the collect-and-submit rounds; maxLineTries how
// many batches one request is sent in before it goes live.
const (
	maxBatchRounds = 5
	maxLineTries   = 2
)

// batchWork is a command's work as the batch loop sees it.
type batchWork struct {
	name     string // names the work in errors: "eval NAME", "summarize"
	cache    *llm.Cache
	fallback string // --batch-fallback
	quiet    bool   // no progress lines
	metadata map[string]string
	// collect runs the work once against the groups' current collectors
	// (collector{g} stands in for each group's live backend). The work's
	// own errors are not its to report: the normal run meets them again.
	collect func(ctx context.Context) error
	// price is the live price of model's requests in g.
	price func(g *batchGroup, model string) models.Model
	// maxCost, when > 0, is --max-cost: a batch whose worst case would
	// take the spend past it is not sent.
	maxCost float64
}

// batchGroup is the work that sends to one endpoint: one state file, one
// batch.Run per round (which makes one batch per model).
type batchGroup struct {
	endpoint string                   // the client's endpoint, redacted: names the group
	api      keyedAPI                 // keyed by the live stack's endpoint
	what     string                   // what the group batches, for messages: "variants a, b", "3 inputs"
	variants []string                 // the eval's variants in the group
	judge    string                   // the judge's model, when its requests are in the group
	cfgs     map[string]config.Config // by model: the config that prices it
	identity string
	state    string

	mu  sync.Mutex
	cur *batch.Collector // this round's; replaced between passes
}

// collector is the backend the collection pass gives the group's work:
// the group's current Collector.
type collector struct{ g *batchGroup }

func (c collector) Complete(ctx context.Context, req llm.Request) (llm.Response, error) {
	c.g.mu.Lock()
	cur := c.g.cur
	c.g.mu.Unlock()
	return cur.Complete(ctx, req)
}

func (c collector) Endpoint() string { return c.g.api.Endpoint() }

// keyedAPI is a batch API whose replies are cached under the endpoint the
// live stack keys its calls by.
type keyedAPI struct {
	batch.API
	endpoint string
}

func (k keyedAPI) Endpoint() string { return k.endpoint }

// keyBy makes the group's replies cached under the endpoint of b, the
// live stack its work would otherwise call.
func (g *batchGroup) keyBy(b llm.Backend) {
	if e, ok := b.(llm.Endpointer); ok && e.Endpoint() != "" {
		g.api.endpoint = e.Endpoint()
	}
}

// batchClient is the batch client of cfg's backend: a pool's batches go
// to its first server, which keys its cache. dial, in tests only, maps
// the configured base URL to the server that answers it. group names the
// endpoint and its key variable (redacted); priced is cfg as it prices
// the requests.
func batchClient(cfg config.Config, getenv func(string) string, dial func(string) string) (api keyedAPI, group string, priced config.Config, err error) {
	if eps := cfg.LLM.Endpoints; len(eps) > 0 {
		cfg.LLM.BaseURL, cfg.LLM.APIKeyEnv = eps[0].BaseURL, cmp.Or(eps[0].APIKeyEnv, cfg.LLM.APIKeyEnv)
		cfg.LLM.Endpoints = nil
	}
	keyURL := cfg.LLM.BaseURL
	if dial != nil && keyURL != "" {
		cfg.LLM.BaseURL = dial(keyURL)
	}
	cl, err := newClient(cfg.LLM, getenv)
	if err != nil {
		return keyedAPI{}, "", cfg, err
	}
	endpoint := cl.Endpoint()
	if dial != nil && keyURL != "" {
		endpoint = strings.TrimRight(keyURL, "/")
	}
	return keyedAPI{cl, endpoint}, redact.URL(endpoint) + "\x00" + cfg.LLM.APIKeyEnv, cfg, nil
}

// runBatches is the batch loop: collect, submit, wait, and again while new
// requests come up. It returns what the eval's manifest records.
func (a *app) runBatches(ctx context.Context, w batchWork, groups []*batchGroup) (*eval.BatchManifest, error) {
	m := &eval.BatchManifest{}
	tries := map[string]int{} // key hash → batches it was sent in
	live := map[string]bool{} // key hash → left to a live call
	for round := 1; ; round++ {
		for _, g := range groups {
			g.mu.Lock()
			g.cur = batch.NewCollector(g.api.Endpoint(), w.cache)
			g.mu.Unlock()
		}
		if err := w.collect(ctx); err != nil {
			if ctx.Err() != nil {
				return m, &cliError{err: fmt.Errorf("%s: interrupted while finding the requests to batch", w.name), code: exitInterrupted}
			}
			return m, fmt.Errorf("batch: collect the requests: %w", err)
		}
		todo := make([][]batch.Item, len(groups))
		n := 0
		for i, g := range groups {
			for _, it := range g.cur.Items() {
				if !live[itemHash(g, it)] {
					todo[i] = append(todo[i], it)
				}
			}
			n += len(todo[i])
		}
		if n == 0 {
			return m, nil
		}
		if round > maxBatchRounds {
			m.Live += n
			a.batchSay(w.quiet, fmt.Sprintf("batch: %s still unanswered after %d rounds: they go live", plural(n, "request"), maxBatchRounds))
			return m, nil
		}
		m.Rounds = round
		for i, g := range groups {
			if len(todo[i]) == 0 {
				continue
			}
			if err := a.runGroup(ctx, w, g, todo[i], m, tries, live); err != nil {
				return m, err
			}
		}
	}
}

// checkBatchBudget refuses to send items when --max-cost is set and their
// worst case (every prompt token counted, every reply at its max_tokens or
// the model's output limit, at the batch price) would take the spend, spent
// so far, past it. A batch already sent (its state file is there) is
// resumed whatever it costs: it is paid for.
func checkBatchBudget(w batchWork, g *batchGroup, items []batch.Item, spent float64) error {
	if w.maxCost <= 0 {
		return nil
	}
	if _, err := os.Stat(g.state); err == nil {
		return nil
	}
	counter := budget.NewCounter()
	worst := 0.0
	for _, it := range items {
		price := w.price(g, it.Request.Model)
		out := it.Request.MaxTokens
		if out <= 0 {
			out = price.MaxOutput
		}
		u := llm.Usage{PromptTokens: counter.CountMessages(it.Request.Model, it.Request.Messages), CompletionTokens: out}
		worst += price.BatchCost(models.Cost(price, u))
	}
	if spent+worst <= w.maxCost {
		return nil
	}
	msg := fmt.Sprintf("%s: the batch of %s for %s could cost up to %s at the batch price", w.name, plural(len(items), "request"), g.what, evalreport.Dollars(worst))
	if spent > 0 {
		msg += fmt.Sprintf(" (after %s spent)", evalreport.Dollars(spent))
	}
	return withHint(fmt.Errorf("%s, over --max-cost %s: nothing was sent", msg, evalreport.Dollars(w.maxCost)), exitFailure,
		"raise --max-cost, or batch fewer cases (--limit N, --shard K/N)")
}

func itemHash(g *batchGroup, it batch.Item) string {
	return llm.NewCacheKey(g.api.Endpoint(), it.Request, it.Repeat).Hash()
}

// batches is "1 batch", "2 batches".
func batches(n int) string {
	if n == 1 {
		return "1 batch"
	}
	return strconv.Itoa(n) + " batches"
}

// runGroup sends one group's items through batch.Run and sorts what comes
// back: results are in the cache, failed lines are retried in the next
// round's batch or left to live calls.
func (a *app) runGroup(ctx context.Context, w batchWork, g *batchGroup, items []batch.Item, m *eval.BatchManifest, tries map[string]int, live map[string]bool) error {
	if err := checkBatchBudget(w, g, items, m.Cost); err != nil {
		return err
	}
	a.batchSay(w.quiet, fmt.Sprintf("batch: %s to send for %s (state %s)", plural(len(items), "request"), g.what, g.state))
	out, err := batch.Run(ctx, batch.Options{
		API: g.api, Cache: w.cache, StatePath: g.state, Identity: g.identity,
		Progress: a.batchProgress(w.quiet), Sleep: a.batchSleep(), Metadata: w.metadata,
	}, items)
	if out != nil {
		m.Batches += len(out.Batches)
		m.Resumed = m.Resumed || out.Resumed
		answered := len(out.Results) - out.Cached
		m.Requests += answered
		for model, u := range out.Usage {
			price := w.price(g, model)
			livePrice := models.Cost(price, u)
			m.LivePrice += livePrice
			m.Cost += price.BatchCost(livePrice)
		}
		if out.Resumed {
			a.batchSay(w.quiet, fmt.Sprintf("batch: resumed %s from %s", batches(len(out.Batches)), g.state))
		}
	}
	if err != nil {
		if ctx.Err() != nil { // Ctrl-C, whatever the call in flight said
			err = fmt.Errorf("%w: %w", ctx.Err(), err)
		}
		return batchError(err, g, w.name)
	}
	if len(out.Retry) == 0 {
		return nil
	}
	m.Failed += len(out.Retry)
	var again, toLive int
	for _, it := range out.Retry {
		h := itemHash(g, it)
		tries[h]++
		lineErr := out.Failures[it.ID]
		if w.fallback != fallbackLive && tries[h] < maxLineTries && retryInBatch(lineErr) {
			again++
			continue
		}
		live[h] = true
		toLive++
	}
	m.Live += toLive
	first := "not answered"
	if e := out.Failures[out.Retry[0].ID]; e != nil {
		first = redact.Text(e.Error())
	}
	msg := fmt.Sprintf("batch: %s not answered (first: %s: %s)", plural(len(out.Retry), "request"), out.Retry[0].ID, first)
	switch {
	case again > 0 && toLive > 0:
		msg += fmt.Sprintf("; %d go in a follow-up batch, %d live", again, toLive)
	case again > 0:
		msg += "; they go in a follow-up batch"
	default:
		msg += "; they go live"
	}
	a.warnf(msg)
	return nil
}

// retryInBatch reports whether a line that got err is worth another batch:
// it was not run (expired, cancelled, no line for it) or failed
// transiently. A request the provider refused (a 400) goes live, where its
// error becomes the case's or the input's.
func retryInBatch(err error) bool {
	return err == nil || errors.Is(err, batch.ErrExpired) || errors.Is(err, batch.ErrCancelled) || llm.Retryable(err)
}

// checkBatchFallback checks --batch-fallback.
func checkBatchFallback(f string) error {
	if f != "" && f != fallbackBatch && f != fallbackLive {
		return usageErr("--batch-fallback %q: want batch or live", f)
	}
	return nil
}

// batchError is the command's error for a batch.Run failure: another
// work's state file and a validation failure are usage errors (2), an
// output that does not match its requests a failure (1), an interrupt
// leaves the batches running for a rerun (130). work names the work
// ("eval NAME", "summarize").
func batchError(err error, g *batchGroup, work string) error {
	switch {
	case errors.Is(err, context.Canceled):
		return withHint(fmt.Errorf("%s: interrupted while waiting for the batch: it goes on at the provider", work), exitInterrupted,
			fmt.Sprintf("rerun the same command to collect it (state %s), or cancel it with --batch-cancel", g.state))
	case errors.Is(err, batch.ErrOtherWork):
		return withHint(fmt.Errorf("%s: %w", work, err), exitUsage,
			"give this run its own --batch-state FILE, or finish that run first")
	case errors.Is(err, batch.ErrValidation):
		return withHint(fmt.Errorf("%s: %w", work, err), exitUsage,
			"nothing was run; fix the requests (the provider's reasons above), or run without --batch")
	case errors.Is(err, batch.ErrMismatch):
		return withHint(fmt.Errorf("%s: %w", work, err), exitFailure,
			"every matching reply is in the response cache: a rerun sends only the rest")
	}
	return fmt.Errorf("%s: %w", work, err)
}

// batchProgress says each batch's status on stderr when it changes:
// "batch batch_1: in_progress, 40 of 100 done, 2 failed".
func (a *app) batchProgress(quiet bool) func(batch.Status) {
	last := map[string]batch.Status{}
	var mu sync.Mutex
	return func(s batch.Status) {
		mu.Lock()
		defer mu.Unlock()
		if p, ok := last[s.ID]; ok && p.State == s.State && p.Counts == s.Counts {
			return
		}
		last[s.ID] = s
		a.batchSay(quiet, fmt.Sprintf("batch %s: %s", s.ID, statusLine(s)))
	}
}

func statusLine(s batch.Status) string {
	if s.State == "" {
		return "unknown"
	}
	line := s.State
	if s.Counts.Total > 0 {
		line += fmt.Sprintf(", %d of %d done, %d failed", s.Counts.Completed, s.Counts.Total, s.Counts.Failed)
	}
	return line
}

// batchSay says msg on stderr unless quiet.
func (a *app) batchSay(quiet bool, msg string) {
	if !quiet {
		a.warnf(msg)
	}
}

// batchSleep paces the polls; the CLI tests cut the waits (retryWaitCap).
func (a *app) batchSleep() func(ctx context.Context, d time.Duration) error {
	if a.io.retryWaitCap > 0 {
		return cappedSleep(a.io.retryWaitCap)
	}
	return nil
}

// batchStatusCmd is --batch-status and --batch-cancel: one line per batch
// of each state file this run would use, on stdout.
func (a *app) batchStatusCmd(ctx context.Context, groups []*batchGroup, cancel bool) error {
	var errs []error
	for _, g := range groups {
		var (
			r   *batch.Report
			err error
		)
		if cancel {
			r, err = batch.Cancel(ctx, g.api, g.state)
		} else {
			r, err = batch.StatusOf(ctx, g.api, g.state)
		}
		if errors.Is(err, batch.ErrNoState) {
			fmt.Fprintf(a.io.out, "no batch in progress for %s (no state file %s)\n", g.what, g.state)
			continue
		}
		if r == nil {
			errs = append(errs, err)
			continue
		}
		for i, s := range r.Batches {
			e := r.State.Batches[i]
			line := fmt.Sprintf("%s\t%s\t%s\t%s", s.ID, statusLine(s), e.Model, plural(len(e.Lines), "request"))
			if !s.ExpiresAt.IsZero() && !batch.Final(s.State) {
				line += "\texpires " + s.ExpiresAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintln(a.io.out, line)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("batch status: %w", err)
	}
	return nil
}

// sayBatchTotals says on stderr what the batches answered and cost, apart
// from the live calls.
func (a *app) sayBatchTotals(quiet bool, m *eval.BatchManifest) {
	if m == nil || m.Batches == 0 {
		return
	}
	msg := fmt.Sprintf("batch: %s answered by %s, %s at the batch price (%s live)",
		plural(m.Requests, "request"), batches(m.Batches), evalreport.Dollars(m.Cost), evalreport.Dollars(m.LivePrice))
	if m.Live > 0 {
		msg += "; " + strconv.Itoa(m.Live) + " left to live calls"
	}
	a.batchSay(quiet, msg)
}
