package extractive

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/summarize-dev/summarize/internal/clean"
)

// Options tune a Summarizer. DefaultOptions holds the values tuned on the
// CNN/DailyMail development articles; the zero value is not valid.
type Options struct {
	// Bullets is how many bullets to return at most (default 3).
	Bullets int
	// MaxWords caps each bullet (at least 3); longer sentences are cut at
	// a clause boundary where one falls late enough, else at the limit
	// (default 40: shorter caps lose more ROUGE-2 than they gain in
	// precision). A cut never leaves a quotation mark unmatched.
	MaxWords int
	// MinWords: sentences with fewer words are not chosen while longer
	// ones remain (default 6).
	MinWords int
	// Window: only the first Window sentences are candidates and take part
	// in the similarity graph; 0 means all, up to MaxGraph.
	Window int

	// Weights of the sentence score: position prior, centrality in the
	// TF-IDF similarity graph, similarity to the title, and length fit.
	Position, Centrality, Title, Length float64
	// PositionDecay: the prior of sentence i is 1/(1+i/PositionDecay).
	PositionDecay float64
	// QuotePenalty is subtracted from sentences that are mostly a quote.
	QuotePenalty float64
	// Redundancy is the MMR weight of the largest similarity to a bullet
	// already chosen; 0 turns redundancy control off.
	Redundancy float64
	// IdealWords is the sentence length the length term prefers.
	IdealWords int

	// Trim shortens chosen sentences to headline form (attributions,
	// parentheticals, leading clauses).
	Trim bool
	// InOrder returns the bullets in article order rather than score order.
	InOrder bool
}

// DefaultOptions returns the tuned defaults.
func DefaultOptions() Options {
	return Options{
		Bullets:       3,
		MaxWords:      40,
		MinWords:      6,
		Window:        0,
		Position:      1.0,
		Centrality:    0.5,
		Title:         0.3,
		Length:        0.2,
		PositionDecay: 5,
		QuotePenalty:  0.3,
		Redundancy:    1.0,
		IdealWords:    30,
		Trim:          true,
		InOrder:       true,
	}
}

// Validate reports the first option out of range.
func (o Options) Validate() error {
	switch {
	case o.Bullets < 1 || o.Bullets > 20:
		return fmt.Errorf("bullets %d: must be between 1 and 20", o.Bullets)
	case o.MaxWords < 3:
		return fmt.Errorf("max words %d: must be at least 3", o.MaxWords)
	case o.MinWords < 0 || o.MinWords > o.MaxWords:
		return fmt.Errorf("min words %d: must be between 0 and max words (%d)", o.MinWords, o.MaxWords)
	case o.Window < 0:
		return fmt.Errorf("window %d: must not be negative", o.Window)
	case o.PositionDecay <= 0:
		return fmt.Errorf("position decay %g: must be positive", o.PositionDecay)
	case o.IdealWords < 1:
		return fmt.Errorf("ideal words %d: must be positive", o.IdealWords)
	}
	for _, w := range []struct {
		name string
		v    float64
	}{
		{"position", o.Position}, {"centrality", o.Centrality}, {"title", o.Title},
		{"length", o.Length}, {"quote penalty", o.QuotePenalty}, {"redundancy", o.Redundancy},
	} {
		if w.v < 0 || math.IsNaN(w.v) || math.IsInf(w.v, 0) {
			return fmt.Errorf("%s weight %g: must be a finite number ≥ 0", w.name, w.v)
		}
	}
	return nil
}

// MaxGraph bounds the sentences scored, so that time and memory stay
// linear in the input beyond it (the similarity graph is quadratic). News
// articles are far shorter; what a longer text says past its first
// MaxGraph sentences is not summarized.
const MaxGraph = 300

// Summarizer picks and trims sentences. It is safe for concurrent use.
type Summarizer struct {
	opts Options
	seg  *Segmenter
	trim trimConfig
}

// New validates opts and builds a Summarizer with its sentence model.
func New(opts Options) (*Summarizer, error) {
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("extractive options: %w", err)
	}
	seg, err := defaultSegmenter()
	if err != nil {
		return nil, err
	}
	if seg == nil {
		return nil, errors.New("extractive: no sentence model")
	}
	return &Summarizer{opts: opts, seg: seg, trim: defaultTrim}, nil
}

