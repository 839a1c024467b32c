package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	evalreport "github.com/summarize-dev/summarize/internal/eval/report"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/redact"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// evalFlags are the eval command's flags.
type evalFlags struct {
	concurrency   int
	cacheDir      string
	cacheMode     string
	variants      []string
	limit, sample int
	seed          uint64
	baseline      string
	maxCost       float64
	grace         time.Duration
	json, jsonl   string
	junit, md     string
	html          string
	htmlCases     int
	htmlSort      string
	failOnLeakage bool
	quiet         bool
	verbose       bool
	sets          []string
	noBaseline    bool
	baseURL       string
	wide          bool
	shard         string // --shard K/N

	// Batch mode (evalbatch.go).
	batch                    bool
	batchState               string
	batchStatus, batchCancel bool
	batchFallback            string

	// dial, in tests only, maps a variant's base URL to the server that
	// answers it while the cache keeps the configured URL in its keys.
	dial func(baseURL string) string
}

func (a *app) evalCmd() *cobra.Command {
	var f evalFlags
	c := &cobra.Command{
		Use:   "eval SUITE.yaml",
		Short: "Run an eval suite, write reports, gate on thresholds",
		Long: `eval runs every variant of a suite (backend × model × prompt × settings)
over every case of its dataset, scores the bullets against the reference
bullets, and prints a table of means with 95% confidence intervals, paired
significance tests between variants, and the suite's gates.

LLM responses go through a response cache (--cache, default the user cache
directory): a rerun, or a run resumed after Ctrl-C, does not repeat calls
that finished. --cache-mode replay answers only from the cache, for CI
without an API key.

--batch sends the LLM variants' requests through the provider's Batch API
(half price, answered within 24h) and then scores from the cache; the
state file lets a rerun pick up the same batches after Ctrl-C.

Exit codes: 0 every gate passed; 1 cases failed with errors or a report
could not be written; 2 usage or suite error; 3 a quality gate failed;
130 interrupted (Ctrl-C; the reports cover what finished).`,
		Example: `  summarize eval config/evals/ci.yaml
  summarize eval suite.yaml --variant headline-v2 --limit 20
  summarize eval suite.yaml --json results/main.json --html report.html
  summarize eval suite.yaml --baseline results/main.json --junit junit.xml
  summarize eval suite.yaml --shard 2/3 --json shard-2.json
  summarize eval merge shard-*.json --json all.json --junit junit.xml
  summarize eval suite.yaml --batch --json results.json
  summarize eval suite.yaml --batch-status
  summarize eval import --format story cnn/stories/ > data.jsonl`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return withHint(fmt.Errorf("eval: want one suite file, got %d arguments", len(args)), exitUsage,
					"run 'summarize eval --help' for usage")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkEvalInherited(cmd); err != nil {
				return err
			}
			if fl := cmd.Flags().Lookup("base-url"); fl != nil && fl.Changed {
				f.baseURL = fl.Value.String()
			}
			return a.runEval(cmd.Context(), args[0], f)
		},
	}
	fl := c.Flags()
	fl.StringArrayVar(&f.sets, "set", nil, "override a config key in every variant, recorded in the manifest: --set llm.model=gpt-4o (repeatable)")
	fl.IntVar(&f.concurrency, "concurrency", 0, "cases run at once (default: the suite's concurrency)")
	fl.StringVar(&f.cacheDir, "cache", "", "response cache directory (default: the suite's cache, else <user cache dir>/summarize/responses)")
	fl.StringVar(&f.cacheMode, "cache-mode", "", "rw|read|replay|off (default: the suite's cache_mode, else rw)")
	fl.StringArrayVar(&f.variants, "variant", nil, "run only this variant (repeatable)")
	fl.IntVar(&f.limit, "limit", 0, "run only the first N cases")
	fl.IntVar(&f.sample, "sample", 0, "run N cases drawn at random with --seed")
	fl.Uint64Var(&f.seed, "seed", 1, "seed for --sample")
	fl.StringVar(&f.baseline, "baseline", "", "JSON report (--json) of an earlier run to compare with and gate regressions against")
	fl.BoolVar(&f.noBaseline, "no-baseline", false, "run without the regression gate: how the first baseline is made (with --json FILE)")
	fl.Float64Var(&f.maxCost, "max-cost", 0, "stop dispatching once this many US dollars are spent (cache hits are free)")
	fl.DurationVar(&f.grace, "grace", 10*time.Second, "after Ctrl-C, how long calls in flight may finish")
	fl.StringVar(&f.json, "json", "", "write the whole run as JSON to FILE (usable as --baseline)")
	fl.StringVar(&f.jsonl, "jsonl", "", "stream one JSON line per case × variant × repeat to FILE as they finish")
	fl.StringVar(&f.junit, "junit", "", "write a JUnit XML report to FILE")
	fl.StringVar(&f.md, "markdown", "", "write a Markdown summary to FILE (also appended to $GITHUB_STEP_SUMMARY when set)")
	fl.StringVar(&f.html, "html", "", "write a self-contained HTML report to FILE")
	fl.IntVar(&f.htmlCases, "html-cases", 100, "cases shown with their bullets in the HTML report")
	fl.StringVar(&f.htmlSort, "html-sort", evalreport.SortWorst, "order of the HTML report's cases, which also picks the --html-cases shown: "+strings.Join(evalreport.HTMLSorts, ", "))
	fl.BoolVar(&f.failOnLeakage, "fail-on-leakage", false, "fail cases whose reference bullets appear verbatim in the article (suite leakage: fail)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress on stderr")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "say each retry of an LLM call on stderr (without it, a count per variant at the end)")
	fl.StringVar(&f.shard, "shard", "", "run only shard K of N (K/N, by a hash of each case id); join the shards' --json reports with 'summarize eval merge'")
	fl.BoolVar(&f.batch, "batch", false, "send the LLM variants' requests through the provider's Batch API (half price, within 24h), then score from the cache")
	fl.StringVar(&f.batchState, "batch-state", "", "the batch state file, to resume after an interrupt (default: beside --json, else in the cache, named after the run)")
	fl.BoolVar(&f.batchStatus, "batch-status", false, "say where this run's batches are, one line each, and exit")
	fl.BoolVar(&f.batchCancel, "batch-cancel", false, "cancel this run's batches and exit (a rerun collects what they finished)")
	fl.StringVar(&f.batchFallback, "batch-fallback", fallbackBatch, "lines a batch failed or left: batch (a follow-up batch, then live) or live")
	fl.BoolVar(&f.wide, "wide", false, "the whole table whatever the terminal's width: CIs beside the means, every pair of variants compared")
	c.AddCommand(a.evalImportCmd(), a.evalMergeCmd())
	c.ValidArgsFunction = func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return []cobra.Completion{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
	}
	c.RegisterFlagCompletionFunc("variant", func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var names []cobra.Completion
		if len(args) > 0 {
			if s, err := eval.LoadSuite(args[0], eval.LoadOptions{}); err == nil && s.AddSanity() == nil {
				for _, v := range s.Variants {
					names = append(names, v.Name)
				}
			}
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

// runEval is the eval command. The run is hermetic: the suite file and
// the eval flags define it; only the API key and the endpoint come from the
// environment.
func (a *app) runEval(ctx context.Context, path string, f evalFlags) error {
	if err := checkEvalFlags(f); err != nil {
		return err
	}
	shard, err := parseShardFlag(f.shard)
	if err != nil {
		return err
	}
	reports, err := checkReportPaths(f)
	if err != nil {
		return err
	}
	overrides, err := parseSets(f.sets)
	if err != nil {
		return err
	}
	if ignored := a.ignoredByEval(); ignored != "" && !f.quiet {
		a.warnf("note: eval ignores " + ignored + ": a suite run is defined by the suite and --set KEY=VALUE")
	}
	suite, err := eval.LoadSuite(path, eval.LoadOptions{
		Resolve:   a.suiteResolver(f.baseURL),
		PathKeys:  suitePathKeys,
		Overrides: overrides,
	})
	if err != nil {
		return &cliError{err: fmt.Errorf("suite %w", err), code: exitUsage}
	}
	suiteSum, err := fileSHA256(path)
	if err != nil {
		return &cliError{err: fmt.Errorf("suite %s: %w", path, err), code: exitUsage}
	}
	if f.failOnLeakage {
		suite.Leakage = eval.LeakageFail
	}
	if err := suite.AddSanity(); err != nil {
		return &cliError{err: fmt.Errorf("suite %s: %w", path, err), code: exitUsage}
	}
	if _, err := suite.Select(f.variants); err != nil {
		return withHint(err, exitUsage, "see the variants listed in the suite file")
	}
	baseline, err := loadEvalBaseline(suite, path, f)
	if err != nil {
		return err
	}
	data, err := dataset.Open(suite.Dataset)
	if err != nil {
		return &cliError{err: err, code: exitUsage, hint: "a dataset is JSONL {\"id\",\"article\",\"reference\":[..]}; 'summarize eval import' makes one"}
	}
	if err := suite.CheckDataset(data); err != nil {
		return &cliError{err: fmt.Errorf("suite %w", err), code: exitUsage}
	}

	secrets := a.suiteSecrets(suite)
	cacheDir, mode, err := a.evalCache(suite, f)
	if err != nil {
		return err
	}
	var cache *llm.Cache
	if mode != llm.CacheOff {
		if cache, err = llm.OpenCache(cacheDir, llm.CacheRedact(secrets.Redact)); err != nil {
			return err
		}
		defer cache.Close()
	}
	if err := checkBatchFlags(f, mode); err != nil {
		return err
	}
	batchRun := batchRun{suite: suite, data: data, cache: cache, cacheDir: cacheDir, f: f, shard: shard, suiteSum: suiteSum}
	if f.batchStatus || f.batchCancel {
		return a.evalBatchStatus(ctx, batchRun)
	}
	batchInfo, err := a.evalBatch(ctx, batchRun, mode)
	if err != nil {
		return err
	}
	retried := map[string]*retryCount{}
	gens, err := a.evalGenerators(suite, cache, mode, f, retried, nil)
	if err != nil {
		return err
	}
	judgeHook, err := a.evalJudge(suite, cache, mode, f, nil) // metric "judge": evaljudge.go
	if err != nil {
		return err
	}
	if len(data.Leaks) > 0 && suite.Leakage != eval.LeakageFail {
		l := data.Leaks[0]
		a.warnf(fmt.Sprintf("warning: %s found verbatim in the articles (first: case %q bullet %d); --fail-on-leakage fails them",
			plural(len(data.Leaks), "reference bullet"), l.Case, l.Bullet))
	}

	var progress eval.Progress
	if !f.quiet {
		p := eval.NewProgress(a.io.err, isTerminal(a.io.err), 5*time.Second, nil)
		progress = p
		if pw, ok := p.(io.Writer); ok {
			a.warnOut = pw
			defer func() { a.warnOut = nil }()
		}
	}
	var prePaid float64 // the batches count against --max-cost
	if batchInfo != nil {
		prePaid = batchInfo.Cost
	}
	resultsPath := f.jsonl
	if resultsPath == "-" {
		resultsPath = "" // a temporary stream, copied to stdout at the end
	}
	res, err := eval.Run(ctx, suite, data, eval.RunOptions{
		Generators: gens, Variants: f.variants, Limit: f.limit, Sample: f.sample, Seed: f.seed,
		Concurrency: f.concurrency, MaxCost: f.maxCost, PrePaid: prePaid, Grace: f.grace, ResultsPath: resultsPath,
		Baseline: baseline, Progress: progress, ToolVersion: buildVersion(), ToolCommit: buildCommit(),
		CacheDir: cacheDir, CacheMode: string(mode), Judge: judgeHook, Shard: shard, SuiteSHA256: suiteSum,
		Redact:      func(s string) string { return redact.Text(secrets.Redact(s)) },
		OnInterrupt: a.sayInterrupted, StopNow: a.io.stopNow,
	})
	if err != nil {
		return err
	}
	defer res.Close()
	res.Manifest.Batch = batchInfo
	a.sayBatchCost(f, batchInfo)
	a.reportRetries(res, retried)
	if cache != nil {
		if err := cache.WriteErr(); err != nil {
			a.warnf(fmt.Sprintf("warning: response cache: %v", err))
		}
	}
	reports.articles = evalArticles(ctx, suite, data)
	if err := a.writeEvalReports(res, f, reports); err != nil {
		return err
	}
	if shard != (eval.Shard{}) {
		return a.shardVerdict(res, suite.Name, shard)
	}
	return a.evalVerdict(res, suite.Name, mode, f.maxCost)
}

// evalVerdict is the exit status of a finished run (or of merged shards):
// interrupted, too many errors, stopped at --max-cost, failed gates, or
// nil; failed gates are also GitHub annotations under GITHUB_ACTIONS=true.
func (a *app) evalVerdict(res *eval.Result, name string, mode llm.CacheMode, maxCost float64) error {
	if a.getenv("GITHUB_ACTIONS") == "true" {
		for _, g := range res.FailedGates() {
			fmt.Fprintf(a.io.out, "::error title=eval gate::%s\n", escapeWorkflowData(g.Message))
		}
	}
	switch {
	case res.Interrupted:
		return &cliError{err: fmt.Errorf("eval %s: interrupted: reports cover the %s that finished", name, plural(finishedRuns(res), "run")), code: exitInterrupted}
	case res.TooManyErrors():
		return withHint(fmt.Errorf("eval %s: %s failed with errors", name, plural(res.Errors(), "run")), exitFailure,
			errorHint(res, mode))
	case res.StopReason == eval.StopMaxCost:
		return fmt.Errorf("eval %s: stopped at --max-cost %s: reports cover the %s that finished", name, evalreport.Dollars(maxCost), plural(finishedRuns(res), "run"))
	}
	if failed := res.FailedGates(); len(failed) > 0 {
		return &cliError{err: fmt.Errorf("eval %s: %d of %d gates failed: %s", name, len(failed), len(res.Gates), failed[0].Message), code: exitGate}
	}
	return nil
}

// escapeWorkflowData escapes the message of a GitHub Actions workflow
// command: %, CR and LF as %25, %0D and %0A.
func escapeWorkflowData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// suiteSecrets are the values no report or cache entry may hold: every
// variant's and the judge's API key, and the credentials in their base
// URLs.
func (a *app) suiteSecrets(s *eval.Suite) *redact.Secrets {
	var keys, urls []string
	add := func(keyEnv, baseURL string) {
		if v := a.getenv(keyEnv); v != "" {
			keys = append(keys, v)
		}
		urls = append(urls, baseURL)
	}
	for _, v := range s.Variants {
		if cfg, ok := v.Config.(config.Config); ok {
			add(cfg.LLM.APIKeyEnv, cfg.LLM.BaseURL)
			for _, e := range cfg.LLM.Endpoints {
				add(cmp.Or(e.APIKeyEnv, cfg.LLM.APIKeyEnv), e.BaseURL)
			}
		}
	}
	if j := s.Judge; j != nil {
		add(j.APIKeyEnv, j.BaseURL)
	}
	urls = append(urls, a.getenv("OPENAI_BASE_URL"))
	return redact.NewSecrets(append(keys, redact.URLSecrets(urls...)...)...)
}

// ignoredByEval names the configuration sources the summarize command
// would read and a suite run does not: SUMMARIZE_* variables and config
// files.
func (a *app) ignoredByEval() string {
	var parts []string
	var vars []string
	for _, kv := range a.environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, envPrefix+"_") {
			vars = append(vars, name)
		}
	}
	sort.Strings(vars)
	if len(vars) > 0 {
		parts = append(parts, strings.Join(vars, ", "))
	}
	if file, err := findConfigFile("", a.getenv); err == nil && file != "" {
		parts = append(parts, "the config file "+file)
	}
	return strings.Join(parts, " and ")
}

