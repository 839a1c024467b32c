package metrics

import (
	"fmt"
	"math"
)

// Default thresholds of the alignment metric.
const (
	DefaultMatchThreshold      = 0.2
	DefaultRedundancyThreshold = 0.5
)

// Alignment matches candidate bullets to reference bullets one to one and
// reports how many references are covered.
//
// The matching maximises the total similarity of matched pairs, counting
// only pairs whose similarity reaches the match threshold (pairs below it
// weigh zero), with the Hungarian algorithm; unlike greedy matching it
// never lets one good pair block two others. Parts:
//
//   - coverage: share of reference bullets matched (recall);
//   - precision: share of candidate bullets matched;
//   - f1: harmonic mean of coverage and precision;
//   - redundancy: share of candidate bullets that repeat an earlier
//     candidate (similarity ≥ the redundancy threshold);
//   - similarity: mean similarity of the matched pairs.
//
// Value is f1, so that both missing a reference point and padding with
// bullets that match nothing lower the score; coverage alone would reward
// emitting many bullets. With no reference or no candidate bullets, all
// shares are 0.
type Alignment struct {
	sim        func(a, b string) float64
	threshold  float64
	redundancy float64
}

// AlignmentDetail is the Detail of an alignment Score.
type AlignmentDetail struct {
	References []ReferenceMatch `json:"references"`
	Candidates []CandidateMatch `json:"candidates"`
}

// ReferenceMatch tells how one reference bullet was covered.
type ReferenceMatch struct {
	Covered   bool `json:"covered"`
	Candidate int  `json:"candidate"` // index of the matched candidate, or -1
	// Similarity to the matched candidate or, when not covered, the best
	// similarity any candidate reached.
	Similarity float64 `json:"similarity"`
}

// CandidateMatch tells what one candidate bullet matched.
type CandidateMatch struct {
	Reference     int     `json:"reference"` // index of the matched reference, or -1
	Similarity    float64 `json:"similarity"`
	RedundantWith int     `json:"redundant_with"` // earlier candidate it repeats, or -1
}

// NewAlignment returns the alignment metric. sim compares two bullets and
// returns a value in [0, 1]; nil means ROUGE-1 F-measure with stemming.
// A threshold of 0 means its default.
func NewAlignment(sim func(a, b string) float64, matchThreshold, redundancyThreshold float64) (*Alignment, error) {
	if sim == nil {
		var err error
		if sim, err = rouge1F(); err != nil {
			return nil, fmt.Errorf("metric alignment: %w", err)
		}
	}
	if matchThreshold == 0 {
		matchThreshold = DefaultMatchThreshold
	}
	if redundancyThreshold == 0 {
		redundancyThreshold = DefaultRedundancyThreshold
	}
	if matchThreshold < 0 || matchThreshold > 1 || redundancyThreshold < 0 || redundancyThreshold > 1 {
		return nil, fmt.Errorf("metric alignment: thresholds %v and %v: want values in (0, 1]", matchThreshold, redundancyThreshold)
	}
	return &Alignment{sim: sim, threshold: matchThreshold, redundancy: redundancyThreshold}, nil
}

// Name implements Metric.
func (*Alignment) Name() string { return "alignment" }

// Score implements Metric.
func (m *Alignment) Score(c Case) Score {
	refs, cands := c.Reference, c.Candidate
	d := AlignmentDetail{
		References: make([]ReferenceMatch, len(refs)),
		Candidates: make([]CandidateMatch, len(cands)),
	}
	for i := range d.References {
		d.References[i].Candidate = -1
	}
	for j := range d.Candidates {
		d.Candidates[j] = CandidateMatch{Reference: -1, RedundantWith: -1}
	}

	sim := make([][]float64, len(refs))
	cost := make([][]float64, len(refs))
	for i, r := range refs {
		sim[i] = make([]float64, len(cands))
		cost[i] = make([]float64, len(cands))
		for j, cand := range cands {
			s := clamp01(m.sim(r, cand))
			sim[i][j] = s
			if s >= m.threshold {
				cost[i][j] = -s
			}
			d.References[i].Similarity = max(d.References[i].Similarity, s)
		}
	}
	matched, total := 0, 0.0
	if len(refs) > 0 && len(cands) > 0 {
		for i, j := range Hungarian(cost) {
			if j < 0 || sim[i][j] < m.threshold {
				continue
			}
			matched++
			total += sim[i][j]
			d.References[i] = ReferenceMatch{Covered: true, Candidate: j, Similarity: sim[i][j]}
			d.Candidates[j].Reference, d.Candidates[j].Similarity = i, sim[i][j]
		}
	}

	redundant := 0
	for j := range cands {
		for k := range j {
			if clamp01(m.sim(cands[k], cands[j])) >= m.redundancy {
				d.Candidates[j].RedundantWith = k
				redundant++
				break
			}
		}
	}

	coverage := ratio(matched, len(refs))
	precision := ratio(matched, len(cands))
	f1 := harmonic(coverage, precision)
	meanSim := 0.0
	if matched > 0 {
		meanSim = total / float64(matched)
	}
	return Score{
		Value: f1,
		Parts: map[string]float64{
			"coverage":   coverage,
			"precision":  precision,
			"f1":         f1,
			"redundancy": ratio(redundant, len(cands)),
			"similarity": meanSim,
		},
		Detail: d,
	}
}

// clamp01 keeps a similarity in [0, 1], mapping NaN to 0.
func clamp01(x float64) float64 {
	if math.IsNaN(x) || x < 0 {
		return 0
	}
	return min(x, 1)
}