// Options returns the options s was built with.
func (s *Summarizer) Options() Options { return s.opts }

// Summarize returns up to Options.Bullets headline bullets for the article
// body; title may be empty. Body is cleaned text (clean.Clean's
// Article.Body); the dateline is found as Clean finds it. It returns nil
// when body holds no sentence.
func (s *Summarizer) Summarize(title, body string) []string {
	b, _ := s.SummarizeContext(context.Background(), title, body)
	return b
}

// SummarizeContext is Summarize that stops with ctx's error when ctx is
// done: the work is CPU-bound and long for a long text, so it checks ctx
// between paragraphs and every few hundred sentences.
func (s *Summarizer) SummarizeContext(ctx context.Context, title, body string) ([]string, error) {
	sents, err := s.seg.sentencesContext(ctx, body, clean.Dateline(body), -1)
	if err != nil {
		return nil, err
	}
	return s.summarize(ctx, title, sents)
}

// SummarizeArticle summarizes a cleaned article like Summarize, with the
// dateline Clean recorded in a.Dateline rather than one found again.
func (s *Summarizer) SummarizeArticle(a clean.Article) []string {
	b, _ := s.SummarizeArticleContext(context.Background(), a)
	return b
}

// SummarizeArticleContext is SummarizeArticle that stops with ctx's error
// when ctx is done (see SummarizeContext).
func (s *Summarizer) SummarizeArticleContext(ctx context.Context, a clean.Article) ([]string, error) {
	sents, err := s.seg.sentencesContext(ctx, a.Body, a.Dateline, -1)
	if err != nil {
		return nil, err
	}
	return s.summarize(ctx, a.Title, sents)
}

func (s *Summarizer) summarize(ctx context.Context, title string, sents []string) ([]string, error) {
	if len(sents) == 0 {
		return nil, nil
	}
	picked, err := s.pick(ctx, title, sents)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(picked))
	seen := map[string]bool{}
	for _, i := range picked {
		b := sents[i]
		if s.opts.Trim {
			b = trimWith(b, s.opts.MaxWords, s.trim)
		} else {
			b = capWords(b, s.opts.MaxWords)
		}
		if b == "" || seen[b] {
			continue
		}
		seen[b] = true
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// LeadArticle returns the first n sentences of a cleaned article (the
// Lead-N baseline), split like SummarizeArticle splits it.
func LeadArticle(a clean.Article, n int) []string {
	b, _ := LeadArticleContext(context.Background(), a, n)
	return b
}

// LeadArticleContext is LeadArticle that stops with ctx's error when ctx is
// done. It splits only as many paragraphs as the n sentences need.
func LeadArticleContext(ctx context.Context, a clean.Article, n int) ([]string, error) {
	return segmenter().sentencesContext(ctx, a.Body, a.Dateline, n)
}

// pick returns the indices of the chosen sentences.
func (s *Summarizer) pick(ctx context.Context, title string, sents []string) ([]int, error) {
	o := s.opts
	n := min(len(sents), MaxGraph)
	if o.Window > 0 && n > o.Window {
		n = o.Window
	}
	g, err := newGraph(ctx, sents, n)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	base := s.score(title, sents, g)

	// Short sentences and quotation fragments (a sentence that opens
	// inside a quotation begun in the one before: its speaker and its
	// opening are elsewhere) are chosen only when nothing else is left.
	deferred := make([]bool, n)
	for i := range deferred {
		deferred[i] = wordCount(sents[i]) < o.MinWords || opensInside(sents[i])
	}
	var chosen []int
	used := make([]bool, n)
	for len(chosen) < o.Bullets {
		best, bestScore := -1, math.Inf(-1)
		for pass := 0; pass < 2 && best < 0; pass++ {
			for i := 0; i < n; i++ {
				if used[i] || (pass == 0 && deferred[i]) {
					continue
				}
				v := base[i]
				if o.Redundancy > 0 {
					maxSim := 0.0
					for _, j := range chosen {
						maxSim = math.Max(maxSim, g.sim(i, j))
					}
					v -= o.Redundancy * maxSim
				}
				if v > bestScore {
					best, bestScore = i, v
				}
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		chosen = append(chosen, best)
	}
	if o.InOrder {
		sort.Ints(chosen)
	}
	return chosen, nil
}
