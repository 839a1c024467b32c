package meta

import (
	"math"
	"math/rand/v2"

	"github.com/summarize-dev/summarize/internal/eval/stats"
)

// bootstrap returns, for each wanted estimate, the percentile interval
// (stats.Interval) of samples resamples (stats.Draw) of the units (groups, or items when there are no
// groups) drawn with replacement. A unit drawn twice counts twice. Each
// resample recomputes the estimate from scratch: the summary level
// averages the drawn groups' correlations, the system level re-takes the
// systems' means over the drawn items, and the partial level subtracts
// those resampled means. Resamples where an estimate is undefined are left
// out of its interval.
func (d *data) bootstrap(want [5]bool, samples int, conf float64, seed uint64) [5][2]float64 {
	rng := rand.New(rand.NewPCG(seed, 0x6d657461))
	nu := d.units()
	bySystem := want[2] || want[4]
	var vals [5][]float64
	for i := range vals {
		if want[i] {
			vals[i] = make([]float64, 0, samples)
		}
	}
	sysMom := make([]moments, d.systems)
	mx := make([]float64, 0, d.systems)
	my := make([]float64, 0, d.systems)
	draw := make([]int, nu)
	for range samples {
		clear(sysMom)
		var pooled moments
		var sr, st float64
		used := 0
		stats.Draw(rng, nu, draw)
		for _, u := range draw {
			if d.grouped && !math.IsNaN(d.tau[u]) {
				sr += d.rho[u]
				st += d.tau[u]
				used++
			}
			pooled.add(&d.unitMom[u])
			if bySystem {
				for c := d.cellStart[u]; c < d.cellStart[u+1]; c++ {
					sysMom[d.cells[c].sys].add(&d.cells[c].m)
				}
			}
		}
		if want[0] && used > 0 {
			vals[0] = append(vals[0], sr/float64(used))
			vals[1] = append(vals[1], st/float64(used))
		}
		if want[3] {
			vx, vy, cxy := pooled.centered()
			vals[3] = appendNumber(vals[3], corrFrom(vx, vy, cxy, pooled.sxx, pooled.syy))
		}
		if !bySystem {
			continue
		}
		mx, my = mx[:0], my[:0]
		var vx, vy, cxy, scx, scy float64
		for s := range sysMom {
			m := &sysMom[s]
			if m.n == 0 {
				continue
			}
			mx = append(mx, m.sx/m.n)
			my = append(my, m.sy/m.n)
			a, b, c := m.centered()
			vx += a
			vy += b
			cxy += c
			scx += m.sxx
			scy += m.syy
		}
		if want[2] {
			vals[2] = appendNumber(vals[2], kendallTauB(mx, my))
		}
		if want[4] {
			vals[4] = appendNumber(vals[4], corrFrom(vx, vy, cxy, scx, scy))
		}
	}
	var out [5][2]float64
	for i := range out {
		lo, hi := stats.Interval(vals[i], conf)
		out[i] = [2]float64{lo, hi}
	}
	return out
}

func appendNumber(dst []float64, v float64) []float64 {
	if math.IsNaN(v) {
		return dst
	}
	return append(dst, v)
}
