package meta

import (
	"math"
)

// estimate returns the five point estimates in Measure's order; those
// that cannot be computed are NaN.
func (d *data) estimate() [5]float64 {
	est := [5]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()}
	if d.n == 0 {
		return est
	}
	if d.grouped && d.used > 0 {
		var sr, st float64
		for g := range d.groups {
			if !math.IsNaN(d.tau[g]) {
				sr += d.rho[g]
				st += d.tau[g]
			}
		}
		est[0], est[1] = sr/float64(d.used), st/float64(d.used)
	}
	est[3] = pearson(d.x, d.y)
	if d.withSystems {
		mx, my := d.systemMeans()
		est[2] = kendallTauB(mx, my)
		est[4] = d.partial(mx, my)
	}
	return est
}

// systemMeans returns each system's mean metric and mean judgment.
func (d *data) systemMeans() (mx, my []float64) {
	mx = make([]float64, d.systems)
	my = make([]float64, d.systems)
	count := make([]int, d.systems)
	for p, s := range d.sys {
		mx[s] += d.x[p]
		my[s] += d.y[p]
		count[s]++
	}
	for s, c := range count {
		mx[s] /= float64(c)
		my[s] /= float64(c)
	}
	return mx, my
}

// partial is the Pearson correlation of the residuals left once each
// system's mean is subtracted from both sides. It is NaN when every system
// is constant on one side (nothing is left to correlate).
func (d *data) partial(mx, my []float64) float64 {
	if !d.varies(d.x) || !d.varies(d.y) {
		return math.NaN()
	}
	var sxx, syy, sxy float64
	for p, s := range d.sys {
		dx, dy := d.x[p]-mx[s], d.y[p]-my[s]
		sxx += dx * dx
		syy += dy * dy
		sxy += dx * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return clamp(sxy / math.Sqrt(sxx*syy))
}

// varies reports whether v (d.x or d.y) takes two values within some
// system.
func (d *data) varies(v []float64) bool {
	first := make([]float64, d.systems)
	seen := make([]bool, d.systems)
	for p, s := range d.sys {
		switch {
		case !seen[s]:
			first[s], seen[s] = v[p], true
		case v[p] != first[s]:
			return true
		}
	}
	return false
}
