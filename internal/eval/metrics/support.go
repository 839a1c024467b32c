package metrics

import (
	"github.com/summarize-dev/summarize/internal/eval/rouge"
)

// This file measures how much of a bullet's wording the article holds: the
// share of its tokens (ROUGE-1 tokens, Porter-stemmed) found in the best
// single sentence, and the share of its content words found anywhere in the
// article. Tokens are interned once per article so that scoring a bullet
// against every sentence is a scan of small integer slices.

// articleTokens is an article split into sentences of interned tokens.
type articleTokens struct {
	sentences []string
	toks      [][]int32        // tokens of each sentence
	ids       map[string]int32 // token → id
	inArticle []bool           // by id: the article contains the token
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
	// they are found: in the best sentence (clipped), elsewhere in the
	// article, or all of them.
	content, function tokenCounts
}

// tokenCounts counts a bullet's tokens of one kind.
type tokenCounts struct {
	inSentence, inArticle, all int
}

// support scores bullet b against the article. Tokens in vouched (those of
// the bullet's numbers and names that the article supports in another
// form, "$19m" for "$19 million") count as found in the best sentence.
func (a *articleTokens) support(tk rouge.DefaultTokenizer, b string, vouched map[string]bool) bulletSupport {
	words := tk.Tokenize(b)
	bs := bulletSupport{tokens: len(words), sentence: -1}
	if len(words) == 0 {
		return bs
	}
	// ids[i] is the id of words[i], -1 when the article lacks it; local
	// maps an id to its slot in counts, the bullet's count of that token.
	ids := make([]int32, len(words))
	local := map[int32]int{}
	var counts []int
	for i, w := range words {
		id, ok := a.ids[w]
		if !ok {
			ids[i] = -1
			continue
		}
		ids[i] = id
		k, seen := local[id]
		if !seen {
			k = len(counts)
			local[id] = k
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
			if k, ok := local[t]; ok && used[k] < counts[k] {
				used[k]++
				hits++
			}
		}
		if hits > bestHits {
			bestHits, bs.sentence = hits, i
		}
	}
	bs.best = float64(bestHits) / float64(len(words))
	// Credit the bullet's tokens in order: the best sentence's occurrences
	// first, then the rest of the article.
	clear(used)
	if bs.sentence >= 0 {
		for _, t := range a.toks[bs.sentence] {
			if k, ok := local[t]; ok {
				used[k]++
			}
		}
	}
	for i, w := range words {
		c := &bs.content
		if isStopword(w) {
			c = &bs.function
		}
		c.all++
		switch {
		case ids[i] >= 0 && used[local[ids[i]]] > 0:
			used[local[ids[i]]]--
			c.inSentence++
		case vouched[w]:
			c.inSentence++
		case ids[i] >= 0:
			c.inArticle++
		}
	}
	return bs
}
