package metrics

import (
	"math"
	"slices"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval/meta"
)

// relevanceJudged is one SummEval or REALSumm judged output of a dev
// article, with its content words ready for scoring.
type relevanceJudged struct {
	id, system, source string
	human              float64 // SummEval relevance or REALSumm litepyramid_recall
	c                  Case
	ref, cand          contentText
	a                  contentArticle
}

// relevanceOutputs reads every SummEval and REALSumm judged output of the
// dev articles, skipping when the data is absent.
func relevanceOutputs(tb testing.TB, m *Content) []relevanceJudged {
	tb.Helper()
	articles := map[string]contentArticle{}
	var out []relevanceJudged
	for _, j := range judgedCases(tb, "relevance", "litepyramid_recall") {
		a, ok := articles[j.Group]
		if !ok {
			a = m.article(j.Article)
			articles[j.Group] = a
		}
		c := Case{Article: j.Article, Reference: j.Reference, Candidate: j.Candidate}
		out = append(out, relevanceJudged{id: j.Group, system: j.System, source: j.judgment, human: j.human,
			c: c, ref: m.words(c.Reference), cand: m.words(c.Candidate), a: a})
	}
	return out
}

// relevanceAgreement returns the summary-level Spearman of v (one value
// per judged output) with SummEval relevance and with REALSumm
// litepyramid_recall.
func relevanceAgreement(js []relevanceJudged, v []float64) (relevance, pyramid float64) {
	var items [2][]meta.Item
	for i, j := range js {
		k := 0
		if j.source == "litepyramid_recall" {
			k = 1
		}
		items[k] = append(items[k], meta.Item{Group: j.id, System: j.system, Metric: v[i], Human: j.human})
	}
	return meta.Measure(items[0], meta.Options{Samples: -1})[0].Value,
		meta.Measure(items[1], meta.Options{Samples: -1})[0].Value
}

// quickAgreement is relevanceAgreement without the meta package's other
// levels and coefficients, for choosing among contentGrid: the mean over
// articles of the Spearman correlation across their outputs, articles with
// a constant side skipped.
func quickAgreement(js []relevanceJudged, v []float64) (relevance, pyramid float64) {
	type key struct{ source, id string }
	groups := map[key][]int{}
	for i, j := range js {
		k := key{j.source, j.id}
		groups[k] = append(groups[k], i)
	}
	var sum, n [2]float64
	for k, is := range groups {
		x, y := make([]float64, len(is)), make([]float64, len(is))
		for n, i := range is {
			x[n], y[n] = v[i], js[i].human
		}
		if slices.Min(x) == slices.Max(x) || slices.Min(y) == slices.Max(y) {
			continue
		}
		s := 0
		if k.source == "litepyramid_recall" {
			s = 1
		}
		sum[s] += spearman(x, y)
		n[s]++
	}
	return sum[0] / n[0], sum[1] / n[1]
}

// contentGrid is the family of parameters cross-validation chooses from.
func contentGrid() []contentParams {
	var ps []contentParams
	for _, lead := range []float64{1, 2, 4} {
		for _, tau := range []float64{0.5, 1} {
			for _, best := range []float64{0, 0.5} {
				for _, repeat := range []float64{0, 0.25, 0.5, 1} {
					for _, within := range []float64{0, 1, 2} {
						for _, across := range []float64{0, 0.25, 0.5} {
							ps = append(ps, contentParams{lead: lead, tau: tau, number: 2, best: best, repeat: repeat,
								within: within, across: across})
						}
					}
				}
			}
		}
	}
	return ps
}

// contentObjective is what cross-validation maximises: the worse of the
// two agreements, each as a share of its target.
func contentObjective(relevance, pyramid float64) float64 {
	return min(relevance/0.35, pyramid/0.45)
}

