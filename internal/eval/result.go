package eval

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/jsonl"
	"github.com/summarize-dev/summarize/internal/redact"
)

// Result is a finished (or interrupted) run: the manifest, the aggregates
// per variant, and the path of the JSONL stream that holds every record.
type Result struct {
	Manifest    Manifest
	CaseIDs     []string // the run's cases, in dataset order; Record.Index points here
	Variants    []*VariantResult
	Comparisons []Comparison   // between variants, and against the baseline
	Gates       []GateResult   // filled by Run
	Leaks       []dataset.Leak // leaking cases among the run's cases
	// Meta is the agreement of every metric with every human judgment the
	// suite's meta section names.
	Meta        []MetaRow
	Interrupted bool
	StopReason  string
	Cancelled   int // calls cut off by the grace period: no result
	Spent       float64
	ResultsPath string

	suite       *Suite
	indices     []int // dataset index of each case
	tempResults bool
	baseline    *Baseline
}

// Manifest records what ran, so a report can be reproduced and compared.
type Manifest struct {
	Tool          string            `json:"tool"`
	Version       string            `json:"version"`
	Commit        string            `json:"commit,omitempty"` // the tool's VCS revision, when the build recorded it
	Suite         string            `json:"suite"`
	SuitePath     string            `json:"suite_path"`
	SuiteSHA256   string            `json:"suite_sha256,omitempty"` // the suite file's bytes
	Dataset       string            `json:"dataset"`
	DatasetSHA256 string            `json:"dataset_sha256"`
	Cases         int               `json:"cases"`
	DatasetCases  int               `json:"dataset_cases"`
	Variants      []VariantManifest `json:"variants"`
	Metrics       []string          `json:"metrics"`
	Settings      Settings          `json:"settings"`
	Started       time.Time         `json:"started"`
	Ended         time.Time         `json:"ended"`
	Interrupted   bool              `json:"interrupted"`
	StopReason    string            `json:"stop_reason,omitempty"`
	Go            string            `json:"go"`
	Platform      string            `json:"platform"`
	// Shard is the share of the cases a --shard run ran; nil for a whole
	// run, and for shards merged into one.
	Shard *ShardManifest `json:"shard,omitempty"`
	// Batch is what a batch run (--batch, batch: true) sent through the
	// provider's Batch API before it scored from the cache; nil when none.
	Batch *BatchManifest `json:"batch,omitempty"`
}

// BatchManifest counts the requests a batch run sent through the Batch API
// and what they cost; the runs they answered count as cached.
type BatchManifest struct {
	Batches  int  `json:"batches"` // batches submitted or resumed
	Rounds   int  `json:"rounds"`  // collect-and-submit rounds (map-reduce merges need a second)
	Resumed  bool `json:"resumed,omitempty"`
	Requests int  `json:"requests"` // requests the batches answered
	Failed   int  `json:"failed"`   // lines that failed or that an expired or cancelled batch left
	Live     int  `json:"live"`     // requests left to live calls (--batch-fallback)
	// Cost is what the answered requests cost at the batch price (USD);
	// LivePrice is what they would have cost live.
	Cost      float64 `json:"cost"`
	LivePrice float64 `json:"live_price"`
}

// add is b and o together (the shards of one run); nil when both are.
func (b *BatchManifest) add(o *BatchManifest) *BatchManifest {
	switch {
	case o == nil:
		return b
	case b == nil:
		c := *o
		return &c
	}
	sum := *b
	sum.Batches += o.Batches
	sum.Rounds = max(sum.Rounds, o.Rounds)
	sum.Resumed = sum.Resumed || o.Resumed
	sum.Requests += o.Requests
	sum.Failed += o.Failed
	sum.Live += o.Live
	sum.Cost += o.Cost
	sum.LivePrice += o.LivePrice
	return &sum
}

