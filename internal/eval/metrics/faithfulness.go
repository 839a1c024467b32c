package metrics

import (
	"math"
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
// A bullet mostly copied from one sentence must keep its polarity: a
// dropped or added "not", "n't" or "never" is an unsupported span too (see
// negationMismatch).
//
// It also finds the article sentence that best supports each bullet: the
// one with the highest ROUGE-1 recall of the bullet's tokens (stemmed), that
// is the share of the bullet's tokens found in the sentence.
//
// Value is the mean over bullets of a credit in [0, 1]: the weighted share
// of the bullet's tokens found in its support window, the passage of the
// article at most half again as long as the bullet that holds the most of
// them (function words weighing a quarter of content words; see
// articleTokens.support), halved for each unsupported span, then squared
// (see headline). A bullet fused from neighbouring sentences keeps its
// credit; one stitched from distant parts of the article, or from a
// run-on "sentence" the splitter could not break, loses it.
// It was chosen by cross-validation against human factuality judgments
// (FRANK, SummEval). Parts: "supported" (share of bullets with no
// unsupported span), "spans" (share of checked spans supported, 1 when none
// were checked) and "support" (mean best-sentence score). Detail is a
// []BulletSupport. It is a heuristic: it catches a changed number, a new
// name, a wrong year or a flipped negation, not a changed verb.
type Faithfulness struct {
	tokenizer rouge.DefaultTokenizer
	window    float64 // support window, in multiples of the bullet's length
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
	return newFaithfulness(defaultWindow), nil
}

// defaultWindow is the support window chosen by 5-fold cross-validation
// over the dev articles' human judgments (see TestFaithfulnessHuman): a
// bullet's words must come from a passage at most half again as long.
const defaultWindow = 1.5

func newFaithfulness(window float64) *Faithfulness {
	return &Faithfulness{tokenizer: rouge.DefaultTokenizer{Stemmer: true}, window: window}
}

// Name implements Metric.
func (*Faithfulness) Name() string { return "faithfulness" }

// bulletEvidence is what the headline is computed from for one bullet.
type bulletEvidence struct {
	bulletSupport
	detail BulletSupport
}

// evidence checks every candidate bullet against the article.
func (m *Faithfulness) evidence(c Case) []bulletEvidence {
	idx := indexArticle(c.Article)
	toks := newArticleTokens(m.tokenizer, splitSentences(c.Article))
	out := make([]bulletEvidence, len(c.Candidate))
	for i, b := range c.Candidate {
		d := BulletSupport{Bullet: b}
		vouched := map[string]bool{}
		for _, f := range bulletFacts(b) {
			d.Checked++
			if !idx.supports(f) {
				d.Unsupported = append(d.Unsupported, f.text)
				continue
			}
			for _, t := range m.tokenizer.Tokenize(f.text) {
				vouched[t] = true
			}
		}
		s := toks.support(m.tokenizer, b, vouched, m.window)
		if s.sentence >= 0 {
			d.Sentence, d.Score = toks.sentences[s.sentence], s.best
			if n := negationMismatch(m.tokenizer, b, d.Sentence, s); n != "" {
				d.Checked++
				d.Unsupported = append(d.Unsupported, n)
			}
		}
		d.Supported = len(d.Unsupported) == 0
		out[i] = bulletEvidence{bulletSupport: s, detail: d}
	}
	return out
}

// headline turns bullet evidence into the metric's value. A bullet's
// credit is the weighted share of its tokens the article holds: a token in
// the support window earns 1, one found only elsewhere in the article earns
// elsewhere, one the article lacks earns 0; function words weigh function
// against 1 for content words, so a paraphrase that keeps the content words
// keeps its credit. Each unsupported number, date or name multiplies the
// credit by penalty, and credit at or above full counts as 1 (wording
// is evidence, not the claim itself). The value is the mean over bullets of credit^power, so
// that one weak bullet costs more than a little doubt spread over all.
type headline struct {
	elsewhere, function, penalty, full, power float64
}

// defaultHeadline is the headline chosen by 5-fold cross-validation over
// the dev articles' human judgments (see TestFaithfulnessHuman).
func defaultHeadline() headline {
	return headline{elsewhere: 0, function: 0.25, penalty: 0.5, full: 1, power: 2}
}

// bullet returns the credit of one bullet.
func (h headline) bullet(e bulletEvidence) float64 {
	num := float64(e.content.inWindow) + h.elsewhere*float64(e.content.inArticle) +
		h.function*(float64(e.function.inWindow)+h.elsewhere*float64(e.function.inArticle))
	den := float64(e.content.all) + h.function*float64(e.function.all)
	credit := 1.0
	if den > 0 {
		credit = num / den
	}
	credit = min(1, credit/h.full)
	for range e.detail.Unsupported {
		credit *= h.penalty
	}
	return math.Pow(credit, h.power)
}

// value returns the headline value of a summary's bullets, 0 for none.
func (h headline) value(ev []bulletEvidence) float64 {
	if len(ev) == 0 {
		return 0
	}
	var sum float64
	for _, e := range ev {
		sum += h.bullet(e)
	}
	return sum / float64(len(ev))
}

// Score implements Metric.
func (m *Faithfulness) Score(c Case) Score {
	ev := m.evidence(c)
	details := make([]BulletSupport, len(ev))
	supported, checked, okSpans := 0, 0, 0
	var support float64
	for i, e := range ev {
		d := e.detail
		checked += d.Checked
		okSpans += d.Checked - len(d.Unsupported)
		if d.Supported {
			supported++
		}
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
		Value:  defaultHeadline().value(ev),
		Parts:  map[string]float64{"supported": value, "spans": spans, "support": meanSupport},
		Detail: details,
	}
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
