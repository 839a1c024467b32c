package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/summarize-dev/summarize/internal/eval"
)

// Case orders of the HTML report (HTMLOptions.Sort). The order also picks
// which cases the page shows when the run has more than HTMLOptions.MaxCases.
const (
	SortWorst   = "worst"   // cases failing a gate first, then the largest drop, then the lowest score
	SortDrop    = "drop"    // the largest drop of a gated variant
	SortScore   = "score"   // the lowest headline score of a gated variant
	SortDataset = "dataset" // the run's case order
)

// HTMLSorts lists the case orders, the default first.
var HTMLSorts = []string{SortWorst, SortDrop, SortScore, SortDataset}

// caseFacts is what the report knows of every case of the run before it
// reads any case in full: enough to sort them all.
type caseFacts struct {
	pos      int
	status   []string  // per variant, worst over repeats ("" = not run)
	score    []float64 // per variant, headline metric, mean over repeats
	base     []float64 // per variant, the baseline's headline score (NaN: none)
	gateWhy  []string  // why the case counts against a gate
	drop     float64   // the largest drop of a gated variant (NaN: nothing to compare)
	dropOf   string    // the variant that dropped most
	against  string    // "baseline" or the variant compared with
	minScore float64   // the lowest headline score of a gated variant
	color    string    // pass, fail or error: the gated variants' worst status
	run      bool
}

// gatedVariants reports, per variant, whether a gate judged it: the
// variants named by the run's gates, else every variant but the sanity
// baseline.
func gatedVariants(r *eval.Result) []bool {
	out := make([]bool, len(r.Variants))
	named := map[string]bool{}
	for _, g := range r.Gates {
		if g.Variant != "" {
			named[g.Variant] = true
		}
	}
	for i, v := range r.Variants {
		if len(named) > 0 {
			out[i] = named[v.Name]
		} else {
			out[i] = !v.Baseline
		}
	}
	return out
}

