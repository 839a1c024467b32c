package metrics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// paraphraseArticle is the article of the paraphrase fixtures.
const paraphraseArticle = "Acme Corp lost $19 million in 2019 and cut 20,000 jobs, chief executive Jane Doe said on Tuesday. " +
	"Five factories will close by March. Profits fell 5 percent, the third fall in a row. " +
	"Acme did not sell its London office, Doe said. The board has never paid a dividend."

// paraphraseFixtures are faithful paraphrases, which must score high,
// and unfaithful near-copies, which must score low and name the span.
func paraphraseFixtures() []struct {
	bullet      string
	faithful    bool
	unsupported []string
} {
	return []struct {
		bullet      string
		faithful    bool
		unsupported []string
	}{
		{"Acme lost $19m in 2019, Jane Doe says.", true, nil},
		{"Jane Doe, Acme's chief executive, said 20,000 jobs were cut.", true, nil},
		{"Acme will close five factories by March.", true, nil},
		{"Acme's profits fell 5%, their third fall in a row.", true, nil},
		{"Acme kept its London office, Doe said.", true, nil},
		{"The board of Acme has never paid a dividend.", true, nil},
		// Two neighbouring sentences fused, words reordered, and the lower
		// case of tokenized system outputs.
		{"Acme lost $19 million in 2019 and will close five factories by March.", true, nil},
		{"By March, five of Acme's factories will have closed.", true, nil},
		{"acme corp lost $19 million in 2019 and cut 20,000 jobs, chief executive jane doe said on tuesday.", true, nil},
		{"Acme Corp lost $19 million in 2019 and cut 2,000 jobs.", false, []string{"2,000"}},
		{"Acme Corp lost $19 million in 2018 and cut 20,000 jobs.", false, []string{"2018"}},
		{"Acme Corp cut 20,000 jobs, chief executive John Smith said on Tuesday.", false, []string{"John Smith"}},
		{"Five factories will close by May.", false, []string{"May"}},
		{"Acme lost $91m in 2019, Jane Doe says.", false, []string{"$91m"}},
		{"Acme's profits fell 15 percent, the third fall in a row.", false, []string{"15 percent"}},
		{"Acme Corp lost $19 million in 2019 and cut 20,000 jobs, chief executive Jane Doe said on Friday.", false, []string{"Friday"}},
		{"Acme did sell its London office, Doe said.", false, []string{"sell"}},
		{"Acme Corp did not cut 20,000 jobs, chief executive Jane Doe said.", false, []string{"not"}},
		{"The board has paid a dividend.", false, []string{"paid"}},
	}
}

func TestFaithfulnessParaphrase(t *testing.T) {
	m, err := NewFaithfulness()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range paraphraseFixtures() {
		s := m.Score(Case{Article: paraphraseArticle, Candidate: []string{tt.bullet}})
		d := s.Detail.([]BulletSupport)[0]
		if diff := cmp.Diff(tt.unsupported, d.Unsupported, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Score(%q) unsupported spans (-want +got):\n%s", tt.bullet, diff)
		}
		if tt.faithful && s.Value < 0.5 {
			t.Errorf("Score(%q).Value = %.3f, want ≥ 0.5 for a faithful paraphrase", tt.bullet, s.Value)
		}
		if !tt.faithful && s.Value > 0.3 {
			t.Errorf("Score(%q).Value = %.3f, want ≤ 0.3 for an unfaithful near-copy", tt.bullet, s.Value)
		}
		t.Logf("%.3f %q", s.Value, tt.bullet)
	}
}
