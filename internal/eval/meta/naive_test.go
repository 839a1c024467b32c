package meta

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// A deliberately naive second implementation of every figure, written
// from the textbook formulas, for Measure to be checked against.

// naiveRanks gives each value #smaller + (#equal + 1) / 2.
func naiveRanks(x []float64) []float64 {
	r := make([]float64, len(x))
	for i := range x {
		less, equal := 0, 0
		for j := range x {
			switch {
			case x[j] < x[i]:
				less++
			case x[j] == x[i]:
				equal++
			}
		}
		r[i] = float64(less) + float64(equal+1)/2
	}
	return r
}

// naivePearson is the one-pass textbook formula; NaN for a constant side.
func naivePearson(x, y []float64) float64 {
	n := float64(len(x))
	var sx, sy, sxx, syy, sxy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
		sxx += x[i] * x[i]
		syy += y[i] * y[i]
		sxy += x[i] * y[i]
	}
	if len(x) < 2 || allSame(x) || allSame(y) {
		return math.NaN()
	}
	return (n*sxy - sx*sy) / math.Sqrt((n*sxx-sx*sx)*(n*syy-sy*sy))
}

func allSame(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}

func naiveSpearman(x, y []float64) float64 { return naivePearson(naiveRanks(x), naiveRanks(y)) }

// naiveTauB is S / sqrt((n0-n1)(n0-n2)), with S the sum over pairs of
// sign(dx)·sign(dy), n0 = n(n-1)/2 and n1, n2 the tied pairs of each side
// counted from the sizes of its tie groups.
func naiveTauB(x, y []float64) float64 {
	n := len(x)
	s := 0
	for i := range n {
		for j := i + 1; j < n; j++ {
			s += naiveSign(x[i]-x[j]) * naiveSign(y[i]-y[j])
		}
	}
	tied := func(v []float64) int {
		count := map[float64]int{}
		for _, a := range v {
			count[a]++
		}
		t := 0
		for _, c := range count {
			t += c * (c - 1) / 2
		}
		return t
	}
	n0 := n * (n - 1) / 2
	d := float64(n0-tied(x)) * float64(n0-tied(y))
	if d == 0 {
		return math.NaN()
	}
	return float64(s) / math.Sqrt(d)
}

func naiveSign(d float64) int {
	if d > 0 {
		return 1
	}
	if d < 0 {
		return -1
	}
	return 0
}

func kept(items []Item) []Item {
	var out []Item
	for _, it := range items {
		if !math.IsNaN(it.Metric) && !math.IsNaN(it.Human) && !math.IsInf(it.Metric, 0) && !math.IsInf(it.Human, 0) {
			out = append(out, it)
		}
	}
	return out
}

// naiveMeasure returns the five values in Measure's order, and the groups
// used and skipped at the summary level.
func naiveMeasure(items []Item) (vals [5]float64, used, skipped int) {
	items = kept(items)
	var order []string
	byGroup := map[string][]Item{}
	for _, it := range items {
		if _, ok := byGroup[it.Group]; !ok {
			order = append(order, it.Group)
		}
		byGroup[it.Group] = append(byGroup[it.Group], it)
	}
	var sr, st float64
	for _, g := range order {
		var x, y []float64
		for _, it := range byGroup[g] {
			x = append(x, it.Metric)
			y = append(y, it.Human)
		}
		r, t := naiveSpearman(x, y), naiveTauB(x, y)
		if math.IsNaN(r) || math.IsNaN(t) {
			skipped++
			continue
		}
		sr += r
		st += t
		used++
	}
	vals[0], vals[1] = sr/float64(used), st/float64(used)

	sumX, sumY, count := map[string]float64{}, map[string]float64{}, map[string]float64{}
	var systems []string
	for _, it := range items {
		if count[it.System] == 0 {
			systems = append(systems, it.System)
		}
		sumX[it.System] += it.Metric
		sumY[it.System] += it.Human
		count[it.System]++
	}
	var mx, my []float64
	for _, s := range systems {
		mx = append(mx, sumX[s]/count[s])
		my = append(my, sumY[s]/count[s])
	}
	vals[2] = naiveTauB(mx, my)

	var x, y, rx, ry []float64
	for _, it := range items {
		x = append(x, it.Metric)
		y = append(y, it.Human)
		rx = append(rx, it.Metric-sumX[it.System]/count[it.System])
		ry = append(ry, it.Human-sumY[it.System]/count[it.System])
	}
	vals[3] = naivePearson(x, y)
	vals[4] = naivePearson(rx, ry)
	return vals, used, skipped
}

// naiveBootstrap draws groups as Measure does (same generator, same
// stream) and builds each resample as a new list of items, a group drawn
// twice appearing as two groups, then measures it naively.
func naiveBootstrap(items []Item, samples int, seed uint64) [5][2]float64 {
	items = kept(items)
	var order []string
	byGroup := map[string][]Item{}
	for _, it := range items {
		if _, ok := byGroup[it.Group]; !ok {
			order = append(order, it.Group)
		}
		byGroup[it.Group] = append(byGroup[it.Group], it)
	}
	rng := rand.New(rand.NewPCG(seed, 0x6d657461))
	var vals [5][]float64
	for range samples {
		var resample []Item
		for k := range order {
			g := order[rng.IntN(len(order))]
			for _, it := range byGroup[g] {
				it.Group = fmt.Sprintf("%s#%d", g, k)
				resample = append(resample, it)
			}
		}
		v, _, _ := naiveMeasure(resample)
		for i := range v {
			if !math.IsNaN(v[i]) {
				vals[i] = append(vals[i], v[i])
			}
		}
	}
	var out [5][2]float64
	for i := range out {
		slices.Sort(vals[i])
		out[i] = [2]float64{naivePercentile(vals[i], 2.5), naivePercentile(vals[i], 97.5)}
	}
	return out
}

func naivePercentile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	pos := q / 100 * float64(len(sorted)-1)
	lo := math.Floor(pos)
	hi := math.Ceil(pos)
	return sorted[int(lo)] + (sorted[int(hi)]-sorted[int(lo)])*(pos-lo)
}
