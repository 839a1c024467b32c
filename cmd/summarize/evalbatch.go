package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	evalreport "github.com/summarize-dev/summarize/internal/eval/report"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/batch"
	"github.com/summarize-dev/summarize/internal/models"
	"github.com/summarize-dev/summarize/internal/redact"
)

// Batch mode of the eval command (--batch, or batch: true per variant).
// Before the normal run, the batched variants' requests are found by a
// collection pass (the run's jobs with a batch.Collector in place of the
// live backend, which answers cache hits and records misses), sent through
// the provider's Batch API, and their replies stored in the response cache.
// The pass is repeated while it finds new requests (map-reduce merges need
// the maps' replies, a repair needs the first reply), at most
// maxBatchRounds times. Then the normal run reads every answer from the
// cache; whatever is still missing (lines that failed, see
// --batch-fallback) goes live, and is said so.

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

// batchGroup is the batched variants that send to one endpoint: one state
// file, one batch.Run per round (which makes one batch per model).
type batchGroup struct {
	endpoint string   // the client's endpoint, redacted: names the group
	api      keyedAPI // keyed by the live stack's endpoint
	variants []string
	cfgs     map[string]config.Config // by model: the config that prices it
	identity string
	state    string

	mu  sync.Mutex
	cur *batch.Collector // this round's; replaced between passes
}

// collector is the backend the collection pass gives a batched variant:
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

// batchRun is what runEval needs to run a batch pass.
type batchRun struct {
	suite    *eval.Suite
	data     *dataset.Set
	cache    *llm.Cache
	cacheDir string
	f        evalFlags
	shard    eval.Shard
	suiteSum string
}

// evalBatch runs the batch pass of an eval run when any selected variant
// is batched; nil, nil when none is.
func (a *app) evalBatch(ctx context.Context, b batchRun, mode llm.CacheMode) (*eval.BatchManifest, error) {
	selected, err := b.suite.Select(b.f.variants)
	if err != nil {
		return nil, withHint(err, exitUsage, "see the variants listed in the suite file")
	}
	bv := batchedVariants(b.suite, selected, b.f, mode)
	if len(bv) == 0 {
		if b.f.batch {
			return nil, usageErr("--batch: the run has no LLM variant (backend openai) to batch")
		}
		return nil, nil
	}
	groups, err := a.batchGroups(b, bv)
	if err != nil {
		return nil, err
	}
	byVariant := map[string]*batchGroup{}
	for _, g := range groups {
		for _, v := range g.variants {
			byVariant[v] = g
		}
	}
	gens, err := a.evalGenerators(b.suite, b.cache, mode, b.f, map[string]*retryCount{}, func(v eval.Variant, be llm.Backend) llm.Backend {
		g := byVariant[v.Name]
		if g == nil {
			return nil
		}
		if e, ok := be.(llm.Endpointer); ok && e.Endpoint() != "" {
			g.api.endpoint = e.Endpoint() // the cache keys the live stack uses
		}
		return collector{g: g}
	})
	if err != nil {
		return nil, err
	}
	return a.runBatches(ctx, b, groups, gens)
}

// evalBatchStatus is --batch-status and --batch-cancel: the state files of
// this run's batched variants, whether the batches were sent with --batch
// or by the suite's batch: true.
func (a *app) evalBatchStatus(ctx context.Context, b batchRun) error {
	selected, err := b.suite.Select(b.f.variants)
	if err != nil {
		return withHint(err, exitUsage, "see the variants listed in the suite file")
	}
	var groups, found []*batchGroup
	for _, all := range []bool{true, false} {
		f := b.f
		f.batch = f.batch || all
		bb := b
		bb.f = f
		gs, err := a.batchGroups(bb, batchedVariants(b.suite, selected, f, llm.CacheRW))
		if err != nil {
			return err
		}
		for _, g := range gs {
			if slices.ContainsFunc(groups, func(h *batchGroup) bool { return h.state == g.state }) {
				continue
			}
			groups = append(groups, g)
			if _, err := batch.ReadState(g.state); !errors.Is(err, batch.ErrNoState) {
				found = append(found, g)
			}
		}
	}
	if len(groups) == 0 {
		return usageErr("--batch-status: the run has no LLM variant (backend openai)")
	}
	if len(found) == 0 {
		var paths []string
		for _, g := range groups {
			paths = append(paths, g.state)
		}
		fmt.Fprintf(a.io.out, "no batch in progress (no state file %s)\n", strings.Join(paths, " or "))
		return nil
	}
	return a.batchStatusCmd(ctx, found, b.f.batchCancel)
}

