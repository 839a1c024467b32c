package metrics

import (
	"fmt"
	"strings"

	"github.com/summarize-dev/summarize/internal/eval/rouge"
)

// ROUGE is one ROUGE type computed with rouge-score parity (Porter stemming
// on). Reference and candidate bullets are joined with newlines, so
// rougeLsum sees one bullet a sentence. Value is the F-measure; Parts are
// "p", "r" and "f".
type ROUGE struct {
	typ    string
	scorer *rouge.Scorer
}

// NewROUGE returns the ROUGE metric of type typ: rouge1 to rouge9, rougeL
// or rougeLsum.
func NewROUGE(typ string) (*ROUGE, error) {
	s, err := rouge.NewScorer([]string{typ}, rouge.Options{Stemmer: true})
	if err != nil {
		return nil, fmt.Errorf("metric %s: %w", typ, err)
	}
	return &ROUGE{typ: typ, scorer: s}, nil
}

// Name returns the ROUGE type, such as "rougeLsum".
func (m *ROUGE) Name() string { return m.typ }

// Score implements Metric.
func (m *ROUGE) Score(c Case) Score {
	s := m.scorer.ScoreBullets(c.Reference, c.Candidate)[m.typ]
	return Score{
		Value: s.F,
		Parts: map[string]float64{"p": s.Precision, "r": s.Recall, "f": s.F},
	}
}

// ROUGESet scores several ROUGE types in one pass over the texts (one
// tokenization for all of them): Scores gives, type by type, what the
// ROUGE metric of that type gives alone.
type ROUGESet struct {
	types  []string
	scorer *rouge.Scorer
}

// NewROUGESet returns the set of the given ROUGE types (see NewROUGE).
func NewROUGESet(types []string) (*ROUGESet, error) {
	s, err := rouge.NewScorer(types, rouge.Options{Stemmer: true})
	if err != nil {
		return nil, fmt.Errorf("metrics %s: %w", strings.Join(types, ", "), err)
	}
	return &ROUGESet{types: append([]string(nil), types...), scorer: s}, nil
}

// Scores returns the score of each type, in the order given.
func (m *ROUGESet) Scores(c Case) []Score {
	var buf [8]rouge.Score
	rs := m.scorer.AppendScores(buf[:0], strings.Join(c.Reference, "\n"), strings.Join(c.Candidate, "\n"))
	out := make([]Score, len(rs))
	for i, s := range rs {
		out[i] = Score{Value: s.F, Parts: map[string]float64{"p": s.Precision, "r": s.Recall, "f": s.F}}
	}
	return out
}

// rouge1F returns a similarity function: ROUGE-1 F-measure with stemming
// between two bullets. It is symmetric.
func rouge1F() (func(a, b string) float64, error) {
	s, err := rouge.NewScorer([]string{"rouge1"}, rouge.Options{Stemmer: true})
	if err != nil {
		return nil, err
	}
	return func(a, b string) float64 {
		var buf [1]rouge.Score
		return s.AppendScores(buf[:0], a, b)[0].F
	}, nil
}