// loadEvalBaseline reads the regression baseline: --baseline, else the
// suite's gates.regression.baseline.
func loadEvalBaseline(suite *eval.Suite, suitePath string, f evalFlags) (*eval.Baseline, error) {
	if f.noBaseline {
		if f.baseline != "" {
			return nil, usageErr("--baseline and --no-baseline: choose one")
		}
		suite.Gates.Regression = nil
		return nil, nil
	}
	path := f.baseline
	if path == "" && suite.Gates.Regression != nil {
		path = suite.Gates.Regression.Baseline
	}
	if path == "" {
		return nil, nil
	}
	b, err := eval.LoadBaseline(path)
	if err != nil {
		hint := ""
		if errors.Is(err, os.ErrNotExist) {
			hint = fmt.Sprintf("make it from a run of the version to compare with: summarize eval %s --no-baseline --json %s", suitePath, path)
		}
		return nil, &cliError{err: err, code: exitUsage, hint: hint}
	}
	if suite.Gates.Regression == nil {
		suite.Gates.Regression = &eval.RegressionGate{Baseline: path, Alpha: 0.05, MinCoverage: -1}
	}
	return b, nil
}

func checkEvalFlags(f evalFlags) error {
	switch {
	case f.concurrency < 0 || f.concurrency > eval.MaxConcurrency:
		return usageErr("--concurrency %d: want 1 to %d", f.concurrency, eval.MaxConcurrency)
	case f.limit < 0 || f.sample < 0:
		return usageErr("--limit and --sample must not be negative")
	case f.maxCost < 0:
		return usageErr("--max-cost %g: must not be negative", f.maxCost)
	case f.htmlSort != "" && !slices.Contains(evalreport.HTMLSorts, f.htmlSort):
		return usageErr("--html-sort %q: want one of %s", f.htmlSort, strings.Join(evalreport.HTMLSorts, ", "))
	}
	return nil
}

