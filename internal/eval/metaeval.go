package eval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/eval/meta"
	"github.com/summarize-dev/summarize/internal/summary"
)

// GivenBullets is the Generator of a backend: dataset variant: the bullets
// the case already holds, scored like any variant's.
func GivenBullets(_ context.Context, c dataset.Case, _ int) (summary.Summary, error) {
	if len(c.Candidate) == 0 {
		return summary.Summary{}, fmt.Errorf("case %q has no \"candidate\" bullets", c.ID)
	}
	return summary.Summary{Bullets: c.Candidate, Model: "dataset", Duration: summary.Millis(time.Microsecond)}, nil
}

// DatasetError is a suite that asks of its dataset what the dataset does
// not have: a usage error, found before anything runs.
type DatasetError struct{ Msg string }

func (e *DatasetError) Error() string { return e.Msg }

// CheckDataset reports what the suite needs that d lacks: candidates for a
// backend: dataset variant, and the human judgments meta names. Run calls
// it; a caller may call it first to tell a usage error from a failure.
func (s *Suite) CheckDataset(d *dataset.Set) error {
	var errs []error
	for _, v := range s.Variants {
		if v.Backend != config.BackendDataset {
			continue
		}
		if at, missing := d.Without("candidate"); missing {
			errs = append(errs, &DatasetError{fmt.Sprintf("%s: no \"candidate\" bullets, which variant %q (backend: dataset) scores (%s:%d)", at, v.Name, s.Path, v.Line)})
		}
	}
	if len(s.Meta) > 0 {
		errs = append(errs, s.checkMetaLevels(d)...)
	}
	for _, name := range s.Meta {
		if d.Judgments[name] == 0 {
			have := make([]string, 0, len(d.Judgments))
			for k := range d.Judgments {
				have = append(have, k)
			}
			sort.Strings(have)
			msg := fmt.Sprintf("%s:%d: meta.human: no record of %s has the judgment %q", s.Path, s.MetaLine, d.Path, name)
			if len(have) > 0 {
				msg += fmt.Sprintf(" (records have: %s)", strings.Join(have, ", "))
			}
			errs = append(errs, &DatasetError{msg})
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &DatasetError{errors.Join(errs...).Error()}
}

// checkMetaLevels reports records that cannot be placed at the levels meta
// computes. A record without "group" is its own article and one without
// "system" is its variant's output: that holds when several variants score
// the same cases (the variants are the systems, each case an article), but
// with one variant every article would have one candidate and there would
// be one system, so the summary and system levels would be empty.
func (s *Suite) checkMetaLevels(d *dataset.Set) []error {
	scored := 0
	for _, v := range s.Variants {
		if !v.Baseline {
			scored++
		}
	}
	if scored > 1 {
		return nil
	}
	var errs []error
	for _, f := range []struct{ field, what, level string }{
		{"group", "the article the candidate summarizes", "summary"},
		{"system", "what produced the candidate", "system"},
	} {
		if at, missing := d.Without(f.field); missing {
			errs = append(errs, &DatasetError{fmt.Sprintf("%s: no %q (%s), which meta needs for %s-level agreement when the suite has one variant (%s:%d)", at, f.field, f.what, f.level, s.Path, s.MetaLine)})
		}
	}
	return errs
}

// MetaRow is how well one metric (or a part of one, "faithfulness.support")
// agrees with one human judgment at one level: one row of the agreement
// table and of the JSON report's "meta" list.
type MetaRow struct {
	Human  string     `json:"human"`
	Metric string     `json:"metric"`
	Level  string     `json:"level"` // summary, system, pooled or partial
	Coef   string     `json:"coef"`  // spearman, kendall or pearson
	Value  float64    `json:"value"`
	CI     [2]float64 `json:"ci"`
	N      int        `json:"n"`
	// Skipped counts, at the summary level, the groups left out (fewer
	// than two candidates, or one side constant).
	Skipped int    `json:"skipped,omitempty"`
	Reason  string `json:"reason,omitempty"` // why Value is not a number
}

// metaItems collects, per metric column, the items of every record: the
// group is the case's "group" (else its id: a case is an article), the
// system its "system" (else the variant: a variant is a system).
func (r *Result) metaItems() (map[string]map[string][]meta.Item, []string, error) {
	cols := map[string]map[string][]meta.Item{} // human → column → items
	var names []string
	seen := map[string]bool{}
	err := r.Records(func(rec *Record) error {
		if rec.Status == StatusError || rec.Repeat != 0 {
			return nil
		}
		group, system := rec.Group, rec.System
		if group == "" {
			group = rec.Case
		}
		if system == "" {
			system = rec.Variant
		}
		values := map[string]float64{}
		for m, x := range rec.Scores {
			values[m] = x
			for part, y := range rec.Parts[m] {
				values[m+"."+part] = y
			}
		}
		for _, h := range r.suite.Meta {
			hv, ok := rec.Human[h]
			if !ok {
				continue
			}
			if cols[h] == nil {
				cols[h] = map[string][]meta.Item{}
			}
			for col, x := range values {
				cols[h][col] = append(cols[h][col], meta.Item{Group: group, System: system, Metric: x, Human: hv})
				if !seen[col] {
					seen[col] = true
					names = append(names, col)
				}
			}
		}
		return nil
	})
	return cols, names, err
}

// measureMeta fills r.Meta: every named judgment × every metric column.
func (r *Result) measureMeta(samples int) error {
	if r.suite == nil || len(r.suite.Meta) == 0 {
		return nil
	}
	cols, names, err := r.metaItems()
	if err != nil {
		return fmt.Errorf("meta-evaluation: %w", err)
	}
	slices.SortFunc(names, func(a, b string) int { return metricOrder(r.Manifest.Metrics, a, b) })
	for _, h := range r.suite.Meta {
		for _, col := range names {
			items := cols[h][col]
			if len(items) == 0 || sameAsHeadline(cols[h], col) {
				continue
			}
			for _, a := range meta.Measure(items, meta.Options{Samples: samples, Seed: 20240613}) {
				r.Meta = append(r.Meta, MetaRow{Human: h, Metric: col, Level: a.Level, Coef: a.Coef,
					Value: a.Value, CI: [2]float64{a.Lo, a.Hi}, N: a.N, Skipped: a.Skipped, Reason: a.Reason})
			}
		}
	}
	return nil
}

// metricOrder sorts metric columns in the suite's metric order, each
// metric's parts after it by name.
func metricOrder(metrics []string, a, b string) int {
	ia, pa, _ := strings.Cut(a, ".")
	ib, pb, _ := strings.Cut(b, ".")
	if x, y := slices.Index(metrics, ia), slices.Index(metrics, ib); x != y {
		return x - y
	}
	return strings.Compare(pa, pb)
}

// sameAsHeadline reports whether col is a part ("rouge1.f") whose every
// value is its metric's headline value: a second row with the same numbers.
func sameAsHeadline(cols map[string][]meta.Item, col string) bool {
	base, _, isPart := strings.Cut(col, ".")
	head, ok := cols[base]
	items := cols[col]
	if !isPart || !ok || len(head) != len(items) {
		return false
	}
	for i := range items {
		if items[i].Metric != head[i].Metric && !(math.IsNaN(items[i].Metric) && math.IsNaN(head[i].Metric)) {
			return false
		}
	}
	return true
}
