package budget

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"One sentence without a stop", []string{"One sentence without a stop"}},
		{"First one. Second one! Third one? Fourth.",
			[]string{"First one.", "Second one!", "Third one?", "Fourth."}},
		{`He said "it is over." Then he left.`,
			[]string{`He said "it is over."`, "Then he left."}},
		{"“It is over,” he said. “We lost.” The crowd left.",
			[]string{"“It is over,” he said.", "“We lost.”", "The crowd left."}},
		{"Mr. Smith met Dr. Jones in St. Louis. They talked.",
			[]string{"Mr. Smith met Dr. Jones in St. Louis.", "They talked."}},
		{"J. K. Rowling spoke. The U.S. Senate voted.",
			[]string{"J. K. Rowling spoke.", "The U.S. Senate voted."}},
		{"He lives at No. 10 Downing Street. He said no. Others agreed.",
			[]string{"He lives at No. 10 Downing Street.", "He said no.", "Others agreed."}},
		{"It rose 3.5 percent. 2025 was a good year.",
			[]string{"It rose 3.5 percent.", "2025 was a good year."}},
		{"Wait... what? yes. (Really.) Fine.",
			[]string{"Wait... what? yes.", "(Really.)", "Fine."}},
		// A paragraph break ends a sentence even without a stop; a line
		// break before a lowercase word is a hard wrap, not a break.
		{"A headline\n\nThe body starts here. It goes\non after a wrap.\nNext line",
			[]string{"A headline", "The body starts here.", "It goes\non after a wrap.", "Next line"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, sentenceTexts(tt.in)); diff != "" {
			t.Errorf("sentences(%q) diff (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  \n\n ", nil},
		{"One.\n\nTwo.\r\n\r\nThree.", []string{"One.", "Two.", "Three."}},
		{"  Lead para.  \n  \n\n  Second para,\nwrapped here.\nThird para.\n",
			[]string{"Lead para.", "Second para,\nwrapped here.", "Third para."}},
		{"- bullet one\n- bullet two", []string{"- bullet one", "- bullet two"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, paragraphTexts(tt.in)); diff != "" {
			t.Errorf("paragraphs(%q) diff (-want +got):\n%s", tt.in, diff)
		}
	}
}

// paragraphTexts and sentenceTexts are paragraphs and sentences as strings.
func paragraphTexts(text string) []string { return substrings(text, paragraphs(text)) }
func sentenceTexts(text string) []string  { return substrings(text, sentences(text)) }
