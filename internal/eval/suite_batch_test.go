package eval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
)

func TestVariantBatchKey(t *testing.T) {
	s := writeSuite(t, `
dataset: DATASET
variants:
  - {name: batched, backend: openai, model: m, batch: true}
  - {name: live, backend: openai, model: m}
metrics: [rouge1]
`)
	got := map[string]bool{}
	for _, v := range s.Variants {
		got[v.Name] = v.Batch
		for _, st := range v.Overlay {
			if st.Key == "batch" {
				t.Errorf("variant %s: batch is left in the overlay as a config key", v.Name)
			}
		}
	}
	if !got["batched"] || got["live"] {
		t.Errorf("Variant.Batch = %v, want batched true and live false", got)
	}
}

func TestVariantBatchKeyErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, yaml, want string }{
		{"not a bool", "dataset: d.jsonl\nvariants:\n  - {name: a, backend: openai, model: m, batch: often}\nmetrics: [rouge1]\n",
			"suite.yaml:3: variant: batch: want true or false, got often"},
		{"offline variant", "dataset: d.jsonl\nvariants:\n  - {name: a, backend: extractive, batch: true}\nmetrics: [rouge1]\n",
			`suite.yaml:3: variant "a": batch: true needs an LLM variant (backend openai), not backend "extractive"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "suite.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadSuite(path, LoadOptions{})
			if err == nil {
				t.Fatalf("LoadSuite: no error, want %q", tc.want)
			}
			if msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""); !strings.Contains(msg, tc.want) {
				t.Errorf("LoadSuite error\n%s\nlacks %q", msg, tc.want)
			}
		})
	}
}

// TestEachMatchesRun: Each visits exactly the jobs Run runs, with a limit
// and a shard.
func TestEachMatchesRun(t *testing.T) {
	s := writeSuite(t, `
dataset: DATASET
variants: [{name: a, backend: extractive}, {name: b, backend: lead3}]
metrics: [rouge1]
repeat: 2
`)
	d := openFixture(t)
	opt := RunOptions{Limit: 3, Shard: Shard{K: 1, N: 2}}
	var visited []string
	err := Each(context.Background(), s, d, opt, func(_ context.Context, c dataset.Case, v Variant, rep int) error {
		visited = append(visited, c.ID+"/"+v.Name+"/"+string(rune('0'+rep)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	opt.Generators = map[string]Generator{"a": leadGen(1), "b": leadGen(2)}
	res, err := Run(context.Background(), s, d, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	ran := map[string]bool{}
	err = res.Records(func(r *Record) error {
		ran[r.Case+"/"+r.Variant+"/"+string(rune('0'+r.Repeat))] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(visited) == 0 || len(visited) != len(ran) {
		t.Fatalf("Each visited %d jobs, Run ran %d", len(visited), len(ran))
	}
	for _, j := range visited {
		if !ran[j] {
			t.Errorf("Each visited %s, which Run did not run", j)
		}
	}
}
