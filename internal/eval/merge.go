package eval

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/jsonl"
)

// ShardReport is the JSON report (--json) of a --shard run, as Merge
// reads it.
type ShardReport struct {
	Path      string
	Manifest  Manifest
	CaseIDs   []string
	Leaks     []dataset.Leak
	Cancelled int
	Records   []json.RawMessage
}

// ShardError is a shard report that cannot be merged: not a shard, or
// shards that do not make one run. It is bad input, not a failure.
type ShardError struct{ Msg string }

func (e *ShardError) Error() string { return e.Msg }

func shardErrorf(format string, a ...any) error {
	return &ShardError{Msg: fmt.Sprintf(format, a...)}
}

// LoadShard reads the JSON report of a --shard run.
func LoadShard(path string) (*ShardReport, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, shardErrorf("shard %s: %v", path, err)
	}
	defer f.Close()
	var rep struct {
		Manifest  *Manifest         `json:"manifest"`
		CaseIDs   []string          `json:"case_ids"`
		Leaks     []dataset.Leak    `json:"leaks"`
		Cancelled int               `json:"cancelled"`
		Records   []json.RawMessage `json:"records"`
	}
	if err := json.NewDecoder(bufio.NewReader(f)).Decode(&rep); err != nil {
		return nil, shardErrorf("shard %s: %v", path, jsonl.Err(err))
	}
	switch {
	case rep.Manifest == nil || rep.Manifest.Tool != "summarize":
		return nil, shardErrorf("shard %s: not a summarize eval report (write one with --shard K/N --json FILE)", path)
	case rep.Manifest.Shard == nil:
		return nil, shardErrorf("shard %s: a whole run, not a shard (run with --shard K/N)", path)
	case len(rep.Manifest.Shard.DatasetIndex) != len(rep.CaseIDs):
		return nil, shardErrorf("shard %s: %d case ids but %d dataset indices", path, len(rep.CaseIDs), len(rep.Manifest.Shard.DatasetIndex))
	}
	return &ShardReport{Path: path, Manifest: *rep.Manifest, CaseIDs: rep.CaseIDs, Leaks: rep.Leaks,
		Cancelled: rep.Cancelled, Records: rep.Records}, nil
}

// MergeOptions say how to merge shards.
type MergeOptions struct {
	// Baseline is a JSON report of an earlier run to compare against, as
	// RunOptions.Baseline.
	Baseline *Baseline
	// ResultsPath receives the merged JSONL stream, as
	// RunOptions.ResultsPath.
	ResultsPath string
	// BootstrapSamples as RunOptions.BootstrapSamples.
	BootstrapSamples int
}

