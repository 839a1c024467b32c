package eval

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/summarize-dev/summarize/internal/eval/stats"
)

// Comparison is a paired test of B against A on one metric over the cases
// both have: MeanDiff > 0 means B scored higher.
type Comparison struct {
	Metric     string  `json:"metric"`
	A          string  `json:"a"`
	B          string  `json:"b"`
	Baseline   bool    `json:"baseline,omitempty"` // A is the same variant in the baseline file
	N          int     `json:"n"`
	MeanA      float64 `json:"mean_a"`
	MeanB      float64 `json:"mean_b"`
	MeanDiff   float64 `json:"mean_diff"`
	Lo         float64 `json:"ci_lo"`
	Hi         float64 `json:"ci_hi"`
	P          float64 `json:"p"`
	EffectSize float64 `json:"effect_size"` // mean difference over its standard deviation (Cohen's d_z)
	Method     string  `json:"method"`
}

// Significant reports whether the difference is significant at alpha.
func (c Comparison) Significant(alpha float64) bool { return c.N > 0 && c.P < alpha }

const defaultBootstrap = 2000

// finish computes the statistics once every record is in.
func (r *Result) finish(b *Baseline, samples int) {
	if samples <= 0 {
		samples = defaultBootstrap
	}
	r.baseline = b
	// A fixed seed: the same records give the same report. The intervals,
	// then the comparisons, draw from one stream.
	src := rand.NewPCG(20240613, 1)
	for i, v := range r.Variants {
		m := &r.Manifest.Variants[i]
		m.Models, m.Prompts = v.seenModels, v.seenPrompts
		m.Live, m.Cached, m.Replayed = v.Live, v.Cached, v.Replayed
		seen := make([]bool, len(r.CaseIDs))
		for _, name := range r.Manifest.Metrics {
			xs := present(v.Scores(name))
			st := &MetricStat{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), StdDev: math.NaN(), N: len(xs)}
			if len(xs) > 0 {
				st.Mean = stats.Mean(xs)
				st.StdDev = stats.StdDev(xs)
				st.Lo, st.Hi = stats.BootstrapCIPCG(xs, samples, stats.Confidence, src)
			}
			v.Metrics[name] = st
			for p, c := range v.counts[name] {
				seen[p] = seen[p] || c > 0
			}
		}
		lat := present(v.Latencies())
		for p := range v.scoredRuns {
			seen[p] = seen[p] || v.scoredRuns[p] > 0
		}
		for _, s := range seen {
			if s {
				v.Cases++
			}
		}
		if len(lat) > 0 {
			slices.Sort(lat)
			v.LatencyMS = &Summary{Mean: stats.Mean(lat), P50: stats.Percentile(lat, 50), P95: stats.Percentile(lat, 95)}
		}
	}
	for i, a := range r.Variants {
		for _, bv := range r.Variants[i+1:] {
			for _, name := range r.Manifest.Metrics {
				c := compare(a.Scores(name), bv.Scores(name), samples, src)
				c.Metric, c.A, c.B = name, a.Name, bv.Name
				r.Comparisons = append(r.Comparisons, c)
			}
		}
	}
	if b == nil {
		return
	}
	for _, v := range r.Variants {
		for _, name := range r.Manifest.Metrics {
			base, ok := b.scores(v.Name, name, r.CaseIDs)
			if !ok {
				continue
			}
			c := compare(base, v.Scores(name), samples, src)
			c.Metric, c.A, c.B, c.Baseline = name, v.Name, v.Name, true
			r.Comparisons = append(r.Comparisons, c)
		}
	}
}

// BaselineComparison returns the comparison of variant against the
// baseline on metric, if there is one.
func (r *Result) BaselineComparison(variant, metric string) (Comparison, bool) {
	for _, c := range r.Comparisons {
		if c.Baseline && c.B == variant && c.Metric == metric {
			return c, true
		}
	}
	return Comparison{}, false
}

// compare runs a paired permutation test of b against a over the positions
// where both have a score.
func compare(a, b []float64, samples int, src *rand.PCG) Comparison {
	var pa, pb []float64
	for i := range a {
		if !math.IsNaN(a[i]) && !math.IsNaN(b[i]) {
			pa = append(pa, a[i])
			pb = append(pb, b[i])
		}
	}
	c := Comparison{N: len(pa), MeanA: math.NaN(), MeanB: math.NaN(), P: 1, Method: "none"}
	if len(pa) == 0 {
		return c
	}
	res := stats.PairedPermutation(pb, pa, samples, src)
	c.MeanA, c.MeanB = stats.Mean(pa), stats.Mean(pb)
	c.MeanDiff, c.Lo, c.Hi, c.P = res.MeanDiff, res.Lo, res.Hi, res.P
	c.EffectSize, c.Method = res.EffectSize, res.Method
	return c
}

func present(xs []float64) []float64 {
	out := xs[:0:0]
	for _, x := range xs {
		if !math.IsNaN(x) {
			out = append(out, x)
		}
	}
	return out
}
