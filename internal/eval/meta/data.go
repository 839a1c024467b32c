package meta

import (
	"math"
)

// data is the items Measure keeps, laid out for the estimates and the
// bootstrap: items sorted by unit (the group, or the item itself when
// items have no groups), with per-unit sufficient statistics.
type data struct {
	n           int  // items kept
	grouped     bool // every kept item names its group
	withSystems bool // every kept item names its system
	groups      int  // groups (grouped) or 0
	systems     int  // distinct systems (withSystems) or 0
	used        int  // groups with a summary-level correlation

	x, y      []float64 // metric and human, by unit
	sys       []int32   // system index of each item
	unitStart []int     // items of unit u: unitStart[u]:unitStart[u+1]

	rho, tau []float64 // per group; NaN when skipped

	unitMom   []moments // per unit, values shifted by (x[0], y[0])
	cells     []cell    // per unit and system, shifted the same way
	cellStart []int     // cells of unit u: cellStart[u]:cellStart[u+1]
}

// cell is the sufficient statistics of one system's items in one unit.
type cell struct {
	sys int32
	m   moments
}

func (d *data) units() int { return len(d.unitStart) - 1 }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func prepare(items []Item) *data {
	d := &data{grouped: true, withSystems: true}
	kept := make([]int, 0, len(items))
	for i, it := range items {
		if !finite(it.Metric) || !finite(it.Human) {
			continue
		}
		kept = append(kept, i)
		d.grouped = d.grouped && it.Group != ""
		d.withSystems = d.withSystems && it.System != ""
	}
	d.n = len(kept)
	if d.n == 0 {
		d.grouped, d.withSystems = false, false
		d.unitStart = []int{0}
		d.cellStart = []int{0}
		return d
	}

	// Unit and system indexes, in order of first appearance.
	unitOf := make([]int, len(kept))
	nUnits := len(kept)
	if d.grouped {
		index := make(map[string]int)
		for k, i := range kept {
			u, ok := index[items[i].Group]
			if !ok {
				u = len(index)
				index[items[i].Group] = u
			}
			unitOf[k] = u
		}
		nUnits = len(index)
		d.groups = nUnits
	} else {
		for k := range kept {
			unitOf[k] = k
		}
	}
	sysOf := make([]int32, len(kept))
	if d.withSystems {
		index := make(map[string]int32)
		for k, i := range kept {
			s, ok := index[items[i].System]
			if !ok {
				s = int32(len(index))
				index[items[i].System] = s
			}
			sysOf[k] = s
		}
		d.systems = len(index)
	}

	// Counting sort by unit, stable.
	d.unitStart = make([]int, nUnits+1)
	for _, u := range unitOf {
		d.unitStart[u+1]++
	}
	for u := range nUnits {
		d.unitStart[u+1] += d.unitStart[u]
	}
	next := append([]int(nil), d.unitStart[:nUnits]...)
	d.x = make([]float64, d.n)
	d.y = make([]float64, d.n)
	d.sys = make([]int32, d.n)
	for k, i := range kept {
		p := next[unitOf[k]]
		next[unitOf[k]]++
		d.x[p], d.y[p], d.sys[p] = items[i].Metric, items[i].Human, sysOf[k]
	}

	d.summarizeUnits()
	if d.grouped {
		d.correlateGroups()
	}
	return d
}

// summarizeUnits fills unitMom and cells.
func (d *data) summarizeUnits() {
	x0, y0 := d.x[0], d.y[0]
	nu := d.units()
	d.unitMom = make([]moments, nu)
	d.cellStart = make([]int, nu+1)
	d.cells = make([]cell, 0, d.n)
	for u := range nu {
		first := len(d.cells)
		for p := d.unitStart[u]; p < d.unitStart[u+1]; p++ {
			dx, dy := d.x[p]-x0, d.y[p]-y0
			d.unitMom[u].addPoint(dx, dy)
			c := first
			for c < len(d.cells) && d.cells[c].sys != d.sys[p] {
				c++
			}
			if c == len(d.cells) {
				d.cells = append(d.cells, cell{sys: d.sys[p]})
			}
			d.cells[c].m.addPoint(dx, dy)
		}
		d.cellStart[u+1] = len(d.cells)
	}
}

// correlateGroups fills rho, tau and used.
func (d *data) correlateGroups() {
	largest := 0
	for u := range d.groups {
		largest = max(largest, d.unitStart[u+1]-d.unitStart[u])
	}
	rx := make([]float64, largest)
	ry := make([]float64, largest)
	idx := make([]int, largest)
	d.rho = make([]float64, d.groups)
	d.tau = make([]float64, d.groups)
	for u := range d.groups {
		x := d.x[d.unitStart[u]:d.unitStart[u+1]]
		y := d.y[d.unitStart[u]:d.unitStart[u+1]]
		d.rho[u] = spearman(x, y, rx, ry, idx)
		d.tau[u] = kendallTauB(x, y)
		if math.IsNaN(d.rho[u]) || math.IsNaN(d.tau[u]) {
			d.rho[u], d.tau[u] = math.NaN(), math.NaN()
			continue
		}
		d.used++
	}
}
