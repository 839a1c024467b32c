package metrics

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/summarize-dev/summarize/internal/bullet"
	"github.com/summarize-dev/summarize/internal/shareddata"
)

func TestNames(t *testing.T) {
	want := []string{"alignment", "content", "contract", "faithfulness", "rouge1", "rouge2", "rougeL", "rougeLsum", "stats"}
	if diff := cmp.Diff(want, Names()); diff != "" {
		t.Errorf("Names() (-want +got):\n%s", diff)
	}
	for _, n := range Names() {
		m, err := ByName(n, Options{})
		if err != nil {
			t.Errorf("ByName(%q) error: %v", n, err)
			continue
		}
		if m.Name() != n {
			t.Errorf("ByName(%q).Name() = %q", n, m.Name())
		}
		// Every metric copes with an empty case and stays in [0, 1].
		s := m.Score(Case{})
		if s.Value < 0 || s.Value > 1 || math.IsNaN(s.Value) {
			t.Errorf("ByName(%q).Score(Case{}).Value = %v, want in [0, 1]", n, s.Value)
		}
		if _, err := json.Marshal(s); err != nil {
			t.Errorf("ByName(%q).Score(Case{}) does not marshal: %v", n, err)
		}
	}
}

func TestByNameUnknown(t *testing.T) {
	_, err := ByName("bleu", Options{})
	if err == nil {
		t.Fatal(`ByName("bleu") returned no error`)
	}
	for _, want := range []string{`unknown metric "bleu"`, "rougeLsum", "faithfulness"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ByName(\"bleu\") error %q does not mention %q", err, want)
		}
	}
	if _, err := ByName("alignment", Options{MatchThreshold: 2}); err == nil {
		t.Error("ByName(alignment, threshold 2) returned no error")
	}
}

func TestROUGE(t *testing.T) {
	m, err := ByName("rouge1", Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Reference "the cat sat", candidate "the cat": P = 1, R = 2/3, F = 0.8.
	got := m.Score(Case{Reference: []string{"The cat sat."}, Candidate: []string{"The cat"}})
	want := Score{Value: 0.8, Parts: map[string]float64{"p": 1, "r": 2.0 / 3, "f": 0.8}}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("rouge1 Score (-want +got):\n%s", diff)
	}
	if _, err := NewROUGE("rouge0"); err == nil {
		t.Error(`NewROUGE("rouge0") returned no error`)
	}
}

// TestROUGEGolden checks the metric wrappers against rouge-score's own
// numbers for the first dev records.
func TestROUGEGolden(t *testing.T) {
	f, err := os.Open(shareddata.File(t, "rouge-golden-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ms []Metric
	for _, n := range []string{"rouge1", "rouge2", "rougeL", "rougeLsum"} {
		m, err := ByName(n, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 0; n < 200 && sc.Scan(); n++ {
		var rec struct {
			ID        string
			Candidate []string
			Reference []string
			Scores    map[string]struct{ P, R, F float64 }
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			got := m.Score(Case{Reference: rec.Reference, Candidate: rec.Candidate}).Value
			if want := rec.Scores[m.Name()].F; math.Abs(got-want) > 1e-9 {
				t.Errorf("%s %s: F = %v, want %v", rec.ID, m.Name(), got, want)
			}
		}
	}
}

func TestContract(t *testing.T) {
	m, err := ByName("contract", Options{Rules: bullet.Rules{MinBullets: 2, MaxBullets: 3, MaxWords: 8}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		c     Case
		value float64
		parts map[string]float64
		why   []string
	}{
		{
			name:  "pass",
			c:     Case{Candidate: []string{"NATO backs Ukraine.", "Europe pays more."}},
			value: 1, parts: map[string]float64{"violations": 0}, why: []string{},
		},
		{
			name: "fail",
			c: Case{
				Candidate: []string{"NATO backs Ukraine in the fight against the Russian invasion, Rutte says."},
				Leftovers: []string{"Sure! Here are the bullets:"},
			},
			value: 0,
			parts: map[string]float64{"violations": 3, "count": 1, "words": 1, "leftover": 1},
			why: []string{
				"1 bullet (want 2–3)",
				"bullet 1 has 12 words (max 8)",
				`reply has text outside the bullets: "Sure! Here are the bullets:"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Score(tt.c)
			want := Score{Value: tt.value, Parts: tt.parts, Detail: tt.why}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("contract Score(%+v) (-want +got):\n%s", tt.c, diff)
			}
		})
	}
}

func BenchmarkAlignmentDev(b *testing.B) {
	cases := devCases(b)
	m, err := NewAlignment(nil, 0, 0)
	if err != nil {
		b.Fatal(err)
	}
	var coverage float64
	for b.Loop() {
		coverage = 0
		for _, c := range cases {
			coverage += m.Score(c).Parts["coverage"]
		}
	}
	b.ReportMetric(float64(len(cases))*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	b.ReportMetric(coverage/float64(len(cases)), "lead3-coverage")
}

// TestConcurrentUse scores the same cases from several goroutines; run it
// with -race to check that metrics are safe for concurrent use.
func TestConcurrentUse(t *testing.T) {
	article, refs := sampleArticle(t)
	cands := []string{
		"NATO backs Ukraine fully, Rutte tells Reuters on Wednesday.",
		"Europe to take on more military aid as U.S. looks to Asia.",
	}
	c := Case{Article: article, Reference: refs, Candidate: cands}
	for _, name := range Names() {
		m, err := ByName(name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := m.Score(c)
		done := make(chan Score)
		for range 4 {
			go func() { done <- m.Score(c) }()
		}
		for range 4 {
			if diff := cmp.Diff(want, <-done); diff != "" {
				t.Errorf("%s: concurrent Score differs (-first +concurrent):\n%s", name, diff)
			}
		}
	}
}
