package eval

import (
	"encoding/json"
	"math"
	"slices"
	"strings"

	"github.com/summarize-dev/summarize/internal/bullet"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/eval/metrics"
	"github.com/summarize-dev/summarize/internal/jsonl"
	"github.com/summarize-dev/summarize/internal/summary"
)

// KnownMetric returns an error naming the metrics there are when name is
// not one of them.
func KnownMetric(name string) error {
	if name == MetricJudge {
		return nil
	}
	_, err := metrics.ByName(name, metrics.Options{})
	return err
}

// columnar is a metric that describes rather than scores: its parts are
// reported as columns of their own ("stats.compression") and it has no
// headline.
type columnar interface{ Columns() []string }

// metricColumns returns the columns a suite's metric name stands for: the
// metric itself, or a descriptive metric's parts.
func metricColumns(name string) []string {
	m, err := metrics.ByName(name, metrics.Options{})
	if err != nil {
		return []string{name}
	}
	if c, ok := m.(columnar); ok {
		out := []string{}
		for _, p := range c.Columns() {
			out = append(out, name+"."+p)
		}
		return out
	}
	return []string{name}
}

// newScorers builds the metrics behind the suite's columns; they are safe
// for concurrent use.
func newScorers(columns []string, rules bullet.Rules) ([]metrics.Metric, error) {
	var names []string
	for _, c := range columns {
		base, _, _ := strings.Cut(c, ".")
		if base == MetricJudge {
			continue // scored by RunOptions.Judge
		}
		if !slices.Contains(names, base) {
			names = append(names, base)
		}
	}
	out := make([]metrics.Metric, 0, len(names))
	for _, n := range names {
		m, err := metrics.ByName(n, metrics.Options{Rules: rules})
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// score fills the record's scores from the output.
func score(rec *Record, c dataset.Case, out summary.Summary, scorers []metrics.Metric) {
	mc := metrics.Case{Article: c.Article, Reference: c.Reference, Candidate: out.Bullets, Leftovers: out.Leftovers}
	rec.Scores = make(map[string]float64, len(scorers))
	contract := true
	for _, m := range scorers {
		s := m.Score(mc)
		name := m.Name()
		if c, ok := m.(columnar); ok {
			for _, p := range c.Columns() {
				if x, ok := s.Parts[p]; ok && !math.IsNaN(x) && !math.IsInf(x, 0) {
					rec.Scores[name+"."+p] = x
				}
			}
		} else if !math.IsNaN(s.Value) && !math.IsInf(s.Value, 0) {
			rec.Scores[name] = s.Value
		}
		if len(s.Parts) > 0 {
			if rec.Parts == nil {
				rec.Parts = map[string]map[string]float64{}
			}
			parts := make(map[string]float64, len(s.Parts))
			for k, x := range s.Parts {
				parts[k] = finite(x)
			}
			rec.Parts[name] = parts
		}
		if s.Detail != nil {
			if b, err := jsonl.Marshal(s.Detail); err == nil {
				if rec.Details == nil {
					rec.Details = map[string]json.RawMessage{}
				}
				rec.Details[name] = b
			}
		}
		if name == "contract" {
			contract = s.Value >= 1
			if reasons, ok := s.Detail.([]string); ok {
				rec.Violations = append(rec.Violations, reasons...)
			}
		}
	}
	rec.ContractOK = contract && len(out.Violations) == 0
	rec.Violations = dedupe(rec.Violations)
}

func dedupe(xs []string) []string {
	if len(xs) < 2 {
		return xs
	}
	seen := map[string]bool{}
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
