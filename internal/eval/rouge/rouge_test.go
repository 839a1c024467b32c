package rouge

import (
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var approx = cmpopts.EquateApprox(0, 1e-12)

func TestScore(t *testing.T) {
	all := []string{"rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"}
	zero := Score{}
	one := Score{1, 1, 1}
	tests := []struct {
		name         string
		target, pred string
		stem         bool
		want         map[string]Score
	}{
		{"both empty", "", "", false, map[string]Score{"rouge1": zero, "rouge2": zero, "rouge3": zero, "rougeL": zero, "rougeLsum": zero}},
		{"empty prediction", "the cat sat", "", false, map[string]Score{"rouge1": zero, "rouge2": zero, "rouge3": zero, "rougeL": zero, "rougeLsum": zero}},
		{"punctuation-only target", "... !!", "the cat", false, map[string]Score{"rouge1": zero, "rouge2": zero, "rouge3": zero, "rougeL": zero, "rougeLsum": zero}},
		{"identical", "The cat sat on the mat.", "the CAT sat on the mat", false, map[string]Score{"rouge1": one, "rouge2": one, "rouge3": one, "rougeL": one, "rougeLsum": one}},
		{"prefix", "the cat sat", "the cat", false, map[string]Score{
			"rouge1":    {1, 2.0 / 3, 0.8},
			"rouge2":    {1, 0.5, 2.0 / 3},
			"rouge3":    {0, 0, 0},
			"rougeL":    {1, 2.0 / 3, 0.8},
			"rougeLsum": {1, 2.0 / 3, 0.8},
		}},
		// One token: no bigram on either side gives 0/max(0,1) = 0, not 1.
		{"one token", "cat", "cat", false, map[string]Score{"rouge1": one, "rouge2": zero, "rouge3": zero, "rougeL": one, "rougeLsum": one}},
		{"clipped counts", "the the cat", "the the the the", false, map[string]Score{
			"rouge1":    {0.5, 2.0 / 3, 4.0 / 7},
			"rouge2":    {1.0 / 3, 0.5, 0.4},
			"rouge3":    {0, 0, 0},
			"rougeL":    {0.5, 2.0 / 3, 4.0 / 7},
			"rougeLsum": {0.5, 2.0 / 3, 4.0 / 7},
		}},
		// Swapped sentences: LCS over the whole text finds one of them,
		// the summary-level LCS finds both.
		{"sentence order, blank lines", "a b\n\nc d\n", "c d\na b", false, map[string]Score{
			"rouge1":    one,
			"rouge2":    {2.0 / 3, 2.0 / 3, 2.0 / 3},
			"rouge3":    {0, 0, 0},
			"rougeL":    {0.5, 0.5, 0.5},
			"rougeLsum": one,
		}},
		// The union LCS of a reference sentence counts each position once.
		{"union counts a position once", "a a", "a\na", false, map[string]Score{
			"rouge1": one, "rouge2": one, "rouge3": zero, "rougeL": one,
			"rougeLsum": {0.5, 0.5, 0.5},
		}},
		// Hits are capped by the prediction's token counts.
		{"hits capped by counts", "a b\na b", "a b", false, map[string]Score{
			"rouge1":    {1, 0.5, 2.0 / 3},
			"rouge2":    {1, 1.0 / 3, 0.5},
			"rouge3":    zero,
			"rougeL":    {1, 0.5, 2.0 / 3},
			"rougeLsum": {1, 0.5, 2.0 / 3},
		}},
		// A line with no token is a sentence with no token.
		{"tokenless lines", "--\na b\n..", "a b\n!!", false, map[string]Score{"rouge1": one, "rouge2": one, "rouge3": zero, "rougeL": one, "rougeLsum": one}},
		{"stemming", "Running dogs", "run dog", true, map[string]Score{"rouge1": one, "rouge2": one, "rouge3": zero, "rougeL": one, "rougeLsum": one}},
		{"no stemming", "Running dogs", "run dog", false, map[string]Score{"rouge1": zero, "rouge2": zero, "rouge3": zero, "rougeL": zero, "rougeLsum": zero}},
		{"unicode case mapping", "İzmir 5\u212a", "i zmir 5k", false, map[string]Score{"rouge1": one, "rouge2": one, "rouge3": one, "rougeL": one, "rougeLsum": one}},
		{"hyphen and apostrophe", "state-of-the-art O'Neil", "state of the art o neil", false, map[string]Score{"rouge1": one, "rouge2": one, "rouge3": one, "rougeL": one, "rougeLsum": one}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewScorer(all, Options{Stemmer: tt.stem})
			if err != nil {
				t.Fatal(err)
			}
			got := s.Score(tt.target, tt.pred)
			if diff := cmp.Diff(tt.want, got, approx); diff != "" {
				t.Errorf("Score(%q, %q) mismatch (-want +got):\n%s", tt.target, tt.pred, diff)
			}
		})
	}
}

func TestNewScorerErrors(t *testing.T) {
	tests := []struct {
		types []string
		want  string
	}{
		{nil, "no types"},
		{[]string{"rouge1", "rougeX"}, `"rougeX"`},
		{[]string{"rouge0"}, `"rouge0"`},
		{[]string{"rouge10"}, `"rouge10"`},
		{[]string{"ROUGE1"}, `"ROUGE1"`},
		{[]string{"rougeL", "rougeL"}, "twice"},
	}
	for _, tt := range tests {
		_, err := NewScorer(tt.types, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewScorer(%q) error = %v, want one containing %s", tt.types, err, tt.want)
		}
	}
}

