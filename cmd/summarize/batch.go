package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/spf13/pflag"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/batch"
	"github.com/summarize-dev/summarize/internal/models"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// Batch mode of the summarize command (summarize --batch FILE...). Every
// input is loaded and cleaned first; the batch loop (batchloop.go) runs
// the LLM summarizer over them with a collector in place of the live
// backend, sends the requests it finds in one batch per model, and stores
// the replies in the response cache (--cache, default <user cache
// dir>/summarize/responses, the eval's default). Then the normal loop
// summarizes the same loaded inputs from the cache, so the output is what
// it is without --batch, in input order; a request no batch answered goes
// live (--batch-fallback), and an input whose request failed is a failed
// input as without --batch. The state file (default in the cache,
// named after the inputs' contents and the configuration) lets a rerun
// after Ctrl-C pick up the same batches.
//
// --batch with a backend that makes no LLM request (extractive, lead3, or
// auto with no key and no base URL) is a usage error: there is nothing to
// batch, and a silent offline run is not what was asked for.

// batchOptions are the summarize command's batch flags.
type batchOptions struct {
	on             bool   // --batch
	state          string // --batch-state
	status, cancel bool   // --batch-status, --batch-cancel
	fallback       string // --batch-fallback
	cacheDir       string // --cache
}

// given reports whether any batch flag was given.
func (o batchOptions) given() bool {
	return o.on || o.status || o.cancel || o.state != "" || o.cacheDir != ""
}

// addBatchFlags defines the summarize command's batch flags.
func addBatchFlags(f *pflag.FlagSet, o *batchOptions) {
	f.BoolVar(&o.on, "batch", false, "send the inputs' LLM requests through the provider's Batch API (half price, within 24h), then print from the response cache; needs an LLM backend")
	f.StringVar(&o.state, "batch-state", "", "the batch state file, to resume after an interrupt (default: in the --cache directory, named after the inputs and settings)")
	f.BoolVar(&o.status, "batch-status", false, "say where the batches of these inputs are, one line each, and exit")
	f.BoolVar(&o.cancel, "batch-cancel", false, "cancel the batches of these inputs and exit (a rerun collects what they finished)")
	f.StringVar(&o.fallback, "batch-fallback", fallbackBatch, "lines a batch failed or left: batch (a follow-up batch, then live) or live")
	f.StringVar(&o.cacheDir, "cache", "", "with --batch: the response cache the replies are kept in (default <user cache dir>/summarize/responses)")
}

// loaded is an input as loaded and cleaned before the batch.
type loaded struct {
	art clean.Article
	err error
}

// batchMode is a summarize --batch run whose batches are done: the normal
// loop reads their replies from cache.
type batchMode struct {
	cache *llm.Cache
	m     *eval.BatchManifest
}

// wrap is the pipeline's wrap for the normal loop: the response cache,
// which sends its misses live and keeps their replies. Nil without
// --batch.
func (bm *batchMode) wrap() func(llm.Backend) llm.Backend {
	if bm == nil {
		return nil
	}
	return func(b llm.Backend) llm.Backend { return llm.WithCache(b, bm.cache, llm.CacheRW) }
}

// endBatch says what the batches answered and cost, and a cache that
// could not be written.
func (a *app) endBatch(bm *batchMode) {
	if bm == nil {
		return
	}
	a.sayBatchTotals(a.quiet, bm.m)
	if err := bm.cache.WriteErr(); err != nil {
		a.warn(fmt.Sprintf("response cache: %v", err))
	}
	bm.cache.Close()
}