// TestContentHuman measures how the content metric agrees with human
// judgments of published systems on the dev articles at the summary level
// (per article, Spearman across its systems' outputs, then the mean over
// articles): SummEval relevance and REALSumm LitePyramid recall, against
// ROUGE-1 F. The parameters are chosen by 5-fold cross-validation over
// articles from contentGrid; the figures logged are the held-out means and
// the full-dev figures of defaultContentParams.
func TestContentHuman(t *testing.T) {
	m, err := NewContent()
	if err != nil {
		t.Fatal(err)
	}
	js := relevanceOutputs(t, m)
	r1, err := NewROUGE("rouge1")
	if err != nil {
		t.Fatal(err)
	}
	rouge1 := make([]float64, len(js))
	for i, j := range js {
		rouge1[i] = r1.Score(j.c).Value
	}
	baseRel, basePyr := relevanceAgreement(js, rouge1)
	t.Logf("rouge1 F on all dev: SummEval relevance %.3f, REALSumm litepyramid_recall %.3f", baseRel, basePyr)

	grid := contentGrid()
	values := make([][]float64, len(grid))
	recall := map[contentParams][]float64{} // by the parameters of the recall
	for g, p := range grid {
		q := p
		q.within, q.across = 0, 0
		r, ok := recall[q]
		if !ok {
			cm := newContent(q)
			r = make([]float64, len(js))
			for i, j := range js {
				r[i] = cm.score(j.ref, j.cand, j.a).Value
			}
			recall[q] = r
		}
		values[g] = make([]float64, len(js))
		for i, j := range js {
			values[g][i] = r[i] * p.redundancyFactor(redundancy(j.cand))
		}
	}
	var ids []string
	for _, j := range js {
		ids = append(ids, j.id)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	fold := map[string]int{}
	for i, id := range ids {
		fold[id] = i % 5
	}
	subset := func(k int, held bool) ([]relevanceJudged, func([]float64) []float64) {
		var idx []int
		for i, j := range js {
			if (fold[j.id] == k) == held {
				idx = append(idx, i)
			}
		}
		sub := make([]relevanceJudged, len(idx))
		for n, i := range idx {
			sub[n] = js[i]
		}
		return sub, func(v []float64) []float64 {
			out := make([]float64, len(idx))
			for n, i := range idx {
				out[n] = v[i]
			}
			return out
		}
	}
	var cvRel, cvPyr float64
	for k := range 5 {
		train, pick := subset(k, false)
		best, bestObj := 0, math.Inf(-1)
		for g := range grid {
			if o := contentObjective(quickAgreement(train, pick(values[g]))); o > bestObj {
				best, bestObj = g, o
			}
		}
		test, pickTest := subset(k, true)
		rel, pyr := relevanceAgreement(test, pickTest(values[best]))
		bRel, bPyr := relevanceAgreement(test, pickTest(rouge1))
		t.Logf("fold %d: chose %+v; held out: relevance %.3f (rouge1 %.3f), litepyramid %.3f (rouge1 %.3f)", k, grid[best], rel, bRel, pyr, bPyr)
		cvRel += rel / 5
		cvPyr += pyr / 5
	}
	t.Logf("cross-validated (held-out mean): SummEval relevance %.3f, REALSumm litepyramid_recall %.3f", cvRel, cvPyr)

	v := make([]float64, len(js))
	for i, j := range js {
		v[i] = m.Score(j.c).Value
	}
	rel, pyr := relevanceAgreement(js, v)
	t.Logf("content %+v on all dev: SummEval relevance %.3f, REALSumm litepyramid_recall %.3f", m.p, rel, pyr)
	// The aims are 0.35 and 0.45 (issue 11), reached on all dev and held
	// out, so that a change losing them fails.
	if rel < 0.35 || rel <= baseRel+0.05 {
		t.Errorf("SummEval relevance %.3f, want ≥ 0.35 (rouge1 F %.3f)", rel, baseRel)
	}
	if pyr < 0.45 || pyr <= basePyr+0.05 {
		t.Errorf("REALSumm litepyramid_recall %.3f, want ≥ 0.45 (rouge1 F %.3f)", pyr, basePyr)
	}
	if cvRel < 0.35 || cvPyr < 0.45 {
		t.Errorf("held-out relevance %.3f, litepyramid %.3f, want ≥ 0.35 and ≥ 0.45", cvRel, cvPyr)
	}
}