func TestScoreBullets(t *testing.T) {
	s, err := NewScorer([]string{"rougeLsum", "rouge1"}, Options{Stemmer: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"rougeLsum", "rouge1"}, s.Types()); diff != "" {
		t.Errorf("Types() mismatch (-want +got):\n%s", diff)
	}
	ref := []string{"NASA finds water", "Scientists are happy", ""}
	cand := []string{"Scientists are happy.", "NASA found water on Mars."}
	got := s.ScoreBullets(ref, cand)
	want := s.Score(strings.Join(ref, "\n"), strings.Join(cand, "\n"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ScoreBullets mismatch (-want +got):\n%s", diff)
	}
	// 6 reference tokens (nasa find water scientist are happi) and 8 in the
	// candidate (scientist are happi nasa found water on mar): all but
	// "find" hit.
	wantLsum := Score{5.0 / 8, 5.0 / 6, fmeasure(5.0/8, 5.0/6)}
	if diff := cmp.Diff(wantLsum, got["rougeLsum"], approx); diff != "" {
		t.Errorf("ScoreBullets rougeLsum mismatch (-want +got):\n%s", diff)
	}
}

// TestCustomTokenizer checks that a custom tokenizer is used for every
// type, per line for rougeLsum.
func TestCustomTokenizer(t *testing.T) {
	s, err := NewScorer([]string{"rouge1", "rougeL", "rougeLsum"}, Options{Tokenizer: UnicodeTokenizer{}})
	if err != nil {
		t.Fatal(err)
	}
	got := s.Score("Zürich café\nMünchen", "München\nzürich CAFÉ")
	want := map[string]Score{
		"rouge1":    {1, 1, 1},
		"rougeL":    {2.0 / 3, 2.0 / 3, 2.0 / 3},
		"rougeLsum": {1, 1, 1},
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("Score with UnicodeTokenizer mismatch (-want +got):\n%s", diff)
	}
	def, _ := NewScorer([]string{"rouge1"}, Options{})
	// The default tokenizer splits at ü: "z rich", which "Z-rich" matches
	// and "Zurich" does not.
	if got := def.Score("Zürich", "Z-rich")["rouge1"]; got.F != 1 {
		t.Errorf("default tokenizer Score(Zürich, Z-rich) rouge1 = %+v, want F 1", got)
	}
	if got := def.Score("Zürich", "Zurich")["rouge1"]; got.F != 0 {
		t.Errorf("default tokenizer Score(Zürich, Zurich) rouge1 = %+v, want F 0", got)
	}
}

// TestConcurrentScore scores the same pairs from several goroutines and
// compares with a serial run (run with -race to check the locking).
func TestConcurrentScore(t *testing.T) {
	texts := []string{
		"The president announced new sanctions on Tuesday.\nMarkets fell sharply.",
		"Markets fell after the announcement\nThe president spoke on Tuesday",
		"Scientists found evidence of water on Mars.",
		"Water was found on Mars by NASA scientists, officials said.",
	}
	serial, _ := NewScorer(DefaultTypes(), Options{Stemmer: true})
	var want []map[string]Score
	for _, a := range texts {
		for _, b := range texts {
			want = append(want, serial.Score(a, b))
		}
	}
	s, _ := NewScorer(DefaultTypes(), Options{Stemmer: true})
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for rep := 0; rep < 20; rep++ {
				k := 0
				for _, a := range texts {
					for _, b := range texts {
						if diff := cmp.Diff(want[k], s.Score(a, b)); diff != "" {
							errs <- diff
							return
						}
						k++
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for d := range errs {
		t.Errorf("concurrent Score differs from serial (-want +got):\n%s", d)
	}
}

func TestScoreBulletsEdgeCases(t *testing.T) {
	s, err := NewScorer(DefaultTypes(), Options{Stemmer: true})
	if err != nil {
		t.Fatal(err)
	}
	zero := map[string]Score{"rouge1": {}, "rouge2": {}, "rougeL": {}, "rougeLsum": {}}
	one := map[string]Score{"rouge1": {1, 1, 1}, "rouge2": {1, 1, 1}, "rougeL": {1, 1, 1}, "rougeLsum": {1, 1, 1}}
	tests := []struct {
		name      string
		ref, cand []string
		want      map[string]Score
	}{
		{"no bullets at all", nil, nil, zero},
		{"no candidate bullets", []string{"a b"}, nil, zero},
		{"only empty candidate bullets", []string{"a b"}, []string{"", ""}, zero},
		{"empty bullets around", []string{"", "Big news today", ""}, []string{"big news today", ""}, one},
		{"punctuation-only bullet", []string{"Big news today", "—"}, []string{"...", "Big news, today!"}, one},
		{"one-token bullets", []string{"Storm"}, []string{"storms"}, map[string]Score{
			"rouge1": {1, 1, 1}, "rouge2": {}, "rougeL": {1, 1, 1}, "rougeLsum": {1, 1, 1}}},
	}
	for _, tt := range tests {
		got := s.ScoreBullets(tt.ref, tt.cand)
		if diff := cmp.Diff(tt.want, got, approx); diff != "" {
			t.Errorf("%s: ScoreBullets(%q, %q) mismatch (-want +got):\n%s", tt.name, tt.ref, tt.cand, diff)
		}
	}
}
