package meta

import (
	"math"
	"slices"
)

// pearson is the Pearson correlation of x and y (equal lengths), computed
// in two passes. It is NaN when either side is constant or n < 2.
func pearson(x, y []float64) float64 {
	n := len(x)
	if n < 2 || constant(x) || constant(y) {
		return math.NaN()
	}
	var mx, my float64
	for i := range n {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxx, syy, sxy float64
	for i := range n {
		dx, dy := x[i]-mx, y[i]-my
		sxx += dx * dx
		syy += dy * dy
		sxy += dx * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return clamp(sxy / math.Sqrt(sxx*syy))
}

// constant reports whether every value of x is the same.
func constant(x []float64) bool {
	for _, v := range x {
		if v != x[0] {
			return false
		}
	}
	return true
}

// spearman is Spearman's rho as scipy.stats.spearmanr computes it: the
// Pearson correlation of the average ranks (ties share the mean of the
// ranks they span). rx and ry are scratch of len(x) at least, idx too.
func spearman(x, y, rx, ry []float64, idx []int) float64 {
	n := len(x)
	rx, ry = rx[:n], ry[:n]
	averageRanks(rx, x, idx[:n])
	averageRanks(ry, y, idx[:n])
	return pearson(rx, ry)
}

// averageRanks writes into dst the 1-based ranks of x, ties averaged.
func averageRanks(dst, x []float64, idx []int) {
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		r := float64(i+j+1) / 2 // mean of ranks i+1 .. j
		for k := i; k < j; k++ {
			dst[idx[k]] = r
		}
		i = j
	}
}

// kendallTauB is Kendall's tau-b as scipy.stats.kendalltau(variant='b')
// computes it: (P - Q) / sqrt((P+Q+Tx)(P+Q+Ty)), with P concordant pairs,
// Q discordant pairs, Tx pairs tied in x only and Ty pairs tied in y only.
// It counts every pair, O(n²). It is NaN when either side is constant or
// n < 2.
func kendallTauB(x, y []float64) float64 {
	var p, q, tx, ty int
	for i := 1; i < len(x); i++ {
		xi, yi := x[i], y[i]
		for j := range i {
			dx := sign(xi - x[j])
			dy := sign(yi - y[j])
			switch {
			case dx == 0 && dy == 0:
			case dx == 0:
				tx++
			case dy == 0:
				ty++
			case dx == dy:
				p++
			default:
				q++
			}
		}
	}
	d := float64(p+q+tx) * float64(p+q+ty)
	if d == 0 {
		return math.NaN()
	}
	return clamp(float64(p-q) / math.Sqrt(d))
}

func sign(d float64) int {
	switch {
	case d > 0:
		return 1
	case d < 0:
		return -1
	}
	return 0
}

// clamp keeps a correlation inside [-1, 1] against rounding.
func clamp(r float64) float64 { return min(max(r, -1), 1) }

// moments are the sufficient statistics of a Pearson correlation, of
// values shifted by a fixed origin (so that constant data sums to exact
// zeros and large offsets do not cancel).
type moments struct {
	n, sx, sy, sxx, syy, sxy float64
}

func (m *moments) addPoint(x, y float64) {
	m.n++
	m.sx += x
	m.sy += y
	m.sxx += x * x
	m.syy += y * y
	m.sxy += x * y
}

func (m *moments) add(o *moments) {
	m.n += o.n
	m.sx += o.sx
	m.sy += o.sy
	m.sxx += o.sxx
	m.syy += o.syy
	m.sxy += o.sxy
}

// centered returns the sums of squares and cross products about the mean.
func (m *moments) centered() (vx, vy, cxy float64) {
	if m.n == 0 {
		return 0, 0, 0
	}
	return m.sxx - m.sx*m.sx/m.n, m.syy - m.sy*m.sy/m.n, m.sxy - m.sx*m.sy/m.n
}

// corrFrom is the correlation from centered sums; scale is the sum of the
// raw (shifted) squares each side, below a tiny share of which a variance
// counts as zero (rounding left over from a constant side).
func corrFrom(vx, vy, cxy, scalex, scaley float64) float64 {
	const eps = 1e-12
	if vx <= eps*scalex || vy <= eps*scaley {
		return math.NaN()
	}
	return clamp(cxy / math.Sqrt(vx*vy))
}
