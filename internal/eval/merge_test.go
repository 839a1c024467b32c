package eval

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		err  string
	}{
		{in: "1/3", want: Shard{1, 3}},
		{in: "3/3", want: Shard{3, 3}},
		{in: "1/1", want: Shard{1, 1}},
		{in: "0/3", err: "K must be 1 to 3"},
		{in: "4/3", err: "K must be 1 to 3"},
		{in: "1/0", err: "N must be 1 to"},
		{in: "-1/3", err: "K must be 1 to 3"},
		{in: "2", err: "want K/N"},
		{in: "a/b", err: "want K/N"},
		{in: "", err: "want K/N"},
	} {
		got, err := ParseShard(tc.in)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseShard(%q) error = %v, want one saying %q", tc.in, err, tc.err)
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParseShard(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
	}
}

// Every id is in exactly one shard, the shards are not lopsided, and a
// case's shard does not move when other cases are added.
func TestShardOfPartitions(t *testing.T) {
	const n = 3
	counts := make([]int, n+1)
	for i := range 3000 {
		k := ShardOf("case-"+itoa(i), n)
		if k < 1 || k > n {
			t.Fatalf("ShardOf = %d, want 1..%d", k, n)
		}
		counts[k]++
		for j := 1; j <= n; j++ {
			if got := (Shard{j, n}).Has("case-" + itoa(i)); got != (j == k) {
				t.Fatalf("Shard{%d,%d}.Has(case-%d) = %v, but ShardOf = %d", j, n, i, got, k)
			}
		}
	}
	for k := 1; k <= n; k++ {
		if counts[k] < 900 || counts[k] > 1100 {
			t.Errorf("shard %d/%d holds %d of 3000 cases, want about 1000", k, n, counts[k])
		}
	}
	// The hash is of the id alone: the documented formula.
	if got, want := ShardOf("sample", 1000), 1+int(sha256Prefix("sample")%1000); got != want {
		t.Errorf("ShardOf(sample, 1000) = %d, want %d", got, want)
	}
}

const mergeSuite = `
name: merge
dataset: DATASET
variants:
  - name: oracle
    backend: openai
    model: fake-ok
  - name: lead
    backend: openai
    model: fake-lead
metrics: [rouge1, rougeLsum, contract]
gates:
  rouge1: {min: 0.9}
  errors: {max: 0}
`

// runShards runs every shard of s over the fixture and returns their
// reports as Merge reads them, written and read back as files.
func runShards(t *testing.T, s *Suite, n int, opt RunOptions) []*ShardReport {
	t.Helper()
	d := openFixture(t)
	var out []*ShardReport
	for k := 1; k <= n; k++ {
		o := opt
		o.Shard = Shard{K: k, N: n}
		r := mustRun(t, t.Context(), s, d, o)
		path := filepath.Join(t.TempDir(), "shard-"+itoa(k)+".json")
		writeShardJSON(t, path, r)
		r.Close()
		sh, err := LoadShard(path)
		if err != nil {
			t.Fatalf("LoadShard: %v", err)
		}
		out = append(out, sh)
	}
	return out
}

// writeShardJSON writes the parts of the JSON report (report.WriteJSON)
// that LoadShard reads.
func writeShardJSON(t *testing.T, path string, r *Result) {
	t.Helper()
	var recs []json.RawMessage
	if err := r.RecordLines(func(b []byte) error { recs = append(recs, append([]byte{}, b...)); return nil }); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{"manifest": r.Manifest, "case_ids": r.CaseIDs, "leaks": r.Leaks, "cancelled": r.Cancelled, "records": recs})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, string(b))
}

