package metrics

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/summarize-dev/summarize/internal/eval/rouge"
)

// Faithfulness is an offline check, with no model, that each candidate
// bullet says nothing the article does not: every number (digits,
// "1.5", "20,000", "5%", "$19 million" ≈ "$19m" ≈ "19,000,000", spelled-out
// "one" to "ninety-nine", ordinals), month and weekday, and name
// (capitalised words and spans, case folded; see findNames) in the bullet
// must appear in the article. A name is supported when the article contains
// it as a phrase or contains each of its words; a number when the article
// mentions the same value in any of the forms above.
//
// It also finds the article sentence that best supports each bullet: the
// one with the highest ROUGE-1 recall of the bullet's tokens (stemmed), that
// is the share of the bullet's tokens found in the sentence.
//
// Value is the share of bullets with no unsupported span. Parts:
// "supported" (the same), "spans" (share of checked spans supported, 1 when
// none were checked) and "support" (mean best-sentence score). Detail is a
// []BulletSupport. It is a heuristic: it catches a changed number, a new
// name or a wrong year, not a changed verb.
type Faithfulness struct {
	scorer *rouge.Scorer
}

// BulletSupport is the faithfulness detail of one bullet.
type BulletSupport struct {
	Bullet      string   `json:"bullet"`
	Supported   bool     `json:"supported"`
	Checked     int      `json:"checked"`               // numbers, dates and names checked
	Unsupported []string `json:"unsupported,omitempty"` // as written in the bullet
	// Sentence is the article sentence that best supports the bullet, and
	// Score the share of the bullet's tokens it contains.
	Sentence string  `json:"support_sentence"`
	Score    float64 `json:"support_score"`
}

// NewFaithfulness returns the faithfulness metric.
func NewFaithfulness() (*Faithfulness, error) {
	s, err := rouge.NewScorer([]string{"rouge1"}, rouge.Options{Stemmer: true})
	if err != nil {
		return nil, fmt.Errorf("metric faithfulness: %w", err)
	}
	return &Faithfulness{scorer: s}, nil
}

// Name implements Metric.
func (*Faithfulness) Name() string { return "faithfulness" }

// Score implements Metric.
func (m *Faithfulness) Score(c Case) Score {
	idx := indexArticle(c.Article)
	sentences := splitSentences(c.Article)
	details := make([]BulletSupport, len(c.Candidate))
	supported, checked, okSpans := 0, 0, 0
	var support float64
	for i, b := range c.Candidate {
		d := BulletSupport{Bullet: b}
		for _, f := range bulletFacts(b) {
			d.Checked++
			if idx.supports(f) {
				okSpans++
			} else {
				d.Unsupported = append(d.Unsupported, f.text)
			}
		}
		checked += d.Checked
		d.Supported = len(d.Unsupported) == 0
		if d.Supported {
			supported++
		}
		d.Sentence, d.Score = m.bestSentence(b, sentences)
		support += d.Score
		details[i] = d
	}
	spans := 1.0
	if checked > 0 {
		spans = ratio(okSpans, checked)
	}
	value := ratio(supported, len(c.Candidate))
	meanSupport := 0.0
	if len(c.Candidate) > 0 {
		meanSupport = support / float64(len(c.Candidate))
	}
	return Score{
		Value:  value,
		Parts:  map[string]float64{"supported": value, "spans": spans, "support": meanSupport},
		Detail: details,
	}
}

// bestSentence returns the sentence containing the largest share of the
// bullet's tokens (ROUGE-1 precision of the bullet against the sentence)
// and that share; the first such sentence wins ties.
func (m *Faithfulness) bestSentence(b string, sentences []string) (string, float64) {
	best, bestScore := "", 0.0
	var buf [1]rouge.Score
	for _, s := range sentences {
		if sc := m.scorer.AppendScores(buf[:0], s, b)[0].Precision; sc > bestScore {
			best, bestScore = s, sc
		}
	}
	return best, bestScore
}

