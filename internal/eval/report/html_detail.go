package report

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/metrics"
)

// htmlCase is one case of the page: a collapsed row that says what
// happened, and the detail that shows why.
type htmlCase struct {
	Index                    int
	ID, Anchor, Title        string
	Open                     bool
	Leaks                    []int
	Status                   string   // the gated variants' worst status: the row's colour
	Why                      []string // why it counts against a gate
	Drop                     string   // "llm −0.120 vs baseline"
	Heads                    []htmlHead
	Article                  []string // paragraphs; nil when the report was given none
	ArticleWords             int
	References               [][]seg
	Variants                 []*htmlCaseVariant
	Filter                   string // JSON the page's filter reads: statuses and scores per variant
	Order                    string // the case's rank under each of HTMLSorts, space-separated
	worstRank                int
	HasBaseline, ShowArticle bool
}

// htmlHead is a variant's line in a collapsed case row.
type htmlHead struct {
	Name, Color, Status, Score, Delta string
	Gated, Down, Up                   bool
}

type htmlCaseVariant struct {
	Name, Color, Status string
	Anchor              string
	Gated               bool
	Reasons             []string
	Bullets             [][]span
	Unplaced            []string // unsupported spans not found verbatim in their bullet
	Leftovers           []string
	Scores              []htmlScore
	Alignment           []alignRow
	AlignedBy           string
	Error               string
	Base                *htmlBase
}

// htmlScore is a case's score on one metric, with the change against the
// baseline when there is one.
type htmlScore struct {
	K, V, Base, Delta string
	Down, Up          bool
}

// htmlBase is what the baseline made of the case.
type htmlBase struct {
	Status  string
	Bullets [][]seg
	Same    bool // the bullets did not change
}