// VariantManifest is a variant's resolved configuration plus what it was
// seen to use and where its answers came from.
type VariantManifest struct {
	Name     string `json:"name"`
	Backend  string `json:"backend"`
	Model    string `json:"model,omitempty"`
	Prompt   string `json:"prompt,omitempty"`   // name@hash of the configured template
	Endpoint string `json:"endpoint,omitempty"` // the endpoint's host
	Baseline bool   `json:"baseline,omitempty"`
	// Config is every configuration key with its resolved value, secrets
	// redacted.
	Config  map[string]any `json:"config"`
	Models  []string       `json:"models,omitempty"`  // models that answered
	Prompts []string       `json:"prompts,omitempty"` // name@hash seen in outputs
	// Live, Cached and Replayed count the runs by where their answer came
	// from (see VariantResult).
	Live     int `json:"live"`
	Cached   int `json:"cached"`
	Replayed int `json:"replayed"`
	// Retries counts the LLM calls retried, by why ("rate limited",
	// "server errors", ...); the caller fills it, the runner does not see
	// retries.
	Retries map[string]int `json:"retries,omitempty"`
	// Endpoints says what each server of the variant's endpoint pool
	// (llm.endpoints) did; the caller fills it.
	Endpoints []EndpointUse `json:"endpoints,omitempty"`
}

// EndpointUse is what one server of an endpoint pool did in a run.
type EndpointUse struct {
	Endpoint string `json:"endpoint"` // its base URL, without credentials
	Served   int    `json:"served"`   // requests it answered
	Failed   int    `json:"failed"`   // attempts it failed (retryable ones were retried on another)
	Ejected  int    `json:"ejected,omitempty"`
}

// Settings are the run's knobs.
type Settings struct {
	Concurrency int     `json:"concurrency"`
	Repeat      int     `json:"repeat"`
	Timeout     string  `json:"timeout"`
	Limit       int     `json:"limit,omitempty"`
	Sample      int     `json:"sample,omitempty"`
	Seed        uint64  `json:"seed,omitempty"`
	MaxCost     float64 `json:"max_cost,omitempty"`
	CacheDir    string  `json:"cache_dir,omitempty"`
	CacheMode   string  `json:"cache_mode,omitempty"`
	Leakage     string  `json:"leakage"`
	Baseline    string  `json:"baseline,omitempty"`
	// Overrides are the run's --set KEY=VALUE settings, applied to every
	// variant after the suite's own.
	Overrides []string `json:"overrides,omitempty"`
}

// VariantResult aggregates one variant's records.
type VariantResult struct {
	Name     string `json:"name"`
	Baseline bool   `json:"baseline,omitempty"` // the sanity variant the suite added
	Runs     int    `json:"runs"`               // records: cases × repeats that finished
	// Cases is how many of the run's TotalCases have at least one scored
	// run: the coverage every verdict states.
	Cases        int `json:"cases"`
	TotalCases   int `json:"total_cases"`
	Errors       int `json:"errors"`
	Failed       int `json:"failed"`
	ContractKept int `json:"contract_kept"`
	// Live, Cached and Replayed count the runs by where their answer came
	// from: made now (a call, or a local backend), the response cache in
	// rw or read mode, or the cache in replay mode.
	Live             int     `json:"live"`
	Cached           int     `json:"cached"`
	Replayed         int     `json:"replayed"`
	PromptTokens     int64   `json:"prompt_tokens"`
	CompletionTokens int64   `json:"completion_tokens"`
	Cost             float64 `json:"cost"`        // live calls at list price: what this run spent
	CachedCost       float64 `json:"cached_cost"` // what the cached answers cost when they were made
	// LatencyMS is the spread over live runs; nil when every answer came
	// from the cache (a cache hit's latency says nothing of the model).
	LatencyMS   *Summary               `json:"latency_ms"`
	Metrics     map[string]*MetricStat `json:"metrics"`
	FirstErrors []string               `json:"first_errors,omitempty"`

	seenModels  []string
	seenPrompts []string
	latency     []float64            // per case position, mean over repeats
	sums        map[string][]float64 // per metric and case position
	counts      map[string][]int32
	latCount    []int32
	scoredRuns  []int32 // per case position: runs that produced bullets
}

// MetricStat is the mean of one metric with its bootstrap 95% CI.
type MetricStat struct {
	Mean   float64 `json:"mean"`
	Lo     float64 `json:"ci_lo"`
	Hi     float64 `json:"ci_hi"`
	N      int     `json:"n"`
	StdDev float64 `json:"stddev"`
}

// Summary is the spread of a quantity over cases.
type Summary struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
}

// Scored is the number of runs that produced bullets (runs without errors).
func (v *VariantResult) Scored() int { return v.Runs - v.Errors }

