package report

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/summarize-dev/summarize/internal/eval"
)

// The charts of the HTML report, drawn as inline SVG so the page works
// offline and prints well. Each is a small panel about 360 units wide, so
// that on a phone its text stays near its nominal size; axes are scaled to
// the data and the range is printed in the caption.

var palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"}

func color(i int) string { return palette[i%len(palette)] }

func esc(s string) string { return html.EscapeString(s) }

const panelW = 360

// svgOpen starts an SVG element with a title for screen readers.
func svgOpen(b *strings.Builder, w, h int, title string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`,
		w, h, esc(title), esc(title))
}

// scale is a linear axis from [lo, hi] onto pixels [p0, p1].
type scale struct {
	lo, hi, p0, p1, step float64
}

func (s scale) at(x float64) float64 {
	x = math.Max(s.lo, math.Min(s.hi, x))
	return s.p0 + (x-s.lo)/(s.hi-s.lo)*(s.p1-s.p0)
}

// niceScale covers [lo, hi] with a little margin and round ticks, within
// [floor, ceil] (the metric's possible range) when those are finite.
func niceScale(lo, hi, floor, ceil, p0, p1 float64) scale {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if hi-lo < 0.02 {
		mid := (lo + hi) / 2
		lo, hi = mid-0.01, mid+0.01
	}
	pad := (hi - lo) * 0.08
	lo, hi = lo-pad, hi+pad
	span := hi - lo
	step := 1.0
	for _, s := range []float64{0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000} {
		if span/s <= 5 {
			step = s
			break
		}
	}
	for step < span/5 {
		step *= 10
	}
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if lo < floor {
		lo = floor
	}
	if hi > ceil {
		hi = ceil
	}
	return scale{lo: lo, hi: hi, p0: p0, p1: p1, step: step}
}

// ticks returns the scale's round values.
func (s scale) ticks() []float64 {
	var out []float64
	start := math.Ceil(s.lo/s.step-1e-9) * s.step
	for x := start; x <= s.hi+s.step*1e-6; x += s.step {
		out = append(out, math.Round(x/s.step)*s.step)
	}
	return out
}

// rangeText prints the scale's range for a caption.
func (s scale) rangeText() string {
	return tick(s.lo, s.step) + "–" + tick(s.hi, s.step)
}

// tick formats a tick value with as many decimals as its step needs.
func tick(v, step float64) string {
	d := 0
	for d < 4 && math.Abs(step*math.Pow10(d)-math.Round(step*math.Pow10(d))) > 1e-9 {
		d++
	}
	if math.Abs(v) < step*1e-6 {
		v = 0 // no "-0.0"
	}
	return fmt.Sprintf("%.*f", d, v)
}

// xAxis draws vertical gridlines with tick labels under the plot.
func xAxis(b *strings.Builder, s scale, top, bottom float64, format func(float64) string) {
	for _, t := range s.ticks() {
		x := s.at(t)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="grid"/><text x="%.1f" y="%.1f" class="ax" text-anchor="middle">%s</text>`,
			x, top, x, bottom, x, bottom+14, esc(format(t)))
	}
}