func finishedRuns(r *eval.Result) int {
	n := 0
	for _, v := range r.Variants {
		n += v.Runs
	}
	return n
}

// errorHint suggests what to do about failed runs.
func errorHint(r *eval.Result, mode llm.CacheMode) string {
	for _, v := range r.Variants {
		for _, e := range v.FirstErrors {
			if strings.Contains(e, llm.ErrCacheMiss.Error()) && mode == llm.CacheReplay {
				return "replay mode answers only from the cache: run once with --cache-mode rw and a key to fill it"
			}
		}
	}
	return "the reports list each failed case with its error; raise gates.errors.max in the suite to tolerate some"
}

// evalCache resolves the cache directory and mode: flag, then suite, then
// default.
func (a *app) evalCache(s *eval.Suite, f evalFlags) (string, llm.CacheMode, error) {
	modeName := f.cacheMode
	if modeName == "" {
		modeName = s.CacheMode
	}
	mode, err := llm.ParseCacheMode(modeName)
	if err != nil {
		return "", "", usageErr("--cache-mode: %v", err)
	}
	dir := f.cacheDir
	if dir == "" {
		dir = s.Cache
	}
	if dir == "" {
		ucd, err := os.UserCacheDir()
		if err != nil {
			return "", "", withHint(fmt.Errorf("response cache: %w", err), exitUsage, "set --cache DIR")
		}
		dir = filepath.Join(ucd, "summarize", "responses")
	}
	return dir, mode, nil
}

