package clean

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestInlineNoise covers noise glued into the text of a line: Daily Mail's
// video prompts and its byline-and-stamp headers.
func TestInlineNoise(t *testing.T) {
	const story = "The storm hit the coast at dawn on Tuesday. Nobody was hurt, the coastguard said."
	tests := []struct {
		name string
		in   string
		opts Options
		want Article // Byline, Date, Body
	}{
		{
			name: "prompt inside a paragraph",
			in:   "The dog was rescued from the river by two walkers on Sunday. Scroll down for video The owner cried when she saw him again.",
			want: Article{Body: "The dog was rescued from the river by two walkers on Sunday. The owner cried when she saw him again."},
		},
		{
			name: "prompt variants",
			in:   "The dog was rescued from the river by two walkers. SCROLL DOWN FOR VIDEOS The owner cried. Scroll down for more Family and friends gathered. Scroll down for video... the walkers were thanked.",
			want: Article{Body: "The dog was rescued from the river by two walkers. The owner cried. Family and friends gathered. the walkers were thanked."},
		},
		{
			name: "prompt on its own line",
			in:   story + "\nScroll down for video\n" + story,
			want: Article{Body: story + "\n\n" + story},
		},
		{
			name: "prose about scrolling stays",
			in:   "Readers can scroll down for more details of the plan, which the council published on Monday.",
			want: Article{Body: "Readers can scroll down for more details of the plan, which the council published on Monday."},
		},
		{
			name: "prompt kept with the rule off",
			in:   "The dog was rescued from the river by two walkers on Sunday. Scroll down for video The owner cried.",
			opts: Options{DisableRules: []string{"scroll"}},
			want: Article{Body: "The dog was rescued from the river by two walkers on Sunday. Scroll down for video The owner cried."},
		},
		{
			name: "daily mail header glued to the text",
			in:   "By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . | . UPDATED: 10:01 EST, 1 May 2013 . " + story,
			want: Article{Byline: "Tom Roe", Date: "2013-05-01", Body: story},
		},
		{
			name: "two authors for an outlet",
			in:   "By . Jane Doe and John Roe for MailOnline . PUBLISHED: 09:53 EST, 1 May 2013 . " + story,
			want: Article{Byline: "Jane Doe and John Roe", Date: "2013-05-01", Body: story},
		},
		{
			name: "older stamp without a byline",
			in:   "Last updated at 5:09 PM on 22nd June 2011 " + story,
			want: Article{Date: "2011-06-22", Body: story},
		},
		{
			name: "header alone on its line",
			in:   "By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . | . UPDATED: 10:01 EST, 1 May 2013 .\n" + story,
			want: Article{Byline: "Tom Roe", Date: "2013-05-01", Body: story},
		},
		{
			name: "byline kept with its rule off",
			in:   "By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . " + story,
			opts: Options{DisableRules: []string{"byline"}},
			want: Article{Date: "2013-05-01", Body: "By . Tom Roe . " + story},
		},
		{
			name: "header kept with the timestamp rule off",
			in:   "By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . " + story,
			opts: Options{DisableRules: []string{"timestamp"}},
			want: Article{Body: "By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . " + story},
		},
		{
			name: "stamp words inside a sentence stay",
			in:   "Updated figures published on 1 May 2013 showed the storm had cost the county more than £4 million.",
			want: Article{Body: "Updated figures published on 1 May 2013 showed the storm had cost the county more than £4 million."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustClean(t, tc.in, tc.opts)
			got.Source, got.Dateline, got.Title, got.Refs = "", "", "", nil
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Clean(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
			again := mustClean(t, got.Body, tc.opts)
			if again.Body != got.Body {
				t.Errorf("Clean is not idempotent on %q:\nfirst  %q\nsecond %q", tc.in, got.Body, again.Body)
			}
		})
	}
}

// TestDateline checks the datelines Clean records and that Dateline finds
// the same one in the cleaned body.
func TestDateline(t *testing.T) {
	const rest = "The Senate voted on Tuesday to pass the bill after a long debate."
	tests := []struct{ in, want string }{
		{"WASHINGTON (CNN) -- " + rest, "WASHINGTON (CNN)"},
		{"BRUSSELS – " + rest, "BRUSSELS"},
		{"LONDON, June 3 (Reuters) - " + rest, "LONDON, June 3 (Reuters)"},
		{"(CNN)" + rest, "(CNN)"},
		{"Washington (CNN)" + rest, "Washington (CNN)"},
		{"New Delhi, India (CNN)" + rest, "New Delhi, India (CNN)"},
		{"Boston (CNN) -- " + rest, "Boston (CNN)"},
		{"(The Hollywood Reporter)" + rest, "(The Hollywood Reporter)"},
		{"(EW.com) -- " + rest, "(EW.com)"},
		{"(Reuters) - Stocks fell sharply on Monday in Asia.", "(Reuters)"},
		{"Markets rally\n\nLONDON (Reuters) - " + rest, "LONDON (Reuters)"},
		// A mixed-case place needs a wire's tag; a parenthesis needs a
		// sentence after it.
		{"Washington said on Tuesday that the Senate would vote on the bill this week.", ""},
		{"Sen. Jane Doe (D-Ohio) said the Senate would vote on the bill this week.", ""},
		{"(Mostly sunny) with showers later in the day and a cold night ahead.", ""},
	}
	for _, tc := range tests {
		a := mustClean(t, tc.in, Options{})
		if a.Dateline != tc.want {
			t.Errorf("Clean(%q).Dateline = %q, want %q", tc.in, a.Dateline, tc.want)
		}
		if got := Dateline(a.Body); got != a.Dateline {
			t.Errorf("Dateline(%q) = %q, want %q as Clean found", a.Body, got, a.Dateline)
		}
	}
}

func TestDatelineRest(t *testing.T) {
	tests := []struct{ para, dl, want string }{
		{"WASHINGTON (CNN) -- The Senate voted.", "WASHINGTON (CNN)", "The Senate voted."},
		{"BRUSSELS – The whole of NATO is committed.", "BRUSSELS", "The whole of NATO is committed."},
		{"(CNN)They may not be aliens.", "(CNN)", "They may not be aliens."},
		{"NEW YORK: Shares rose.", "NEW YORK", "Shares rose."},
		{"The Senate voted.", "BRUSSELS", "The Senate voted."},
		{"The Senate voted.", "", "The Senate voted."},
	}
	for _, tc := range tests {
		if got := datelineRest(tc.para, tc.dl); got != tc.want {
			t.Errorf("datelineRest(%q, %q) = %q, want %q", tc.para, tc.dl, got, tc.want)
		}
	}
}