// Shards 1/3 to 3/3 merged are the unsharded run: the same cases in the
// same order, the same per-case scores, statistics, comparisons and gates.
func TestMergeEqualsWholeRun(t *testing.T) {
	s := writeSuite(t, mergeSuite)
	gens := map[string]Generator{"oracle": refGen(), "lead": leadGen(3)}
	opt := RunOptions{Generators: gens, Now: fixedClock(), SuiteSHA256: "abc"}
	whole := mustRun(t, t.Context(), s, openFixture(t), opt)
	defer whole.Close()
	shards := runShards(t, s, 3, opt)
	for _, sh := range shards {
		if len(sh.CaseIDs) == 0 || len(sh.CaseIDs) == len(whole.CaseIDs) {
			t.Fatalf("shard %s holds %d of %d cases: the fixture does not exercise sharding", sh.Manifest.Shard.Spec, len(sh.CaseIDs), len(whole.CaseIDs))
		}
	}
	merged, err := Merge(s, shards, MergeOptions{ResultsPath: filepath.Join(t.TempDir(), "merged.jsonl")})
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	defer merged.Close()

	if diff := cmp.Diff(whole.CaseIDs, merged.CaseIDs); diff != "" {
		t.Errorf("case ids (-whole +merged):\n%s", diff)
	}
	nan := cmpopts.EquateNaNs()
	opts := cmp.Options{nan, cmpopts.IgnoreUnexported(VariantResult{}), cmpopts.IgnoreFields(VariantResult{}, "FirstErrors")}
	if diff := cmp.Diff(whole.Variants, merged.Variants, opts); diff != "" {
		t.Errorf("variants (-whole +merged):\n%s", diff)
	}
	for _, v := range whole.Variants {
		for _, m := range whole.Manifest.Metrics {
			if diff := cmp.Diff(v.Scores(m), merged.Variant(v.Name).Scores(m), nan); diff != "" {
				t.Errorf("%s %s per-case scores (-whole +merged):\n%s", v.Name, m, diff)
			}
		}
	}
	if diff := cmp.Diff(whole.Comparisons, merged.Comparisons, nan); diff != "" {
		t.Errorf("comparisons (-whole +merged):\n%s", diff)
	}
	if diff := cmp.Diff(whole.Gates, merged.Gates, nan); diff != "" {
		t.Errorf("gates (-whole +merged):\n%s", diff)
	}
	if whole.Passed() != merged.Passed() || len(whole.FailedGates()) == 0 {
		t.Errorf("verdict: whole passed=%v (%d failed gates), merged passed=%v; the suite's rouge1 gate should fail the lead variant",
			whole.Passed(), len(whole.FailedGates()), merged.Passed())
	}
	if merged.Manifest.Shard != nil || merged.Manifest.Cases != whole.Manifest.Cases {
		t.Errorf("merged manifest: shard %v, %d cases; want no shard and %d cases", merged.Manifest.Shard, merged.Manifest.Cases, whole.Manifest.Cases)
	}
	byKey := func(r *Result) map[string]*Record {
		m := map[string]*Record{}
		for _, rec := range records(t, r) {
			m[rec.Variant+"/"+rec.Case] = rec
		}
		return m
	}
	if diff := cmp.Diff(byKey(whole), byKey(merged), cmpopts.IgnoreFields(Record{}, "LatencyMS")); diff != "" {
		t.Errorf("records (-whole +merged):\n%s", diff)
	}
}

func TestMergeRejects(t *testing.T) {
	s := writeSuite(t, mergeSuite)
	gens := map[string]Generator{"oracle": refGen(), "lead": leadGen(3)}
	opt := RunOptions{Generators: gens, SuiteSHA256: "abc"}
	shards := runShards(t, s, 3, opt)
	other := runShards(t, s, 3, RunOptions{Generators: gens, SuiteSHA256: "def"})
	limited := runShards(t, s, 3, RunOptions{Generators: gens, SuiteSHA256: "abc", Limit: 5})
	edited := *shards[1]
	edited.CaseIDs = edited.CaseIDs[1:]
	edited.Manifest.Shard = &ShardManifest{}
	*edited.Manifest.Shard = *shards[1].Manifest.Shard
	edited.Manifest.Shard.DatasetIndex = edited.Manifest.Shard.DatasetIndex[1:]
	for _, tc := range []struct {
		name   string
		shards []*ShardReport
		want   string
	}{
		{"none", nil, "no shard reports"},
		{"missing", shards[:2], "shard 3/3 is missing"},
		{"two missing", shards[:1], "shards 2/3, 3/3 are missing"},
		{"twice", []*ShardReport{shards[0], shards[1], shards[1]}, "are both shard 2/3"},
		{"another suite", []*ShardReport{shards[0], shards[1], other[2]}, "not of the same run: the suite file's SHA-256 differs (abc vs def)"},
		{"another selection", []*ShardReport{shards[0], shards[1], limited[2]}, "the cases selected"},
		{"a case left out", []*ShardReport{shards[0], &edited, shards[2]}, "the shards hold 11 cases, not the run's 12"},
	} {
		_, err := Merge(s, tc.shards, MergeOptions{})
		var se *ShardError
		if err == nil || !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Merge error = %v, want a *ShardError saying %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q is more than one line", tc.name, err)
		}
	}
}

