package eval

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/summary"
)

// Stop reasons of a run that did not finish every case.
const (
	StopInterrupted = "interrupted" // the context was cancelled (Ctrl-C)
	StopMaxCost     = "max-cost"    // the spend reached RunOptions.MaxCost
)

// RunOptions say which part of a suite to run and how.
type RunOptions struct {
	// Generators holds one Generator per variant name; every selected
	// variant needs one.
	Generators map[string]Generator
	Variants   []string // variant names to run; nil = all
	Limit      int      // run the first Limit cases; 0 = all
	Sample     int      // run Sample cases drawn with Seed; 0 = all
	Seed       uint64
	// Shard, when N > 0, runs only the cases of that share of the
	// selection (see Shard); the manifest records what a merge needs.
	Shard Shard
	// SuiteSHA256 identifies the suite file (the SHA-256 of its bytes) in
	// the manifest, so that a merge can tell shards of another suite.
	SuiteSHA256 string
	// Concurrency overrides the suite's worker count when > 0.
	Concurrency int
	// MaxCost stops dispatching once the money spent (USD, cache hits are
	// free), PrePaid included, reaches it; 0 = no limit.
	MaxCost float64
	// PrePaid is what the run spent before its first job (its batches,
	// whose answers the jobs then read from the cache for free).
	PrePaid float64
	// Grace is how long in-flight work may finish after ctx is cancelled
	// before it is cancelled too; default 10s.
	Grace time.Duration
	// OnInterrupt, when set, is called once as soon as ctx is cancelled,
	// with the number of jobs in flight and the grace they get (to say so
	// at once: an interrupted run must not look hung).
	OnInterrupt func(inFlight int, grace time.Duration)
	// StopNow, when closed after ctx is cancelled, ends the grace period at
	// once (a second Ctrl-C): the work in flight is cancelled.
	StopNow <-chan struct{}
	// ResultsPath receives the JSONL stream, one Record per line as cases
	// finish. "" writes to a temporary file that Result.Close removes. A
	// path that is not a regular file (a pipe, /dev/stdout) gets a copy of
	// the stream written through, and Result reads a temporary file.
	ResultsPath string
	// Baseline is a JSON report of an earlier run to compare against; it
	// overrides the suite's regression baseline.
	Baseline *Baseline
	// Progress hears about every finished record; nil = silent.
	Progress Progress
	// Now is the clock; nil = time.Now.
	Now func() time.Time
	// Manifest fields the caller knows better.
	ToolVersion string
	ToolCommit  string
	CacheDir    string
	CacheMode   string
	// BootstrapSamples for the confidence intervals and tests; 0 = 2000.
	BootstrapSamples int
	// Judge scores the metric "judge" (an LLM judge built by the caller);
	// a suite with that metric needs it.
	Judge JudgeFunc
	// Redact is applied to every string a generator or the judge hands
	// back (bullets, leftovers, violations, the raw reply, the model name,
	// error text) before it is scored or written: a server that echoes the
	// API key must not put it in the results or reports. Use
	// (*redact.Secrets).Redact; nil = none.
	Redact func(string) string
}

// MaxConcurrency is the most workers a run starts.
const MaxConcurrency = 256

// --- LLM judge hook (metric "judge") ---

// MetricJudge is the metric the RunOptions.Judge hook scores.
const MetricJudge = "judge"

// JudgeFunc scores the bullets generated for case c (repeat rep) after a
// successful generation. Its error is the case's error.
type JudgeFunc func(ctx context.Context, c dataset.Case, rep int, bullets []string) (JudgeOutput, error)

// JudgeOutput is a judgment: the record's Scores["judge"], its
// Parts["judge"] (per dimension, and "spread"), and the judge's cost,
// added to the record's.
type JudgeOutput struct {
	Score float64
	Parts map[string]float64
	Cost  float64
}

// runJudge adds the hook's judgment to rec.
func (r *runner) runJudge(work context.Context, rec *Record, j job, bullets []string) {
	ctx, cancel := context.WithTimeout(work, r.suite.Timeout)
	defer cancel()
	jo, err := r.opt.Judge(ctx, j.c, j.repeat, bullets)
	if err != nil {
		rec.Error = "judge: " + err.Error()
		return
	}
	rec.Cost += jo.Cost
	if rec.Scores == nil {
		rec.Scores = map[string]float64{}
	}
	rec.Scores[MetricJudge] = finite(jo.Score)
	if len(jo.Parts) > 0 {
		if rec.Parts == nil {
			rec.Parts = map[string]map[string]float64{}
		}
		parts := make(map[string]float64, len(jo.Parts))
		for k, x := range jo.Parts {
			parts[k] = finite(x)
		}
		rec.Parts[MetricJudge] = parts
	}
}

