package metrics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestStats(t *testing.T) {
	tests := []struct {
		name  string
		c     Case
		value float64
		parts map[string]float64
		words []int
	}{
		{
			// Article tokens: the cat sat on the mat. Summary unigrams: 9, of
			// which a, dog, ran are new. Bigrams per bullet: the cat, cat sat |
			// a dog, dog ran, ran on, on the, the mat: 7, of which 3 are new
			// ("sat a" spans two bullets and is not counted).
			name: "hand-computed",
			c: Case{
				Article:   "The cat sat on the mat.",
				Candidate: []string{"The cat sat.", "A dog ran on the mat."},
			},
			value: 2.0 / 3,
			parts: map[string]float64{
				"bullets": 2, "words_per_bullet": 4.5, "summary_words": 9, "article_words": 6,
				"compression": 6.0 / 9, "novel_unigrams": 1.0 / 3, "novel_bigrams": 3.0 / 7,
			},
			words: []int{3, 6},
		},
		{
			// Stemming: "cats"/"cat" and "running"/"run" share stems.
			name: "stemmed",
			c: Case{
				Article:   "Cats were running home, officials said on Monday.",
				Candidate: []string{"Cat running home"},
			},
			value: 1,
			parts: map[string]float64{
				"bullets": 1, "words_per_bullet": 3, "summary_words": 3, "article_words": 8,
				"compression": 8.0 / 3, "novel_unigrams": 0, "novel_bigrams": 0.5,
			},
			words: []int{3},
		},
		{
			name:  "empty summary",
			c:     Case{Article: "Some text here."},
			value: 0,
			parts: map[string]float64{
				"bullets": 0, "words_per_bullet": 0, "summary_words": 0, "article_words": 3,
				"compression": 0, "novel_unigrams": 0, "novel_bigrams": 0,
			},
			words: []int{},
		},
	}
	m, err := NewStats()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Score(tt.c)
			if diff := cmp.Diff(tt.parts, got.Parts, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("Score(%+v).Parts (-want +got):\n%s", tt.c, diff)
			}
			if diff := cmp.Diff(tt.value, got.Value, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("Score(%+v).Value (-want +got):\n%s", tt.c, diff)
			}
			if diff := cmp.Diff(StatsDetail{WordsPerBullet: tt.words}, got.Detail, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Score(%+v).Detail (-want +got):\n%s", tt.c, diff)
			}
		})
	}
}