func TestLoadShardRejects(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.json")
	r := mustRun(t, t.Context(), writeSuite(t, mergeSuite), openFixture(t),
		RunOptions{Generators: map[string]Generator{"oracle": refGen(), "lead": leadGen(3)}})
	writeShardJSON(t, whole, r)
	r.Close()
	writeFile(t, filepath.Join(dir, "other.json"), `{"manifest": {"tool": "promptfoo"}}`)
	writeFile(t, filepath.Join(dir, "broken.json"), `{"manifest": `)
	for name, want := range map[string]string{
		"whole.json":  "a whole run, not a shard",
		"other.json":  "not a summarize eval report",
		"broken.json": "shard " + filepath.Join(dir, "broken.json") + ": ",
		"absent.json": "no such file or directory",
	} {
		_, err := LoadShard(filepath.Join(dir, name))
		var se *ShardError
		if err == nil || !errors.As(err, &se) || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadShard(%s) error = %v, want a *ShardError saying %q", name, err, want)
		}
	}
	if _, err := os.Stat(whole); err != nil {
		t.Fatal(err)
	}
}

// sha256Prefix is an independent reading of the documented formula: the
// first 8 bytes of SHA-256(id), big-endian.
func sha256Prefix(id string) uint64 {
	h := sha256.Sum256([]byte(id))
	var x uint64
	for _, b := range h[:8] {
		x = x<<8 | uint64(b)
	}
	return x
}

// What the shards' callers counted (batch requests and cost, what each
// endpoint of a pool served) adds up in the merged manifest.
func TestMergeAddsBatchAndEndpointCounts(t *testing.T) {
	s := writeSuite(t, mergeSuite)
	opt := RunOptions{Generators: map[string]Generator{"oracle": refGen(), "lead": leadGen(3)}, Now: fixedClock(), SuiteSHA256: "abc"}
	shards := runShards(t, s, 3, opt)
	for i, sh := range shards {
		if i == 1 {
			continue // a shard that sent no batch
		}
		sh.Manifest.Batch = &BatchManifest{Batches: 1, Rounds: i + 1, Requests: 10, Failed: 1, Live: 1, Cost: 0.5, LivePrice: 1}
		sh.Manifest.Variants[0].Endpoints = []EndpointUse{{Endpoint: "http://a/v1", Served: 5}, {Endpoint: fmt.Sprint("http://s", i, "/v1"), Served: 2, Failed: 1}}
	}
	merged, err := Merge(s, shards, MergeOptions{ResultsPath: filepath.Join(t.TempDir(), "merged.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	defer merged.Close()
	want := &BatchManifest{Batches: 2, Rounds: 3, Requests: 20, Failed: 2, Live: 2, Cost: 1, LivePrice: 2}
	if diff := cmp.Diff(want, merged.Manifest.Batch); diff != "" {
		t.Errorf("merged batch (-want +got):\n%s", diff)
	}
	wantEp := []EndpointUse{{Endpoint: "http://a/v1", Served: 10}, {Endpoint: "http://s0/v1", Served: 2, Failed: 1}, {Endpoint: "http://s2/v1", Served: 2, Failed: 1}}
	if diff := cmp.Diff(wantEp, merged.Manifest.Variants[0].Endpoints); diff != "" {
		t.Errorf("merged endpoints (-want +got):\n%s", diff)
	}
}
