package budget

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func countWords(s string) int { return len(strings.Fields(s)) }
func countRunes(s string) int { return utf8.RuneCountInString(s) }

func TestTruncate(t *testing.T) {
	const text = "One two three. Four five six seven. Eight nine.\n\nTen eleven twelve."
	tests := []struct {
		text         string
		max          int
		count        CountFunc
		wantKept     string
		wantTokens   int
		wantSentence int
	}{
		{text, 100, countWords, text, 0, 0},
		{text, 12, countWords, text, 0, 0},
		{text, 11, countWords, "One two three. Four five six seven. Eight nine.", 3, 1},
		{text, 9, countWords, "One two three. Four five six seven. Eight nine.", 3, 1},
		{text, 8, countWords, "One two three. Four five six seven.", 5, 2},
		{text, 3, countWords, "One two three.", 9, 3},
		// Not even the first sentence fits: cut it between words.
		{text, 2, countWords, "One two", 10, 4},
		{text, 0, countWords, "", 12, 4},
		// A giant word is cut between characters.
		{"Abcdefghij klm. Nop.", 4, countRunes, "Abcd", 16, 2},
		{"", 5, countWords, "", 0, 0},
	}
	for _, tt := range tests {
		kept, tokens, sents := Truncate(tt.text, tt.max, tt.count)
		if kept != tt.wantKept || tokens != tt.wantTokens || sents != tt.wantSentence {
			t.Errorf("Truncate(%q, %d) = %q, %d, %d, want %q, %d, %d",
				tt.text, tt.max, kept, tokens, sents, tt.wantKept, tt.wantTokens, tt.wantSentence)
		}
	}
}

func TestTruncateLongArticle(t *testing.T) {
	text := genArticle(200_000, 1)
	count := NewCounter().For("gpt-4o")
	all := sentenceTexts(text)
	total := count(text)
	for _, max := range []int{1, 50, 1_000, 30_000} {
		kept, dropped, droppedSents := Truncate(text, max, count)
		got := count(kept)
		if got > max {
			t.Errorf("Truncate(article, %d) kept %d tokens", max, got)
		}
		if !strings.HasPrefix(text, kept) {
			t.Fatalf("Truncate(article, %d) is not a prefix of the article", max)
		}
		if dropped != total-got {
			t.Errorf("Truncate(article, %d) dropped %d tokens, want %d - %d = %d", max, dropped, total, got, total-got)
		}
		keptSents := sentenceTexts(kept)
		n := len(keptSents)
		if max == 1 {
			// Not even the first sentence fits: a partial one, all dropped.
			if droppedSents != len(all) || n != 1 || keptSents[0] == all[0] {
				t.Errorf("Truncate(article, 1) = %q, %d sentences dropped, want part of %q, %d dropped", kept, droppedSents, all[0], len(all))
			}
			continue
		}
		// Ends at a sentence boundary, and the next sentence would not fit.
		if diff := cmp.Diff(all[:n], keptSents); diff != "" {
			t.Errorf("Truncate(article, %d) does not end at a sentence boundary (-want +got):\n%s", max, diff)
		}
		next := text[:strings.Index(text[len(kept):], all[n])+len(kept)+len(all[n])]
		if c := count(next); c <= max {
			t.Errorf("Truncate(article, %d) stopped early: one more sentence makes %d tokens", max, c)
		}
		if want := len(all) - n; droppedSents != want {
			t.Errorf("Truncate(article, %d) dropped %d sentences, want %d", max, droppedSents, want)
		}
	}
}

