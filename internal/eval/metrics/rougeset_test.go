package metrics

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A ROUGESet gives, type by type, the scores of the ROUGE metric of that
// type alone, bit for bit: on made-up cases (empty lists, repeated words,
// bullets that share nothing, punctuation and non-ASCII letters) and on
// the dev cases with their Lead-3 bullets.
func TestROUGESetMatchesROUGE(t *testing.T) {
	types := []string{"rouge1", "rouge2", "rougeL", "rougeLsum"}
	set, err := NewROUGESet(types)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(types, set.Types()); diff != "" {
		t.Errorf("Types() (-want +got):\n%s", diff)
	}
	alone := make([]*ROUGE, len(types))
	for i, typ := range types {
		if alone[i], err = NewROUGE(typ); err != nil {
			t.Fatal(err)
		}
	}
	words := []string{"the", "storm", "hit", "coast", "Monday", "power", "cut", "20,000", "homes", "école", "naïve", "—", "U.S.", "talks", "talked", "running", "ran", "!"}
	rng := rand.New(rand.NewPCG(5, 6))
	bullets := func() []string {
		var out []string
		for range rng.IntN(5) {
			var w []string
			for range rng.IntN(12) {
				w = append(w, words[rng.IntN(len(words))])
			}
			out = append(out, strings.Join(w, " "))
		}
		return out
	}
	var cases []Case
	for range 2000 {
		cases = append(cases, Case{Reference: bullets(), Candidate: bullets()})
	}
	if !testing.Short() {
		cases = append(cases, devCasesIfAny(t)...)
	}
	for _, c := range cases {
		got := set.Scores(c)
		if len(got) != len(types) {
			t.Fatalf("Scores(%q) has %d scores, want %d", c, len(got), len(types))
		}
		for i, m := range alone {
			want := m.Score(c)
			if math.Float64bits(got[i].Value) != math.Float64bits(want.Value) || !cmp.Equal(got[i].Parts, want.Parts) {
				t.Fatalf("%s of %q: set gives %v %v, alone %v %v", types[i], c, got[i].Value, got[i].Parts, want.Value, want.Parts)
			}
		}
	}
}

// devCasesIfAny is devCases, or none when the shared data is absent.
func devCasesIfAny(t *testing.T) []Case {
	var cases []Case
	t.Run("dev", func(t *testing.T) { cases = devCases(t) })
	return cases
}

// Types returns the set's ROUGE types, in the order given.
func (m *ROUGESet) Types() []string { return append([]string(nil), m.types...) }