// Coverage is the share of the run's cases that have a scored run; NaN for
// a run without cases.
func (v *VariantResult) Coverage() float64 {
	if v.TotalCases == 0 {
		return math.NaN()
	}
	return float64(v.Cases) / float64(v.TotalCases)
}

// Partial reports whether some of the run's cases have no score.
func (v *VariantResult) Partial() bool { return v.Cases < v.TotalCases }

// AllCached reports whether the variant ran and every answer came from the
// cache: its latency and cost say nothing of the model.
func (v *VariantResult) AllCached() bool { return v.Runs > 0 && v.Live == 0 }

// ContractShare is the share of scored runs that kept the bullet contract.
func (v *VariantResult) ContractShare() float64 {
	if v.Scored() == 0 {
		return math.NaN()
	}
	return float64(v.ContractKept) / float64(v.Scored())
}

// Scores returns the per-case scores of metric (mean over repeats), NaN
// where the case has none, indexed like Result.CaseIDs.
func (v *VariantResult) Scores(metric string) []float64 {
	sums, counts := v.sums[metric], v.counts[metric]
	out := make([]float64, len(sums))
	for i := range sums {
		if counts[i] == 0 {
			out[i] = math.NaN()
		} else {
			out[i] = sums[i] / float64(counts[i])
		}
	}
	return out
}

// Latencies returns the per-case latency in milliseconds, NaN where absent.
func (v *VariantResult) Latencies() []float64 {
	out := make([]float64, len(v.latency))
	for i := range out {
		if v.latCount[i] == 0 {
			out[i] = math.NaN()
		} else {
			out[i] = v.latency[i] / float64(v.latCount[i])
		}
	}
	return out
}

