package report

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/summarize-dev/summarize/internal/eval"
)

// The charts of the HTML report, drawn as inline SVG so the page works
// offline and prints well.

var palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"}

func color(i int) string { return palette[i%len(palette)] }

func esc(s string) string { return html.EscapeString(s) }

// svgOpen starts an SVG element with a title for screen readers.
func svgOpen(b *strings.Builder, w, h int, title string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s"><title>%s</title>`,
		w, h, w, h, esc(title), esc(title))
}

// legend draws a row of variant swatches.
func legend(b *strings.Builder, names []string, x, y int) {
	for i, n := range names {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d" class="lg">%s</text>`,
			x, y-9, color(i), x+14, y, esc(truncate(n, 18)))
		x += 28 + 7*min(len([]rune(n)), 18)
	}
}

// yAxis draws gridlines and labels for a 0..1 scale.
func yAxis(b *strings.Builder, left, top, width, height int, max float64) {
	for i := 0; i <= 4; i++ {
		v := max * float64(i) / 4
		y := top + height - int(float64(height)*float64(i)/4)
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="grid"/><text x="%d" y="%d" class="ax" text-anchor="end">%s</text>`,
			left, y, left+width, y, left-6, y+4, trimNum(v))
	}
}

func trimNum(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-" {
		return "0"
	}
	return s
}

// comparisonChart draws, for each metric, one bar per variant at its mean
// with a whisker for the 95% CI.
func comparisonChart(r *eval.Result) string {
	metrics := r.Manifest.Metrics
	nv := len(r.Variants)
	if nv == 0 || len(metrics) == 0 {
		return ""
	}
	barW := 18
	if nv > 4 {
		barW = 12
	}
	groupW := nv*barW + 24
	left, top, height := 44, 28, 200
	width := max(len(metrics)*groupW, 240)
	var b strings.Builder
	svgOpen(&b, left+width+10, top+height+40, "Mean score per metric and variant, with 95% confidence intervals")
	names := make([]string, nv)
	for i, v := range r.Variants {
		names[i] = v.Name
	}
	legend(&b, names, left, 14)
	yAxis(&b, left, top, width, height, 1)
	for mi, m := range metrics {
		gx := left + mi*groupW + 12
		for vi, v := range r.Variants {
			st := v.Metrics[m]
			if st == nil || st.N == 0 || math.IsNaN(st.Mean) {
				continue
			}
			x := gx + vi*barW
			y := func(s float64) int { return top + height - int(math.Round(float64(height)*clamp01(s))) }
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s %s: %.4f [%.4f, %.4f]</title></rect>`,
				x, y(st.Mean), barW-3, top+height-y(st.Mean), color(vi), esc(v.Name), esc(m), st.Mean, st.Lo, st.Hi)
			if !math.IsNaN(st.Lo) {
				cx := x + (barW-3)/2
				fmt.Fprintf(&b, `<path d="M%d %dV%dM%d %dH%dM%d %dH%d" class="whisker"/>`,
					cx, y(st.Lo), y(st.Hi), cx-3, y(st.Lo), cx+3, cx-3, y(st.Hi), cx+3)
			}
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="ax" text-anchor="middle">%s</text>`,
			gx+nv*barW/2, top+height+16, esc(m))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// histograms draws, per variant, the distribution of per-case scores of
// metric over ten bins from 0 to 1.
func histograms(r *eval.Result, metric string) string {
	if len(r.Variants) == 0 {
		return ""
	}
	const bins = 10
	cellW, cellH, pad := 220, 130, 16
	cols := min(len(r.Variants), 4)
	rows := (len(r.Variants) + cols - 1) / cols
	var b strings.Builder
	svgOpen(&b, cols*(cellW+pad), rows*(cellH+pad+20), "Distribution of per-case "+metric+" scores per variant")
	for vi, v := range r.Variants {
		ox := (vi % cols) * (cellW + pad)
		oy := (vi / cols) * (cellH + pad + 20)
		var counts [bins]int
		n := 0
		for _, x := range v.Scores(metric) {
			if math.IsNaN(x) {
				continue
			}
			counts[min(int(clamp01(x)*bins), bins-1)]++
			n++
		}
		peak := 1
		for _, c := range counts {
			peak = max(peak, c)
		}
		left, top, plotW, plotH := ox+30, oy+22, cellW-40, cellH-30
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="hd">%s <tspan class="ax">(n=%d)</tspan></text>`, left, oy+12, esc(truncate(v.Name, 24)), n)
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, left, top+plotH, left+plotW, top+plotH)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="ax" text-anchor="end">%d</text>`, left-4, top+8, peak)
		bw := plotW / bins
		for i, c := range counts {
			h := int(math.Round(float64(plotH) * float64(c) / float64(peak)))
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%.1f–%.1f: %d cases</title></rect>`,
				left+i*bw+1, top+plotH-h, bw-2, h, color(vi), float64(i)/bins, float64(i+1)/bins, c)
		}
		if st := v.Metrics[metric]; st != nil && st.N > 0 {
			mx := left + int(float64(plotW)*clamp01(st.Mean))
			fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="mean"><title>mean %.4f</title></line>`, mx, top-4, mx, top+plotH, st.Mean)
		}
		for _, t := range []float64{0, 0.5, 1} {
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="ax" text-anchor="middle">%s</text>`,
				left+int(float64(plotW)*t), top+plotH+13, trimNum(t))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// costQuality plots each variant's cost per live call (or tokens per case,
