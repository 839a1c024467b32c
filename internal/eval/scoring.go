package eval

import (
	"encoding/json"
	"math"

	"github.com/summarize-dev/summarize/internal/bullet"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/eval/metrics"
	"github.com/summarize-dev/summarize/internal/jsonl"
)

// KnownMetric returns an error naming the metrics there are when name is
// not one of them.
func KnownMetric(name string) error {
	_, err := metrics.ByName(name, metrics.Options{})
	return err
}

// newScorers builds the suite's metrics; they are safe for concurrent use.
func newScorers(names []string, rules bullet.Rules) ([]metrics.Metric, error) {
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
func score(rec *Record, c dataset.Case, out Output, scorers []metrics.Metric) {
	mc := metrics.Case{Article: c.Article, Reference: c.Reference, Candidate: out.Bullets, Leftovers: out.Leftovers}
	rec.Scores = make(map[string]float64, len(scorers))
	contract := true
	for _, m := range scorers {
		s := m.Score(mc)
		name := m.Name()
		if !math.IsNaN(s.Value) && !math.IsInf(s.Value, 0) {
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
