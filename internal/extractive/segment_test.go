package extractive

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/clean"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "cnn tag glued to first word",
			in:   "(CNN)They may not be aliens, a NASA scientist says. Water is key.",
			want: []string{"They may not be aliens, a NASA scientist says.", "Water is key."},
		},
		{
			name: "cnn tag with dashes and dateline",
			in:   "WASHINGTON (CNN) -- The Senate voted on Tuesday. The bill passed.",
			want: []string{"The Senate voted on Tuesday.", "The bill passed."},
		},
		{
			name: "dateline with en dash",
			in:   "BRUSSELS – The whole of NATO is committed, Rutte said. He spoke on Wednesday.",
			want: []string{"The whole of NATO is committed, Rutte said.", "He spoke on Wednesday."},
		},
		{
			name: "titles and country abbreviations",
			in:   "Dr. Smith met Gov. Brown and Sen. Jones in the U.S. Capitol. They talked.",
			want: []string{"Dr. Smith met Gov. Brown and Sen. Jones in the U.S. Capitol.", "They talked."},
		},
		{
			name: "U.S. ends a sentence",
			in:   "The virus spread across the U.S. The next day, schools closed.",
			want: []string{"The virus spread across the U.S.", "The next day, schools closed."},
		},
		{
			name: "months",
			in:   "The law takes effect Jan. 1 in most states. Critics object.",
			want: []string{"The law takes effect Jan. 1 in most states.", "Critics object."},
		},
		{
			name: "quote closing after a comma",
			in:   `"We know where to look," she said. "We are ready."`,
			want: []string{`"We know where to look," she said.`, `"We are ready."`},
		},
		{
			name: "quote with exclamation then attribution",
			in:   `"Get out!" he shouted. Then he left.`,
			want: []string{`"Get out!" he shouted.`, "Then he left."},
		},
		{
			name: "number before the period",
			in:   "Kayahan died on Friday at the age of 66. He had performed in Istanbul.",
			want: []string{"Kayahan died on Friday at the age of 66.", "He had performed in Istanbul."},
		},
		{
			name: "missing space after the period",
			in:   "The car was found on Monday.The owner was delighted.",
			want: []string{"The car was found on Monday.", "The owner was delighted."},
		},
		{
			name: "paragraphs and wrapped lines",
			in:   "Rutte said nobody was naive about Russia and\nall members agreed.\n\nUS Will Be Involved\nHe said so.",
			want: []string{"Rutte said nobody was naive about Russia and all members agreed.", "US Will Be Involved", "He said so."},
		},
		{
			name: "sentence beginning with By is kept",
			in:   "By the time the police arrived, the men had fled. They were never found.",
			want: []string{"By the time the police arrived, the men had fled.", "They were never found."},
		},
		{name: "empty", in: "  \n\n ", want: nil},
		{name: "punctuation only", in: "— ... —", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := segmenter().Sentences(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Sentences(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestLeadArticle(t *testing.T) {
	body := "(CNN)One. Two is here. Three is here. Four is here."
	got := LeadArticle(clean.Article{Body: body, Dateline: clean.Dateline(body)}, 3)
	want := []string{"One.", "Two is here.", "Three is here."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LeadArticle(%q, 3) mismatch (-want +got):\n%s", body, diff)
	}
	if got := LeadArticle(clean.Article{}, 3); got != nil {
		t.Errorf("LeadArticle(empty, 3) = %q, want nil", got)
	}
	if got := LeadArticle(clean.Article{Body: "Only one."}, 3); len(got) != 1 {
		t.Errorf("LeadArticle(%q, 3) = %q, want 1 sentence", "Only one.", got)
	}
}

func TestSentencesTaggedDateline(t *testing.T) {
	in := "Washington (CNN)This week is the anniversary. Obama spoke."
	want := []string{"This week is the anniversary.", "Obama spoke."}
	if diff := cmp.Diff(want, segmenter().Sentences(in)); diff != "" {
		t.Errorf("Sentences(%q) mismatch (-want +got):\n%s", in, diff)
	}
}

func TestSentencesCaptionRunOn(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{
			in:   "Ze Maria represented Brazil on 25 occasions during an international career spanning five years The result left Ceahlaul 16th in the standings.",
			want: []string{"Ze Maria represented Brazil on 25 occasions during an international career spanning five years", "The result left Ceahlaul 16th in the standings."},
		},
		{
			in:   "The summit was held in The Hague and the papers were leaked to The Times by an aide.",
			want: []string{"The summit was held in The Hague and the papers were leaked to The Times by an aide."},
		},
		{
			in:   "It replaced Bob Dylan's The Times They Are A Changin as the top song of the year.",
			want: []string{"It replaced Bob Dylan's The Times They Are A Changin as the top song of the year."},
		},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, segmenter().Sentences(tt.in)); diff != "" {
			t.Errorf("Sentences(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestSentencesKeepsNamesAfterNouns(t *testing.T) {
	in := "The loophole came to light after officers raided restaurant The Royal China Club, on Baker Street, and seized fins."
	want := []string{in}
	if diff := cmp.Diff(want, segmenter().Sentences(in)); diff != "" {
		t.Errorf("Sentences(%q) mismatch (-want +got):\n%s", in, diff)
	}
}

// TestSentencesOfCleanedText runs the path users take: clean.Clean removes
// the page noise (bylines, stamps, video prompts) and records the dateline;
// the segmenter only splits and cuts that dateline.
func TestSentencesOfCleanedText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "byline and stamps",
			in:   "By Jane Doe, CNN\n\nPUBLISHED: 09:53 EST, 1 May 2013 | UPDATED: 10:01 EST, 1 May 2013\n\nLast updated at 10:01 AM\n\nThe storm hit the coast at dawn. Nobody was hurt.",
			want: []string{"The storm hit the coast at dawn.", "Nobody was hurt."},
		},
		{
			name: "daily mail inline stamp",
			in:   "By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . | . UPDATED: 10:01 EST, 1 May 2013 . The storm hit the coast at dawn. Nobody was hurt.",
			want: []string{"The storm hit the coast at dawn.", "Nobody was hurt."},
		},
		{
			name: "scroll down for video",
			in:   "The dog was rescued from the river. Scroll down for video The owner cried.",
			want: []string{"The dog was rescued from the river.", "The owner cried."},
		},
		{
			name: "tagged dateline",
			in:   "Boston (CNN)Guilty across the board, the jury said on Wednesday. He will be sentenced later.",
			want: []string{"Guilty across the board, the jury said on Wednesday.", "He will be sentenced later."},
		},
		{
			name: "dateline after a headline",
			in:   "Markets rally as inflation cools\n\nLONDON (Reuters) - Global stocks rose on Tuesday. The dollar slipped.",
			want: []string{"Markets rally as inflation cools", "Global stocks rose on Tuesday.", "The dollar slipped."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := clean.Clean(clean.Input{Source: tt.name, Data: []byte(tt.in)}, clean.Options{})
			if err != nil {
				t.Fatalf("clean.Clean(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, LeadArticle(a, 10)); diff != "" {
				t.Errorf("LeadArticle(clean.Clean(%q)) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(tt.want, segmenter().Sentences(a.Body)); diff != "" {
				t.Errorf("Sentences(%q) mismatch (-want +got):\n%s", a.Body, diff)
			}
		})
	}
}

func TestDropDateline(t *testing.T) {
	tests := []struct {
		paras []string
		dl    string
		want  []string
	}{
		{[]string{"WASHINGTON (CNN) -- The Senate voted."}, "WASHINGTON (CNN)", []string{"The Senate voted."}},
		{[]string{"BRUSSELS – NATO met.", "It agreed."}, "BRUSSELS", []string{"NATO met.", "It agreed."}},
		{[]string{"(CNN)They may not be aliens."}, "(CNN)", []string{"They may not be aliens."}},
		{[]string{"Markets rally", "LONDON (Reuters) - Stocks rose."}, "LONDON (Reuters)", []string{"Markets rally", "Stocks rose."}},
		{[]string{"(CNN) --", "Stocks rose."}, "(CNN)", []string{"Stocks rose."}},
		{[]string{"The Senate voted."}, "BRUSSELS", []string{"The Senate voted."}},
		{[]string{"A", "B", "BRUSSELS – NATO met."}, "BRUSSELS", []string{"A", "B", "BRUSSELS – NATO met."}},
		{nil, "BRUSSELS", nil},
	}
	for _, tt := range tests {
		in := append([]string(nil), tt.paras...)
		if diff := cmp.Diff(tt.want, dropDateline(in, tt.dl)); diff != "" {
			t.Errorf("dropDateline(%q, %q) mismatch (-want +got):\n%s", tt.paras, tt.dl, diff)
		}
	}
}
