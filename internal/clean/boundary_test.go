package clean

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// randomPage builds a page of distinct words ("w0q", "w1q", …) laid out
// with random inline elements, block elements, <br> and whitespace. Two
// consecutive words are always apart in the source as a browser renders
// it: whitespace in a text node (inside or outside an inline element), a
// <br> or a block boundary.
func randomPage(rng *rand.Rand, n int) (page string, words []string) {
	inline := []string{"em", "b", "i", "span", "a", "strong", "code"}
	blockTags := []string{"p", "div", "li", "h2", "blockquote"}
	var b strings.Builder
	b.WriteString("<html><body><main>")
	open := "" // the block element open
	for i := range n {
		w := fmt.Sprintf("w%dq", i)
		words = append(words, w)
		if open == "" || rng.IntN(6) == 0 {
			if open != "" {
				b.WriteString("</" + open + ">")
			}
			open = blockTags[rng.IntN(len(blockTags))]
			b.WriteString("<" + open + ">")
		} else {
			// a separator between the previous word and this one
			switch rng.IntN(5) {
			case 0:
				b.WriteString("<br>")
			case 1:
				b.WriteString(" \n\t ")
			default:
				b.WriteString(" ")
			}
		}
		if rng.IntN(3) == 0 {
			tag := inline[rng.IntN(len(inline))]
			lead, trail := "", ""
			if rng.IntN(2) == 0 {
				lead = " " // whitespace just inside the element
			}
			if rng.IntN(2) == 0 {
				trail = " "
			}
			fmt.Fprintf(&b, "<%s>%s%s%s</%s>", tag, lead, w, trail, tag)
		} else {
			b.WriteString(w)
		}
	}
	b.WriteString("</" + open + "></main></body></html>")
	return b.String(), words
}

// TestNoGluedWords is a property test of the renderer: on random pages,
// every space-separated token of the rendered text is one word of the
// source, so no two words are ever joined; and every word is rendered.
func TestNoGluedWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	for range 500 {
		page, words := randomPage(rng, 5+rng.IntN(40))
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		got := strings.ReplaceAll(blockText(doc, ""), string(aloneMark), "")
		tokens := strings.Fields(got)
		if strings.Join(tokens, " ") != strings.Join(words, " ") {
			t.Fatalf("blockText(%s) = %q, want the words %q each apart", page, got, words)
		}
	}
}

// FuzzNoGluedWords checks the same property through Clean on pages built
// from the fuzzer's seed: every token of the body is a word of the page.
func FuzzNoGluedWords(f *testing.F) {
	f.Add(uint64(1), uint8(30))
	f.Add(uint64(7), uint8(80))
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		rng := rand.New(rand.NewPCG(seed, 15))
		page, words := randomPage(rng, int(n)+1)
		known := map[string]bool{}
		for _, w := range words {
			known[w] = true
		}
		art, err := Clean(Input{Data: []byte(page), MediaType: MediaHTML}, Options{})
		if err != nil {
			return // too little text to be an article
		}
		for _, tok := range strings.Fields(art.Body + " " + art.Title) {
			if !known[tok] {
				t.Fatalf("Clean(%s) has token %q, not a word of the page: words joined\nbody: %q", page, tok, art.Body)
			}
		}
	})
}