// bulletFacts returns the numbers, calendar words and names of a bullet.
func bulletFacts(b string) []fact {
	var fs []fact
	for _, n := range findNumbers(b) {
		fs = append(fs, fact{kind: "number", text: n.text, value: numberKey(n.value)})
	}
	for _, w := range splitWords(b) {
		if !isCapitalised(w.text) {
			continue // "may", "march" as verbs
		}
		if cw := calendarWord(w.text); cw != "" && !(w.sentStart && strings.EqualFold(w.text, "may")) {
			fs = append(fs, fact{kind: "date", text: w.text, value: cw})
		}
	}
	for _, n := range findNames(b) {
		fs = append(fs, fact{kind: "name", text: n.text, value: strings.ToLower(n.text), initial: n.initial})
	}
	return fs
}

// articleIndex is what faithfulness looks facts up in.
type articleIndex struct {
	lower    string          // the article, lower-cased, spaces collapsed
	words    map[string]bool // lower-case words, and the same with dots removed
	common   map[string]bool // words written in lower case in the article
	numbers  map[string]bool // number keys, scaled and unscaled
	calendar map[string]bool // "month:N", "day:N"
}

func indexArticle(a string) *articleIndex {
	idx := &articleIndex{
		lower:    strings.Join(strings.Fields(strings.ToLower(a)), " "),
		words:    map[string]bool{},
		common:   map[string]bool{},
		numbers:  map[string]bool{},
		calendar: map[string]bool{},
	}
	split := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	for _, w := range strings.FieldsFunc(idx.lower, split) {
		idx.words[w] = true
	}
	for _, w := range strings.FieldsFunc(strings.ReplaceAll(idx.lower, ".", ""), split) {
		idx.words[w] = true
	}
	for _, w := range strings.FieldsFunc(a, split) {
		if !strings.ContainsFunc(w, unicode.IsUpper) {
			idx.common[w] = true
		}
	}
	for w := range idx.words {
		if cw := calendarWord(w); cw != "" {
			idx.calendar[cw] = true
		}
	}
	for _, n := range findNumbers(a) {
		idx.numbers[numberKey(n.value)] = true
		idx.numbers[numberKey(n.raw)] = true
	}
	return idx
}

// supports reports whether the article backs fact f.
func (idx *articleIndex) supports(f fact) bool {
	switch f.kind {
	case "number":
		return idx.numbers[f.value]
	case "date":
		return idx.calendar[f.value]
	}
	if strings.Contains(idx.lower, f.value) {
		return true
	}
	split := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' }
	words := strings.FieldsFunc(f.value, split)
	if f.initial && len(words) > 1 && idx.common[words[0]] {
		// "Suspects John Doe": the article writes "suspects" in lower case,
		// so the first word is an ordinary word capitalised for grammar.
		words = words[1:]
	}
	for _, w := range words {
		if !idx.words[strings.ReplaceAll(w, ".", "")] && !idx.words[w] {
			return false
		}
	}
	return true
}

// splitSentences splits an article into sentences: at line breaks, and
// after ".", "!" or "?" (and any closing quotes or brackets) followed by a
// space and an upper-case letter, a digit or an opening quote. Abbreviations
// such as "U.S." before a capital will split too; that is good enough for
// finding a supporting sentence.
func splitSentences(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		rs := []rune(line)
		start := 0
		for i := 0; i < len(rs); i++ {
			if rs[i] != '.' && rs[i] != '!' && rs[i] != '?' {
				continue
			}
			j := i + 1
			for j < len(rs) && strings.ContainsRune(`"'”’)]`, rs[j]) {
				j++
			}
			if j+1 < len(rs) && unicode.IsSpace(rs[j]) && (unicode.IsUpper(rs[j+1]) || unicode.IsDigit(rs[j+1]) || strings.ContainsRune(`"“'‘(`, rs[j+1])) {
				out = appendSentence(out, string(rs[start:j]))
				start = j + 1
				i = j
			}
		}
		out = appendSentence(out, string(rs[start:]))
	}
	return out
}

func appendSentence(out []string, s string) []string {
	if s = strings.TrimSpace(s); s != "" {
		return append(out, s)
	}
	return out
}
