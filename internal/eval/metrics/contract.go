package metrics

import "github.com/summarize-dev/summarize/internal/bullet"

// Contract checks the candidate bullets and the parser's leftovers against
// bullet rules. Value is 1 when nothing is broken and 0 otherwise; Parts
// counts violations per rule ("violations", and one key per rule broken);
// Detail is the list of reasons, as people read them.
type Contract struct {
	Rules bullet.Rules
}

// Name implements Metric.
func (Contract) Name() string { return "contract" }

// Score implements Metric.
func (m Contract) Score(c Case) Score {
	vs := bullet.Check(c.Candidate, c.Leftovers, m.Rules)
	parts := map[string]float64{"violations": float64(len(vs))}
	reasons := make([]string, 0, len(vs))
	for _, v := range vs {
		parts[v.Rule]++
		reasons = append(reasons, v.String())
	}
	s := Score{Value: 1, Parts: parts, Detail: reasons}
	if len(vs) > 0 {
		s.Value = 0
	}
	return s
}
