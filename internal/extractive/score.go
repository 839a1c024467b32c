package extractive

import (
	"context"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// vector is a sparse TF-IDF vector, L2-normalized, sorted by term id.
type vector []entry

type entry struct {
	id int32
	w  float64
}

func (v vector) dot(u vector) float64 {
	d := 0.0
	i, j := 0, 0
	for i < len(v) && j < len(u) {
		switch {
		case v[i].id < u[j].id:
			i++
		case v[i].id > u[j].id:
			j++
		default:
			d += v[i].w * u[j].w
			i++
			j++
		}
	}
	return d
}

// graph holds the TF-IDF vectors of the first n sentences and their
// pairwise cosine similarities.
type graph struct {
	vecs  []vector
	sims  [][]float64
	ids   map[string]int32
	idf   []float64
	nsent int
}

// newGraph builds the graph of the first n of sents (the IDF counts all of
// them), checking ctx every checkEvery sentences.
func newGraph(ctx context.Context, sents []string, n int) (*graph, error) {
	g := &graph{ids: map[string]int32{}, nsent: len(sents)}
	toks := make([][]int32, len(sents))
	var df []int
	lastSeen := []int{}
	for i, s := range sents {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for _, t := range terms(s) {
			id, ok := g.ids[t]
			if !ok {
				id = int32(len(g.ids))
				g.ids[t] = id
				df = append(df, 0)
				lastSeen = append(lastSeen, -1)
			}
			if lastSeen[id] != i {
				lastSeen[id] = i
				df[id]++
			}
			toks[i] = append(toks[i], id)
		}
	}
	g.idf = make([]float64, len(df))
	for id, c := range df {
		g.idf[id] = math.Log(1 + float64(len(sents))/float64(c))
	}
	g.vecs = make([]vector, n)
	for i := 0; i < n; i++ {
		g.vecs[i] = g.weigh(toks[i], nil)
	}
	g.sims = make([][]float64, n)
	flat := make([]float64, n*n)
	for i := range g.sims {
		g.sims[i] = flat[i*n : (i+1)*n]
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			s := g.vecs[i].dot(g.vecs[j])
			g.sims[i][j], g.sims[j][i] = s, s
		}
	}
	return g, nil
}

// vector weighs the terms of a text outside the article (a title) by the
// article's IDF; terms the article lacks cannot match and are dropped.
func (g *graph) vector(toks []string) vector {
	var ids []int32
	var extra float64
	for _, t := range toks {
		if id, ok := g.ids[t]; ok {
			ids = append(ids, id)
		} else {
			w := math.Log(1 + float64(g.nsent+1))
			extra += w * w
		}
	}
	return g.weigh(ids, &extra)
}

// weigh builds the normalized TF-IDF vector of term ids; extra adds the
// squared weight of unmatched terms to the norm.
func (g *graph) weigh(ids []int32, extra *float64) vector {
	slices.Sort(ids)
	var v vector
	for _, id := range ids {
		if n := len(v); n > 0 && v[n-1].id == id {
			v[n-1].w += g.idf[id]
			continue
		}
		v = append(v, entry{id, g.idf[id]})
	}
	norm := 0.0
	for _, e := range v {
		norm += e.w * e.w
	}
	if extra != nil {
		norm += *extra
	}
	if norm > 0 {
		norm = math.Sqrt(norm)
		for i := range v {
			v[i].w /= norm
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
