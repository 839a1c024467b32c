package metrics

import (
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/summarize-dev/summarize/internal/eval/rouge"
)

// Content measures how much of the reference bullets' content the candidate
// bullets cover, offline and deterministically.
//
// Both sides are tokenized as ROUGE does (lower case, runs of [a-z0-9],
// NLTK Porter stems) and function words are dropped, which leaves content
// words. A content word weighs more when the article states it early:
// 1 + lead·e^(-k/τ) for a word first seen in the article's sentence k (a
// reference word the article lacks counts as k = 0, the framing a
// reference writer added), times 1 + repeat·ln(1 + n) for a word the
// article uses n times (a pyramid-like weight: what the article keeps
// coming back to is its topic), and numbers weigh twice, so that the facts
// a news article leads with and dwells on count most.
//
// Each reference bullet is taken as a set of content units, its distinct
// content words. Its credit is half the weighted share of its units found
// anywhere in the candidate and half the share found in the single
// candidate bullet that covers it best, so that a fact stated in one place
// counts more than its words scattered over several. Recall is the mean
// credit of the reference bullets, each weighing by its units' weight.
//
// The value is that recall times 1 − w − x/4 (at least 0; within = 1 and
// across = 1/4 in contentParams),
// where w is the share of the candidate's content words that repeat a word
// of the same bullet and x the share of each bullet's distinct content
// words that an earlier bullet already used: a summary that says the same
// thing twice covers less for its length, and SummEval's annotators were
// told to penalise redundancy in relevance. A word repeated inside a bullet
// ("the two-stage two-stage rocket") costs more than one repeated across
// bullets, which also happens when bullets name the same subject.
//
// Parts:
//
//   - recall: the reference coverage before the redundancy factor;
//   - precision: weighted share of the candidate's content words that the
//     reference holds;
//   - f: harmonic mean of recall and precision.
//
// No length penalty: both SummEval relevance and REALSumm's LitePyramid
// recall favour the longer outputs of one article (a factor for outputs
// longer than the reference lowered both in cross-validation). With no
// reference or no candidate content words everything is 0.
type Content struct {
	p contentParams

	mu    sync.RWMutex
	stems map[string]string // surface word → stem, "" for a function word
}

// contentParams are the tuned constants of Content, chosen by 5-fold
// cross-validation over dev articles (content_human_test.go): each is the
// value most folds chose (the median where they split).
type contentParams struct {
	lead   float64 // extra weight of a word the article has first (or lacks)
	tau    float64 // sentences over which that extra weight decays by e
	number float64 // weight multiplier of number tokens
	best   float64 // share of a bullet's credit from its best single candidate bullet
	repeat float64 // extra weight per log of the article's count of a word
	within float64 // value lost per share of candidate words repeated inside a bullet
	across float64 // value lost per share of bullet words an earlier bullet used
}

func defaultContentParams() contentParams {
	return contentParams{lead: 1, tau: 0.5, number: 2, best: 0.5, repeat: 0.25, within: 1, across: 0.25}
}

// NewContent returns the content metric.
func NewContent() (*Content, error) { return newContent(defaultContentParams()), nil }

func newContent(p contentParams) *Content {
	return &Content{p: p, stems: map[string]string{}}
}

// Name implements Metric.
func (*Content) Name() string { return "content" }

// contentText is a text as content words, one slice per bullet or sentence.
type contentText [][]string

// Score implements Metric.
func (m *Content) Score(c Case) Score {
	return m.score(m.words(c.Reference), m.words(c.Candidate), m.article(c.Article))
}

// score computes the Score from the content words of both sides and what
// the weights need of the article.
func (m *Content) score(ref, cand contentText, a contentArticle) Score {
	weight := m.p.weight(a)
	candAll := map[string]bool{}
	for _, b := range cand {
		for _, w := range b {
			candAll[w] = true
		}
	}
	var num, den float64
	refAll := map[string]bool{}
	for _, r := range ref {
		inAll, inBest, total := coverWords(r, weight, candAll, cand)
		if total == 0 {
			continue
		}
		num += mix(inAll, inBest, m.p.best)
		den += total
		for _, w := range r {
			refAll[w] = true
		}
	}
	if den == 0 || len(candAll) == 0 {
		return Score{Parts: map[string]float64{"recall": 0, "precision": 0, "f": 0}}
	}
	recall := num / den
	var pNum, pDen float64
	for _, b := range cand {
		for _, w := range b {
			x := weight(w)
			pDen += x
			if refAll[w] {
				pNum += x
			}
		}
	}
	precision := pNum / pDen
	return Score{
		Value: recall * m.p.redundancyFactor(redundancy(cand)),
		Parts: map[string]float64{"recall": recall, "precision": precision, "f": harmonic(recall, precision)},
	}
}

// redundancyFactor returns what the recall is multiplied by for a
// candidate with the given shares of repeated words (see redundancy).
func (p contentParams) redundancyFactor(within, across float64) float64 {
	return max(0, 1-p.within*within-p.across*across)
}

