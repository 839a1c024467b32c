package metrics

import (
	"math"
	"slices"
	"sort"
	"testing"
)

// judged is one human-judged system output of a dev article.
type judged struct {
	id, system, source string
	human              float64                      // FRANK factuality or SummEval consistency
	ev                 []bulletEvidence             // with the default window
	byWindow           map[float64][]bulletEvidence // with each window of windowGrid
	c                  Case
}

// judgedOutputs scores every FRANK and SummEval judged output of the dev
// articles with the faithfulness evidence of m and of each window in
// windows, skipping when the data is absent.
func judgedOutputs(tb testing.TB, m *Faithfulness, windows ...float64) []judged {
	tb.Helper()
	var out []judged
	for _, j := range judgedCases(tb, "factuality", "consistency") {
		c := Case{Article: j.Article, Candidate: j.Candidate}
		o := judged{id: j.Group, system: j.System, source: j.judgment, human: j.human, ev: m.evidence(c), c: c,
			byWindow: map[float64][]bulletEvidence{}}
		for _, w := range windows {
			o.byWindow[w] = newFaithfulness(w).evidence(c)
		}
		out = append(out, o)
	}
	return out
}

// pearson is the Pearson correlation of x and y (0 when either is constant).
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// ranks returns the 1-based ranks of x, ties given their average rank.
func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}

// spearman is the Spearman correlation with average ranks for ties.
func spearman(x, y []float64) float64 { return pearson(ranks(x), ranks(y)) }

// groupMeans returns, for each element, the mean of v over its group.
func groupMeans(groups []string, v []float64) []float64 {
	sum, n := map[string]float64{}, map[string]float64{}
	for i, g := range groups {
		sum[g] += v[i]
		n[g]++
	}
	out := make([]float64, len(v))
	for i, g := range groups {
		out[i] = sum[g] / n[g]
	}
	return out
}

// partialPearson is FRANK's protocol: the Pearson correlation of metric and
// judgment after subtracting each system's mean from both.
func partialPearson(js []judged, metric []float64) float64 {
	var sys []string
	var x, y []float64
	for i, j := range js {
		if j.source == "factuality" {
			sys = append(sys, j.system)
			x = append(x, metric[i])
			y = append(y, j.human)
		}
	}
	if len(x) < 3 {
		return math.NaN()
	}
	mx, my := groupMeans(sys, x), groupMeans(sys, y)
	for i := range x {
		x[i] -= mx[i]
		y[i] -= my[i]
	}
	return pearson(x, y)
}

// summaryLevelSpearman is the SummEval summary-level figure: per article,
// the Spearman correlation across its systems' outputs, then the mean over
// articles (articles where either side is constant count as 0, as in
// scipy's nan-free reporting they would be dropped; none are in dev).
func summaryLevelSpearman(js []judged, metric []float64) float64 {
	byArticle := map[string][]int{}
	for i, j := range js {
		if j.source == "consistency" {
			byArticle[j.id] = append(byArticle[j.id], i)
		}
	}
	if len(byArticle) == 0 {
		return math.NaN()
	}
	var sum float64
	n := 0
	for _, is := range byArticle {
		x, y := make([]float64, len(is)), make([]float64, len(is))
		for k, i := range is {
			x[k], y[k] = metric[i], js[i].human
		}
		if slices.Min(x) == slices.Max(x) || slices.Min(y) == slices.Max(y) {
			continue
		}
		sum += spearman(x, y)
		n++
	}
	return sum / float64(n)
}

// windowGrid is the family of support windows cross-validation chooses
// from, in multiples of the bullet's length.
var windowGrid = []float64{1, 1.25, 1.5, 2, 3}

// faithChoice is one point of the grid: a support window and a headline.
type faithChoice struct {
	window float64
	headline
}

// headlineGrid is the family of headlines cross-validation chooses from,
// with every window of windowGrid.
func headlineGrid() []faithChoice {
	var hs []faithChoice
	for _, w := range windowGrid {
		for _, e := range []float64{0, 0.25, 0.5} {
			for _, f := range []float64{0.25, 0.5, 1} {
				for _, p := range []float64{0.3, 0.5, 0.7} {
					for _, q := range []float64{1, 2, 4} {
						for _, full := range []float64{0.8, 0.9, 1} {
							c := faithChoice{w, headline{elsewhere: e, function: f, penalty: p, full: full, power: q}}
							if fixturesHold(c) {
								hs = append(hs, c)
							}
						}
					}
				}
			}
		}
	}
	return hs
}