// evalGenerators builds one Generator per variant from its resolved
// configuration, through the same wiring as the summarize command, with
// the response cache around the LLM backend. Each variant's warnings are
// said once, named after it; its retries are counted in retried (and said
// with --verbose).
//
// collect, when set, gives the backend of a variant it batches in place of
// the cache and the live calls (the batch collection pass); nil for the
// rest.
func (a *app) evalGenerators(s *eval.Suite, cache *llm.Cache, mode llm.CacheMode, f evalFlags, retried map[string]*retryCount,
	collect func(v eval.Variant, b llm.Backend) llm.Backend) (map[string]eval.Generator, error) {
	gens := map[string]eval.Generator{}
	// One bound for every variant: the runner's workers and the map
	// requests of long articles together stay within the concurrency.
	inFlight := llm.NewInFlight(cmp.Or(f.concurrency, s.Concurrency))
	memo := newCleanMemo(cmp.Or(f.concurrency, s.Concurrency))
	for _, v := range s.Variants {
		if v.Backend == config.BackendDataset {
			gens[v.Name] = eval.GivenBullets
			continue
		}
		cfg := v.Config.(config.Config)
		keyURL := cfg.LLM.BaseURL
		if len(cfg.LLM.Endpoints) > 0 {
			keyURL = cfg.LLM.Endpoints[0].BaseURL // the pool's cache key
		}
		if f.dial != nil && keyURL != "" {
			if cfg.LLM.BaseURL != "" {
				cfg.LLM.BaseURL = f.dial(cfg.LLM.BaseURL)
			}
			eps := slices.Clone(cfg.LLM.Endpoints)
			for i := range eps {
				eps[i].BaseURL = f.dial(eps[i].BaseURL)
			}
			cfg.LLM.Endpoints = eps
		}
		getenv := a.getenv
		if mode == llm.CacheReplay {
			// Replay never sends a request, so it needs no key: CI runs
			// suites of hosted models from a committed cache.
			keyEnv := cfg.LLM.APIKeyEnv
			getenv = func(k string) string {
				if v := a.getenv(k); v != "" || k != keyEnv {
					return v
				}
				return "replay-needs-no-key"
			}
		}
		count := &retryCount{}
		retried[v.Name] = count
		warn := onceWarner(v.Name, a.warnf)
		if collect != nil {
			warn = func(string) {} // the collection pass: the run says them
		}
		sum, err := newPipeline(cfg, pipelineInputs{
			getenv: getenv, warn: warn, keepRaw: true, inFlight: inFlight, retryWaitCap: a.io.retryWaitCap,
			onPool:      func(p *llm.Pool) { count.pool = p },
			maxWordsSet: setsKey(v.Overlay, "prompt.max_words") || setsKey(s.Overrides(), "prompt.max_words"),
			onRetry: func(src string, attempt int, err error, wait time.Duration) {
				count.add(err)
				if f.verbose {
					a.warnf(v.Name + ": " + retryLine(cfg.LLM.MaxRetries, src, attempt, err, wait))
				}
			},
			wrap: func(b llm.Backend) llm.Backend {
				if f.dial != nil && keyURL != "" {
					b = endpointAs{Backend: b, endpoint: strings.TrimRight(keyURL, "/")}
				}
				if collect != nil {
					if c := collect(v, b); c != nil {
						return c
					}
				}
				return llm.WithCache(b, cache, mode)
			},
		})
		if err != nil {
			var ce *cliError
			if errors.As(err, &ce) {
				return nil, &cliError{err: fmt.Errorf("variant %q: %w", v.Name, ce.err), code: ce.code, hint: ce.hint}
			}
			return nil, fmt.Errorf("variant %q: %w", v.Name, err)
		}
		var cleanOpts *clean.Options
		if s.Clean {
			o := cleanOptions(cfg)
			cleanOpts = &o
		}
		gens[v.Name] = generator(sum, cleanOpts, memo)
	}
	return gens, nil
}

