package clean

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCleanListsAndHeadings checks that every list item of a page stays a
// paragraph of its own and that a heading never joins the line before it,
// even when the lines would read as one sentence.
func TestCleanListsAndHeadings(t *testing.T) {
	const (
		lead = "<p>Sony has confirmed that a new handheld console is in development, according to people familiar with the plans at the company.</p>"
		tail = "<p>The device will play games from the existing library, the company said in a statement on Tuesday morning.</p>"
	)
	tests := []struct {
		name, block string
		want        []string // paragraphs between lead and tail
	}{
		{
			name:  "items that read as one sentence",
			block: "<ul><li>the first item of the list and</li><li>second item of the list,</li><li>third item of the list</li></ul>",
			want:  []string{"the first item of the list and", "second item of the list,", "third item of the list"},
		},
		{
			name:  "heading after an item",
			block: "<ol><li>Battery life of about nine hours, with</li><li>a screen of seven inches</li></ol><h3>and what it costs</h3>",
			want:  []string{"Battery life of about nine hours, with", "a screen of seven inches", "and what it costs"},
		},
		{
			name:  "heading after dropped items",
			block: "<ul><li>Battery life of about nine hours, with</li><li>Share</li><li>Advertisement</li></ul><h2>price and release date</h2>",
			want:  []string{"Battery life of about nine hours, with", "price and release date"},
		},
		{
			name:  "paragraph after a heading",
			block: "<h2>What it costs,</h2><p>about the same as the older model, the company said on its website.</p>",
			want:  []string{"What it costs,", "about the same as the older model, the company said on its website."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := "<html><head><title>T</title></head><body><article><h1>Title one</h1>" + lead + tc.block + tail + "</article></body></html>"
			art, err := Clean(Input{Data: []byte(page), MediaType: MediaHTML}, Options{})
			if err != nil {
				t.Fatalf("Clean(%q): %v", tc.block, err)
			}
			want := append(append([]string{stripTags(lead)}, tc.want...), stripTags(tail))
			if diff := cmp.Diff(want, splitParagraphs(art.Body)); diff != "" {
				t.Errorf("Clean(%q).Body paragraphs (-want +got):\n%s", tc.block, diff)
			}
		})
	}
}

func stripTags(s string) string { return s[len("<p>") : len(s)-len("</p>")] }

func splitParagraphs(body string) []string { return strings.Split(body, "\n\n") }