// batchedVariants are the selected LLM variants that go through the Batch
// API: every one with --batch, else those with batch: true. Replay, read
// and off cache modes batch nothing (a replay CI run needs no batch).
func batchedVariants(s *eval.Suite, selected []eval.Variant, f evalFlags, mode llm.CacheMode) []eval.Variant {
	if mode != llm.CacheRW {
		return nil
	}
	var out []eval.Variant
	for _, v := range selected {
		if v.Backend == config.BackendOpenAI && (f.batch || v.Batch) {
			out = append(out, v)
		}
	}
	return out
}

// checkBatchFlags checks the batch flags before any work.
func checkBatchFlags(f evalFlags, mode llm.CacheMode) error {
	switch {
	case f.batchStatus && f.batchCancel:
		return usageErr("--batch-status and --batch-cancel: choose one")
	case f.batchFallback != "" && f.batchFallback != fallbackBatch && f.batchFallback != fallbackLive:
		return usageErr("--batch-fallback %q: want batch or live", f.batchFallback)
	case f.batch && mode != llm.CacheRW:
		return withHint(fmt.Errorf("--batch needs the response cache in rw mode (this run: %s): the replies are stored there", mode), exitUsage,
			"drop --cache-mode, or run --batch first and replay afterwards")
	}
	return nil
}

// batchGroups groups the batched variants by endpoint, each with its batch
// client, identity and state file.
func (a *app) batchGroups(b batchRun, variants []eval.Variant) ([]*batchGroup, error) {
	var groups []*batchGroup
	for _, v := range variants {
		cfg := v.Config.(config.Config)
		if eps := cfg.LLM.Endpoints; len(eps) > 0 {
			// A pool's batches go to its first server, which keys its cache.
			cfg.LLM.BaseURL, cfg.LLM.APIKeyEnv = eps[0].BaseURL, cmp.Or(eps[0].APIKeyEnv, cfg.LLM.APIKeyEnv)
			cfg.LLM.Endpoints = nil
		}
		keyURL := cfg.LLM.BaseURL
		if b.f.dial != nil && keyURL != "" {
			cfg.LLM.BaseURL = b.f.dial(keyURL)
		}
		cl, err := newClient(cfg.LLM, a.getenv)
		if err != nil {
			var ce *cliError
			if errors.As(err, &ce) {
				return nil, &cliError{err: fmt.Errorf("variant %q: %w", v.Name, ce.err), code: ce.code, hint: ce.hint}
			}
			return nil, fmt.Errorf("variant %q: %w", v.Name, err)
		}
		endpoint := cl.Endpoint()
		if b.f.dial != nil && keyURL != "" {
			endpoint = strings.TrimRight(keyURL, "/")
		}
		name := redact.URL(endpoint) + "\x00" + cfg.LLM.APIKeyEnv
		i := slices.IndexFunc(groups, func(g *batchGroup) bool { return g.endpoint == name })
		if i < 0 {
			groups = append(groups, &batchGroup{endpoint: name, api: keyedAPI{cl, endpoint}, cfgs: map[string]config.Config{}})
			i = len(groups) - 1
		}
		g := groups[i]
		g.variants = append(g.variants, v.Name)
		if _, ok := g.cfgs[cfg.LLM.Model]; !ok {
			g.cfgs[cfg.LLM.Model] = cfg
		}
	}
	if b.f.batchState != "" && len(groups) > 1 {
		return nil, withHint(fmt.Errorf("--batch-state %s: the batched variants send to %d endpoints, each with its own state file", b.f.batchState, len(groups)),
			exitUsage, "leave --batch-state out: each endpoint's file is named after its work")
	}
	for _, g := range groups {
		g.identity = batch.Identity("suite "+b.suiteSum, "dataset "+b.data.SHA256, "variants "+strings.Join(g.variants, ","),
			"set "+strings.Join(b.f.sets, "\x00"), "shard "+b.shard.String(),
			fmt.Sprintf("cases %d %d %d", b.f.limit, b.f.sample, b.f.seed), "endpoint "+g.endpoint)
		g.state = b.f.batchState
		if g.state == "" {
			g.state = filepath.Join(batchStateDir(b.f, b.cacheDir), "summarize-batch-"+g.identity[:16]+".json")
		}
	}
	return groups, nil
}