// setsKey reports whether settings set key.
func setsKey(settings []eval.Setting, key string) bool {
	return slices.ContainsFunc(settings, func(s eval.Setting) bool { return s.Key == key })
}

// generator adapts a Summarizer to the eval runner. With cleanOpts, a
// case's article goes through the cleaner as a file given to summarize
// would (reference bullets split off, page noise removed), once for the
// variants and repeats that share memo and the options; the case's title
// fills in where the cleaner found none.
func generator(s summarize.Summarizer, cleanOpts *clean.Options, memo *cleanMemo) eval.Generator {
	var opts string
	if cleanOpts != nil {
		opts = optsKey(*cleanOpts)
	}
	return func(ctx context.Context, c dataset.Case, repeat int) (summarize.Summary, error) {
		art := clean.Article{Source: c.ID, Title: c.Title, Body: c.Article}
		if cleanOpts != nil {
			cleaned, err := memo.clean(c, *cleanOpts, opts)
			if err != nil {
				return summarize.Summary{}, fmt.Errorf("clean: %w", err)
			}
			if cleaned.Title == "" {
				cleaned.Title = c.Title
			}
			art = cleaned
		}
		sum, err := s.Summarize(llm.WithRepeat(ctx, repeat), art)
		var re *summarize.ReplyError
		if err != nil && errors.As(err, &re) {
			sum = re.Sum // what the failed reply held: its raw text and usage
		}
		return sum, err
	}
}

