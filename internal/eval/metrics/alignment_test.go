package metrics

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// greedy matches the most similar remaining pair first: the strategy the
// Hungarian matching must beat.
func greedy(sim [][]float64, threshold float64) int {
	usedR, usedC := map[int]bool{}, map[int]bool{}
	matched := 0
	for {
		bi, bj, best := -1, -1, -1.0
		for i := range sim {
			for j := range sim[i] {
				if !usedR[i] && !usedC[j] && sim[i][j] > best {
					bi, bj, best = i, j, sim[i][j]
				}
			}
		}
		if bi < 0 || best < threshold {
			return matched
		}
		usedR[bi], usedC[bj] = true, true
		matched++
	}
}

func TestAlignmentBeatsGreedy(t *testing.T) {
	refs := []string{
		"Coastal homes were badly damaged",
		"Mayor declares state of emergency",
	}
	cands := []string{
		"Mayor declares emergency as coastal homes badly damaged",
		"Storm damaged homes near the coast overnight",
	}
	m, err := NewAlignment(nil, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// With ROUGE-1 F and stemming: cand 0 is closest to ref 0 (0.615) but
	// also the only candidate near ref 1 (0.462); cand 1 only matches ref 0
	// (0.333). Greedy takes (0,0) and covers one reference; the optimum
	// takes (1,0) and (0,1) and covers both.
	sim := [][]float64{
		{m.sim(refs[0], cands[0]), m.sim(refs[0], cands[1])},
		{m.sim(refs[1], cands[0]), m.sim(refs[1], cands[1])},
	}
	want := [][]float64{{8.0 / 13, 1.0 / 3}, {6.0 / 13, 0}}
	if diff := cmp.Diff(want, sim, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Fatalf("similarities (-want +got):\n%s", diff)
	}
	if g := greedy(sim, DefaultMatchThreshold); g != 1 {
		t.Fatalf("greedy matched %d pairs; the example needs greedy to fail", g)
	}

	got := m.Score(Case{Reference: refs, Candidate: cands})
	wantDetail := AlignmentDetail{
		References: []ReferenceMatch{
			{Covered: true, Candidate: 1, Similarity: 1.0 / 3},
			{Covered: true, Candidate: 0, Similarity: 6.0 / 13},
		},
		Candidates: []CandidateMatch{
			{Reference: 1, Similarity: 6.0 / 13, RedundantWith: -1},
			{Reference: 0, Similarity: 1.0 / 3, RedundantWith: -1},
		},
	}
	if diff := cmp.Diff(wantDetail, got.Detail, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("Detail (-want +got):\n%s", diff)
	}
	if got.Value != 1 || got.Parts["coverage"] != 1 || got.Parts["precision"] != 1 {
		t.Errorf("Score = %v %v, want value, coverage and precision 1", got.Value, got.Parts)
	}
}

// tableSim looks similarities up in a table, for exact control.
func tableSim(tab map[[2]string]float64) func(a, b string) float64 {
	return func(a, b string) float64 {
		if v, ok := tab[[2]string{a, b}]; ok {
			return v
		}
		return tab[[2]string{b, a}]
	}
}

func TestAlignmentParts(t *testing.T) {
	sim := tableSim(map[[2]string]float64{
		{"r1", "c1"}: 0.9, {"r1", "c2"}: 0.8, {"r2", "c1"}: 0.7,
		{"r3", "c3"}: 0.1, // below the threshold: not a match
		{"c1", "c2"}: 0.6, // c2 repeats c1
		{"c1", "c3"}: 0.1,
	})
	m, err := NewAlignment(sim, 0.2, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		c     Case
		parts map[string]float64
	}{
		{
			name: "three refs, three cands, one below threshold",
			c:    Case{Reference: []string{"r1", "r2", "r3"}, Candidate: []string{"c1", "c2", "c3"}},
			// Optimal: r1–c2 (0.8) + r2–c1 (0.7) = 1.5 beats r1–c1 (0.9) alone.
			parts: map[string]float64{"coverage": 2.0 / 3, "precision": 2.0 / 3, "f1": 2.0 / 3, "redundancy": 1.0 / 3, "similarity": 0.75},
		},
		{
			name:  "more candidates than references",
			c:     Case{Reference: []string{"r1"}, Candidate: []string{"c1", "c2", "c3"}},
			parts: map[string]float64{"coverage": 1, "precision": 1.0 / 3, "f1": 0.5, "redundancy": 1.0 / 3, "similarity": 0.9},
		},
		{
			name:  "no candidates",
			c:     Case{Reference: []string{"r1", "r2"}},
			parts: map[string]float64{"coverage": 0, "precision": 0, "f1": 0, "redundancy": 0, "similarity": 0},
		},
		{
			name:  "no references",
			c:     Case{Candidate: []string{"c1"}},
			parts: map[string]float64{"coverage": 0, "precision": 0, "f1": 0, "redundancy": 0, "similarity": 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Score(tt.c)
			if diff := cmp.Diff(tt.parts, got.Parts, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("Score(%v).Parts (-want +got):\n%s", tt.c, diff)
			}
			if math.Abs(got.Value-tt.parts["f1"]) > 1e-12 {
				t.Errorf("Score(%v).Value = %v, want f1 %v", tt.c, got.Value, tt.parts["f1"])
			}
		})
	}
	d := m.Score(tests[0].c).Detail.(AlignmentDetail)
	if r3 := d.References[2]; r3.Covered || r3.Candidate != -1 || r3.Similarity != 0.1 {
		t.Errorf("uncovered reference = %+v, want not covered, candidate -1, best similarity 0.1", r3)
	}
	if c2 := d.Candidates[1]; c2.RedundantWith != 0 || c2.Reference != 0 {
		t.Errorf("candidate 2 = %+v, want matched to reference 0 and redundant with candidate 0", c2)
	}
}

func TestNewAlignmentRejectsBadThresholds(t *testing.T) {
	if _, err := NewAlignment(nil, 1.5, 0); err == nil {
		t.Error("NewAlignment(threshold 1.5) returned no error")
	}
}