// summarizeBatch is the batch part of the summarize command: nothing
// without a batch flag; with --batch-status or --batch-cancel it does
// that and is done; with --batch it loads every input, runs the batches
// and returns the batchMode the normal loop reads from.
func (a *app) summarizeBatch(ctx context.Context, cfg config.Config, maxWordsSet bool, args []string, opts runOptions) (bm *batchMode, done bool, err error) {
	o := opts.batch
	if !o.given() {
		return nil, false, nil
	}
	switch {
	case !o.on && !o.status && !o.cancel:
		return nil, true, usageErr("--cache and --batch-state are for --batch (the summarize command keeps no cache otherwise)")
	case o.status && o.cancel:
		return nil, true, usageErr("--batch-status and --batch-cancel: choose one")
	case opts.dryRun || opts.estimate:
		return nil, true, usageErr("--batch sends requests and --dry-run and --estimate send none: choose one")
	}
	if err := checkBatchFallback(o.fallback); err != nil {
		return nil, true, err
	}
	if name, _ := resolveBackend(cfg, a.getenv); name != config.BackendOpenAI {
		return nil, true, withHint(fmt.Errorf("--batch sends LLM requests through the provider's Batch API, and the %s backend makes none", name), exitUsage,
			fmt.Sprintf("export %s=... or set --base-url for an OpenAI-compatible server, or drop --batch", cfg.LLM.APIKeyEnv))
	}
	api, endpoint, priced, err := batchClient(cfg, a.getenv, nil)
	if err != nil {
		return nil, true, err
	}
	dir := o.cacheDir
	if dir == "" {
		ucd, err := os.UserCacheDir()
		if err != nil {
			return nil, true, withHint(fmt.Errorf("response cache: %w", err), exitUsage, "set --cache DIR")
		}
		dir = filepath.Join(ucd, "summarize", "responses")
	}
	cache, err := llm.OpenCache(dir, llm.CacheRedact(llmSecrets(cfg.LLM, a.getenv).Redact))
	if err != nil {
		return nil, true, err
	}
	defer func() {
		if bm == nil {
			cache.Close()
		}
	}()

	in := a.loadAll(ctx, cfg, args, opts.concurrency)
	if ctx.Err() != nil {
		return nil, true, &cliError{err: fmt.Errorf("interrupted while loading the inputs: %w", ctx.Err()), code: exitInterrupted}
	}
	g := &batchGroup{endpoint: endpoint, api: api, what: plural(len(args), "input"), cfgs: map[string]config.Config{priced.LLM.Model: priced}}
	g.identity = inputsIdentity(cfg, endpoint, in)
	g.state = o.state
	if g.state == "" {
		g.state = filepath.Join(dir, "summarize-batch-"+g.identity[:16]+".json")
	}
	if o.status || o.cancel {
		return nil, true, a.batchStatusCmd(ctx, []*batchGroup{g}, o.cancel)
	}

	s, err := newPipeline(cfg, pipelineInputs{
		getenv: a.getenv, warn: func(string) {}, maxWordsSet: maxWordsSet, keepRaw: opts.raw,
		inFlight: llm.NewInFlight(opts.concurrency), retryWaitCap: a.io.retryWaitCap,
		wrap: func(b llm.Backend) llm.Backend {
			g.keyBy(b) // the cache keys the normal loop's calls use
			return collector{g: g}
		},
	})
	if err != nil {
		return nil, true, err
	}
	m, err := a.runBatches(ctx, batchWork{
		name: "batch of " + g.what, cache: cache, fallback: o.fallback, quiet: a.quiet,
		metadata: map[string]string{"summarize_inputs": strconv.Itoa(len(args))},
		collect: func(ctx context.Context) error {
			return collectInputs(ctx, s, args, in, opts.concurrency)
		},
		price: func(g *batchGroup, model string) models.Model {
			m, _ := models.Lookup(model, modelOverrides(g.cfgs[priced.LLM.Model]))
			return m
		},
	}, []*batchGroup{g})
	if err != nil {
		return nil, true, err
	}
	return &batchMode{cache: cache, m: m}, false, nil
}

// loadAll loads and cleans every input, n at a time, and keeps them for
// the normal loop (a.load answers from a.inputs): standard input is read
// once, a URL fetched once.
func (a *app) loadAll(ctx context.Context, cfg config.Config, args []string, n int) []loaded {
	in := make([]loaded, len(args))
	sem := make(chan struct{}, max(1, n))
	var wg sync.WaitGroup
	for i, src := range args {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			art, err := a.load(ctx, cfg, src)
			in[i] = loaded{art, err}
		})
	}
	wg.Wait()
	a.inputs = make(map[string]loaded, len(args))
	for i, src := range args {
		a.inputs[src] = in[i]
	}
	return in
}

// collectInputs is one collection pass: every loaded input summarized
// against the collector, n at a time, each request labelled after its
// input ("2-ferry.txt/r0"). Errors are the normal loop's to report.
func collectInputs(ctx context.Context, s summarize.Summarizer, args []string, in []loaded, n int) error {
	sem := make(chan struct{}, max(1, n))
	var wg sync.WaitGroup
	for i, l := range in {
		if l.err != nil {
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			defer func() { recover() }() // a panic is the normal loop's to report
			s.Summarize(batch.WithLabel(ctx, inputLabel(i, args[i])), l.art)
		})
	}
	wg.Wait()
	return ctx.Err()
}

// inputLabel names input i's requests in the state file and the
// provider's console: its number and base name.
func inputLabel(i int, src string) string {
	name := "stdin"
	if src != "-" {
		name = path.Base(filepath.ToSlash(displaySource(src)))
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '_'
		}
		return r
	}, name)
	return strconv.Itoa(i+1) + "-" + name
}

// inputsIdentity names a summarize --batch run for its state file: the
// resolved configuration (but the output format, which changes no
// request), the endpoint, and the content of every input in order.
func inputsIdentity(cfg config.Config, endpoint string, in []loaded) string {
	cfg.Output.Format = ""
	c, _ := json.Marshal(cfg)
	parts := []string{"summarize", "config " + string(c), "endpoint " + endpoint}
	for _, l := range in {
		if l.err != nil {
			parts = append(parts, "input not loaded")
			continue
		}
		art := l.art
		art.Source, art.Notes = "", nil
		b, _ := json.Marshal(art)
		sum := sha256.Sum256(b)
		parts = append(parts, "input "+hex.EncodeToString(sum[:]))
	}
	return batch.Identity(parts...)
}