// when nothing live has a price; or live latency) against its mean on
// metric, with the CI as a whisker. A variant whose every answer came
// from the cache has no cost or latency of its own and is listed under
// the chart instead.
func costQuality(r *eval.Result, metric string) string {
	type pt struct {
		name       string
		x, y       float64
		lo, hi     float64
		colorIndex int
	}
	var pts []pt
	// x is the cost when anything has a price, else tokens, else latency.
	kind := "latency"
	for _, v := range r.Variants {
		if v.PromptTokens+v.CompletionTokens > 0 && kind == "latency" {
			kind = "tokens"
		}
		if v.Cost > 0 {
			kind = "cost"
		}
	}
	useCost := kind == "cost"
	xLabel := map[string]string{"cost": "cost per 1,000 cases (USD)", "tokens": "tokens per case", "latency": "latency p50 (ms)"}[kind]
	var xmax float64
	var cached []string // variants without a live call: no cost or latency to plot
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
	}
	if len(pts) == 0 {
		return ""
	}
	if xmax == 0 {
		xmax = 1
	}
	xmax *= 1.15
	left, top, width, height := 50, 20, 420, 220
	var b strings.Builder
	svgOpen(&b, left+width+150, top+height+52, "Mean "+metric+" against "+xLabel+" per variant")
	yAxis(&b, left, top, width, height, 1)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, left, top+height, left+width, top+height)
	for i := 0; i <= 4; i++ {
		v := xmax * float64(i) / 4
		label := trimNum3(v)
		if useCost {
			label = "$" + label
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="ax" text-anchor="middle">%s</text>`, left+width*i/4, top+height+14, esc(label))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="ax" text-anchor="middle">%s</text>`, left+width/2, top+height+34, esc(xLabel))
	fmt.Fprintf(&b, `<text x="12" y="%d" class="ax" transform="rotate(-90 12 %d)" text-anchor="middle">%s</text>`, top+height/2, top+height/2, esc(metric))
	y := func(s float64) int { return top + height - int(math.Round(float64(height)*clamp01(s))) }
	var labels [][2]int // placed label positions, to keep labels apart
	for _, p := range pts {
		cx := left + int(float64(width)*p.x/xmax)
		if !math.IsNaN(p.lo) {
			fmt.Fprintf(&b, `<path d="M%d %dV%d" class="whisker" stroke="%s"/>`, cx, y(p.lo), y(p.hi), color(p.colorIndex))
		}
		fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="6" fill="%s" fill-opacity="0.85"><title>%s: %s %.4f at %s %s</title></circle>`,
			cx, y(p.y), color(p.colorIndex), esc(p.name), esc(metric), p.y, trimNum3(p.x), esc(xLabel))
		ly := y(p.y) + 4
		for moved := true; moved; {
			moved = false
			for _, l := range labels {
				if abs(l[0]-cx) < 120 && abs(l[1]-ly) < 14 {
					ly = l[1] + 14
					moved = true
				}
			}
		}
		labels = append(labels, [2]int{cx, ly})
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="lg">%s</text>`, cx+9, ly, esc(truncate(p.name, 20)))
	}
	if len(cached) > 0 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="ax">not shown, every answer cached: %s</text>`,
			left, top+height+46, esc(truncate(strings.Join(cached, ", "), 80)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// trimNum3 formats a tick with three significant digits, no exponent.
func trimNum3(v float64) string {
	if v == 0 {
		return "0"
	}
	digits := max(0, 2-int(math.Floor(math.Log10(math.Abs(v)))))
	return fmt.Sprintf("%.*f", digits, v)
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
