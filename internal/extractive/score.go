package extractive

import (
	"math"
	"strings"
	"unicode/utf8"
)

// vector is a sparse TF-IDF vector, L2-normalized.
type vector map[string]float64

func (v vector) dot(w vector) float64 {
	if len(w) < len(v) {
		v, w = w, v
	}
	d := 0.0
	for t, x := range v {
		d += x * w[t]
	}
	return d
}

// graph holds the TF-IDF vectors of the first n sentences and their
// pairwise cosine similarities.
type graph struct {
	vecs []vector
	sims [][]float64
	idf  map[string]float64
}

func newGraph(sents []string, n int) *graph {
	toks := make([][]string, len(sents))
	df := map[string]int{}
	for i, s := range sents {
		toks[i] = terms(s)
		seen := map[string]bool{}
		for _, t := range toks[i] {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	idf := make(map[string]float64, len(df))
	for t, c := range df {
		idf[t] = math.Log(1 + float64(len(sents))/float64(c))
	}
	g := &graph{vecs: make([]vector, n), idf: idf}
	for i := 0; i < n; i++ {
		g.vecs[i] = g.vector(toks[i])
	}
	g.sims = make([][]float64, n)
	for i := range g.sims {
		g.sims[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			s := g.vecs[i].dot(g.vecs[j])
			g.sims[i][j], g.sims[j][i] = s, s
		}
	}
	return g
}

// vector weights toks by TF-IDF; terms unseen in the article get the
// largest IDF.
func (g *graph) vector(toks []string) vector {
	v := vector{}
	for _, t := range toks {
		w, ok := g.idf[t]
		if !ok {
			w = math.Log(1 + float64(len(g.vecs)+1))
		}
		v[t] += w
	}
	norm := 0.0
	for _, x := range v {
		norm += x * x
	}
	if norm > 0 {
		norm = math.Sqrt(norm)
		for t := range v {
			v[t] /= norm
		}
	}
	return v
}

func (g *graph) sim(i, j int) float64 { return g.sims[i][j] }

// centrality is LexRank with continuous weights: the stationary
// distribution of a damped random walk over the similarity graph, scaled
// so that the top sentence scores 1.
func (g *graph) centrality() []float64 {
	n := len(g.vecs)
	if n == 0 {
		return nil
	}
	rowSum := make([]float64, n)
	for i := range n {
		for j := range n {
			rowSum[i] += g.sims[i][j]
		}
	}
	const damping = 0.85
	p := make([]float64, n)
	for i := range p {
		p[i] = 1 / float64(n)
	}
	next := make([]float64, n)
	for iter := 0; iter < 30; iter++ {
		for j := range next {
			next[j] = (1 - damping) / float64(n)
		}
		for i := range n {
			if rowSum[i] == 0 {
				for j := range next {
					next[j] += damping * p[i] / float64(n)
				}
				continue
			}
			for j := range n {
				if g.sims[i][j] > 0 {
					next[j] += damping * p[i] * g.sims[i][j] / rowSum[i]
				}
			}
		}
		p, next = next, p
	}
	top := 0.0
	for _, x := range p {
		top = math.Max(top, x)
	}
	if top > 0 {
		for i := range p {
			p[i] /= top
		}
	}
	return p
}

// score returns the base score of the first n sentences.
func (s *Summarizer) score(title string, sents []string, g *graph) []float64 {
	o := s.opts
	n := len(g.vecs)
	var cent []float64
	if o.Centrality > 0 {
		cent = g.centrality()
	}
	var tv vector
	if o.Title > 0 && strings.TrimSpace(title) != "" {
		tv = g.vector(terms(title))
	}
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		v := o.Position / (1 + float64(i)/o.PositionDecay)
		if cent != nil {
			v += o.Centrality * cent[i]
		}
		if tv != nil {
			v += o.Title * g.vecs[i].dot(tv)
		}
		v += o.Length * lengthFit(wordCount(sents[i]), o.IdealWords)
		if isQuote(sents[i]) {
			v -= o.QuotePenalty
		}
		out[i] = v
	}
	return out
}

// lengthFit is 1 at ideal words and falls off on either side, faster for
// short sentences.
func lengthFit(words, ideal int) float64 {
	x := float64(words) / float64(ideal)
	if x < 1 {
		return x * x
	}
	return 1 / x
}

// isQuote reports whether s is mostly a direct quote: it opens with a
// quotation mark, or more than half of it is inside quotation marks.
func isQuote(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if r == '"' || r == '“' || r == '‘' || r == '\'' {
		return true
	}
	inside, total, open := 0, 0, false
	for _, r := range s {
		if r == '"' || r == '“' || r == '”' {
			open = !open
			continue
		}
		total++
		if open {
			inside++
		}
	}
	return total > 0 && inside*2 > total
}