// yAxis draws horizontal gridlines with tick labels left of the plot.
func yAxis(b *strings.Builder, s scale, left, right float64) {
	for _, t := range s.ticks() {
		y := s.at(t)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="grid"/><text x="%.1f" y="%.1f" class="ax" text-anchor="end">%s</text>`,
			left, y, right, y, left-5, y+4, tick(t, s.step))
	}
}

// chartPanel is one figure of the report: a caption with its axis range
// and the SVG.
type chartPanel struct {
	ID, Caption, Range, SVG string
}

func (p chartPanel) html() string {
	rng := ""
	if p.Range != "" {
		rng = ` <span class="range">` + esc(p.Range) + `</span>`
	}
	return fmt.Sprintf(`<figure class="card panel" id="%s"><figcaption>%s%s</figcaption>%s</figure>`, esc(p.ID), esc(p.Caption), rng, p.SVG)
}

func panelsHTML(ps []chartPanel) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.html())
	}
	return b.String()
}

// baselineMean is the mean of the baseline's scores of variant on metric
// over this run's cases; NaN without one.
func baselineMean(r *eval.Result, variant, metric string) float64 {
	xs, ok := r.BaselineScores(variant, metric)
	if !ok {
		return math.NaN()
	}
	sum, n := 0.0, 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			sum += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// comparisonChart draws one panel per metric: each variant's mean as a
// dot with its 95% CI as a whisker, and the baseline's mean as a ring,
// on an axis scaled to what the panel shows.
func comparisonChart(r *eval.Result) []chartPanel {
	var out []chartPanel
	nv := len(r.Variants)
	if nv == 0 {
		return nil
	}
	for _, m := range r.Manifest.Metrics {
		lo, hi := math.Inf(1), math.Inf(-1)
		include := func(x float64) {
			if !math.IsNaN(x) {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
		for _, v := range r.Variants {
			if st := v.Metrics[m]; st != nil && st.N > 0 {
				include(st.Mean)
				include(st.Lo)
				include(st.Hi)
			}
			include(baselineMean(r, v.Name, m))
		}
		if math.IsInf(lo, 0) {
			continue
		}
		const left, rowH, top = 150.0, 24.0, 8.0
		h := top + rowH*float64(nv) + 22
		s := niceScale(lo, hi, 0, 1, left, panelW-24)
		var b strings.Builder
		svgOpen(&b, panelW, int(h), "Mean "+m+" per variant with 95% confidence intervals")
		bottom := top + rowH*float64(nv)
		xAxis(&b, s, top, bottom, func(x float64) string { return tick(x, s.step) })
		for vi, v := range r.Variants {
			y := top + rowH*float64(vi) + rowH/2
			st := v.Metrics[m]
			mean := "n/a"
			if st != nil && st.N > 0 {
				mean = fmt.Sprintf("%.3f", st.Mean)
			}
			fmt.Fprintf(&b, `<text x="4" y="%.1f" class="lg">%s</text><text x="%.0f" y="%.1f" class="lg num" text-anchor="end">%s</text>`,
				y+4, esc(truncate(v.Name, 13)), left-8, y+4, mean)
			if bm := baselineMean(r, v.Name, m); !math.IsNaN(bm) {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="5" class="base"><title>%s baseline: %.4f</title></circle>`, s.at(bm), y, esc(v.Name), bm)
			}
			if st == nil || st.N == 0 {
				continue
			}
			if !math.IsNaN(st.Lo) && !math.IsNaN(st.Hi) {
				x0, x1 := s.at(st.Lo), s.at(st.Hi)
				fmt.Fprintf(&b, `<path d="M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f" class="whisker" stroke="%s"/>`,
					x0, y, x1, x0, y-4, y+4, x1, y-4, y+4, color(vi))
			}
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4.5" fill="%s"><title>%s %s: %.4f [%.4f, %.4f]</title></circle>`,
				s.at(st.Mean), y, color(vi), esc(v.Name), esc(m), st.Mean, st.Lo, st.Hi)
		}
		b.WriteString(`</svg>`)
		out = append(out, chartPanel{ID: "chart-" + m, Caption: m, Range: "axis " + s.rangeText(), SVG: b.String()})
	}
	return out
}

// histograms draws, per variant, the distribution of per-case scores of
// metric over ten bins spanning the scores seen (the same for every
// variant, so the panels compare).
func histograms(r *eval.Result, metric string) []chartPanel {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range r.Variants {
		for _, x := range v.Scores(metric) {
			if !math.IsNaN(x) {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
	}
	if math.IsInf(lo, 0) {
		return nil
	}
	const bins = 10
	const left, top, plotH = 30.0, 10.0, 90.0
	s := niceScale(lo, hi, 0, 1, left, panelW-22)
	width := (s.hi - s.lo) / bins
	var out []chartPanel
	for vi, v := range r.Variants {
		var counts [bins]int
		n := 0
		for _, x := range v.Scores(metric) {
			if math.IsNaN(x) {
				continue
			}
			counts[max(0, min(int((x-s.lo)/width), bins-1))]++
			n++
		}
		peak := 1
		for _, c := range counts {
			peak = max(peak, c)
		}
		var b strings.Builder
		svgOpen(&b, panelW, int(top+plotH+24), "Distribution of per-case "+metric+" scores of "+v.Name)
		bottom := top + plotH
		xAxis(&b, s, top, bottom, func(x float64) string { return tick(x, s.step) })
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" class="ax" text-anchor="end">%d</text><text x="%.0f" y="%.0f" class="ax" text-anchor="end">0</text>`,
			left-5, top+10, peak, left-5, bottom)
		bw := (s.p1 - s.p0) / bins
		for i, c := range counts {
			h := plotH * float64(c) / float64(peak)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%.3f–%.3f: %d cases</title></rect>`,
				s.p0+float64(i)*bw+1, bottom-h, bw-2, h, color(vi), s.lo+float64(i)*width, s.lo+float64(i+1)*width, c)
		}
		if st := v.Metrics[metric]; st != nil && st.N > 0 {
			mx := s.at(st.Mean)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="mean"><title>mean %.4f</title></line>`, mx, top-4, mx, bottom, st.Mean)
		}
		b.WriteString(`</svg>`)
		out = append(out, chartPanel{ID: "hist-" + v.Name, Caption: fmt.Sprintf("%s · %s per case (n=%d)", v.Name, metric, n),
			Range: "axis " + s.rangeText(), SVG: b.String()})
	}
	return out
}

