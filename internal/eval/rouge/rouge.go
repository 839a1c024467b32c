// Package rouge computes ROUGE scores with exact parity to Google's
// rouge-score package (the rouge/ folder of google-research), the
// implementation behind most published summarization numbers.
//
// A Scorer built with Options{Stemmer: true} gives, for rouge1..rouge9,
// rougeL and rougeLsum, the same precision, recall and F-measure as
// rouge-score's RougeScorer(types, use_stemmer=True).score(target,
// prediction) with NLTK 3.8's Porter stemmer: the same tokenizer (Python
// str.lower(), [a-z0-9] runs, stems of tokens longer than three
// characters), the same n-gram counting, the same LCS, and for rougeLsum
// the same newline sentence split, union LCS and token-count bookkeeping.
//
// BootstrapAggregator computes rouge-score's bootstrap confidence intervals
// (seeded, so reproducible), Percentile is numpy's default percentile, and
// ScoreStream is the engine of "summarize score" (JSONL in, JSONL out).
package rouge

import (
	"fmt"
	"strings"
	"sync"
)

// Score is the precision, recall and F-measure of one ROUGE type.
type Score struct {
	Precision float64 `json:"p"`
	Recall    float64 `json:"r"`
	F         float64 `json:"f"`
}

// Options configures a Scorer.
type Options struct {
	// Stemmer stems tokens longer than three characters with NLTK's Porter
	// stemmer (rouge-score's use_stemmer=True). It applies to the default
	// tokenizer only: a custom Tokenizer does its own stemming, as in
	// rouge-score.
	Stemmer bool
	// Tokenizer replaces rouge-score's default tokenizer when not nil.
	// Scores from another tokenizer are not comparable with published
	// numbers.
	Tokenizer Tokenizer
}

// DefaultTypes returns the ROUGE types most papers report: rouge1, rouge2,
// rougeL and rougeLsum.
func DefaultTypes() []string {
	return []string{"rouge1", "rouge2", "rougeL", "rougeLsum"}
}

const (
	orderL    = 0
	orderLsum = -1
)

// Scorer computes ROUGE scores. It is safe for concurrent use: its token
// cache is shared by all goroutines and its scratch buffers are pooled.
//
// The cache keeps every distinct word the Scorer has seen (with its stem),
// so its memory grows with the vocabulary of the texts scored, by about
// 120 bytes a distinct word, plus a bounded private cache (at most 65,536
// words) per goroutine scoring at once. Drop the Scorer to free it.
type Scorer struct {
	types  []string
	orders []int // per type: n for rougeN, orderL, orderLsum
	needL  bool  // some type other than rougeLsum needs whole-text tokens
	needS  bool  // rougeLsum is asked for
	tok    Tokenizer
	vocab  *vocab
	pool   sync.Pool
}

// NewScorer returns a Scorer for the given types: "rouge1" to "rouge9"
// (n-gram overlap), "rougeL" (longest common subsequence of the whole
// texts) and "rougeLsum" (summary-level LCS over newline-separated
// sentences).
func NewScorer(types []string, opts Options) (*Scorer, error) {
	if len(types) == 0 {
		return nil, fmt.Errorf("rouge: no types given")
	}
	s := &Scorer{
		types:  append([]string(nil), types...),
		orders: make([]int, len(types)),
		tok:    opts.Tokenizer,
		vocab:  newVocab(opts.Stemmer && opts.Tokenizer == nil),
	}
	seen := make(map[string]bool, len(types))
	for i, t := range types {
		if seen[t] {
			return nil, fmt.Errorf("rouge: type %q given twice", t)
		}
		seen[t] = true
		switch {
		case t == "rougeL":
			s.orders[i] = orderL
			s.needL = true
		case t == "rougeLsum":
			s.orders[i] = orderLsum
			s.needS = true
		case len(t) == 6 && strings.HasPrefix(t, "rouge") && '1' <= t[5] && t[5] <= '9':
			s.orders[i] = int(t[5] - '0')
			s.needL = true
		default:
			return nil, fmt.Errorf("rouge: unknown type %q (want rouge1 to rouge9, rougeL or rougeLsum)", t)
		}
	}
	s.pool.New = func() any { return newScratch() }
	return s, nil
}

// Types returns the types the Scorer computes, in the order given to
// NewScorer.
func (s *Scorer) Types() []string { return append([]string(nil), s.types...) }

// Score returns the scores of prediction against target (the reference),
// one entry per type.
func (s *Scorer) Score(target, prediction string) map[string]Score {
	var buf [8]Score
	scores := s.AppendScores(buf[:0], target, prediction)
	m := make(map[string]Score, len(scores))
	for i, t := range s.types {
		m[t] = scores[i]
	}
	return m
}

// ScoreBullets scores candidate bullets against reference bullets, each
// list joined with newlines (so that rougeLsum sees one bullet a sentence).
func (s *Scorer) ScoreBullets(reference, candidate []string) map[string]Score {
	return s.Score(strings.Join(reference, "\n"), strings.Join(candidate, "\n"))
}

// AppendScores appends the scores of prediction against target to dst in
// the order of Types, and returns the extended slice. It does not allocate
// once the Scorer has seen the texts' words.
func (s *Scorer) AppendScores(dst []Score, target, prediction string) []Score {
	sc := s.pool.Get().(*scratch)
	defer s.pool.Put(sc)
	sc.reset()
	s.tokenize(sc, &sc.tgt, target)
	s.tokenize(sc, &sc.prd, prediction)
	size := int(max(sc.tgt.max, sc.prd.max))
	for _, n := range s.orders {
		var r Score
		switch n {
		case orderL:
			r = scoreLCS(sc, sc.tgt.ids, sc.prd.ids, size)
		case orderLsum:
			r = summaryLCS(sc, &sc.tgt, &sc.prd, size)
		default:
			r = scoreNgrams(sc, sc.tgt.ids, sc.prd.ids, n)
		}
		dst = append(dst, r)
	}
	return dst
}

// fmeasure is rouge-score's scoring.fmeasure.
func fmeasure(p, r float64) float64 {
	if p+r > 0 {
		return 2 * p * r / (p + r)
	}
	return 0
}

// tokenize fills t with the token ids of text and their sentences.
func (s *Scorer) tokenize(sc *scratch, t *tokens, text string) {
	if s.tok == nil {
		sc.scan = scanner{text: text, buf: sc.scan.buf}
		line := -1
		for {
			w, l, ok := sc.scan.next()
			if !ok {
				break
			}
			if l != line {
				t.sents = append(t.sents, int32(len(t.ids)))
				line = l
			}
			t.add(sc.id(s.vocab, w))
		}
		t.sents = append(t.sents, int32(len(t.ids)))
		t.sids = t.ids
		return
	}
	// A custom tokenizer may not split the same way across newlines, so
	// whole-text tokens and per-sentence tokens are computed separately,
	// as rouge-score does.
	if s.needL {
		for _, w := range s.tok.Tokenize(text) {
			t.add(sc.idString(s.vocab, w))
		}
	}
	if s.needS {
		for line := range strings.SplitSeq(text, "\n") {
			if line == "" {
				continue
			}
			t.sents = append(t.sents, int32(len(t.sbuf)))
			for _, w := range s.tok.Tokenize(line) {
				id := sc.idString(s.vocab, w)
				t.sbuf = append(t.sbuf, id)
				t.max = max(t.max, id+1)
			}
		}
		t.sents = append(t.sents, int32(len(t.sbuf)))
		t.sids = t.sbuf
	}
}
