package extractive

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/clean"
)

const syntheticArticle = `WASHINGTON (CNN) -- A powerful storm swept across the Midwest on Tuesday, knocking out power to more than 200,000 homes and forcing schools in three states to close, officials said.

The storm, which forecasters had tracked for days as it moved east from the Rocky Mountains, brought winds of up to 80 mph and heavy rain to Illinois, Indiana and Ohio.

"We have never seen anything like this in my 30 years on the job," said Mayor Jane Smith of Springfield. "Whole streets are under water."

Utility companies said crews from five neighboring states were on their way to help restore power, but warned that some customers could be without electricity until the weekend.

The National Weather Service said a second storm could reach the region by Friday, bringing more rain to areas that are already flooded.

Gov. Tom Brown declared a state of emergency in 12 counties and asked the federal government for disaster aid.

No deaths have been reported, but at least 14 people were treated for minor injuries, according to state police.`

func newDefault(t testing.TB) *Summarizer {
	t.Helper()
	s, err := New(DefaultOptions())
	if err != nil {
		t.Fatalf("New(DefaultOptions()) error: %v", err)
	}
	return s
}

func TestSummarizeSynthetic(t *testing.T) {
	s := newDefault(t)
	o := s.Options()
	got := s.Summarize("Storm knocks out power across the Midwest", syntheticArticle)
	if len(got) != o.Bullets {
		t.Fatalf("Summarize: %d bullets %q, want %d", len(got), got, o.Bullets)
	}
	for _, b := range got {
		if n := wordCount(b); n > o.MaxWords || n < 4 {
			t.Errorf("bullet %q has %d words, want 4..%d", b, n, o.MaxWords)
		}
		for _, bad := range []string{"(CNN)", "WASHINGTON", "--"} {
			if strings.Contains(b, bad) {
				t.Errorf("bullet %q still holds %q", b, bad)
			}
		}
		if strings.HasSuffix(b, ".") {
			t.Errorf("bullet %q ends with a period; headlines do not", b)
		}
	}
	if !strings.HasPrefix(got[0], "A powerful storm swept across the Midwest") {
		t.Errorf("first bullet = %q, want the lead sentence", got[0])
	}
	for i := 0; i < 3; i++ {
		again := s.Summarize("Storm knocks out power across the Midwest", syntheticArticle)
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("Summarize is not deterministic (-first +again):\n%s", diff)
		}
	}
}

func TestSummarizeOptions(t *testing.T) {
	o := DefaultOptions()
	o.Bullets = 2
	o.MaxWords = 12
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	got := s.Summarize("", syntheticArticle)
	if len(got) != 2 {
		t.Fatalf("Summarize with Bullets=2: %q", got)
	}
	for _, b := range got {
		if n := wordCount(b); n > 12 {
			t.Errorf("bullet %q has %d words, want ≤ 12", b, n)
		}
	}
}

func TestSummarizeEdgeCases(t *testing.T) {
	s := newDefault(t)
	for _, body := range []string{"", "   \n\n  ", "(CNN)"} {
		if got := s.Summarize("A title", body); got != nil {
			t.Errorf("Summarize(%q) = %q, want nil", body, got)
		}
	}
	got := s.Summarize("", "Just one short sentence.")
	if diff := cmp.Diff([]string{"Just one short sentence"}, got); diff != "" {
		t.Errorf("Summarize one sentence mismatch (-want +got):\n%s", diff)
	}
	huge := strings.Repeat("The council met again on Monday to discuss the new budget plan. ", 2000)
	if got := s.Summarize("", huge); len(got) != 1 {
		t.Errorf("Summarize(2000 equal sentences) = %d bullets, want 1 (duplicates dropped)", len(got))
	}
	long := strings.Repeat("word ", 500) + "end."
	if got := s.Summarize("", long); len(got) != 1 || wordCount(got[0]) > s.Options().MaxWords {
		t.Errorf("Summarize(500 words without a break) = %q, want one bullet within MaxWords", got)
	}
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Options)
	}{
		{"zero bullets", func(o *Options) { o.Bullets = 0 }},
		{"tiny max words", func(o *Options) { o.MaxWords = 2 }},
		{"negative weight", func(o *Options) { o.Centrality = -1 }},
		{"zero decay", func(o *Options) { o.PositionDecay = 0 }},
		{"min above max", func(o *Options) { o.MinWords = 100 }},
	}
	for _, tt := range tests {
		o := DefaultOptions()
		tt.edit(&o)
		if _, err := New(o); err == nil {
			t.Errorf("New with %s: got nil error, want one", tt.name)
		}
	}
	if _, err := New(Options{}); err == nil {
		t.Error("New(Options{}): got nil error, want one")
	}
}

// sampleBody is the article body of testdata/sample.txt: from the
// dateline to the last "Rutte said.".
func sampleBody(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sample.txt"))
	if err != nil {
		t.Skipf("sample article: %v", err)
	}
	s := string(b)
	i := strings.Index(s, "BRUSSELS –")
	j := strings.LastIndex(s, "Rutte said.")
	if i < 0 || j < i {
		t.Fatalf("sample.txt: body markers not found")
	}
	return s[i : j+len("Rutte said.")]
}