// fixturesHold reports whether c scores every faithful paraphrase of
// paraphraseFixtures at least 0.5 and every unfaithful near-copy at most
// 0.3: the grid holds no headline that buys correlation by rewarding copying.
func fixturesHold(c faithChoice) bool {
	m := newFaithfulness(c.window)
	for _, f := range paraphraseFixtures() {
		v := c.value(m.evidence(Case{Article: paraphraseArticle, Candidate: []string{f.bullet}}))
		if f.faithful && v < 0.5 || !f.faithful && v > 0.3 {
			return false
		}
	}
	return true
}

// agreement returns FRANK's partial Pearson and SummEval's summary-level
// Spearman of choice c on js.
func agreement(js []judged, c faithChoice) (frank, summeval float64) {
	v := make([]float64, len(js))
	for i, j := range js {
		v[i] = c.value(j.byWindow[c.window])
	}
	return partialPearson(js, v), summaryLevelSpearman(js, v)
}

// TestFaithfulnessHuman measures how the faithfulness headline agrees with
// human judgments of published systems on the dev articles: FRANK
// factuality (partial Pearson, the system as control variable) and SummEval
// consistency (summary-level Spearman). The headline's parameters are
// chosen by 5-fold cross-validation over articles (train on 4/5, measure on
// the held-out 1/5) from headlineGrid, which includes the support window; the figures logged are the held-out
// means and the full-dev figures of defaultHeadline.
func TestFaithfulnessHuman(t *testing.T) {
	m, err := NewFaithfulness()
	if err != nil {
		t.Fatal(err)
	}
	js := judgedOutputs(t, m, windowGrid...)
	var ids []string
	seen := map[string]bool{}
	for _, j := range js {
		if !seen[j.id] {
			seen[j.id] = true
			ids = append(ids, j.id)
		}
	}
	slices.Sort(ids)
	fold := map[string]int{}
	for i, id := range ids {
		fold[id] = i % 5
	}
	grid := headlineGrid()
	t.Logf("%d choices keep the paraphrase fixtures right", len(grid))
	var cvFrank, cvSummeval float64
	for k := range 5 {
		var train, test []judged
		for _, j := range js {
			if fold[j.id] == k {
				test = append(test, j)
			} else {
				train = append(train, j)
			}
		}
		best, bestObj := grid[0], math.Inf(-1)
		for _, h := range grid {
			if f, s := agreement(train, h); f+s > bestObj {
				best, bestObj = h, f+s
			}
		}
		f, s := agreement(test, best)
		t.Logf("fold %d: chose %+v; held out: FRANK partial Pearson %.3f, SummEval summary-level Spearman %.3f", k, best, f, s)
		cvFrank += f / 5
		cvSummeval += s / 5
	}
	t.Logf("cross-validated (held-out mean): FRANK %.3f, SummEval %.3f", cvFrank, cvSummeval)
	f, s := agreement(js, faithChoice{defaultWindow, defaultHeadline()})
	t.Logf("window %g, defaultHeadline %+v on all dev: FRANK %.3f, SummEval %.3f", defaultWindow, defaultHeadline(), f, s)
	old := make([]float64, len(js))
	for i, j := range js {
		for _, e := range j.ev {
			if e.detail.Supported {
				old[i]++
			}
		}
		old[i] /= float64(max(1, len(j.ev)))
	}
	t.Logf("share of supported bullets (the former headline): FRANK %.3f, SummEval %.3f", partialPearson(js, old), summaryLevelSpearman(js, old))
	// FRANK's target beats FactCC (0.36); SummEval's target is G-Eval
	// GPT-4 (0.507), not reached by this offline check: the floor is the
	// figure it reached, so that a change that loses it fails.
	if f < 0.40 || cvFrank < 0.40 {
		t.Errorf("FRANK partial Pearson %.3f (held-out %.3f), want ≥ 0.40", f, cvFrank)
	}
	if s < 0.46 || cvSummeval < 0.44 {
		t.Errorf("SummEval summary-level Spearman %.3f (held-out %.3f), want ≥ 0.46 (held-out ≥ 0.44)", s, cvSummeval)
	}
}