func TestChunk(t *testing.T) {
	tests := []struct {
		text  string
		max   int
		count CountFunc
		want  []string
	}{
		{"", 10, countWords, nil},
		{" \n\n\t ", 10, countWords, nil},
		{"One two.", 0, countWords, nil},
		{"One two.", 10, countWords, []string{"One two."}},
		// Whole paragraphs while they fit; the join costs one token.
		{"A b.\n\nC d.\n\nE f g.", 5, countWords, []string{"A b.\n\nC d.", "E f g."}},
		{"A b.\n\nC d.\n\nE f g.", 9, countWords, []string{"A b.\n\nC d.\n\nE f g."}},
		// A paragraph too big is split between sentences, then words.
		{"A b. C d e. F g h i j k.", 3, countWords, []string{"A b.", "C d e.", "F g h", "i j k."}},
		// A word too big is split between characters.
		{"Ab abcdefgh", 3, countRunes, []string{"Ab", "abc", "def", "gh"}},
		{"héllo wörld", 2, countRunes, []string{"hé", "ll", "o", "wö", "rl", "d"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Chunk(tt.text, tt.max, tt.count)); diff != "" {
			t.Errorf("Chunk(%q, %d) diff (-want +got):\n%s", tt.text, tt.max, diff)
		}
	}
}

func TestChunkLongArticle(t *testing.T) {
	c := NewCounter()
	article := genArticle(200_000, 2)
	monster := strings.Repeat("and then the talks went on ", 4_000) // one 24,000-word sentence
	giant := strings.Repeat("abcdefghijklmnopqrstuvwxyz", 2_000)    // one 52,000-letter word
	tests := []struct {
		name, text, model string
		max               int
		wholeParagraphs   bool
		splitsWords       bool
	}{
		{"200k words gpt-4o", article, "gpt-4o", 3_000, true, false},
		{"200k words llama3", article, "llama3", 1_000, true, false},
		{"monster sentence", "Intro paragraph.\n\n" + monster + "\n\nOutro.", "gpt-4o", 500, false, false},
		{"giant word", "Before. " + giant + " after.", "gpt-4", 64, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			count := c.For(tt.model)
			chunks := Chunk(tt.text, tt.max, count)
			total := 0
			for i, ch := range chunks {
				n := count(ch)
				total += n
				if n > tt.max {
					t.Errorf("chunk %d of %d has %d tokens, budget %d", i, len(chunks), n, tt.max)
				}
			}
			// Nothing lost, order kept: the chunks are the text up to whitespace.
			if got, want := noSpace(strings.Join(chunks, "")), noSpace(tt.text); got != want {
				t.Errorf("joined chunks differ from the text: %d bytes, want %d", len(got), len(want))
			}
			if !tt.splitsWords && !cmp.Equal(strings.Fields(strings.Join(chunks, " ")), strings.Fields(tt.text)) {
				t.Errorf("chunks split a word that fits")
			}
			// Greedy packing: two neighbours together would not have fit,
			// so there are fewer than 2 × total / max + 1 chunks.
			if limit := 2*total/tt.max + 1; len(chunks) > limit {
				t.Errorf("%d chunks for %d tokens in a budget of %d, want at most %d", len(chunks), total, tt.max, limit)
			}
			if tt.wholeParagraphs {
				paras := make(map[string]bool)
				for _, p := range paragraphTexts(tt.text) {
					paras[p] = true
				}
				for i, ch := range chunks {
					for _, p := range paragraphTexts(ch) {
						if !paras[p] {
							t.Fatalf("chunk %d splits a paragraph that fits: %.60q", i, p)
						}
					}
				}
			}
			t.Logf("%d chunks, %d tokens", len(chunks), total)
		})
	}
}

// noSpace returns s without its whitespace.
func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }

func TestChunkNewsArticles(t *testing.T) {
	text, ok := newsArticle(200_000)
	if !ok {
		t.Skip("shared data absent")
	}
	count := NewCounter().For("gpt-4o-mini")
	chunks := Chunk(text, 2_000, count)
	for i, ch := range chunks {
		if n := count(ch); n > 2_000 {
			t.Errorf("chunk %d has %d tokens, budget 2000", i, n)
		}
	}
	if got, want := strings.Fields(strings.Join(chunks, "\n")), strings.Fields(text); !cmp.Equal(got, want) {
		t.Errorf("joined chunks differ from the text: %d words, want %d", len(got), len(want))
	}
}

func TestFits(t *testing.T) {
	tests := []struct {
		prompt, reserved, window int
		want                     bool
	}{
		{7_000, 1_192, 8_192, true},
		{7_001, 1_192, 8_192, false},
		{1_000_000, 0, 0, true}, // unknown window
		{0, 9_000, 8_192, false},
	}
	for _, tt := range tests {
		if got := Fits(tt.prompt, tt.reserved, tt.window); got != tt.want {
			t.Errorf("Fits(%d, %d, %d) = %v, want %v", tt.prompt, tt.reserved, tt.window, got, tt.want)
		}
	}
}
