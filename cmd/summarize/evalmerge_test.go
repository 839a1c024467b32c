package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// shardSuite writes a suite over the repository's eval fixture with an
// extractive variant, the lead3 sanity variant, and a gate the extractive
// variant fails; it returns the suite's path.
func shardSuite(t *testing.T) string {
	t.Helper()
	data, err := filepath.Abs(filepath.Join("..", "..", "testdata", "eval", "news.jsonl"))
	must(t, err)
	path := filepath.Join(t.TempDir(), "suite.yaml")
	must(t, os.WriteFile(path, []byte(`name: shards
dataset: `+data+`
variants:
  - name: offline
    backend: extractive
metrics: [rouge1, rouge2, rougeLsum, contract]
gates:
  rougeLsum: {min: 0.99}
  contract: {min: 0}
`), 0o644))
	return path
}

// comparable is the part of a JSON report that a merge must reproduce:
// everything but times and latencies.
func comparable(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	var r map[string]any
	must(t, json.Unmarshal(data, &r))
	delete(r, "manifest")
	for _, v := range r["variants"].([]any) {
		delete(v.(map[string]any), "latency_ms")
	}
	recs := map[string]any{}
	for _, rec := range r["records"].([]any) {
		m := rec.(map[string]any)
		delete(m, "latency_ms")
		recs[m["variant"].(string)+"/"+m["case"].(string)] = m
	}
	r["records"] = recs
	return r
}

// summarize eval --shard 1/3 .. 3/3 and summarize eval merge give the
// unsharded run's reports and exit status.
func TestEvalShardsMergeToWholeRun(t *testing.T) {
	suite := shardSuite(t)
	c := newCLI(t, nil)
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.json")
	stdout, stderr, wantCode := c.run("eval", suite, "-q", "--json", whole)
	if wantCode != exitGate {
		t.Fatalf("unsharded eval: exit %d, want %d (the rougeLsum gate fails)\n%s%s", wantCode, exitGate, stdout, stderr)
	}
	var shards []string
	covered := 0
	for _, k := range []string{"1", "2", "3"} {
		out := filepath.Join(dir, "shard-"+k+".json")
		stdout, stderr, code := c.run("eval", suite, "-q", "--shard", k+"/3", "--json", out, "--jsonl", filepath.Join(dir, "shard-"+k+".jsonl"))
		if code != 0 {
			t.Fatalf("eval --shard %s/3: exit %d, want 0 (a shard leaves the verdict to merge)\n%s%s", k, code, stdout, stderr)
		}
		var rep struct {
			CaseIDs  []string `json:"case_ids"`
			Manifest struct {
				SuiteSHA256 string `json:"suite_sha256"`
				Shard       struct {
					Spec string `json:"spec"`
					Of   int    `json:"of"`
				} `json:"shard"`
			} `json:"manifest"`
		}
		data, err := os.ReadFile(out)
		must(t, err)
		must(t, json.Unmarshal(data, &rep))
		if rep.Manifest.Shard.Spec != k+"/3" || rep.Manifest.Shard.Of != 12 || len(rep.Manifest.SuiteSHA256) != 64 {
			t.Errorf("shard %s/3 manifest: shard %+v, suite_sha256 %q; want spec %s/3 of 12 cases and a SHA-256", k, rep.Manifest.Shard, rep.Manifest.SuiteSHA256, k)
		}
		if len(rep.CaseIDs) == 0 || len(rep.CaseIDs) == 12 {
			t.Errorf("shard %s/3 ran %d of 12 cases", k, len(rep.CaseIDs))
		}
		covered += len(rep.CaseIDs)
		shards = append(shards, out)
	}
	if covered != 12 {
		t.Errorf("the shards ran %d cases, want 12", covered)
	}
	merged := filepath.Join(dir, "merged.json")
	junit, html, md := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.html"), filepath.Join(dir, "summary.md")
	stdout, stderr, code := c.run(append(append([]string{"eval", "merge"}, shards...), "--json", merged, "--junit", junit, "--html", html, "--markdown", md)...)
	if code != wantCode {
		t.Fatalf("eval merge: exit %d, want the unsharded run's %d\n%s%s", code, wantCode, stdout, stderr)
	}
	if !strings.Contains(stderr, "gates failed") {
		t.Errorf("eval merge stderr does not give the verdict:\n%s", stderr)
	}
	if diff := gocmp.Diff(comparable(t, whole), comparable(t, merged)); diff != "" {
		t.Errorf("merged report differs from the unsharded one (-whole +merged):\n%s", diff)
	}
	for _, p := range []string{junit, html, md} {
		if data, err := os.ReadFile(p); err != nil || !strings.Contains(string(data), "rougeLsum") {
			t.Errorf("report %s: %v, or it does not name the failing gate's metric", p, err)
		}
	}
}

func TestEvalShardErrors(t *testing.T) {
	suite := shardSuite(t)
	c := newCLI(t, nil)
	dir := t.TempDir()
	shard := func(spec, name string) string {
		out := filepath.Join(dir, name)
		if _, stderr, code := c.run("eval", suite, "-q", "--shard", spec, "--json", out); code != 0 {
			t.Fatalf("eval --shard %s: exit %d\n%s", spec, code, stderr)
		}
		return out
	}
	s1, s2, s3 := shard("1/3", "s1.json"), shard("2/3", "s2.json"), shard("3/3", "s3.json")
	h1 := shard("1/2", "h1.json")
	whole := filepath.Join(dir, "whole.json")
	c.run("eval", suite, "-q", "--json", whole)
	// The same suite edited: another suite file.
	data, err := os.ReadFile(suite)
	must(t, err)
	must(t, os.WriteFile(suite, append(data, []byte("repeat: 1\n")...), 0o644))
	edited := shard("3/3", "edited.json")
	must(t, os.WriteFile(suite, data, 0o644))

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"K is 0", []string{"eval", suite, "--shard", "0/3"}, "summarize: --shard \"0/3\": K must be 1 to 3"},
		{"K over N", []string{"eval", suite, "--shard", "4/3"}, "summarize: --shard \"4/3\": K must be 1 to 3"},
		{"not K/N", []string{"eval", suite, "--shard", "half"}, "summarize: --shard \"half\": want K/N, like 2/3"},
		{"no shards", []string{"eval", "merge"}, "summarize: eval merge: want the --json reports of the shards, got none"},
		{"missing", []string{"eval", "merge", s1, s2}, "summarize: merge: shard 3/3 is missing"},
		{"twice", []string{"eval", "merge", s1, s2, s2, s3}, "are both shard 2/3"},
		{"another count", []string{"eval", "merge", s1, s2, h1}, "not of the same run: the shard count differs (3 vs 2)"},
		{"another suite", []string{"eval", "merge", s1, s2, edited}, "not of the same run: the suite file's SHA-256 differs"},
		{"edited suite", []string{"eval", "merge", edited, s1, s2}, "is not the file the shards ran"},
		{"a whole run", []string{"eval", "merge", whole}, "a whole run, not a shard"},
		{"absent", []string{"eval", "merge", filepath.Join(dir, "nope.json")}, "nope.json: no such file or directory"},
	} {
		stdout, stderr, code := c.run(tc.args...)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d\n%s%s", tc.name, code, exitUsage, stdout, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if !strings.Contains(lines[0], tc.want) || strings.HasPrefix(lines[0], "summarize: ") == false || len(lines) > 2 {
			t.Errorf("%s: stderr = %q, want one line with %q (and at most a hint)", tc.name, stderr, tc.want)
		}
	}
}