// batchStateDir is where a state file goes by default: beside the JSON
// report, else the JSONL stream, else in the response cache.
func batchStateDir(f evalFlags, cacheDir string) string {
	for _, p := range []string{f.json, f.jsonl} {
		if p != "" && p != "-" {
			return filepath.Dir(p)
		}
	}
	return cacheDir
}

// runBatches is the batch pass of an eval run: collect, submit, wait, and
// again while new requests come up. It returns what the manifest records.
func (a *app) runBatches(ctx context.Context, b batchRun, groups []*batchGroup, gens map[string]eval.Generator) (*eval.BatchManifest, error) {
	m := &eval.BatchManifest{}
	tries := map[string]int{}    // key hash → batches it was sent in
	live := map[string]bool{}    // key hash → left to a live call
	batched := map[string]bool{} // variant names
	for _, g := range groups {
		for _, v := range g.variants {
			batched[v] = true
		}
	}
	for round := 1; ; round++ {
		for _, g := range groups {
			g.mu.Lock()
			g.cur = batch.NewCollector(g.api.Endpoint(), b.cache)
			g.mu.Unlock()
		}
		if err := collectPass(ctx, b, gens, batched); err != nil {
			if ctx.Err() != nil {
				return m, &cliError{err: fmt.Errorf("eval %s: interrupted while finding the requests to batch", b.suite.Name), code: exitInterrupted}
			}
			return m, err
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
			a.batchSay(b.f, fmt.Sprintf("batch: %s still unanswered after %d rounds: they go live", plural(n, "request"), maxBatchRounds))
			return m, nil
		}
		m.Rounds = round
		for i, g := range groups {
			if len(todo[i]) == 0 {
				continue
			}
			if err := a.runGroup(ctx, b, g, todo[i], m, tries, live); err != nil {
				return m, err
			}
		}
	}
}

func itemHash(g *batchGroup, it batch.Item) string {
	return llm.NewCacheKey(g.api.Endpoint(), it.Request, it.Repeat).Hash()
}