// endpointAs makes the cache key a backend by another endpoint (tests
// answer a configured URL from a local fake server).
type endpointAs struct {
	llm.Backend
	endpoint string
}

func (e endpointAs) Endpoint() string { return e.endpoint }

// reportPaths says where each report goes; "-" is standard output, which
// one report at most may take (the table then goes to stderr).
type reportPaths struct {
	json, jsonl, junit, md, html string
	stdout                       bool // a report takes standard output
	// articles gives the HTML report the articles of its cases; nil: none.
	articles func(ids []string) (map[string]string, error)
}

// checkReportPaths finds a report that cannot be written before the run
// starts, not after it has spent money.
func checkReportPaths(f evalFlags) (reportPaths, error) {
	p := reportPaths{json: f.json, jsonl: f.jsonl, junit: f.junit, md: f.md, html: f.html}
	flags := []struct{ name, path string }{{"--json", p.json}, {"--jsonl", p.jsonl}, {"--junit", p.junit}, {"--markdown", p.md}, {"--html", p.html}}
	seen := map[string]string{}
	for _, fl := range flags {
		if fl.path == "" {
			continue
		}
		if prev, dup := seen[fl.path]; dup {
			return p, usageErr("%s and %s both write %s", prev, fl.name, displayPath(fl.path))
		}
		seen[fl.path] = fl.name
		if fl.path == "-" {
			p.stdout = true
			continue
		}
		if err := checkWritable(fl.path); err != nil {
			return p, withHint(fmt.Errorf("%s %s: %w", fl.name, fl.path, err), exitUsage, "give a path in a folder you can write, or - for standard output")
		}
	}
	return p, nil
}

