// Package metrics scores candidate bullets: strings in, numbers out. Every
// metric implements Metric and returns a Score whose Value is a headline
// number in [0, 1] (higher is better), with named Parts and a
// JSON-serialisable per-case Detail for reports.
//
// The metrics are ROUGE (rouge1, rouge2, rougeL, rougeLsum; Google
// rouge-score parity through package rouge), alignment (one-to-one
// matching of candidate to reference bullets), contract (the bullet rules of
// package bullet), faithfulness (an offline check that numbers, dates and
// names in the bullets appear in the article) and stats (reference-free
// length, compression and novelty figures). ByName builds any of them.
//
// The package knows nothing about language models: a Case is plain text.
package metrics

import (
	"fmt"
	"slices"
	"strings"

	"github.com/summarize-dev/summarize/internal/bullet"
)

// Score is one metric's result for one case.
type Score struct {
	// Value is the headline number in [0, 1]; higher is better.
	Value float64 `json:"value"`
	// Parts are the named components, such as "p", "r", "f" or "coverage".
	Parts map[string]float64 `json:"parts,omitempty"`
	// Detail is a JSON-serialisable explanation of the case, or nil.
	Detail any `json:"detail,omitempty"`
}

// Case is what a metric sees of one article and one summary of it.
type Case struct {
	Article   string   // the article text the summary was made from
	Reference []string // reference bullets, if any
	Candidate []string // the bullets being scored
	Leftovers []string // text the bullet parser dropped from the reply
}

// Metric scores one case. Implementations are safe for concurrent use.
type Metric interface {
	Name() string
	Score(c Case) Score
}

// Options configures the metrics built by ByName. The zero value gives the
// documented defaults.
type Options struct {
	// Rules is the bullet contract checked by "contract".
	Rules bullet.Rules
	// MatchThreshold is the similarity at or above which "alignment" counts
	// a candidate as covering a reference bullet. 0 means 0.2.
	MatchThreshold float64
	// RedundancyThreshold is the similarity at or above which "alignment"
	// counts two candidate bullets as saying the same thing. 0 means 0.5.
	RedundancyThreshold float64
	// Similarity compares two bullets for "alignment", returning a value in
	// [0, 1]. nil means ROUGE-1 F-measure with Porter stemming.
	Similarity func(a, b string) float64
}

// builders maps each metric name to its constructor. It is built on each
// call so the package keeps no mutable state.
func builders() map[string]func(Options) (Metric, error) {
	rougeBuilder := func(typ string) func(Options) (Metric, error) {
		return func(Options) (Metric, error) { return asMetric(NewROUGE(typ)) }
	}
	return map[string]func(Options) (Metric, error){
		"rouge1":    rougeBuilder("rouge1"),
		"rouge2":    rougeBuilder("rouge2"),
		"rougeL":    rougeBuilder("rougeL"),
		"rougeLsum": rougeBuilder("rougeLsum"),
		"alignment": func(o Options) (Metric, error) {
			return asMetric(NewAlignment(o.Similarity, o.MatchThreshold, o.RedundancyThreshold))
		},
		"content":      func(Options) (Metric, error) { return asMetric(NewContent()) },
		"contract":     func(o Options) (Metric, error) { return Contract{Rules: o.Rules}, nil },
		"faithfulness": func(Options) (Metric, error) { return asMetric(NewFaithfulness()) },
		"stats":        func(Options) (Metric, error) { return asMetric(NewStats()) },
	}
}

// asMetric turns a constructor's result into (Metric, error) without
// wrapping a nil pointer in a non-nil interface.
func asMetric[M Metric](m M, err error) (Metric, error) {
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Names returns the names ByName knows, sorted.
func Names() []string {
	var names []string
	for n := range builders() {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ByName returns the metric called name, configured by opts.
func ByName(name string, opts Options) (Metric, error) {
	b, ok := builders()[name]
	if !ok {
		return nil, fmt.Errorf("unknown metric %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return b(opts)
}

// ratio returns a/b, or 0 when b is 0.
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// harmonic returns the harmonic mean of p and r, or 0 when both are 0.
func harmonic(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
