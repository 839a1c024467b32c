package extractive

import (
	"strings"
	"testing"
)

func TestBalanceQuotes(t *testing.T) {
	tests := []struct{ in, want string }{
		{`No quotation here`, `No quotation here`},
		{`He called it "a disaster" on Monday`, `He called it "a disaster" on Monday`},
		{`He called it “a disaster” on Monday`, `He called it “a disaster” on Monday`},
		// Begun inside a quotation: the opening mark is restored.
		{`We know how to look"`, `"We know how to look"`},
		{`Makes my skin crawl even being here.”`, `“Makes my skin crawl even being here.”`},
		// Left open by a cut: closed, without the comma before the cut.
		{`"We know how to look,`, `"We know how to look"`},
		{`He said the plan was “a disaster for the city,`, `He said the plan was “a disaster for the city”`},
		// An opening mark with nothing after it is dropped.
		{`The minister called the plan a “`, `The minister called the plan a`},
		{`The minister called the plan a ",`, `The minister called the plan a`},
		// Both at once.
		{`here," he said, adding: “we will`, `"here," he said, adding: “we will”`},
	}
	for _, tt := range tests {
		if got := balanceQuotes(tt.in); got != tt.want {
			t.Errorf("balanceQuotes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOpensInside(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{`We know how to look," she said.`, true},
		{`Whole streets are under water.”`, true},
		{`"We know where to look," she said.`, false},
		{`She called it “a disaster”.`, false},
		{`The storm hit on Tuesday.`, false},
	}
	for _, tt := range tests {
		if got := opensInside(tt.in); got != tt.want {
			t.Errorf("opensInside(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestHeadlineQuotes checks that trimming leaves no quotation mark
// unmatched and keeps the marks of a quotation whose attribution it cuts.
func TestHeadlineQuotes(t *testing.T) {
	tests := []struct {
		in, want string
		max      int
	}{
		// The sentence began inside a quotation: its attribution goes, the
		// quotation gets its opening mark back.
		{`We know how to look," she said.`, `"We know how to look"`, 30},
		{`We know how to look,” she said.`, `“We know how to look”`, 30},
		// Cut at the cap inside a quotation: closed.
		{`The mayor said the storm was “the worst thing that has happened to this city in all my years in office and beyond”.`,
			`The mayor said the storm was “the worst thing that has happened to this city”`, 15},
		// A clause boundary outside the quotation is taken before the
		// comma inside it.
		{`The council met for hours on Monday in the town hall, saying “we are tired, we are done and we are going home now”.`,
			`The council met for hours on Monday in the town hall`, 15},
	}
	for _, tt := range tests {
		if got := trimWith(tt.in, tt.max, defaultTrim); got != tt.want {
			t.Errorf("trimWith(%q, %d, defaultTrim) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

// quoteProblem says what is wrong with the quotation marks of a bullet, or
// "" when nothing is.
func quoteProblem(b string) string {
	if strings.Count(b, `"`)%2 == 1 {
		return "an odd number of straight quotation marks"
	}
	if strings.Count(b, "“") != strings.Count(b, "”") {
		return "unmatched curly quotation marks"
	}
	if m := quoteMarks(b); len(m) > 0 && !m[0].open {
		return "a closing mark before any opening one"
	}
	if m := quoteMarks(b); len(m) > 0 && m[len(m)-1].open {
		return "an opening mark at the end"
	}
	return ""
}

// TestMaxWordsDev summarizes every cleaned dev article under several word
// caps and checks each bullet: within the cap, its quotation marks
// matched, and not taken from a sentence that opens inside a quotation.
func TestMaxWordsDev(t *testing.T) {
	recs := loadDev(t)
	arts, _ := cleanedDev(recs)
	for _, max := range []int{8, 15, 20, 40} {
		o := DefaultOptions()
		o.MaxWords, o.MinWords = max, min(o.MinWords, max)
		s, err := New(o)
		if err != nil {
			t.Fatalf("New(MaxWords %d) error: %v", max, err)
		}
		for i, a := range arts {
			sents, err := s.seg.sentencesContext(t.Context(), a.Body, a.Dateline, -1)
			if err != nil {
				t.Fatal(err)
			}
			picked, err := s.pick(t.Context(), a.Title, sents)
			if err != nil {
				t.Fatal(err)
			}
			fragments := 0
			for _, j := range sents {
				if opensInside(j) {
					fragments++
				}
			}
			for _, j := range picked {
				// a fragment only when fewer than Bullets sentences are whole
				if opensInside(sents[j]) && len(sents)-fragments >= o.Bullets {
					t.Errorf("%s: picked a quotation fragment: %q", recs[i].ID, sents[j])
				}
			}
			for _, b := range s.SummarizeArticle(a) {
				if n := wordCount(b); n > max {
					t.Errorf("%s, max %d: bullet of %d words: %q", recs[i].ID, max, n, b)
				}
				if p := quoteProblem(b); p != "" {
					t.Errorf("%s, max %d: bullet with %s: %q", recs[i].ID, max, p, b)
				}
			}
		}
	}
}

// TestSummarizeMaxWords checks the cap on the synthetic article, whose
// quotation runs over two sentences.
func TestSummarizeMaxWords(t *testing.T) {
	for _, max := range []int{3, 5, 10, 15} {
		o := DefaultOptions()
		o.MaxWords, o.MinWords = max, min(o.MinWords, max)
		s, err := New(o)
		if err != nil {
			t.Fatalf("New(MaxWords %d) error: %v", max, err)
		}
		got := s.Summarize("", syntheticArticle)
		if len(got) == 0 {
			t.Fatalf("Summarize(syntheticArticle) with MaxWords %d = no bullets", max)
		}
		for _, b := range got {
			if n := wordCount(b); n > max {
				t.Errorf("Summarize(syntheticArticle) with MaxWords %d: %q has %d words", max, b, n)
			}
			if p := quoteProblem(b); p != "" {
				t.Errorf("Summarize(syntheticArticle) with MaxWords %d: %q has %s", max, b, p)
			}
		}
	}
}