// collectPass runs every batched variant's jobs once against the
// collectors, a few at a time. The jobs' errors are not theirs to report:
// the normal run meets them again.
func collectPass(ctx context.Context, b batchRun, gens map[string]eval.Generator, batched map[string]bool) error {
	type job struct {
		c      dataset.Case
		v      string
		repeat int
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range max(2, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for j := range jobs {
				collectOne(batch.WithLabel(ctx, j.c.ID+"/"+j.v), gens[j.v], j.c, j.repeat)
			}
		})
	}
	opt := eval.RunOptions{Variants: b.f.variants, Limit: b.f.limit, Sample: b.f.sample, Seed: b.f.seed, Shard: b.shard}
	err := eval.Each(ctx, b.suite, b.data, opt, func(ctx context.Context, c dataset.Case, v eval.Variant, rep int) error {
		if !batched[v.Name] {
			return nil
		}
		select {
		case jobs <- job{c, v.Name, rep}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		return fmt.Errorf("batch: collect the requests: %w", err)
	}
	return nil
}

// collectOne runs one job of the pass; a panic is the normal run's to
// report, as its case's error.
func collectOne(ctx context.Context, gen eval.Generator, c dataset.Case, repeat int) {
	defer func() { recover() }()
	gen(ctx, c, repeat)
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
func (a *app) runGroup(ctx context.Context, b batchRun, g *batchGroup, items []batch.Item, m *eval.BatchManifest, tries map[string]int, live map[string]bool) error {
	a.batchSay(b.f, fmt.Sprintf("batch: %s to send for %s (state %s)", plural(len(items), "request"), strings.Join(g.variants, ", "), g.state))
	out, err := batch.Run(ctx, batch.Options{
		API: g.api, Cache: b.cache, StatePath: g.state, Identity: g.identity,
		Progress: a.batchProgress(b.f), Sleep: a.batchSleep(),
		Metadata: map[string]string{"summarize_suite": b.suite.Name},
	}, items)
	if out != nil {
		m.Batches += len(out.Batches)
		m.Resumed = m.Resumed || out.Resumed
		answered := len(out.Results) - out.Cached
		m.Requests += answered
		for model, u := range out.Usage {
			livePrice := models.Cost(batchPrice(b.suite, g.cfgs, model), u)
			m.LivePrice += livePrice
			m.Cost += batch.Cost(livePrice)
		}
		if out.Resumed {
			a.batchSay(b.f, fmt.Sprintf("batch: resumed %s from %s", batches(len(out.Batches)), g.state))
		}
	}
	if err != nil {
		if ctx.Err() != nil { // Ctrl-C, whatever the call in flight said
			err = fmt.Errorf("%w: %w", ctx.Err(), err)
		}
		return batchError(err, g, b.suite.Name)
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
		if b.f.batchFallback != fallbackLive && tries[h] < maxLineTries && retryInBatch(lineErr) {
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
// error becomes the case's.
func retryInBatch(err error) bool {
	return err == nil || errors.Is(err, batch.ErrExpired) || errors.Is(err, batch.ErrCancelled) || llm.Retryable(err)
}

// batchPrice is the live price of model: the suite's prices, else the
// model table with the variant's overrides.
func batchPrice(s *eval.Suite, cfgs map[string]config.Config, model string) models.Model {
	if p, ok := s.Prices[model]; ok {
		return models.Model{InputPrice: p.Input, OutputPrice: p.Output}
	}
	cfg, ok := cfgs[model]
	if !ok {
		for _, c := range cfgs {
			cfg = c
			break
		}
	}
	m, _ := models.Lookup(model, modelOverrides(cfg))
	return m
}

// batchError is the command's error for a batch.Run failure: another
// work's state file and a validation failure are usage errors (2), an
// output that does not match its requests a failure (1), an interrupt
// leaves the batches running for a rerun (130).
func batchError(err error, g *batchGroup, suite string) error {
	switch {
	case errors.Is(err, context.Canceled):
		return withHint(fmt.Errorf("eval %s: interrupted while waiting for the batch: it goes on at the provider", suite), exitInterrupted,
			fmt.Sprintf("rerun the same command to collect it (state %s), or cancel it with --batch-cancel", g.state))
	case errors.Is(err, batch.ErrOtherWork):
		return withHint(fmt.Errorf("eval %s: %w", suite, err), exitUsage,
			"give this run its own --batch-state FILE, or finish that run first")
	case errors.Is(err, batch.ErrValidation):
		return withHint(fmt.Errorf("eval %s: %w", suite, err), exitUsage,
			"nothing was run; fix the requests (the provider's reasons above), or run without --batch")
	case errors.Is(err, batch.ErrMismatch):
		return withHint(fmt.Errorf("eval %s: %w", suite, err), exitFailure,
			"every matching reply is in the response cache: a rerun sends only the rest")
	}
	return fmt.Errorf("eval %s: %w", suite, err)
}

// batchProgress says each batch's status on stderr when it changes:
// "batch batch_1: in_progress, 40 of 100 done, 2 failed".
func (a *app) batchProgress(f evalFlags) func(batch.Status) {
	last := map[string]batch.Status{}
	var mu sync.Mutex
	return func(s batch.Status) {
		mu.Lock()
		defer mu.Unlock()
		if p, ok := last[s.ID]; ok && p.State == s.State && p.Counts == s.Counts {
			return
		}
		last[s.ID] = s
		a.batchSay(f, fmt.Sprintf("batch %s: %s", s.ID, statusLine(s)))
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

func (a *app) batchSay(f evalFlags, msg string) {
	if !f.quiet {
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
			fmt.Fprintf(a.io.out, "no batch in progress for %s (no state file %s)\n", strings.Join(g.variants, ", "), g.state)
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

// sayBatchCost says on stderr what the batches answered and cost, apart
// from the live calls the table counts.
func (a *app) sayBatchCost(f evalFlags, m *eval.BatchManifest) {
	if m == nil || m.Batches == 0 {
		return
	}
	msg := fmt.Sprintf("batch: %s answered by %s, %s at the batch price (%s live)",
		plural(m.Requests, "request"), batches(m.Batches), evalreport.Dollars(m.Cost), evalreport.Dollars(m.LivePrice))
	if m.Live > 0 {
		msg += "; " + strconv.Itoa(m.Live) + " left to live calls"
	}
	a.batchSay(f, msg)
}