// Variant returns the result of the named variant, or nil.
func (r *Result) Variant(name string) *VariantResult {
	for _, v := range r.Variants {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// Close removes the results stream when it was a temporary file.
func (r *Result) Close() error {
	if r.tempResults && r.ResultsPath != "" {
		err := os.Remove(r.ResultsPath)
		r.ResultsPath = ""
		return err
	}
	return nil
}

func newResult(s *Suite, d *dataset.Set, variants []Variant, indices []int, opt RunOptions) *Result {
	r := &Result{suite: s, indices: indices}
	r.CaseIDs = make([]string, len(indices))
	inRun := make(map[int]bool, len(indices))
	for p, i := range indices {
		r.CaseIDs[p] = d.IDs[i]
		inRun[i] = true
	}
	for _, l := range d.Leaks {
		if inRun[l.Index] {
			r.Leaks = append(r.Leaks, l)
		}
	}
	m := &r.Manifest
	*m = Manifest{
		Tool: "summarize", Version: opt.ToolVersion, Commit: opt.ToolCommit, Suite: s.Name, SuitePath: s.Path, SuiteSHA256: opt.SuiteSHA256,
		Dataset: s.Dataset, DatasetSHA256: d.SHA256, Cases: len(indices), DatasetCases: d.Len(),
		Metrics: slices.Clone(s.Metrics), Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
		Settings: Settings{
			Concurrency: s.Concurrency, Repeat: s.Repeat, Timeout: s.Timeout.String(),
			Limit: opt.Limit, Sample: opt.Sample, Seed: opt.Seed, MaxCost: opt.MaxCost,
			CacheDir: opt.CacheDir, CacheMode: opt.CacheMode, Leakage: s.Leakage,
			Overrides: overrideList(s.overrides),
		},
	}
	if d.Path == "" {
		m.Dataset = "(in memory)"
	}
	if opt.Baseline != nil {
		m.Settings.Baseline = opt.Baseline.Path
	}
	for _, v := range variants {
		m.Variants = append(m.Variants, VariantManifest{
			Name: v.Name, Backend: string(v.Backend), Model: v.Model, Prompt: v.Prompt,
			Endpoint: v.Endpoint, Baseline: v.Baseline, Config: redactConfig(v.Effective),
		})
		r.Variants = append(r.Variants, newVariantResult(v.Name, v.Baseline, s.Metrics, len(indices)))
	}
	return r
}

// newVariantResult makes the empty aggregates of a variant over n cases.
func newVariantResult(name string, baseline bool, metrics []string, n int) *VariantResult {
	vr := &VariantResult{
		Name: name, Baseline: baseline, Metrics: map[string]*MetricStat{}, TotalCases: n,
		sums: map[string][]float64{}, counts: map[string][]int32{},
		latency: make([]float64, n), latCount: make([]int32, n),
		scoredRuns: make([]int32, n),
	}
	for _, m := range metrics {
		vr.sums[m] = make([]float64, n)
		vr.counts[m] = make([]int32, n)
	}
	return vr
}

// add folds one record into the aggregates.
func (r *Result) add(rec *Record) {
	v := r.Variant(rec.Variant)
	if v == nil {
		return
	}
	v.Runs++
	v.PromptTokens += int64(rec.PromptTokens)
	v.CompletionTokens += int64(rec.CompletionTokens)
	switch rec.Source {
	case SourceCached:
		v.Cached++
		v.CachedCost += rec.Cost
	case SourceReplayed:
		v.Replayed++
		v.CachedCost += rec.Cost
	default:
		v.Live++
		v.Cost += rec.Cost
		r.Spent += rec.Cost
	}
	if rec.Model != "" && !slices.Contains(v.seenModels, rec.Model) && len(v.seenModels) < 8 {
		v.seenModels = append(v.seenModels, rec.Model)
	}
	if rec.Prompt != "" && !slices.Contains(v.seenPrompts, rec.Prompt) && len(v.seenPrompts) < 8 {
		v.seenPrompts = append(v.seenPrompts, rec.Prompt)
	}
	switch rec.Status {
	case StatusError:
		v.Errors++
		if len(v.FirstErrors) < 3 {
			v.FirstErrors = append(v.FirstErrors, rec.Case+": "+rec.Error)
		}
		return
	case StatusFail:
		v.Failed++
	}
	if rec.ContractOK {
		v.ContractKept++
	}
	v.scoredRuns[rec.Index]++
	if rec.Source == SourceLive {
		v.latency[rec.Index] += rec.LatencyMS
		v.latCount[rec.Index]++
	}
	for name, x := range rec.Scores {
		if s, ok := v.sums[name]; ok && !math.IsNaN(x) {
			s[rec.Index] += x
			v.counts[name][rec.Index]++
		}
	}
}

// redactConfig copies a variant's settings with credentials in URLs (user
// info, key-like query values and path parts) removed, whatever the
// Resolver left in them.
func redactConfig(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		if s, ok := v.(string); ok {
			v = redact.Text(s)
		}
		out[k] = v
	}
	return out
}

func overrideList(settings []Setting) []string {
	var out []string
	for _, s := range settings {
		out = append(out, fmt.Sprintf("%s=%v", s.Key, s.Value))
	}
	return out
}

// Passed reports whether the run finished, within its error budget, with
// every gate passing.
func (r *Result) Passed() bool {
	return !r.Interrupted && r.StopReason == "" && !r.TooManyErrors() && len(r.FailedGates()) == 0
}

// Records streams the run's records, in the order they finished.
func (r *Result) Records(fn func(*Record) error) error {
	if r.ResultsPath == "" {
		return nil
	}
	return readRecords(r.ResultsPath, fn)
}

// RecordLines streams the run's records as the JSON lines they were
// written as, without their newline. A line is valid only until fn
// returns: fn copies what it keeps.
func (r *Result) RecordLines(fn func([]byte) error) error {
	if r.ResultsPath == "" {
		return nil
	}
	f, err := os.Open(r.ResultsPath)
	if err != nil {
		return err
	}
	defer f.Close()
	return jsonl.ScanShared(f, 0, func(_ int, _ int64, b []byte) error {
		for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
			b = b[:len(b)-1]
		}
		return fn(b)
	})
}

// BaselineScores returns the baseline's per-case scores of variant on
// metric, indexed like CaseIDs (NaN where it lacks a case); ok is false
// without a baseline or without that variant and metric in it.
func (r *Result) BaselineScores(variant, metric string) ([]float64, bool) {
	if r.baseline == nil {
		return nil, false
	}
	return r.baseline.scores(variant, metric, r.CaseIDs)
}

// MaxErrors is how many errored runs the suite tolerates (-1: any).
func (r *Result) MaxErrors() int {
	if r.suite == nil {
		return 0
	}
	return r.suite.Gates.MaxErrors
}
