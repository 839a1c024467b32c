package meta

import (
	"math"
)

// Item is one judged summary: the article it summarizes (Group), what
// produced it (System), the automatic metric's score and the human
// judgment. An item whose Metric or Human is NaN or infinite is left out.
type Item struct {
	Group  string
	System string
	Metric float64
	Human  float64
}

// Options configures Measure.
type Options struct {
	// Samples is the number of bootstrap resamples: 0 means
	// DefaultSamples, a negative number no bootstrap (Lo and Hi are NaN).
	Samples int
	// Seed seeds the resampling; the same seed gives the same intervals.
	Seed uint64
	// Confidence is the level of the interval, a fraction; 0 means
	// DefaultConfidence.
	Confidence float64
}

// DefaultSamples and DefaultConfidence are the defaults of Options.
const (
	DefaultSamples    = 1000
	DefaultConfidence = 0.95
)

// Levels and coefficients, the values of Agreement.Level and
// Agreement.Coef.
const (
	Summary = "summary"
	System  = "system"
	Pooled  = "pooled"
	Partial = "partial"

	Spearman = "spearman"
	Kendall  = "kendall"
	Pearson  = "pearson"
)

// Agreement is one correlation between the metric and the judgments.
//
// A level that cannot be computed has a NaN Value, N = 0 and a Reason
// that says why, in words a caller can show as they are ("items have no
// group", "every group is constant on one side", ...). Lo and Hi are NaN
// then too, and also when the bootstrap was turned off or no resample
// gave a value.
type Agreement struct {
	Level string // Summary, System, Pooled or Partial
	Coef  string // Spearman, Kendall or Pearson
	Value float64
	// Lo and Hi bound the bootstrap percentile interval for Value.
	Lo, Hi float64
	// N is what the value is computed over: the groups used (summary
	// level), the systems (system level) or the items (pooled, partial).
	N int
	// Skipped is, at the summary level, the number of groups left out
	// because they have fewer than two items or one side is constant
	// there; 0 at the other levels. A group none of whose items has both
	// values is neither used nor skipped: it is not there.
	Skipped int
	// Reason is empty when Value is a number, and otherwise says why not.
	Reason string
}

// OK reports whether the agreement could be computed.
func (a Agreement) OK() bool { return a.Reason == "" }

// Measure returns how well the items' metric agrees with their human
// judgments, in this order: summary/spearman, summary/kendall,
// system/kendall, pooled/pearson, partial/pearson.
//
// The summary level needs every (kept) item to name its Group; the system
// and partial levels need every item to name its System. When some item
// lacks them those levels are not computed (NaN, N = 0, with a Reason).
// The bootstrap resamples groups when every item has one and single items
// otherwise.
func Measure(items []Item, opt Options) []Agreement {
	d := prepare(items)
	out := []Agreement{
		{Level: Summary, Coef: Spearman},
		{Level: Summary, Coef: Kendall},
		{Level: System, Coef: Kendall},
		{Level: Pooled, Coef: Pearson},
		{Level: Partial, Coef: Pearson},
	}
	var reasons [5]string
	switch {
	case d.n == 0:
		for i := range reasons {
			reasons[i] = "no items with both a metric value and a judgment"
		}
	default:
		if !d.grouped {
			reasons[0] = "items have no group"
			reasons[1] = reasons[0]
		} else if d.used == 0 {
			reasons[0] = "every group has fewer than two items or is constant on one side"
			reasons[1] = reasons[0]
		}
		if !d.withSystems {
			reasons[2] = "items have no system"
			reasons[4] = reasons[2]
		}
	}
	est := d.estimate()
	for i := range out {
		a := &out[i]
		a.Value, a.Lo, a.Hi = math.NaN(), math.NaN(), math.NaN()
		if reasons[i] != "" {
			a.Reason = reasons[i]
			continue
		}
		a.Value = est[i]
		switch a.Level {
		case Summary:
			a.N, a.Skipped = d.used, d.groups-d.used
		case System:
			a.N = d.systems
		default:
			a.N = d.n
		}
		if math.IsNaN(a.Value) {
			a.Reason = constantReason(a.Level)
			a.N = 0
		}
	}
	samples := opt.Samples
	if samples == 0 {
		samples = DefaultSamples
	}
	conf := opt.Confidence
	if conf <= 0 || conf >= 1 {
		conf = DefaultConfidence
	}
	if samples > 0 && d.n > 0 {
		var want [5]bool
		for i := range out {
			want[i] = out[i].OK()
		}
		intervals := d.bootstrap(want, samples, conf, opt.Seed)
		for i := range out {
			if want[i] {
				out[i].Lo, out[i].Hi = intervals[i][0], intervals[i][1]
			}
		}
	}
	return out
}

func constantReason(level string) string {
	switch level {
	case System:
		return "fewer than two systems, or the systems' means are constant on one side"
	case Partial:
		return "no variation left on one side once each system's mean is removed"
	}
	return "fewer than two items, or one side is constant"
}