// htmlCases picks the cases the page shows, in the order opt.Sort asks
// for, and reads them in full.
func htmlCases(r *eval.Result, opt HTMLOptions, primary string) ([]*htmlCase, error) {
	gated := gatedVariants(r)
	facts, err := collectFacts(r, primary, gated)
	if err != nil {
		return nil, err
	}
	facts = slices.DeleteFunc(facts, func(f *caseFacts) bool { return !f.run })
	picked := sortFacts(facts, opt.Sort)
	picked = picked[:min(len(picked), opt.MaxCases)]
	ranks := make(map[int][]string, len(picked))
	worst := make(map[int]int, len(picked))
	for _, s := range HTMLSorts {
		for i, f := range sortFacts(picked, s) {
			ranks[f.pos] = append(ranks[f.pos], fmt.Sprint(i))
			if s == SortWorst {
				worst[f.pos] = i
			}
		}
	}
	byPos := make(map[int]*htmlCase, len(picked))
	out := make([]*htmlCase, len(picked))
	used := map[string]bool{}
	leaks := map[string][]int{}
	for _, l := range r.Leaks {
		leaks[l.Case] = append(leaks[l.Case], l.Bullet)
	}
	for i, f := range picked {
		id := r.CaseIDs[f.pos]
		c := &htmlCase{Index: f.pos, ID: id, Anchor: anchor("case-", id, used), Open: i < opt.Open,
			Leaks: leaks[id], Status: f.color, Why: f.gateWhy, Order: strings.Join(ranks[f.pos], " "), worstRank: worst[f.pos],
			HasBaseline: r.Baseline() != nil, ShowArticle: opt.Articles != nil}
		if !math.IsNaN(f.drop) && f.drop > 0.0005 {
			c.Drop = fmt.Sprintf("%s −%.3f vs %s", f.dropOf, f.drop, f.against)
		}
		c.Heads, c.Filter = caseHeads(r, f, gated)
		out[i], byPos[f.pos] = c, c
	}
	order := variantOrder(r)
	refs := map[int][]string{}
	bullets := map[int][][]string{}
	err = r.Records(func(rec *eval.Record) error {
		c := byPos[rec.Index]
		if c == nil || rec.Repeat != 0 {
			return nil
		}
		if c.Title == "" {
			c.Title = rec.Title
		}
		refs[rec.Index] = rec.Reference
		bullets[rec.Index] = append(bullets[rec.Index], rec.Bullets)
		vi := order[rec.Variant]
		c.Variants = append(c.Variants, caseVariant(r, rec, vi, gated[vi]))
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		slices.SortFunc(c.Variants, func(a, b *htmlCaseVariant) int { return order[a.Name] - order[b.Name] })
		for _, cv := range c.Variants {
			cv.Anchor = anchor(c.Anchor+"-", cv.Name, used)
		}
		var all []string
		for _, b := range bullets[c.Index] {
			all = append(all, b...)
		}
		words := wordSet(all)
		for _, ref := range refs[c.Index] {
			c.References = append(c.References, markWords(ref, words))
		}
	}
	if opt.Articles != nil && len(out) > 0 {
		ids := make([]string, len(out))
		for i, c := range out {
			ids[i] = c.ID
		}
		arts, err := opt.Articles(ids)
		if err != nil {
			return nil, fmt.Errorf("read articles: %w", err)
		}
		for _, c := range out {
			text, ok := arts[c.ID]
			if !ok {
				continue
			}
			for _, p := range strings.Split(text, "\n\n") {
				if p = strings.TrimSpace(p); p != "" {
					c.Article = append(c.Article, p)
				}
			}
			c.ArticleWords = len(strings.Fields(text))
		}
	}
	return out, nil
}

// topCases are the first n cases worst first that fail a gate or
// dropped: the page's summary links to them.
func topCases(cases []*htmlCase, n int) []*htmlCase {
	out := slices.Clone(cases)
	slices.SortFunc(out, func(a, b *htmlCase) int { return a.worstRank - b.worstRank })
	out = slices.DeleteFunc(out, func(c *htmlCase) bool { return len(c.Why) == 0 && c.Drop == "" })
	return out[:min(n, len(out))]
}

// caseHeads makes the collapsed row's per-variant lines and the filter's
// data.
func caseHeads(r *eval.Result, f *caseFacts, gated []bool) ([]htmlHead, string) {
	type vdata struct {
		S string             `json:"s"`
		G bool               `json:"g,omitempty"`
		M map[string]float64 `json:"m"`
	}
	data := map[string]vdata{}
	var heads []htmlHead
	for vi, v := range r.Variants {
		if f.status[vi] == "" {
			continue
		}
		h := htmlHead{Name: v.Name, Color: color(vi), Status: f.status[vi], Score: score3(f.score[vi]), Gated: gated[vi]}
		if d := f.score[vi] - f.base[vi]; !math.IsNaN(d) {
			h.Delta = fmt.Sprintf("%+.3f", d)
			h.Down, h.Up = d < -0.0005, d > 0.0005
			if !h.Down && !h.Up {
				h.Delta = "±0"
			}
		}
		heads = append(heads, h)
		vd := vdata{S: f.status[vi], G: gated[vi], M: map[string]float64{}}
		for _, m := range r.Manifest.Metrics {
			if x := v.Scores(m); f.pos < len(x) && !math.IsNaN(x[f.pos]) {
				vd.M[m] = math.Round(x[f.pos]*1e4) / 1e4
			}
		}
		data[v.Name] = vd
	}
	b, err := json.Marshal(data)
	if err != nil {
		return heads, "{}"
	}
	return heads, string(b)
}

// score3 formats a score with three decimals, "n/a" for NaN.
func score3(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", x)
}

// caseVariant is one variant's record of a case, with the baseline's
// record of the same case beside it.
func caseVariant(r *eval.Result, rec *eval.Record, vi int, gated bool) *htmlCaseVariant {
	cv := &htmlCaseVariant{Name: rec.Variant, Color: color(vi), Status: rec.Status, Gated: gated,
		Reasons: rec.Reasons, Leftovers: rec.Leftovers, Error: rec.Error}
	refWords := wordSet(rec.Reference)
	unsup := unsupportedSpans(rec)
	for i, b := range rec.Bullets {
		var spans []string
		if i < len(unsup) {
			spans = unsup[i]
		}
		segs, unplaced := markBullet(b, refWords, spans)
		cv.Bullets = append(cv.Bullets, segs)
		cv.Unplaced = append(cv.Unplaced, unplaced...)
	}
	base := r.Baseline()
	for _, name := range r.Manifest.Metrics {
		x, ok := rec.Scores[name]
		if !ok {
			continue
		}
		s := htmlScore{K: name, V: fmt.Sprintf("%.3f", x)}
		if base != nil {
			if bx, ok := base.Score(rec.Variant, name, rec.Case); ok {
				d := x - bx
				s.Base = fmt.Sprintf("%.3f", bx)
				if s.Down, s.Up = d < -0.0005, d > 0.0005; s.Down || s.Up {
					s.Delta = fmt.Sprintf("%+.3f", d)
				}
			}
		}
		cv.Scores = append(cv.Scores, s)
	}
	if rec.Error == "" {
		cv.Alignment, cv.AlignedBy = alignment(rec)
	}
	if base != nil {
		if bc, ok := base.Case(rec.Variant, rec.Case); ok {
			hb := &htmlBase{Status: bc.Status, Same: slices.Equal(bc.Bullets, rec.Bullets)}
			for _, b := range bc.Bullets {
				hb.Bullets = append(hb.Bullets, markWords(b, refWords))
			}
			cv.Base = hb
		}
	}
	return cv
}

// unsupportedSpans returns, per bullet, the spans the faithfulness metric
// found no support for in the article.
func unsupportedSpans(rec *eval.Record) [][]string {
	raw, ok := rec.Details["faithfulness"]
	if !ok {
		return nil
	}
	var d []metrics.BulletSupport
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil
	}
	out := make([][]string, len(d))
	for i, b := range d {
		out[i] = b.Unsupported
	}
	return out
}
