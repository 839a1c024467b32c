package metrics

import (
	"testing"
)

// contentArticleText is the article of the content fixtures.
const contentArticleText = "Acme Corp lost $19 million in 2019 and cut 20,000 jobs, chief executive Jane Doe said on Tuesday. " +
	"Five factories in Ohio will close by March. Profits fell 5 percent, the third fall in a row. " +
	"The company's London office was not sold. The board has never paid a dividend."

var contentReference = []string{
	"Acme lost $19 million in 2019 and cut 20,000 jobs.",
	"Five Ohio factories will close by March.",
	"Profits fell 5 percent for a third year.",
	"The board has never paid a dividend.",
}

func TestContentFixtures(t *testing.T) {
	m, err := NewContent()
	if err != nil {
		t.Fatal(err)
	}
	score := func(cand ...string) float64 {
		return m.Score(Case{Article: contentArticleText, Reference: contentReference, Candidate: cand}).Value
	}
	all := score(
		"Acme cut 20,000 jobs after losing $19 million in 2019.",
		"It will close five factories in Ohio by March.",
		"Profits fell 5 percent, a third straight fall.",
		"Acme's board has never paid a dividend.",
	)
	half := score(
		"Acme cut 20,000 jobs after losing $19 million in 2019.",
		"It will close five factories in Ohio by March.",
	)
	laterHalf := score(
		"Profits fell 5 percent, a third straight fall.",
		"Acme's board has never paid a dividend.",
	)
	paraphrase := score(
		"In 2019 Acme lost 19 million dollars; 20,000 jobs were cut.",
		"By March, five factories in Ohio are closing.",
		"A third fall: profits down 5 percent.",
		"No dividend has ever been paid by the board.",
	)
	unrelated := score("The weather in Paris was sunny all weekend, forecasters reported.")
	scattered := score("Acme million jobs.", "Lost 2019 cut 20,000.")
	together := score("Acme lost $19 million in 2019, cutting 20,000 jobs.")
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"all facts > half + 0.15", all > half+0.15 && all > laterHalf+0.15},
		{"all facts ≥ 0.8", all >= 0.8},
		{"half in (0.2, 0.8)", half > 0.2 && half < 0.8 && laterHalf > 0.2 && laterHalf < 0.8},
		{"the facts the article leads with weigh more", half > laterHalf},
		{"paraphrase ≥ 0.7", paraphrase >= 0.7},
		{"unrelated < 0.05", unrelated < 0.05},
		{"one bullet > same words scattered", together > scattered},
	} {
		if !c.ok {
			t.Errorf("%s: all %.3f, half %.3f, later half %.3f, paraphrase %.3f, unrelated %.3f, together %.3f, scattered %.3f",
				c.name, all, half, laterHalf, paraphrase, unrelated, together, scattered)
		}
	}
}

func TestContentRedundancy(t *testing.T) {
	m, err := NewContent()
	if err != nil {
		t.Fatal(err)
	}
	score := func(cand ...string) Score {
		return m.Score(Case{Article: contentArticleText, Reference: contentReference, Candidate: cand})
	}
	once := score("Acme lost $19 million in 2019 and cut 20,000 jobs.", "Five Ohio factories will close by March.")
	stutter := score("Acme lost lost $19 million in 2019 and cut cut 20,000 jobs.", "Five Ohio factories will close by March.")
	again := score("Acme lost $19 million in 2019 and cut 20,000 jobs.", "Acme lost $19 million and cut jobs.",
		"Five Ohio factories will close by March.")
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"no repeat: value = recall", once.Value == once.Parts["recall"]},
		{"same recall when words repeat", stutter.Parts["recall"] == once.Parts["recall"] && again.Parts["recall"] == once.Parts["recall"]},
		{"a word repeated inside a bullet costs", stutter.Value < once.Value-0.05},
		{"a bullet restating another costs", again.Value < once.Value-0.05},
		{"inside a bullet costs more per repeat", (once.Value-stutter.Value)/2 > (once.Value-again.Value)/5},
	} {
		if !c.ok {
			t.Errorf("%s: once %+v, stutter %+v, again %+v", c.name, once.Parts, stutter, again)
		}
	}
	if w, x := redundancy(contentText{{"a", "b", "a"}, {"b", "c"}}); w != 0.2 || x != 0.25 {
		t.Errorf("redundancy({a b a} {b c}) = %g, %g, want 0.2 (1 of 5 words), 0.25 (b of a, b, b, c)", w, x)
	}
}

func TestContentEdgeCases(t *testing.T) {
	m, err := NewContent()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Case{
		{Article: contentArticleText},
		{Article: contentArticleText, Reference: contentReference},
		{Article: contentArticleText, Candidate: contentReference},
		{Reference: []string{"the of and"}, Candidate: []string{"Acme"}},
		{Reference: contentReference, Candidate: []string{"", "the"}},
	} {
		s := m.Score(c)
		if s.Value != 0 || s.Parts["recall"] != 0 || s.Parts["precision"] != 0 || s.Parts["f"] != 0 {
			t.Errorf("Score(%q, %q) = %+v, want all 0", c.Reference, c.Candidate, s)
		}
	}
	s := m.Score(Case{Reference: contentReference, Candidate: contentReference})
	for _, k := range []string{"recall", "precision", "f"} {
		if s.Parts[k] < 0.999 {
			t.Errorf("Score(reference as candidate, no article).Parts[%q] = %.3f, want 1", k, s.Parts[k])
		}
	}
	if got, err := ByName("content", Options{}); err != nil || got.Name() != "content" {
		t.Errorf(`ByName("content") = %v, %v; want the content metric`, got, err)
	}
}

func BenchmarkContent(b *testing.B) {
	m, err := NewContent()
	if err != nil {
		b.Fatal(err)
	}
	cases := devCases(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		m.Score(cases[i%len(cases)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}
