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

// scorers are the metrics of a run: the ROUGE types together (one
// tokenization of the texts for all of them) and every other metric, each
// safe for concurrent use.
type scorers struct {
	rouge      *metrics.ROUGESet // nil without ROUGE metrics
	rougeTypes []string          // rouge.Types()
	others     []metrics.Metric
}

// newScorers builds the metrics behind the suite's columns.
func newScorers(columns []string, rules bullet.Rules) (scorers, error) {
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
	var out scorers
	var rougeTypes []string
	for _, n := range names {
		m, err := metrics.ByName(n, metrics.Options{Rules: rules})
		if err != nil {
			return scorers{}, err
		}
		if _, ok := m.(*metrics.ROUGE); ok {
			rougeTypes = append(rougeTypes, m.Name())
			continue
		}
		out.others = append(out.others, m)
	}
	if len(rougeTypes) > 0 {
		set, err := metrics.NewROUGESet(rougeTypes)
		if err != nil {
			return scorers{}, err
		}
		out.rouge, out.rougeTypes = set, rougeTypes
	}
	return out, nil
}

// score fills the record's scores from the output.
func score(rec *Record, c dataset.Case, out summary.Summary, ss scorers) {
	mc := metrics.Case{Article: c.Article, Reference: c.Reference, Candidate: out.Bullets, Leftovers: out.Leftovers}
	rec.Scores = make(map[string]float64, len(ss.others)+3)
	contract := true
	if ss.rouge != nil {
		for i, s := range ss.rouge.Scores(mc) {
			put(rec, ss.rougeTypes[i], nil, s)
		}
	}
	for _, m := range ss.others {
		s := m.Score(mc)
		name := m.Name()
		put(rec, name, m, s)
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

// put records metric name's score s (m is the metric, or nil for one that
// is not columnar): its value or its parts' columns, its parts and its
// detail.
func put(rec *Record, name string, m metrics.Metric, s metrics.Score) {
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
		rec.Parts[name] = finiteParts(s.Parts)
	}
	if s.Detail != nil {
		if b, err := jsonl.Marshal(s.Detail); err == nil {
			if rec.Details == nil {
				rec.Details = map[string]json.RawMessage{}
			}
			rec.Details[name] = b
		}
	}
}

// finiteParts returns parts with NaN and infinities mapped by finite: parts
// itself when they are all finite (a metric makes a new map per score), else
// a copy.
func finiteParts(parts map[string]float64) map[string]float64 {
	ok := true
	for _, x := range parts {
		if finite(x) != x {
			ok = false
			break
		}
	}
	if ok {
		return parts
	}
	out := make(map[string]float64, len(parts))
	for k, x := range parts {
		out[k] = finite(x)
	}
	return out
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