// collectFacts reads the statuses of every record and the per-case
// scores of every variant.
func collectFacts(r *eval.Result, primary string, gated []bool) ([]*caseFacts, error) {
	nv := len(r.Variants)
	facts := make([]*caseFacts, len(r.CaseIDs))
	for p := range facts {
		facts[p] = &caseFacts{pos: p, status: make([]string, nv), score: make([]float64, nv), base: make([]float64, nv)}
	}
	order := variantOrder(r)
	err := r.Records(func(rec *eval.Record) error {
		if rec.Index < 0 || rec.Index >= len(facts) {
			return nil
		}
		f := facts[rec.Index]
		f.run = true
		if vi, ok := order[rec.Variant]; ok && rank(rec.Status) > rank(f.status[vi]) {
			f.status[vi] = rec.Status
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for vi, v := range r.Variants {
		scores := v.Scores(primary)
		base, hasBase := r.BaselineScores(v.Name, primary)
		for p, f := range facts {
			f.score[vi], f.base[vi] = math.NaN(), math.NaN()
			if p < len(scores) {
				f.score[vi] = scores[p]
			}
			if hasBase {
				f.base[vi] = base[p]
			}
		}
	}
	var failed []gateFail
	for _, g := range r.Gates {
		v := r.Variant(g.Variant)
		if v == nil || g.Pass || g.Skipped {
			continue
		}
		switch g.Gate {
		case eval.GateMin:
			failed = append(failed, gateFail{variant: g.Variant, metric: g.Metric, threshold: g.Threshold, scores: v.Scores(g.Metric)})
		case eval.GateRegression:
			if base, ok := r.BaselineScores(g.Variant, g.Metric); ok {
				failed = append(failed, gateFail{variant: g.Variant, metric: g.Metric, scores: v.Scores(g.Metric), base: base})
			}
		}
	}
	for _, f := range facts {
		f.judge(r, gated, failed)
	}
	return facts, nil
}

// gateFail is a failed minimum or regression gate with the per-case
// scores it judged (and, for a regression gate, the baseline's).
type gateFail struct {
	variant, metric string
	threshold       float64
	scores, base    []float64
}

// why says how the case counts against the gate, or "".
func (g gateFail) why(pos int) string {
	if pos >= len(g.scores) || math.IsNaN(g.scores[pos]) {
		return ""
	}
	x := g.scores[pos]
	if g.base == nil {
		if x < g.threshold {
			return fmt.Sprintf("%s: %s %.3f < %.3g", g.variant, g.metric, x, g.threshold)
		}
		return ""
	}
	if pos < len(g.base) && x < g.base[pos]-0.0005 {
		return fmt.Sprintf("%s: %s fell %.3f (regression gate)", g.variant, g.metric, g.base[pos]-x)
	}
	return ""
}

// judge fills the case's colour, gate reasons, drop and lowest score.
func (f *caseFacts) judge(r *eval.Result, gated []bool, failed []gateFail) {
	f.drop, f.minScore, f.color = math.NaN(), math.NaN(), eval.StatusPass
	for vi, v := range r.Variants {
		if !gated[vi] {
			continue
		}
		if st := f.status[vi]; rank(st) > rank(f.color) {
			f.color = st
		}
		switch f.status[vi] {
		case eval.StatusError:
			f.gateWhy = append(f.gateWhy, v.Name+": error")
		case eval.StatusFail:
			f.gateWhy = append(f.gateWhy, v.Name+": failed")
		}
		for _, g := range failed {
			if w := g.why(f.pos); g.variant == v.Name && w != "" {
				f.gateWhy = append(f.gateWhy, w)
			}
		}
		cur := f.score[vi]
		if !math.IsNaN(cur) && (math.IsNaN(f.minScore) || cur < f.minScore) {
			f.minScore = cur
		}
		ref, against := f.base[vi], "baseline"
		if r.Baseline() == nil && vi > 0 {
			ref, against = f.score[0], r.Variants[0].Name
		}
		if d := ref - cur; !math.IsNaN(d) && (math.IsNaN(f.drop) || d > f.drop) {
			f.drop, f.dropOf, f.against = d, v.Name, against
		}
	}
	slices.Sort(f.gateWhy)
	if !f.run {
		f.color = ""
	}
}

// sortFacts orders the cases by sort; NaN sorts last.
func sortFacts(facts []*caseFacts, sort string) []*caseFacts {
	out := slices.Clone(facts)
	desc := func(a, b float64) int { return cmpNaNLast(b, a) }
	slices.SortStableFunc(out, func(a, b *caseFacts) int {
		switch sort {
		case SortWorst:
			if c := cmp.Compare(btoi(len(b.gateWhy) > 0), btoi(len(a.gateWhy) > 0)); c != 0 {
				return c
			}
			if c := cmp.Compare(rank(b.color), rank(a.color)); c != 0 {
				return c
			}
			if c := desc(a.drop, b.drop); c != 0 {
				return c
			}
			return cmpNaNLast(a.minScore, b.minScore) // nothing to compare with: the lowest first
		case SortDrop:
			return desc(a.drop, b.drop)
		case SortScore:
			return cmpNaNLast(a.minScore, b.minScore)
		}
		return 0
	})
	return out
}

// cmpNaNLast compares ascending with NaN after every number.
func cmpNaNLast(a, b float64) int {
	switch an, bn := math.IsNaN(a), math.IsNaN(b); {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}

func variantOrder(r *eval.Result) map[string]int {
	order := map[string]int{}
	for i, v := range r.Variants {
		order[v.Name] = i
	}
	return order
}

// anchor makes an element id from a case id: letters, digits, '-' and '_'
// kept, anything else as '-', unique within the page.
func anchor(prefix, id string, used map[string]bool) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			b.WriteRune(c)
		default:
			b.WriteByte('-')
		}
	}
	a := b.String()
	for n := 2; used[a]; n++ {
		a = fmt.Sprintf("%s%s-%d", prefix, strings.TrimPrefix(b.String(), prefix), n)
	}
	used[a] = true
	return a
}
