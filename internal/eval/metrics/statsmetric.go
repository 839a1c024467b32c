package metrics

import (
	"github.com/summarize-dev/summarize/internal/bullet"
	"github.com/summarize-dev/summarize/internal/eval/rouge"
)

// Stats is the reference-free "stats" metric: figures that describe a
// summary without judging it against a reference. Parts:
//
//   - bullets: number of candidate bullets;
//   - words_per_bullet: mean words per bullet (bullet.Words);
//   - summary_words, article_words: word counts;
//   - compression: article words / summary words (0 for an empty summary);
//   - novel_unigrams, novel_bigrams: share of the summary's unigram and
//     bigram occurrences that never occur in the article, after ROUGE
//     tokenization with stemming (lower-cased [a-z0-9] runs, Porter stems).
//     Bigrams do not cross bullet boundaries.
//
// It is a description, not a quality score: Columns names the parts the
// eval reports as columns of their own (stats.words_per_bullet, ...) in
// place of a headline. Value is 1 - novel_unigrams, the share of summary
// tokens found in the article, for callers that want one number. Detail is
// a StatsDetail.
type Stats struct {
	tok rouge.DefaultTokenizer
}

// StatsDetail is the Detail of a stats Score.
type StatsDetail struct {
	WordsPerBullet []int `json:"words_per_bullet"`
}

// NewStats returns the stats metric.
func NewStats() (*Stats, error) {
	return &Stats{tok: rouge.DefaultTokenizer{Stemmer: true}}, nil
}

// Name implements Metric.
func (*Stats) Name() string { return "stats" }

// Columns are the parts reported as descriptive columns instead of Value.
func (*Stats) Columns() []string {
	return []string{"words_per_bullet", "compression", "novel_unigrams", "novel_bigrams"}
}

// Score implements Metric.
func (m *Stats) Score(c Case) Score {
	art := m.tok.Tokenize(c.Article)
	uni := make(map[string]bool, len(art))
	bi := make(map[[2]string]bool, len(art))
	for i, t := range art {
		uni[t] = true
		if i > 0 {
			bi[[2]string{art[i-1], t}] = true
		}
	}
	d := StatsDetail{WordsPerBullet: make([]int, len(c.Candidate))}
	words, nUni, novelUni, nBi, novelBi := 0, 0, 0, 0, 0
	for i, b := range c.Candidate {
		d.WordsPerBullet[i] = bullet.Words(b)
		words += d.WordsPerBullet[i]
		toks := m.tok.Tokenize(b)
		for k, t := range toks {
			nUni++
			if !uni[t] {
				novelUni++
			}
			if k > 0 {
				nBi++
				if !bi[[2]string{toks[k-1], t}] {
					novelBi++
				}
			}
		}
	}
	articleWords := bullet.Words(c.Article)
	novelUnigrams := ratio(novelUni, nUni)
	value := 0.0
	if nUni > 0 {
		value = 1 - novelUnigrams
	}
	return Score{
		Value: value,
		Parts: map[string]float64{
			"bullets":          float64(len(c.Candidate)),
			"words_per_bullet": ratio(words, len(c.Candidate)),
			"summary_words":    float64(words),
			"article_words":    float64(articleWords),
			"compression":      ratio(articleWords, words),
			"novel_unigrams":   novelUnigrams,
			"novel_bigrams":    ratio(novelBi, nBi),
		},
		Detail: d,
	}
}