// --- end of the judge hook ---

// Run runs the selected variants of s over the cases of d. A failing case
// is recorded with its error and the run goes on. When ctx is cancelled, Run
// stops dispatching, lets the work in flight finish for opt.Grace, cancels
// what is left, and returns the result of what finished with Interrupted
// set. The error is for infrastructure failures only (the results file
// cannot be written, the dataset cannot be read).
func Run(ctx context.Context, s *Suite, d *dataset.Set, opt RunOptions) (*Result, error) {
	variants, err := s.Select(opt.Variants)
	if err != nil {
		return nil, err
	}
	if err := s.CheckDataset(d); err != nil {
		return nil, err
	}
	if slices.Contains(s.Metrics, MetricJudge) && opt.Judge == nil {
		return nil, errors.New("run suite: metric judge: no judge given")
	}
	for _, v := range variants {
		if opt.Generators[v.Name] == nil {
			return nil, fmt.Errorf("run suite: no generator for variant %q", v.Name)
		}
	}
	if _, err := workerCount(s.Concurrency, opt.Concurrency); err != nil {
		return nil, err
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	indices, err := selectCases(d.Len(), opt.Limit, opt.Sample, opt.Seed)
	if err != nil {
		return nil, err
	}
	var shard *ShardManifest
	if opt.Shard != (Shard{}) {
		if _, err := ParseShard(opt.Shard.String()); err != nil {
			return nil, fmt.Errorf("run suite: %w", err)
		}
		indices, shard = shardCases(opt.Shard, d.IDs, indices)
	}
	scorers, err := newScorers(s.Metrics, s.Contract)
	if err != nil {
		return nil, err
	}
	res := newResult(s, d, variants, indices, opt)
	res.Manifest.Shard = shard
	res.Manifest.Started = now().UTC()

	out, err := createResults(opt.ResultsPath)
	if err != nil {
		return nil, err
	}
	res.ResultsPath, res.tempResults = out.stream.Name(), out.temp

	r := &runner{
		suite: s, variants: variants, gens: opt.Generators, opt: opt,
		res: res, w: bufio.NewWriterSize(out.writer(), 64<<10), scorers: scorers,
		leaks: leaksByIndex(d.Leaks), pos: positions(indices),
	}
	runErr := r.run(ctx, d, indices)
	if err := errors.Join(r.w.Flush(), out.close()); err != nil && runErr == nil {
		runErr = fmt.Errorf("write results %s: %w", res.ResultsPath, err)
	}
	res.Manifest.Ended = now().UTC()
	if runErr != nil {
		res.Close()
		return nil, runErr
	}
	res.finish(opt.Baseline, opt.BootstrapSamples)
	res.checkGates()
	if err := res.measureMeta(opt.BootstrapSamples); err != nil {
		res.Close()
		return nil, err
	}
	return res, nil
}

// Each calls fn for every job Run would run with opt (the selected cases,
// after Limit, Sample and Shard, × the selected variants × the repeats),
// in Run's order, one at a time, without scoring or writing anything: a
// batch run's collection pass finds the requests of a run this way. It
// stops at fn's first error.
func Each(ctx context.Context, s *Suite, d *dataset.Set, opt RunOptions, fn func(ctx context.Context, c dataset.Case, v Variant, repeat int) error) error {
	variants, err := s.Select(opt.Variants)
	if err != nil {
		return err
	}
	indices, err := selectCases(d.Len(), opt.Limit, opt.Sample, opt.Seed)
	if err != nil {
		return err
	}
	if opt.Shard != (Shard{}) {
		indices, _ = shardCases(opt.Shard, d.IDs, indices)
	}
	return d.Each(ctx, indices, func(_ int, c dataset.Case) error {
		for _, v := range variants {
			for rep := range s.Repeat {
				if err := fn(ctx, c, v, rep); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Select returns the variants named, in suite order; nil names select all.
func (s *Suite) Select(names []string) ([]Variant, error) {
	if len(names) == 0 {
		return slices.Clone(s.Variants), nil
	}
	var out []Variant
	for _, n := range names {
		i := slices.IndexFunc(s.Variants, func(v Variant) bool { return v.Name == n })
		if i < 0 {
			all := make([]string, len(s.Variants))
			for j, v := range s.Variants {
				all[j] = v.Name
			}
			return nil, fmt.Errorf("variant %q: not in suite %s (variants: %v)", n, s.Name, all)
		}
	}
	for _, v := range s.Variants {
		if slices.Contains(names, v.Name) || v.Baseline {
			out = append(out, v)
		}
	}
	return out, nil
}

// selectCases returns the sorted indices of the cases to run.
func selectCases(n, limit, sample int, seed uint64) ([]int, error) {
	if limit < 0 || sample < 0 {
		return nil, errors.New("select cases: limit and sample must not be negative")
	}
	var idx []int
	if sample > 0 && sample < n {
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		idx = rng.Perm(n)[:sample]
		slices.Sort(idx)
	} else {
		idx = make([]int, n)
		for i := range idx {
			idx[i] = i
		}
	}
	if limit > 0 && limit < len(idx) {
		idx = idx[:limit]
	}
	return idx, nil
}

func positions(indices []int) map[int]int {
	m := make(map[int]int, len(indices))
	for p, i := range indices {
		m[i] = p
	}
	return m
}

func leaksByIndex(leaks []dataset.Leak) map[int][]int {
	m := map[int][]int{}
	for _, l := range leaks {
		m[l.Index] = append(m[l.Index], l.Bullet)
	}
	return m
}

// resultsFiles are where a run writes its JSONL stream: stream is read
// back for the reports; tee, when not nil, is a non-regular ResultsPath (a
// pipe, /dev/stdout) that gets a copy, written through, never replaced or
// read back.
type resultsFiles struct {
	stream *os.File
	tee    *os.File
	temp   bool // stream is a temporary file Result.Close removes
}

func (f resultsFiles) writer() io.Writer {
	if f.tee == nil {
		return f.stream
	}
	return io.MultiWriter(f.stream, f.tee)
}

func (f resultsFiles) close() error {
	err := f.stream.Close()
	if f.tee != nil {
		err = errors.Join(err, f.tee.Close())
	}
	return err
}

func createResults(path string) (resultsFiles, error) {
	temp := func() (*os.File, error) {
		f, err := os.CreateTemp("", "summarize-eval-*.jsonl")
		if err != nil {
			return nil, fmt.Errorf("create results file: %w", err)
		}
		return f, nil
	}
	if path == "" {
		f, err := temp()
		return resultsFiles{stream: f, temp: true}, err
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return resultsFiles{}, fmt.Errorf("create results file %s: is a directory", path)
		}
		tee, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return resultsFiles{}, fmt.Errorf("create results file: %w", err)
		}
		f, err := temp()
		if err != nil {
			tee.Close()
			return resultsFiles{}, err
		}
		return resultsFiles{stream: f, tee: tee, temp: true}, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return resultsFiles{}, fmt.Errorf("create results file: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return resultsFiles{}, fmt.Errorf("create results file: %w", err)
	}
	return resultsFiles{stream: f}, nil
}

type job struct {
	pos     int
	c       dataset.Case
	variant *Variant
	repeat  int
}

type done struct {
	rec       *Record
	line      []byte
	cancelled bool // stopped by our own cancellation: not a result
}

type runner struct {
	suite    *Suite
	variants []Variant
	gens     map[string]Generator
	opt      RunOptions
	res      *Result
	w        *bufio.Writer
	scorers  scorers
	leaks    map[int][]int
	pos      map[int]int
}

// workerCount is the number of workers of a run: the option when > 0,
// else the suite's, and between 1 and MaxConcurrency.
func workerCount(suite, option int) (int, error) {
	n := suite
	if option > 0 {
		n = option
	}
	if n > MaxConcurrency {
		return 0, fmt.Errorf("run suite: concurrency %d: at most %d", n, MaxConcurrency)
	}
	return max(n, 1), nil
}

func (r *runner) run(ctx context.Context, d *dataset.Set, indices []int) error {
	workers, err := workerCount(r.suite.Concurrency, r.opt.Concurrency)
	if err != nil {
		return err
	}
	r.res.Manifest.Settings.Concurrency = workers
	grace := r.opt.Grace
	if grace <= 0 {
		grace = 10 * time.Second
	}
	total := len(indices) * len(r.variants) * r.suite.Repeat
	if r.opt.Progress != nil {
		if cp, ok := r.opt.Progress.(CaseProgress); ok {
			cp.Cases(len(indices))
		}
		r.opt.Progress.Start(total)
		defer r.opt.Progress.Finish()
	}

	// dispatch stops on Ctrl-C or max cost; work is cancelled only after
	// the grace period, so finished calls are not thrown away.
	dispatch, stopDispatch := context.WithCancel(ctx)
	defer stopDispatch()
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	var inFlight atomic.Int64
	graceDone := make(chan struct{})
	defer func() { cancelWork(); <-graceDone }() // OnInterrupt never speaks after Run returns
	go func() {
		defer close(graceDone)
		select {
		case <-ctx.Done():
		case <-work.Done():
			if ctx.Err() == nil {
				return
			}
		}
		if r.opt.OnInterrupt != nil {
			r.opt.OnInterrupt(int(inFlight.Load()), grace)
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			cancelWork()
		case <-r.opt.StopNow: // nil: never
			cancelWork()
		case <-work.Done():
		}
	}()

	jobs := make(chan job, workers)
	results := make(chan done, workers)
	var readErr error
	go func() {
		defer close(jobs)
		readErr = d.Each(dispatch, indices, func(i int, c dataset.Case) error {
			p := r.pos[i]
			for vi := range r.variants {
				for rep := range r.suite.Repeat {
					select {
					case jobs <- job{pos: p, c: c, variant: &r.variants[vi], repeat: rep}:
					case <-dispatch.Done():
						return dispatch.Err()
					}
				}
			}
			return nil
		})
		if errors.Is(readErr, context.Canceled) && dispatch.Err() != nil {
			readErr = nil
		}
	}()
	// The spend is added up as each run ends, before its worker takes the
	// next job, so that --max-cost stops at the same run whatever the
	// timing. Only a paid run stops it: with PrePaid past the limit, the
	// runs the cache answers all go on, and nothing is said to be stopped.
	var spentMu sync.Mutex
	spent := r.opt.PrePaid
	budgetHit := false
	overBudget := func(dn done) {
		if r.opt.MaxCost <= 0 || dn.cancelled || dn.rec == nil || dn.rec.Source == SourceCached || dn.rec.Source == SourceReplayed {
			return // cache hits are free, as in Result.Spent
		}
		spentMu.Lock()
		defer spentMu.Unlock()
		if spent += dn.rec.Cost; spent >= r.opt.MaxCost {
			budgetHit = true
			stopDispatch()
		}
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if dispatch.Err() != nil {
					continue // drain: dispatching stopped before this job began
				}
				inFlight.Add(1)
				dn := r.do(work, j)
				inFlight.Add(-1)
				overBudget(dn)
				results <- dn
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	var writeErr error
	for dn := range results {
		if dn.cancelled {
			r.res.Cancelled++
			continue
		}
		if writeErr == nil {
			r.w.Write(dn.line)
			if len(results) == 0 {
				writeErr = r.w.Flush()
			}
			if writeErr != nil {
				stopDispatch()
				cancelWork()
			}
		}
		r.res.add(dn.rec)
		if r.opt.Progress != nil {
			r.opt.Progress.Add(dn.rec)
		}
	}
	spentMu.Lock()
	if budgetHit && r.res.StopReason == "" {
		r.res.StopReason = StopMaxCost
	}
	spentMu.Unlock()
	if ctx.Err() != nil && r.res.StopReason == "" {
		r.res.StopReason = StopInterrupted
	}
	r.res.Interrupted = r.res.StopReason == StopInterrupted
	r.res.Manifest.Interrupted = r.res.Interrupted
	r.res.Manifest.StopReason = r.res.StopReason
	if writeErr != nil {
		return fmt.Errorf("write results %s: %w", r.res.ResultsPath, writeErr)
	}
	if readErr != nil {
		return readErr
	}
	return nil
}

// do runs one job: generate, score, encode.
func (r *runner) do(work context.Context, j job) done {
	v := j.variant
	ctx, cancel := context.WithTimeout(work, r.suite.Timeout)
	start := time.Now()
	out, err := safeGenerate(ctx, r.gens[v.Name], j.c, j.repeat)
	elapsed := time.Since(start)
	out = r.redactOutput(out)
	timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
	cancel()
	if err != nil && work.Err() != nil {
		return done{cancelled: true}
	}
	rec := &Record{
		Case: j.c.ID, Index: j.pos, Title: j.c.Title, Variant: v.Name, Repeat: j.repeat,
		Bullets: nonNil(out.Bullets), Reference: j.c.Reference, Leftovers: out.Leftovers,
		Violations: out.Violations, Model: out.Model, Prompt: out.Prompt,
		PromptTokens: out.Usage.PromptTokens, CompletionTokens: out.Usage.CompletionTokens,
		Cached: out.Cached, Attempts: out.Calls, Source: SourceLive,
	}
	if out.Cached {
		rec.Source = SourceCached
		if r.opt.CacheMode == "replay" {
			rec.Source = SourceReplayed
		}
	}
	latency := time.Duration(out.Duration)
	if latency == 0 {
		latency = elapsed
	}
	rec.LatencyMS = float64(latency.Microseconds()) / 1000
	rec.Cost = out.Cost
	if rec.Cost == 0 {
		model := out.Model
		if model == "" {
			model = v.Model
		}
		if p, ok := r.suite.Prices[model]; ok {
			rec.Cost = p.Cost(rec.PromptTokens, rec.CompletionTokens)
		} else if p, ok := r.suite.Prices[v.Model]; ok {
			rec.Cost = p.Cost(rec.PromptTokens, rec.CompletionTokens)
		}
	}
	rec.Leaks = r.leaks[r.res.indices[j.pos]]
	if len(r.suite.Meta) > 0 && v.Backend == config.BackendDataset {
		// The judgments are of the case's candidate: only a variant that
		// scores it carries them.
		rec.Group, rec.System, rec.Human = j.c.Group, j.c.System, j.c.Human
	}
	switch {
	case err != nil && timedOut:
		rec.Error = fmt.Sprintf("timed out after %v: %v", r.suite.Timeout, err)
	case err != nil:
		rec.Error = err.Error()
	default:
		score(rec, j.c, out, r.scorers)
		if r.opt.Judge != nil && slices.Contains(r.suite.Metrics, MetricJudge) {
			r.runJudge(work, rec, j, out.Bullets)
			if rec.Error != "" && work.Err() != nil {
				return done{cancelled: true}
			}
		}
	}
	rec.Error = r.redact(rec.Error)
	rec.Status, rec.Reasons = r.judge(rec)
	if rec.Status != StatusPass {
		rec.Raw = out.Raw
	}
	line, merr := appendRecord(make([]byte, 0, 1024), rec)
	if merr != nil { // scores are sanitized; this is a detail that does not encode
		rec.Details = nil
		if line, merr = appendRecord(line[:0], rec); merr != nil {
			line = nil
		}
	}
	return done{rec: rec, line: append(line, '\n')}
}

// redact applies RunOptions.Redact to s.
func (r *runner) redact(s string) string {
	if r.opt.Redact == nil || s == "" {
		return s
	}
	return r.opt.Redact(s)
}

// redactOutput applies RunOptions.Redact to the text of out.
func (r *runner) redactOutput(out summary.Summary) summary.Summary {
	if r.opt.Redact == nil {
		return out
	}
	each := func(in []string) []string {
		if in == nil {
			return nil
		}
		o := make([]string, len(in))
		for i, s := range in {
			o[i] = r.redact(s)
		}
		return o
	}
	out.Bullets, out.Leftovers, out.Violations = each(out.Bullets), each(out.Leftovers), each(out.Violations)
	out.Raw, out.Model, out.Prompt = r.redact(out.Raw), r.redact(out.Model), r.redact(out.Prompt)
	return out
}

// safeGenerate calls gen, turning a panic into the case's error: one bad
// case must not take the suite down.
func safeGenerate(ctx context.Context, gen Generator, c dataset.Case, repeat int) (out summary.Summary, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = summary.Summary{}, fmt.Errorf("generator panicked: %v", p)
		}
	}()
	return gen(ctx, c, repeat)
}

// judge decides the status of a record and why.
func (r *runner) judge(rec *Record) (string, []string) {
	if rec.Error != "" {
		return StatusError, []string{rec.Error}
	}
	var reasons []string
	if !rec.ContractOK {
		if len(rec.Violations) == 0 && len(rec.Leftovers) > 0 {
			reasons = append(reasons, fmt.Sprintf("contract: text outside the bullets: %q", truncate(rec.Leftovers[0], 80)))
		}
		for _, v := range rec.Violations {
			reasons = append(reasons, "contract: "+v)
		}
		if len(reasons) == 0 {
			reasons = append(reasons, "contract: broken")
		}
	}
	if r.suite.Leakage == LeakageFail {
		for _, b := range rec.Leaks {
			reasons = append(reasons, fmt.Sprintf("leakage: reference bullet %d appears verbatim in the article", b))
		}
	}
	if len(reasons) > 0 {
		return StatusFail, reasons
	}
	return StatusPass, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// finite maps NaN and infinities to a JSON-encodable value.
func finite(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0
	case math.IsInf(x, 1):
		return math.MaxFloat64
	case math.IsInf(x, -1):
		return -math.MaxFloat64
	}
	return x
}
