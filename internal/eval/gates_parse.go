package eval

import (
	"slices"

	"github.com/summarize-dev/summarize/internal/suggest"

	"gopkg.in/yaml.v3"
)

// gates decodes the gates mapping: "contract", "regression" and "errors"
// are special; every other key names a metric.
func (d *nodeDecoder) gates(n *yaml.Node) Gates {
	g := Gates{MinCoverage: 1}
	coverage := func(what string, dst *float64) func(*yaml.Node) {
		return func(n *yaml.Node) {
			d.float(n, "min_coverage", dst)
			if *dst < 0 || *dst > 1 {
				d.errf(n, "%s.min_coverage: want a share between 0 and 1, got %s", what, n.Value)
			}
		}
	}
	if n.Kind != yaml.MappingNode {
		d.errf(n, "gates: want a mapping, got %s", kindName(n))
		return g
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if line, dup := seen[k.Value]; dup {
			d.errf(k, "duplicate gate %q (first on line %d)", k.Value, line)
			continue
		}
		seen[k.Value] = k.Line
		switch k.Value {
		case "contract":
			t := &ThresholdGate{Min: -1, MinCoverage: -1, Line: k.Line}
			d.fields(v, "gates.contract", map[string]func(*yaml.Node){
				"min":          func(n *yaml.Node) { d.float(n, "min", &t.Min) },
				"variants":     func(n *yaml.Node) { d.strs(n, "variants", &t.Variants) },
				"min_coverage": coverage("gates.contract", &t.MinCoverage),
			})
			if t.Min < 0 || t.Min > 1 {
				d.errf(k, "gates.contract: want min between 0 and 1")
			}
			g.Contract = t
		case "regression":
			r := &RegressionGate{Alpha: 0.05, MinCoverage: -1, Line: k.Line}
			d.fields(v, "gates.regression", map[string]func(*yaml.Node){
				"baseline":     func(n *yaml.Node) { d.str(n, "baseline", &r.Baseline) },
				"alpha":        func(n *yaml.Node) { d.float(n, "alpha", &r.Alpha) },
				"metrics":      func(n *yaml.Node) { d.strs(n, "metrics", &r.Metrics) },
				"variants":     func(n *yaml.Node) { d.strs(n, "variants", &r.Variants) },
				"min_coverage": coverage("gates.regression", &r.MinCoverage),
			})
			if r.Alpha <= 0 || r.Alpha >= 1 {
				d.errf(k, "gates.regression: want alpha between 0 and 1, got %g", r.Alpha)
			}
			g.Regression = r
		case "min_coverage":
			coverage("gates", &g.MinCoverage)(v)
		case "errors":
			d.fields(v, "gates.errors", map[string]func(*yaml.Node){
				"max": func(n *yaml.Node) { d.int(n, "max", &g.MaxErrors) },
			})
		default:
			m := MetricGate{Metric: k.Value, Min: -1, MinCoverage: -1, Line: k.Line}
			d.fields(v, "gates."+k.Value, map[string]func(*yaml.Node){
				"min":          func(n *yaml.Node) { d.float(n, "min", &m.Min) },
				"variants":     func(n *yaml.Node) { d.strs(n, "variants", &m.Variants) },
				"min_coverage": coverage("gates."+k.Value, &m.MinCoverage),
			})
			if m.Min < 0 {
				d.errf(k, "gates.%s: missing \"min\"", k.Value)
			}
			g.Metrics = append(g.Metrics, m)
		}
	}
	return g
}

// checkGates checks what gates refer to once the rest of the suite is known.
func (d *nodeDecoder) checkGates(s *Suite, dir string) {
	names := make([]string, len(s.Variants))
	for i, v := range s.Variants {
		names[i] = v.Name
	}
	if name, ok := s.sanityName(); ok {
		names = append(names, name) // a gate may name the sanity baseline
	}
	checkVariants := func(line int, gate string, vs []string) {
		for _, v := range vs {
			if !slices.Contains(names, v) {
				d.errf(&yaml.Node{Line: line}, "gates.%s: unknown variant %q", gate, v)
			}
		}
	}
	for _, m := range s.Gates.Metrics {
		if !slices.Contains(s.Metrics, m.Metric) {
			if closeTo := suggest.Closest(m.Metric, append(slices.Clone(s.Metrics), "contract", "regression", "errors")); closeTo != "" {
				d.errf(&yaml.Node{Line: m.Line}, "gates: %q is not a metric of this suite (did you mean %q?)", m.Metric, closeTo)
			} else {
				d.errf(&yaml.Node{Line: m.Line}, "gates: %q is not a metric of this suite (metrics: %v)", m.Metric, s.Metrics)
			}
		}
		checkVariants(m.Line, m.Metric, m.Variants)
	}
	if c := s.Gates.Contract; c != nil {
		checkVariants(c.Line, "contract", c.Variants)
	}
	if r := s.Gates.Regression; r != nil {
		checkVariants(r.Line, "regression", r.Variants)
		for _, m := range r.Metrics {
			if !slices.Contains(s.Metrics, m) {
				d.errf(&yaml.Node{Line: r.Line}, "gates.regression: %q is not a metric of this suite", m)
			}
		}
		if r.Baseline != "" {
			// Whether it exists is the caller's question: the first run
			// of a suite is the one that makes it.
			r.Baseline = resolve(dir, r.Baseline)
		}
	}
}
