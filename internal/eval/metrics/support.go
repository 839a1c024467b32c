package metrics

import (
	"math"

	"github.com/summarize-dev/summarize/internal/eval/rouge"
)

// This file measures how much of a bullet's wording the article holds: the
// share of its tokens (ROUGE-1 tokens, Porter-stemmed) found in the best
// single sentence (shown in the detail), and how many of its tokens are
// found in the best passage of the article not much longer than the bullet
// (its support window, which the headline is computed from) or anywhere
// else. Tokens are interned once per article so that scoring a bullet
// against every sentence and window is a scan of small integer slices.

// articleTokens is an article split into sentences of interned tokens.
type articleTokens struct {
	sentences []string
	toks      [][]int32        // tokens of each sentence
	stream    []int32          // the tokens of all sentences, in order
	ids       map[string]int32 // token → id
	inArticle []bool           // by id: the article contains the token
	free      []int32          // see slots
}

// isStopword reports whether a (lower-case, stemmed) token is a function
// word, which says little about support; content support skips them.
func isStopword(w string) bool {
	switch w {
	case "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "by", "with", "from", "as",
		"is", "are", "was", "were", "be", "been", "has", "have", "had", "it", "s", "that", "thi", "he", "she",
		"they", "we", "i", "you", "his", "her", "their", "its", "who", "which", "will", "would", "said", "say":
		return true
	}
	return false
}

func newArticleTokens(tk rouge.DefaultTokenizer, sentences []string) *articleTokens {
	a := &articleTokens{sentences: sentences, toks: make([][]int32, len(sentences)), ids: map[string]int32{}}
	for i, s := range sentences {
		for _, t := range tk.Tokenize(s) {
			a.toks[i] = append(a.toks[i], a.id(t))
		}
	}
	a.inArticle = make([]bool, len(a.ids))
	for _, ts := range a.toks {
		a.stream = append(a.stream, ts...)
		for _, t := range ts {
			a.inArticle[t] = true
		}
	}
	return a
}

// id interns t.
func (a *articleTokens) id(t string) int32 {
	if id, ok := a.ids[t]; ok {
		return id
	}
	id := int32(len(a.ids))
	a.ids[t] = id
	return id
}

// bulletSupport is the wording evidence for one bullet.
type bulletSupport struct {
	tokens   int     // ROUGE-1 tokens of the bullet
	sentence int     // index of the best sentence, -1 when none
	best     float64 // share of the bullet's tokens in that sentence (clipped counts)
	// Token counts by kind (content words, function words) and by where
	// they are found: in the support window (clipped), elsewhere in the
	// article, or all of them.
	content, function tokenCounts
}

// tokenCounts counts a bullet's tokens of one kind.
type tokenCounts struct {
	inWindow, inArticle, all int
}

// support scores bullet b against the article. The support window is the
// run of ceil(window × the bullet's tokens) consecutive article tokens,
// across sentence boundaries, that holds the most of the bullet's tokens:
// a bullet fused from two neighbouring sentences is supported there, one
// stitched from distant parts of the article is not. Tokens in vouched
// (those of the bullet's numbers and names that the article supports in
// another form, "$19m" for "$19 million") count as found in the window.
func (a *articleTokens) support(tk rouge.DefaultTokenizer, b string, vouched map[string]bool, window float64) bulletSupport {
	words := tk.Tokenize(b)
	bs := bulletSupport{tokens: len(words), sentence: -1}
	if len(words) == 0 {
		return bs
	}
	// ids[i] is the id of words[i], -1 when the article lacks it; slot
	// maps an id to its slot in counts, the bullet's count of that token.
	ids := make([]int32, len(words))
	slot := a.slots()
	defer a.releaseSlots(slot, ids)
	var counts []int
	for i, w := range words {
		id, ok := a.ids[w]
		if !ok {
			ids[i] = -1
			continue
		}
		ids[i] = id
		k := slot[id]
		if k < 0 {
			k = int32(len(counts))
			slot[id] = k
			counts = append(counts, 0)
		}
		counts[k]++
	}
	used := make([]int, len(counts))
	bestHits := 0
	for i, ts := range a.toks {
		clear(used)
		hits := 0
		for _, t := range ts {
			if k := slot[t]; k >= 0 && used[k] < counts[k] {
				used[k]++
				hits++
			}
		}
		if hits > bestHits {
			bestHits, bs.sentence = hits, i
		}
	}
	bs.best = float64(bestHits) / float64(len(words))
	// Credit the bullet's tokens in order: the window's occurrences first,
	// then the rest of the article.
	clear(used)
	start, n := a.bestWindow(slot, counts, int(math.Ceil(window*float64(len(words)))))
	for _, t := range a.stream[start : start+n] {
		if k := slot[t]; k >= 0 {
			used[k]++
		}
	}
	for i, w := range words {
		c := &bs.content
		if isStopword(w) {
			c = &bs.function
		}
		c.all++
		switch {
		case ids[i] >= 0 && used[slot[ids[i]]] > 0:
			used[slot[ids[i]]]--
			c.inWindow++
		case vouched[w]:
			c.inWindow++
		case ids[i] >= 0:
			c.inArticle++
		}
	}
	return bs
}

// bestWindow returns the start and length of the run of at most w article
// tokens holding the most of the bullet's tokens (slot maps a token id to
// its slot in counts, -1 for a token the bullet lacks, the bullet's count of it; hits are clipped to those
// counts), the first such run on a tie.
func (a *articleTokens) bestWindow(slot []int32, counts []int, w int) (start, n int) {
	w = min(max(w, 1), len(a.stream))
	in := make([]int, len(counts))
	hits, best := 0, 0
	for i, t := range a.stream {
		if k := slot[t]; k >= 0 {
			in[k]++
			if in[k] <= counts[k] {
				hits++
			}
		}
		if i >= w {
			if k := slot[a.stream[i-w]]; k >= 0 {
				if in[k] <= counts[k] {
					hits--
				}
				in[k]--
			}
		}
		if hits > best {
			best, start = hits, max(0, i-w+1)
		}
	}
	return start, w
}

// slots returns a slice indexed by token id, every entry -1, for one
// bullet's bookkeeping; releaseSlots resets the entries of ids and keeps
// the slice for the next bullet. (A map was the slowest part of scoring.)
func (a *articleTokens) slots() []int32 {
	if a.free == nil {
		a.free = make([]int32, len(a.ids))
		for i := range a.free {
			a.free[i] = -1
		}
	}
	s := a.free
	a.free = nil
	return s
}

func (a *articleTokens) releaseSlots(s []int32, ids []int32) {
	for _, id := range ids {
		if id >= 0 {
			s[id] = -1
		}
	}
	a.free = s
}
