package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/batch"
	"github.com/summarize-dev/summarize/internal/models"
)

// Batch mode of the eval command (--batch, or batch: true per variant).
// Before the normal run, the batched variants' requests go through the
// batch loop (batchloop.go): its collection pass is the run's jobs with the
// groups' collectors in place of the live backends. Then the normal run
// reads every answer from the cache; whatever is still missing goes live.

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
	var judgeHook eval.JudgeFunc
	if i := slices.IndexFunc(groups, func(g *batchGroup) bool { return g.judge != "" }); i >= 0 {
		jg := groups[i]
		// The judge's requests go in the batches too: those of offline
		// variants' bullets in the first round, those of the LLM
		// variants' once their bullets are in.
		judgeHook, err = a.evalJudge(b.suite, b.cache, mode, b.f, func(be llm.Backend) llm.Backend {
			jg.keyBy(be)
			return goOnDeferred{collector{g: jg}}
		})
		if err != nil {
			return nil, err
		}
	}
	gens, err := a.evalGenerators(b.suite, b.cache, mode, b.f, map[string]*retryCount{}, func(v eval.Variant, be llm.Backend) llm.Backend {
		g := byVariant[v.Name]
		if g == nil {
			return nil
		}
		g.keyBy(be) // the cache keys the live stack uses
		return collector{g: g}
	})
	if err != nil {
		return nil, err
	}
	return a.runBatches(ctx, batchWork{
		name: "eval " + b.suite.Name, cache: b.cache, fallback: b.f.batchFallback, quiet: b.f.quiet,
		metadata: map[string]string{"summarize_suite": b.suite.Name},
		collect: func(ctx context.Context) error {
			return collectPass(ctx, b, gens, byVariant, judgeHook)
		},
		price: func(g *batchGroup, model string) models.Model {
			return batchPrice(b.suite, g.cfgs, model)
		},
		maxCost: b.f.maxCost,
	}, groups)
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
	case checkBatchFallback(f.batchFallback) != nil:
		return checkBatchFallback(f.batchFallback)
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
		api, name, cfg, err := batchClient(v.Config.(config.Config), a.getenv, b.f.dial)
		if err != nil {
			var ce *cliError
			if errors.As(err, &ce) {
				return nil, &cliError{err: fmt.Errorf("variant %q: %w", v.Name, ce.err), code: ce.code, hint: ce.hint}
			}
			return nil, fmt.Errorf("variant %q: %w", v.Name, err)
		}
		i := slices.IndexFunc(groups, func(g *batchGroup) bool { return g.endpoint == name })
		if i < 0 {
			groups = append(groups, &batchGroup{endpoint: name, api: api, cfgs: map[string]config.Config{}})
			i = len(groups) - 1
		}
		g := groups[i]
		g.variants = append(g.variants, v.Name)
		if _, ok := g.cfgs[cfg.LLM.Model]; !ok {
			g.cfgs[cfg.LLM.Model] = cfg
		}
	}
	if jc := b.suite.Judge; jc != nil && slices.Contains(b.suite.Metrics, eval.MetricJudge) {
		var cfg config.Config
		cfg.LLM.BaseURL, cfg.LLM.APIKeyEnv, cfg.LLM.Model = a.judgeBaseURL(jc), jc.APIKeyEnv, jc.Model
		api, name, cfg, err := batchClient(cfg, a.getenv, b.f.dial)
		if err != nil {
			return nil, fmt.Errorf("judge: %w", err)
		}
		i := slices.IndexFunc(groups, func(g *batchGroup) bool { return g.endpoint == name })
		if i < 0 {
			groups = append(groups, &batchGroup{endpoint: name, api: api, cfgs: map[string]config.Config{}})
			i = len(groups) - 1
		}
		groups[i].judge = jc.Model
		if _, ok := groups[i].cfgs[jc.Model]; !ok {
			groups[i].cfgs[jc.Model] = cfg
		}
	}
	if b.f.batchState != "" && len(groups) > 1 {
		return nil, withHint(fmt.Errorf("--batch-state %s: the batched variants send to %d endpoints, each with its own state file", b.f.batchState, len(groups)),
			exitUsage, "leave --batch-state out: each endpoint's file is named after its work")
	}
	for _, g := range groups {
		what := slices.Clone(g.variants)
		if g.judge != "" {
			what = append(what, "the judge")
		}
		g.what = strings.Join(what, ", ")
		parts := []string{"suite " + b.suiteSum, "dataset " + b.data.SHA256, "variants " + strings.Join(g.variants, ","),
			"set " + strings.Join(b.f.sets, "\x00"), "shard " + b.shard.String(),
			fmt.Sprintf("cases %d %d %d", b.f.limit, b.f.sample, b.f.seed), "endpoint " + g.endpoint}
		if g.judge != "" {
			parts = append(parts, "judge "+g.judge) // only then: the state files of groups without one keep their names
		}
		g.identity = batch.Identity(parts...)
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

// goOnDeferred answers a request the collector deferred with a stand-in
// reply the judge can read (a score, thrown away with the pass), so that it
// goes on to its other rubrics and samples in the same pass (none depends
// on another's reply): they all go in one batch.
type goOnDeferred struct{ c collector }

func (g goOnDeferred) Complete(ctx context.Context, req llm.Request) (llm.Response, error) {
	resp, err := g.c.Complete(ctx, req)
	if errors.Is(err, batch.ErrDeferred) {
		return llm.Response{Content: "1"}, nil
	}
	return resp, err
}

// collectPass runs every batched variant's jobs once against the
// collectors, a few at a time, and, with judge, the judge over the bullets
// each job gives, and over the offline variants' bullets (their jobs cost
// nothing; an LLM variant that is not batched is left to the normal run,
// its judgments live).
func collectPass(ctx context.Context, b batchRun, gens map[string]eval.Generator, batched map[string]*batchGroup, judge eval.JudgeFunc) error {
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
				collectOne(ctx, j.c.ID+"/"+j.v, gens[j.v], judge, j.c, j.repeat)
			}
		})
	}
	opt := eval.RunOptions{Variants: b.f.variants, Limit: b.f.limit, Sample: b.f.sample, Seed: b.f.seed, Shard: b.shard}
	err := eval.Each(ctx, b.suite, b.data, opt, func(ctx context.Context, c dataset.Case, v eval.Variant, rep int) error {
		if batched[v.Name] == nil && (judge == nil || v.Backend == config.BackendOpenAI) {
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
	return err
}

// collectOne runs one job of the pass, and the judge over its bullets when
// it has them; a panic is the normal run's to report, as its case's error.
func collectOne(ctx context.Context, label string, gen eval.Generator, judge eval.JudgeFunc, c dataset.Case, repeat int) {
	defer func() { recover() }()
	sum, err := gen(batch.WithLabel(ctx, label), c, repeat)
	if err != nil || judge == nil || len(sum.Bullets) == 0 {
		return
	}
	judge(batch.WithLabel(ctx, label+"/judge"), c, repeat, sum.Bullets)
}

// batchPrice is the live price of model: the suite's prices, else the
// model table with the variant's overrides.
func batchPrice(s *eval.Suite, cfgs map[string]config.Config, model string) models.Model {
	cfg, ok := cfgs[model]
	if !ok {
		for _, c := range cfgs {
			cfg = c
			break
		}
	}
	m, _ := models.Lookup(model, modelOverrides(cfg))
	if p, ok := s.Prices[model]; ok { // the suite's prices, the table's batch discount
		m.InputPrice, m.OutputPrice = p.Input, p.Output
		if p.BatchDiscount > 0 {
			m.BatchDiscount = p.BatchDiscount
		}
	}
	return m
}

// sayBatchCost is sayBatchTotals for an eval run.
func (a *app) sayBatchCost(f evalFlags, m *eval.BatchManifest) { a.sayBatchTotals(f.quiet, m) }
