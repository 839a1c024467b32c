package clean

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSettle checks the paragraphs one pass leaves when lines joined into
// a paragraph read as noise together, and that they are a fixed point:
// the pass over its own output gives them back.
func TestSettle(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "joined lines are a newsletter prompt",
			in: "The seed library began with donations from a local allotment society and now holds more than sixty varieties.\n" +
				"Sign up to The Week in Gardening\nafter newsletter promotion\n" +
				"Similar schemes have opened in Leeds, Glasgow and Cardiff, and organisers say the main difficulty is persuading borrowers to bring seeds back.",
			want: []string{
				"The seed library began with donations from a local allotment society and now holds more than sixty varieties.",
				"Similar schemes have opened in Leeds, Glasgow and Cardiff, and organisers say the main difficulty is persuading borrowers to bring seeds back.",
			},
		},
		{
			name: "the paragraphs around a dropped one join",
			in: "The parish council met on Monday to discuss the plans for the new library, and its members\n\n" +
				"Sign up to The Week in Gardening\nafter newsletter promotion.\n\n" +
				"voted to approve them after a long debate.",
			want: []string{"The parish council met on Monday to discuss the plans for the new library, and its members voted to approve them after a long debate."},
		},
		{
			name: "joined lines are a reference bullet before the body",
			in:   "Police appeal.\n* Witnesses\nare asked to call the station on the number below, officers said on Monday.",
			want: []string{"Police appeal."},
		},
		{
			name: "lines kept one by one stay",
			in:   "Sign up to The Week in Gardening\n\nThe seed library began with donations from a local allotment society and now holds more than sixty varieties.",
			want: []string{"Sign up to The Week in Gardening", "The seed library began with donations from a local allotment society and now holds more than sixty varieties."},
		},
	}
	rs, err := compileOptions(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &cleaner{rs: rs, p: builtinPatterns()}
			once := c.pass(normalizeText(tc.in), false)
			if diff := cmp.Diff(tc.want, once.paragraphs); diff != "" {
				t.Errorf("pass(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
			if twice := c.pass(once.body(), false); !cmp.Equal(once.paragraphs, twice.paragraphs) {
				t.Errorf("pass(pass(%q)) changed it (-once +twice):\n%s", tc.in, cmp.Diff(once.paragraphs, twice.paragraphs))
			}
		})
	}
}