// redundancy returns the share of cand's content words that repeat a word
// of the same bullet, and the share of each bullet's distinct content words
// that an earlier bullet has.
func redundancy(cand contentText) (within, across float64) {
	var words, repeats, distinct, earlier int
	seen := map[string]bool{}
	for _, b := range cand {
		words += len(b)
		for i, w := range b {
			if slices.Contains(b[:i], w) {
				repeats++
				continue
			}
			distinct++
			if seen[w] {
				earlier++
			}
		}
		for _, w := range b {
			seen[w] = true
		}
	}
	if words == 0 {
		return 0, 0
	}
	return float64(repeats) / float64(words), float64(earlier) / float64(distinct)
}

// mix returns (1-t)·a + t·b.
func mix(a, b, t float64) float64 { return (1-t)*a + t*b }

// coverWords returns the weight of r's distinct words found anywhere in the
// candidate (all holds its words), found in its best single bullet, and in
// all.
func coverWords(r []string, weight func(string) float64, all map[string]bool, cand contentText) (inAll, inBest, total float64) {
	var buf [16]float64
	best := buf[:0]
	if len(cand) > len(buf) {
		best = make([]float64, 0, len(cand))
	}
	best = best[:len(cand)]
	clear(best)
	for i, w := range r {
		if slices.Contains(r[:i], w) {
			continue
		}
		x := weight(w)
		total += x
		if !all[w] {
			continue
		}
		inAll += x
		for j, b := range cand {
			if slices.Contains(b, w) {
				best[j] += x
			}
		}
	}
	if len(best) > 0 {
		inBest = slices.Max(best)
	}
	return inAll, inBest, total
}

// contentArticle is what the weights need of the article: the index of the
// first sentence holding each content word.
type contentArticle struct {
	first map[string]int
	count map[string]int
}

// article reads the article's content words.
func (m *Content) article(text string) contentArticle {
	a := contentArticle{first: map[string]int{}, count: map[string]int{}}
	for k, s := range m.words(splitArticle(text)) {
		for _, w := range s {
			a.count[w]++
			if _, ok := a.first[w]; !ok {
				a.first[w] = k
			}
		}
	}
	return a
}

// weight returns the weight of a content word: 1 + p.lead·e^(-k/p.tau) for
// a word first seen in sentence k (k = 0 for a word the article lacks),
// times 1 + p.repeat·ln(1+n) for a word the article has n times, times
// p.number for tokens that are all digits.
func (p contentParams) weight(a contentArticle) func(string) float64 {
	return func(w string) float64 {
		x := 1 + p.lead*math.Exp(-float64(a.first[w])/p.tau)
		if p.repeat > 0 {
			x *= 1 + p.repeat*math.Log1p(float64(a.count[w]))
		}
		if isNumber(w) {
			x *= p.number
		}
		return x
	}
}

// splitArticle splits an article into rough sentences at . ! ? and newlines.
func splitArticle(a string) []string {
	var out []string
	start := 0
	for i := 0; i < len(a); i++ {
		switch a[i] {
		case '.', '!', '?', '\n':
			if i+1 == len(a) || a[i+1] == ' ' || a[i+1] == '\n' || a[i] == '\n' {
				if s := strings.TrimSpace(a[start : i+1]); s != "" {
					out = append(out, s)
				}
				start = i + 1
			}
		}
	}
	if s := strings.TrimSpace(a[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// isNumber reports whether w is all ASCII digits.
func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// words returns the content words of each text.
func (m *Content) words(texts []string) contentText {
	out := make(contentText, len(texts))
	tk := rouge.DefaultTokenizer{}
	for i, t := range texts {
		for _, w := range tk.Tokenize(t) {
			if s := m.stem(w); s != "" {
				out[i] = append(out[i], s)
			}
		}
	}
	return out
}

// stem returns w's Porter stem (as ROUGE stems it), or "" when w is a
// function word. Stems are cached.
func (m *Content) stem(w string) string {
	m.mu.RLock()
	s, ok := m.stems[w]
	m.mu.RUnlock()
	if ok {
		return s
	}
	s = ""
	if !functionWord(w) {
		s = w
		if len(w) > 3 {
			s = rouge.Stem(w)
		}
	}
	m.mu.Lock()
	m.stems[w] = s
	m.mu.Unlock()
	return s
}

// functionWord reports whether a lower-case surface word is a function
// word (NLTK's English stop words, their clitic fragments, and reporting
// verbs), which carries no content.
func functionWord(w string) bool {
	switch w {
	case "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
		"yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself",
		"they", "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "this", "that",
		"these", "those", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had",
		"having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if", "or", "because", "as",
		"until", "while", "of", "at", "by", "for", "with", "about", "against", "between", "into", "through",
		"during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off",
		"over", "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how",
		"all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "only", "own", "same",
		"so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now", "d", "ll", "m",
		"o", "re", "ve", "y", "would", "could", "also", "said", "says", "say", "told", "may", "might", "must",
		"one", "us":
		return true
	}
	return false
}
