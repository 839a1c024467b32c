package report

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/metrics"
	"github.com/summarize-dev/summarize/internal/eval/rouge"
)

// seg is a run of text, Mark when its words appear on the other side
// (reference or bullets).
type seg struct {
	Text string
	Mark bool
}

// span is a run of a bullet: a seg, Unsup when faithfulness found no
// support for it in the article.
type span struct {
	seg
	Unsup bool
}

var wordRE = regexp.MustCompile(`[\p{L}\p{N}]+(?:['’][\p{L}]+)?`)

// stopWords are not marked: every bullet shares them.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "in": true, "on": true, "and": true,
	"or": true, "for": true, "at": true, "by": true, "is": true, "are": true, "was": true, "were": true,
	"be": true, "as": true, "with": true, "it": true, "its": true, "that": true, "this": true, "from": true,
	"has": true, "have": true, "had": true, "will": true, "s": true, "but": true, "not": true,
}

// normWord folds case and stems as ROUGE does, so the marks show the
// overlap the scores count.
func normWord(w string) string {
	w = strings.TrimSuffix(strings.ToLower(strings.ReplaceAll(w, "’", "'")), "'s")
	if len(w) > 3 {
		return rouge.Stem(w)
	}
	return w
}

func wordSet(texts []string) map[string]bool {
	set := map[string]bool{}
	for _, t := range texts {
		for _, w := range wordRE.FindAllString(t, -1) {
			if n := normWord(w); !stopWords[n] {
				set[n] = true
			}
		}
	}
	return set
}

// markWords splits s into runs, marking the words found in other.
func markWords(s string, other map[string]bool) []seg {
	var out []seg
	last := 0
	add := func(text string, mark bool) {
		if text == "" {
			return
		}
		if len(out) > 0 && out[len(out)-1].Mark == mark {
			out[len(out)-1].Text += text
			return
		}
		out = append(out, seg{Text: text, Mark: mark})
	}
	for _, loc := range wordRE.FindAllStringIndex(s, -1) {
		w := s[loc[0]:loc[1]]
		n := normWord(w)
		add(s[last:loc[0]], false)
		add(w, other[n] && !stopWords[n])
		last = loc[1]
	}
	add(s[last:], false)
	// A space between two marked words belongs to the mark.
	for i := 1; i+1 < len(out); i++ {
		if !out[i].Mark && out[i-1].Mark && out[i+1].Mark && strings.TrimSpace(out[i].Text) == "" {
			out[i-1].Text += out[i].Text + out[i+1].Text
			out = append(out[:i], out[i+2:]...)
			i--
		}
	}
	return out
}

// markBullet marks the words of bullet found in other and flags the
// unsupported spans; it returns the spans not found in the bullet as
// written (a dropped negation, say), for the page to list.
func markBullet(bullet string, other map[string]bool, unsupported []string) ([]span, []string) {
	var ranges [][2]int
	var unplaced []string
	lower := strings.ToLower(bullet)
	for _, u := range unsupported {
		i := strings.Index(lower, strings.ToLower(u))
		if u == "" || i < 0 {
			unplaced = append(unplaced, u)
			continue
		}
		ranges = append(ranges, [2]int{i, i + len(u)})
	}
	slices.SortFunc(ranges, func(a, b [2]int) int { return a[0] - b[0] })
	var out []span
	add := func(segs []seg, unsup bool) {
		for _, s := range segs {
			if n := len(out); n > 0 && out[n-1].Mark == s.Mark && out[n-1].Unsup == unsup {
				out[n-1].Text += s.Text
				continue
			}
			out = append(out, span{s, unsup})
		}
	}
	pos := 0
	for _, rg := range ranges {
		if rg[0] < pos { // overlaps the span before
			rg[0] = pos
		}
		if rg[1] <= rg[0] {
			continue
		}
		add(markWords(bullet[pos:rg[0]], other), false)
		add(markWords(bullet[rg[0]:rg[1]], other), true)
		pos = rg[1]
	}
	add(markWords(bullet[pos:], other), false)
	return out, unplaced
}

// alignRow pairs a reference bullet with the candidate bullet covering it.
type alignRow struct {
	Ref   int
	Cand  int // 0 = no candidate bullet overlaps
	Score string
	Text  string
}

// alignment returns the alignment metric's pairing of reference and
// candidate bullets when the suite scored it, and a word-overlap pairing
// otherwise.
func alignment(rec *eval.Record) ([]alignRow, string) {
	if raw, ok := rec.Details["alignment"]; ok {
		var d metrics.AlignmentDetail
		if err := json.Unmarshal(raw, &d); err == nil && len(d.References) == len(rec.Reference) {
			rows := make([]alignRow, len(d.References))
			for i, m := range d.References {
				rows[i] = alignRow{Ref: i + 1, Score: fmt.Sprintf("%.2f", m.Similarity)}
				if m.Covered && m.Candidate >= 0 && m.Candidate < len(rec.Bullets) {
					rows[i].Cand = m.Candidate + 1
				}
			}
			return rows, "alignment metric (one-to-one, ROUGE-1 similarity)"
		}
	}
	return alignBullets(rec.Reference, rec.Bullets), "most shared content words"
}

// alignBullets pairs each reference bullet with the candidate bullet that
// shares the most content words with it (F1 over word sets).
func alignBullets(ref, cand []string) []alignRow {
	var rows []alignRow
	cs := make([]map[string]bool, len(cand))
	for j, c := range cand {
		cs[j] = wordSet([]string{c})
	}
	for i, r := range ref {
		rs := wordSet([]string{r})
		best, bestF := 0, 0.0
		for j := range cand {
			if f := setF1(rs, cs[j]); f > bestF {
				best, bestF = j+1, f
			}
		}
		row := alignRow{Ref: i + 1, Cand: best, Score: fmt.Sprintf("%.2f", bestF)}
		if best > 0 {
			row.Text = truncate(cand[best-1], 60)
		}
		rows = append(rows, row)
	}
	return rows
}

func setF1(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	for w := range a {
		if b[w] {
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p, r := float64(common)/float64(len(b)), float64(common)/float64(len(a))
	return math.Round(2*p*r/(p+r)*100) / 100
}

// rank orders statuses from best to worst.
func rank(status string) int {
	return slices.Index([]string{"", eval.StatusPass, eval.StatusFail, eval.StatusError}, status)
}
