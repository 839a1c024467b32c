package extractive

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzSummarize(f *testing.F) {
	for _, seed := range []string{
		"", "(CNN)", "BRUSSELS – ", "By . Tom . PUBLISHED: 09:53 EST, 1 May 2013 . | .",
		syntheticArticle, "\"\"\"!!!...", "U.S. U.S. U.S.", "a\n\nb\n\nc", "(((((", "No. 5. The", "’ ’ ’",
		strings.Repeat("x ", 200),
	} {
		f.Add("title", seed)
	}
	s, err := New(DefaultOptions())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, body string) {
		if !utf8.ValidString(body) {
			t.Skip()
		}
		for _, sent := range segmenter().Sentences(body) {
			if strings.TrimSpace(sent) == "" {
				t.Errorf("Sentences(%q) holds an empty sentence", body)
			}
		}
		got := s.Summarize(title, body)
		if len(got) > s.Options().Bullets {
			t.Errorf("Summarize(%q) = %d bullets, want ≤ %d", body, len(got), s.Options().Bullets)
		}
		for _, b := range got {
			if b == "" || wordCount(b) > s.Options().MaxWords {
				t.Errorf("Summarize(%q): bullet %q is empty or over %d words", body, b, s.Options().MaxWords)
			}
		}
	})
}