// Merge joins the reports of shards 1/N to N/N of one run of suite s into
// the result the whole run would have had: the same cases in the same
// order, the same statistics, gates and verdict. The shards must have run
// the same suite file, dataset, tool and settings, and cover every case of
// the run exactly once; otherwise the error is a *ShardError.
func Merge(s *Suite, shards []*ShardReport, opt MergeOptions) (*Result, error) {
	if err := checkShards(shards); err != nil {
		return nil, err
	}
	cases, err := mergedCases(shards)
	if err != nil {
		return nil, err
	}
	first := shards[0].Manifest
	for _, v := range first.Variants {
		if !slices.ContainsFunc(s.Variants, func(sv Variant) bool { return sv.Name == v.Name }) {
			return nil, shardErrorf("suite %s has no variant %q, which the shards ran", s.Path, v.Name)
		}
	}
	r := &Result{suite: s, CaseIDs: make([]string, len(cases)), indices: make([]int, len(cases))}
	pos := make(map[string]int, len(cases))
	for p, c := range cases {
		r.CaseIDs[p], r.indices[p] = c.id, c.index
		pos[c.id] = p
	}
	r.Manifest = mergedManifest(shards, len(cases))
	for _, v := range r.Manifest.Variants {
		r.Variants = append(r.Variants, newVariantResult(v.Name, v.Baseline, r.Manifest.Metrics, len(cases)))
	}
	for _, sh := range shards {
		for _, l := range sh.Leaks {
			if p, ok := pos[l.Case]; ok {
				l.Index = r.indices[p]
				r.Leaks = append(r.Leaks, l)
			}
		}
		r.Cancelled += sh.Cancelled
	}
	slices.SortStableFunc(r.Leaks, func(a, b dataset.Leak) int {
		return cmp.Or(cmp.Compare(a.Index, b.Index), cmp.Compare(a.Bullet, b.Bullet))
	})
	r.Interrupted, r.StopReason = r.Manifest.Interrupted, r.Manifest.StopReason

	out, err := createResults(opt.ResultsPath)
	if err != nil {
		return nil, err
	}
	r.ResultsPath, r.tempResults = out.stream.Name(), out.temp
	w := bufio.NewWriterSize(out.writer(), 64<<10)
	err = r.addShardRecords(w, shards, pos)
	if ferr := errors.Join(w.Flush(), out.close()); ferr != nil && err == nil {
		err = fmt.Errorf("write results %s: %w", r.ResultsPath, ferr)
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	r.finish(opt.Baseline, opt.BootstrapSamples)
	r.checkGates()
	if err := r.measureMeta(opt.BootstrapSamples); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// addShardRecords writes every shard's records to w, each with its index
// in the merged case list, and folds them into the aggregates.
func (r *Result) addShardRecords(w *bufio.Writer, shards []*ShardReport, pos map[string]int) error {
	for _, sh := range shards {
		for i, raw := range sh.Records {
			var rec Record
			if err := json.Unmarshal(raw, &rec); err != nil {
				return shardErrorf("shard %s: record %d: %v", sh.Path, i+1, jsonl.Err(err))
			}
			p, ok := pos[rec.Case]
			if !ok || ShardOf(rec.Case, sh.Manifest.Shard.N) != sh.Manifest.Shard.K {
				return shardErrorf("shard %s: record %d is of case %q, not one of the shard's cases", sh.Path, i+1, rec.Case)
			}
			rec.Index = p
			line, err := jsonl.Marshal(&rec)
			if err != nil {
				return shardErrorf("shard %s: record %d: %v", sh.Path, i+1, err)
			}
			w.Write(line)
			if err := w.WriteByte('\n'); err != nil {
				return fmt.Errorf("write results %s: %w", r.ResultsPath, err)
			}
			r.add(&rec)
		}
	}
	return nil
}

// checkShards checks that the shards ran the same suite the same way and
// are shards 1 to N, each once.
func checkShards(shards []*ShardReport) error {
	if len(shards) == 0 {
		return shardErrorf("merge: no shard reports")
	}
	first := shards[0]
	byK := map[int]*ShardReport{}
	for _, sh := range shards {
		if what := sameRun(first.Manifest, sh.Manifest); what != "" {
			return shardErrorf("shards %s and %s are not of the same run: %s", first.Path, sh.Path, what)
		}
		k := sh.Manifest.Shard.K
		if prev := byK[k]; prev != nil {
			return shardErrorf("shards %s and %s are both shard %s", prev.Path, sh.Path, sh.Manifest.Shard.Spec)
		}
		byK[k] = sh
	}
	n := first.Manifest.Shard.N
	var missing []string
	for k := 1; k <= n; k++ {
		if byK[k] == nil {
			missing = append(missing, Shard{K: k, N: n}.String())
		}
	}
	if len(missing) > 0 {
		return shardErrorf("merge: %s missing: every shard of %d/%d to %d/%d is needed", plural(len(missing), "shard")+" "+strings.Join(missing, ", ")+isAre(len(missing)), 1, n, n, n)
	}
	return nil
}

func isAre(n int) string {
	if n == 1 {
		return " is"
	}
	return " are"
}

func plural(n int, what string) string {
	if n == 1 {
		return what
	}
	return what + "s"
}

// sameRun says how manifest b differs from a in what decides a run's
// records ("" when it does not): the tool, the suite file, the dataset,
// the metrics, the variants and the settings that select and score cases.
func sameRun(a, b Manifest) string {
	checks := []struct {
		what string
		x, y any
	}{
		{"the suite file's SHA-256", a.SuiteSHA256, b.SuiteSHA256},
		{"the suite", a.Suite, b.Suite},
		{"the dataset's SHA-256", a.DatasetSHA256, b.DatasetSHA256},
		{"the dataset's case count", a.DatasetCases, b.DatasetCases},
		{"the tool version", a.Version + " " + a.Commit, b.Version + " " + b.Commit},
		{"the metrics", a.Metrics, b.Metrics},
		{"the shard count", a.Shard.N, b.Shard.N},
		{"the cases selected (--limit, --sample, --seed)", [2]any{a.Shard.Of, a.Shard.CasesSHA256}, [2]any{b.Shard.Of, b.Shard.CasesSHA256}},
		{"the repeat count", a.Settings.Repeat, b.Settings.Repeat},
		{"the timeout", a.Settings.Timeout, b.Settings.Timeout},
		{"the leakage mode", a.Settings.Leakage, b.Settings.Leakage},
		{"the --set overrides", a.Settings.Overrides, b.Settings.Overrides},
		{"the baseline", a.Settings.Baseline, b.Settings.Baseline},
		{"the variants", variantIdentity(a.Variants), variantIdentity(b.Variants)},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.x, c.y) {
			return fmt.Sprintf("%s differs (%v vs %v)", c.what, brief(c.x), brief(c.y))
		}
	}
	return ""
}

// variantIdentity is what names a variant's way of making bullets.
func variantIdentity(vs []VariantManifest) []VariantManifest {
	out := make([]VariantManifest, len(vs))
	for i, v := range vs {
		out[i] = VariantManifest{Name: v.Name, Backend: v.Backend, Model: v.Model, Prompt: v.Prompt, Baseline: v.Baseline, Config: v.Config}
	}
	return out
}

// brief shortens a value for an error message.
func brief(x any) string {
	var s string
	switch v := x.(type) {
	case []VariantManifest:
		names := make([]string, len(v))
		for i, vm := range v {
			names[i] = vm.Name
		}
		s = "variants " + strings.Join(names, ", ")
	default:
		s = fmt.Sprint(x)
	}
	if strings.TrimSpace(s) == "" {
		s = "none"
	}
	if r := []rune(s); len(r) > 40 {
		s = string(r[:39]) + "…"
	}
	return s
}

type mergedCase struct {
	id    string
	index int // in the dataset
}

// mergedCases returns the cases of the whole run in dataset order, after
// checking that the shards cover each exactly once.
func mergedCases(shards []*ShardReport) ([]mergedCase, error) {
	owner := map[string]*ShardReport{}
	var cases []mergedCase
	for _, sh := range shards {
		m := sh.Manifest.Shard
		for i, id := range sh.CaseIDs {
			if prev := owner[id]; prev != nil {
				return nil, shardErrorf("case %q is in both shard %s (%s) and shard %s (%s)", id, prev.Manifest.Shard.Spec, prev.Path, m.Spec, sh.Path)
			}
			if ShardOf(id, m.N) != m.K {
				return nil, shardErrorf("shard %s: case %q belongs to shard %d/%d, not %s", sh.Path, id, ShardOf(id, m.N), m.N, m.Spec)
			}
			owner[id] = sh
			cases = append(cases, mergedCase{id: id, index: m.DatasetIndex[i]})
		}
	}
	slices.SortFunc(cases, func(a, b mergedCase) int { return cmp.Compare(a.index, b.index) })
	want := shards[0].Manifest.Shard
	ids := make([]string, len(cases))
	for i, c := range cases {
		ids[i] = c.id
	}
	if len(cases) != want.Of || casesHash(ids) != want.CasesSHA256 {
		return nil, shardErrorf("merge: the shards hold %d cases, not the run's %d (a shard report is incomplete or edited)", len(cases), want.Of)
	}
	return cases, nil
}

// mergedManifest is the manifest of the whole run: the shards', without
// the shard, with their time span, their stop reason, and their retries
// added up.
func mergedManifest(shards []*ShardReport, cases int) Manifest {
	m := shards[0].Manifest
	m.Shard, m.Cases, m.Batch = nil, cases, nil
	m.Variants = make([]VariantManifest, len(shards[0].Manifest.Variants))
	for i, v := range shards[0].Manifest.Variants {
		v.Models, v.Prompts, v.Live, v.Cached, v.Replayed, v.Retries, v.Endpoints = nil, nil, 0, 0, 0, nil, nil
		m.Variants[i] = v
	}
	for _, sh := range shards {
		sm := sh.Manifest
		if sm.Started.Before(m.Started) {
			m.Started = sm.Started
		}
		if sm.Ended.After(m.Ended) {
			m.Ended = sm.Ended
		}
		if m.StopReason == "" {
			m.StopReason = sm.StopReason
		}
		m.Interrupted = m.Interrupted || sm.Interrupted
		m.Batch = m.Batch.add(sm.Batch)
		for i, v := range sm.Variants {
			for why, n := range v.Retries {
				if m.Variants[i].Retries == nil {
					m.Variants[i].Retries = map[string]int{}
				}
				m.Variants[i].Retries[why] += n
			}
			m.Variants[i].Endpoints = addEndpointUse(m.Variants[i].Endpoints, v.Endpoints)
		}
	}
	return m
}

// addEndpointUse adds the counts of more to sum, endpoint by endpoint, in
// the order first seen.
func addEndpointUse(sum, more []EndpointUse) []EndpointUse {
	for _, e := range more {
		i := slices.IndexFunc(sum, func(s EndpointUse) bool { return s.Endpoint == e.Endpoint })
		if i < 0 {
			sum = append(sum, EndpointUse{Endpoint: e.Endpoint})
			i = len(sum) - 1
		}
		sum[i].Served += e.Served
		sum[i].Failed += e.Failed
		sum[i].Ejected += e.Ejected
	}
	return sum
}