func displayPath(p string) string {
	if p == "-" {
		return "standard output"
	}
	return p
}

// checkWritable reports whether path can be written: an existing regular
// file or device we may open for writing, or a new file in a folder that
// exists (or can be made) and takes files.
func checkWritable(path string) error {
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return errors.New("is a directory")
		}
		fh, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return unwrapPath(err)
		}
		return fh.Close()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return unwrapPath(err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".check*")
	if err != nil {
		return unwrapPath(err)
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// writeEvalReports writes the table (to stdout, or to stderr when a report
// takes stdout) and every report asked for.
func (a *app) writeEvalReports(r *eval.Result, f evalFlags, p reportPaths) error {
	var errs []error
	table := a.io.out
	if p.stdout {
		table = a.io.err
	}
	opt := evalreport.TableOptions{Wide: f.wide}
	if fh, ok := table.(*os.File); ok && term.IsTerminal(int(fh.Fd())) {
		if width, _, err := term.GetSize(int(fh.Fd())); err == nil {
			opt.Width = width
		}
		opt.Color = a.getenv("NO_COLOR") == ""
	}
	if err := evalreport.WriteTableOptions(table, r, opt); err != nil {
		errs = append(errs, fmt.Errorf("write table: %w", err))
	}
	write := func(path string, fn func(io.Writer) error) {
		switch path {
		case "":
			return
		case "-":
			if err := fn(a.io.out); err != nil {
				errs = append(errs, fmt.Errorf("write standard output: %w", err))
			}
			return
		}
		if err := writeFileAtomic(path, fn); err != nil {
			errs = append(errs, err)
		}
	}
	write(p.json, func(w io.Writer) error { return evalreport.WriteJSON(w, r) })
	if p.jsonl == "-" {
		write(p.jsonl, func(w io.Writer) error { return evalreport.WriteJSONL(w, r) })
	}
	write(p.junit, func(w io.Writer) error { return evalreport.WriteJUnit(w, r) })
	write(p.md, func(w io.Writer) error { return evalreport.WriteMarkdown(w, r) })
	write(p.html, func(w io.Writer) error {
		return evalreport.WriteHTML(w, r, evalreport.HTMLOptions{MaxCases: f.htmlCases, Sort: f.htmlSort, Articles: p.articles})
	})
	if summary := a.getenv("GITHUB_STEP_SUMMARY"); summary != "" {
		if err := appendFile(summary, func(w io.Writer) error { return evalreport.WriteMarkdown(w, r) }); err != nil {
			errs = append(errs, fmt.Errorf("GITHUB_STEP_SUMMARY: %w", err))
		}
	}
	return errors.Join(errs...)
}

// writeFileAtomic writes path through a temporary file in its directory,
// so a reader never sees half a report; a symbolic link is followed and
// left in place. A path that is not a regular file
// (a terminal, a pipe, /dev/stdout) is written in place: renaming over it
// would replace the device with a file.
func writeFileAtomic(path string, fn func(io.Writer) error) error {
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		if target, err := filepath.EvalSymlinks(path); err == nil {
			// A link stays a link: the file it points at is written.
			path = target
		}
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		fh, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := errors.Join(fn(fh), fh.Close()); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	werr := fn(tmp)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	os.Chmod(tmp.Name(), 0o644)
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func appendFile(path string, fn func(io.Writer) error) error {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	werr := fn(fh)
	return errors.Join(werr, fh.Close())
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// warnf says msg on stderr, above the progress bar while one is drawn.
func (a *app) warnf(msg string) {
	w := a.io.err
	if a.warnOut != nil {
		w = a.warnOut
	}
	fmt.Fprintln(w, "summarize: "+msg)
}

// evalImportCmd converts other dataset formats to the eval JSONL.
func (a *app) evalImportCmd() *cobra.Command {
	var format, out, pairs, systems string
	c := &cobra.Command{
		Use:   "import [--format story|jsonl|csv|page|judged] PATH... [-o FILE]",
		Short: "Convert CNN/DailyMail stories, Hugging Face JSONL/CSV or page dumps to an eval dataset",
		Long: `import reads datasets in other formats and writes eval JSONL, one case per
line: {"id","title"?,"article","reference":[..]}.

Formats (guessed from the name when --format is not given):
  story  CNN/DailyMail .story files (a file or a directory): the article, then
         "@highlight" lines, each followed by one reference bullet
  jsonl  Hugging Face style JSONL: "article" and "highlights" (a
         newline-joined string or a list), optional "id" and "title"
  csv    the same as CSV with a header row
  page   page dumps (text or HTML, a file or a directory) whose leading
         "- " bullets are the reference; the cleaner splits them off
  judged human judgments {"id","system","human":{name: number}} of system
         outputs (--systems FILE: {"id","system","bullets"}) of the
         articles in --pairs FILE: one case per judged output, with
         "candidate", "group", "system" and "human", for a suite with
         backend: dataset and a meta section`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runImport(cmd.Context(), format, out, args, dataset.ImportOptions{Pairs: pairs, Systems: systems})
		},
	}
	c.Flags().StringVar(&format, "format", "", "story|jsonl|csv|page (default: from the file name)")
	c.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	c.Flags().StringVar(&pairs, "pairs", "", "judged: the dataset of the judged articles")
	c.Flags().StringVar(&systems, "systems", "", "judged: JSONL of the judged outputs {\"id\",\"system\",\"bullets\"}")
	return c
}

func (a *app) runImport(ctx context.Context, format, out string, paths []string, opt dataset.ImportOptions) error {
	if format != "" && !slices.Contains(dataset.Formats(), format) {
		return usageErr("--format %q: want one of %s", format, strings.Join(dataset.Formats(), ", "))
	}
	r, err := a.config()
	if err != nil {
		return err
	}
	page := func(ctx context.Context, path string) (dataset.Case, error) {
		art, err := a.load(ctx, r.cfg, path)
		if err != nil {
			return dataset.Case{}, err
		}
		return dataset.Case{Title: art.Title, Article: art.Body, Reference: art.Refs}, nil
	}
	do := func(dst io.Writer) error {
		cw := dataset.NewWriter(dst)
		for _, p := range paths {
			err := dataset.Import(ctx, format, p, dataset.ImportOptions{Page: page, Pairs: opt.Pairs, Systems: opt.Systems}, cw.Write)
			if err != nil {
				return err
			}
		}
		if err := cw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(a.io.err, "summarize: imported %d cases\n", cw.N)
		return nil
	}
	if out == "" {
		return do(a.io.out)
	}
	return writeFileAtomic(out, do)
}