// costQuality plots each variant's cost per live call (or tokens per case,
// when nothing live has a price; or live latency) against its mean on
// metric, with the CI as a whisker. A variant whose every answer came
// from the cache has no cost or latency of its own and is listed under
// the chart instead.
func costQuality(r *eval.Result, metric string) *chartPanel {
	type pt struct {
		name       string
		x, y       float64
		lo, hi     float64
		colorIndex int
	}
	var pts []pt
	kind := "latency"
	for _, v := range r.Variants {
		if v.PromptTokens+v.CompletionTokens > 0 && kind == "latency" {
			kind = "tokens"
		}
		if v.Cost > 0 {
			kind = "cost"
		}
	}
	xLabel := map[string]string{"cost": "cost per 1,000 cases (USD)", "tokens": "tokens per case", "latency": "latency p50 (ms)"}[kind]
	var xmax float64
	var cached []string
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for i, v := range r.Variants {
		st := v.Metrics[metric]
		if st == nil || st.N == 0 || v.Runs == 0 {
			continue
		}
		var x float64
		switch {
		case kind == "tokens":
			x = float64(v.PromptTokens+v.CompletionTokens) / float64(v.Runs)
		case v.AllCached():
			cached = append(cached, v.Name)
			continue
		case kind == "cost":
			x = 1000 * v.Cost / float64(v.Live)
		case v.LatencyMS == nil:
			continue
		default:
			x = v.LatencyMS.P50
		}
		pts = append(pts, pt{v.Name, x, st.Mean, st.Lo, st.Hi, i})
		xmax = math.Max(xmax, x)
		for _, y := range []float64{st.Mean, st.Lo, st.Hi} {
			if !math.IsNaN(y) {
				ylo, yhi = math.Min(ylo, y), math.Max(yhi, y)
			}
		}
	}
	if len(pts) == 0 {
		return nil
	}
	if xmax == 0 {
		xmax = 1
	}
	const left, top, plotW, plotH = 44.0, 10.0, panelW - 44.0 - 16, 170.0
	ys := niceScale(ylo, yhi, 0, 1, top+plotH, top)
	xs := niceScale(0, xmax, 0, math.Inf(1), left, left+plotW)
	h := top + plotH + 40
	if len(cached) > 0 {
		h += 16
	}
	var b strings.Builder
	svgOpen(&b, panelW, int(h), "Mean "+metric+" against "+xLabel+" per variant")
	yAxis(&b, ys, left, left+plotW)
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" class="axis"/>`, left, top+plotH, left+plotW, top+plotH)
	for _, t := range xs.ticks() {
		label := trimNum3(t)
		if kind == "cost" {
			label = "$" + label
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" class="ax" text-anchor="middle">%s</text>`, xs.at(t), top+plotH+14, esc(label))
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" class="ax" text-anchor="middle">%s</text>`, left+plotW/2, top+plotH+32, esc(xLabel))
	var boxes [][4]float64 // placed labels: x0, y0, x1, y1
	overlaps := func(bx [4]float64) bool {
		if bx[0] < 0 || bx[2] > panelW || bx[1] < 0 || bx[3] > top+plotH {
			return true
		}
		for _, o := range boxes {
			if bx[0] < o[2] && o[0] < bx[2] && bx[1] < o[3] && o[1] < bx[3] {
				return true
			}
		}
		return false
	}
	for _, p := range pts {
		cx, cy := xs.at(p.x), ys.at(p.y)
		if !math.IsNaN(p.lo) {
			fmt.Fprintf(&b, `<path d="M%.1f %.1fV%.1f" class="whisker" stroke="%s"/>`, cx, ys.at(p.lo), ys.at(p.hi), color(p.colorIndex))
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="5" fill="%s" fill-opacity="0.9"><title>%s: %s %.4f at %s %s</title></circle>`,
			cx, cy, color(p.colorIndex), esc(p.name), esc(metric), p.y, trimNum3(p.x), esc(xLabel))
		boxes = append(boxes, [4]float64{cx - 5, cy - 5, cx + 5, cy + 5})
	}
	for _, p := range pts {
		cx, cy := xs.at(p.x), ys.at(p.y)
		name := truncate(p.name, 16)
		w := 7.2 * float64(len([]rune(name)))
		var placed [4]float64
		for _, try := range []struct {
			dx, dy float64
			end    bool
		}{{9, 4, false}, {-9, 4, true}, {9, -10, false}, {-9, -10, true}, {9, 18, false}, {-9, 18, true}, {-w / 2, -12, false}, {-w / 2, 22, false}} {
			x0 := cx + try.dx
			if try.end {
				x0 -= w
			}
			bx := [4]float64{x0, cy + try.dy - 11, x0 + w, cy + try.dy + 3}
			placed = bx
			if !overlaps(bx) {
				break
			}
		}
		boxes = append(boxes, placed)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="lg">%s</text>`, placed[0], placed[3]-3, esc(name))
	}
	if len(cached) > 0 {
		fmt.Fprintf(&b, `<text x="4" y="%.0f" class="ax">not shown, every answer cached: %s</text>`,
			h-4, esc(truncate(strings.Join(cached, ", "), 44)))
	}
	b.WriteString(`</svg>`)
	return &chartPanel{ID: "chart-cost", Caption: "Cost against quality (" + metric + ")", Range: metric + " axis " + ys.rangeText(), SVG: b.String()}
}

// trimNum3 formats a tick with three significant digits, no exponent.
func trimNum3(v float64) string {
	if v == 0 {
		return "0"
	}
	digits := max(0, 2-int(math.Floor(math.Log10(math.Abs(v)))))
	return fmt.Sprintf("%.*f", digits, v)
}