func TestSummarizeSample(t *testing.T) {
	s := newDefault(t)
	body := sampleBody(t)
	got := s.Summarize("", body)
	t.Logf("sample bullets:\n- %s", strings.Join(got, "\n- "))
	if len(got) != 3 {
		t.Fatalf("Summarize(sample) = %q, want 3 bullets", got)
	}
	for _, b := range got {
		if strings.Contains(b, "BRUSSELS") || strings.Contains(b, "Reporting by") {
			t.Errorf("bullet %q holds dateline or credits", b)
		}
		if n := wordCount(b); n < 6 || n > s.Options().MaxWords {
			t.Errorf("bullet %q has %d words", b, n)
		}
		if strings.Count(b, "“") != strings.Count(b, "”") || strings.Count(b, `"`)%2 != 0 {
			t.Errorf("bullet %q has unbalanced quotes", b)
		}
	}
	if !strings.Contains(got[0], "NATO") || !strings.Contains(got[0], "Ukraine") {
		t.Errorf("first bullet %q does not carry the lead (NATO, Ukraine)", got[0])
	}
}

func TestHeadlineTrims(t *testing.T) {
	tests := []struct {
		in, want string
		max      int
	}{
		{"The storm killed three people, police said.", "The storm killed three people", 30},
		{"The hospital reopened on Monday after a long delay, a spokesman said on Tuesday.", "The hospital reopened on Monday after a long delay", 30},
		{"Mike Tyson (pictured) lived in a mansion in Ohio for many years.", "Mike Tyson lived in a mansion in Ohio for many years", 30},
		{"Speaking after the match on Sunday, Carragher said the club needed a new striker.", "Carragher said the club needed a new striker", 30},
		{`"We know where to look and we know how to look," she said.`, `"We know where to look and we know how to look"`, 30},
		// The comma after "son" is inside the clause: nothing is dropped.
		{"When Lawrence learned his son, Wil, had Down syndrome, he was stunned.", "When Lawrence learned his son, Wil, had Down syndrome, he was stunned", 30},
		// Named attributions carry facts: kept.
		{"The plan will cost $2 billion over ten years, Mayor Jane Smith said.", "The plan will cost $2 billion over ten years, Mayor Jane Smith said", 30},
		// Over the cap: the relative clause goes first.
		{"Domenico Rancadore, who has lived in Britain for more than 20 years, was given a seven-year sentence by an Italian court.", "Domenico Rancadore was given a seven-year sentence by an Italian court", 15},
		// Cut at a clause boundary, not inside the subject's appositive.
		{"The storm brought winds of up to 80 mph to three states, forcing schools to close and leaving thousands of homes without power for days.", "The storm brought winds of up to 80 mph to three states", 15},
	}
	for _, tt := range tests {
		if got := trimWith(tt.in, tt.max, defaultTrim); got != tt.want {
			t.Errorf("trimWith(%q, %d, defaultTrim) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestSummarizeConcurrent(t *testing.T) {
	s := newDefault(t)
	want := s.Summarize("", syntheticArticle)
	done := make(chan []string)
	for range 4 {
		go func() { done <- s.Summarize("", syntheticArticle) }()
	}
	for range 4 {
		if diff := cmp.Diff(want, <-done); diff != "" {
			t.Errorf("concurrent Summarize differs (-want +got):\n%s", diff)
		}
	}
}

// TestSummarizeArticle checks that SummarizeArticle cuts the dateline the
// article carries, and only that one: it does not look for another.
func TestSummarizeArticle(t *testing.T) {
	s := newDefault(t)
	const title = "Storm knocks out power across the Midwest"
	a := clean.Article{Title: title, Body: syntheticArticle, Dateline: "WASHINGTON (CNN)"}
	got := s.SummarizeArticle(a)
	if diff := cmp.Diff(s.Summarize(title, syntheticArticle), got); diff != "" {
		t.Errorf("SummarizeArticle differs from Summarize on the same text (-Summarize +SummarizeArticle):\n%s", diff)
	}
	if len(got) == 0 || !strings.HasPrefix(got[0], "A powerful storm") {
		t.Errorf("SummarizeArticle(%q...) = %q, want the lead without its dateline first", syntheticArticle[:30], got)
	}
	body := "Boston (CNN)Guilty across the board, the jury said on Wednesday. He will be sentenced later."
	lead := LeadArticle(clean.Article{Body: body}, 1)
	if want := []string{"Boston (CNN)Guilty across the board, the jury said on Wednesday."}; !cmp.Equal(want, lead) {
		t.Errorf("LeadArticle(no dateline) = %q, want %q: only Article.Dateline is cut", lead, want)
	}
	lead = LeadArticle(clean.Article{Body: body, Dateline: "Boston (CNN)"}, 1)
	if want := []string{"Guilty across the board, the jury said on Wednesday."}; !cmp.Equal(want, lead) {
		t.Errorf("LeadArticle(dateline %q) = %q, want %q", "Boston (CNN)", lead, want)
	}
}
