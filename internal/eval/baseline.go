package eval

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/summarize-dev/summarize/internal/jsonl"
)

// Baseline holds the per-case scores of an earlier run, read from its JSON
// report (--json) or its JSONL stream (--jsonl).
type Baseline struct {
	Path     string
	Manifest *Manifest // nil when read from a JSONL stream
	// variant → metric → case id → sum and count over repeats
	sums map[string]map[string]map[string]*meanAcc
	// variant → case id → the first repeat's bullets and status
	cases map[string]map[string]*BaselineCase
}

// BaselineCase is what the baseline's first repeat of one case made:
// the bullets a report shows beside the current ones.
type BaselineCase struct {
	Status  string
	Bullets []string
}

type meanAcc struct {
	sum float64
	n   int
}

// LoadBaseline reads a baseline results file.
func LoadBaseline(path string) (*Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	defer f.Close()
	b := &Baseline{Path: path, sums: map[string]map[string]map[string]*meanAcc{}, cases: map[string]map[string]*BaselineCase{}}
	if strings.HasSuffix(path, ".jsonl") {
		err = jsonl.Scan(f, func(line int, _ int64, data []byte) error {
			var rec baselineRecord
			if err := json.Unmarshal(data, &rec); err != nil {
				return fmt.Errorf("%s:%d: %w", path, line, jsonl.Err(err))
			}
			b.add(rec)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read baseline: %w", err)
		}
	} else {
		var rep struct {
			Manifest *Manifest       `json:"manifest"`
			Records  json.RawMessage `json:"records"`
		}
		dec := json.NewDecoder(bufio.NewReader(f))
		if err := dec.Decode(&rep); err != nil {
			return nil, fmt.Errorf("read baseline %s: %w", path, jsonl.Err(err))
		}
		if rep.Manifest == nil || rep.Manifest.Tool != "summarize" {
			return nil, fmt.Errorf("read baseline %s: not a summarize eval report (write one with --json)", path)
		}
		b.Manifest = rep.Manifest
		var recs []baselineRecord
		if err := json.Unmarshal(rep.Records, &recs); err != nil && len(rep.Records) > 0 {
			return nil, fmt.Errorf("read baseline %s: records: %w", path, jsonl.Err(err))
		}
		for _, rec := range recs {
			b.add(rec)
		}
	}
	if len(b.sums) == 0 {
		return nil, fmt.Errorf("read baseline %s: %w", path, errors.New("no scored records"))
	}
	return b, nil
}

type baselineRecord struct {
	Case    string             `json:"case"`
	Variant string             `json:"variant"`
	Repeat  int                `json:"repeat"`
	Status  string             `json:"status"`
	Bullets []string           `json:"bullets"`
	Scores  map[string]float64 `json:"scores"`
}

func (b *Baseline) add(rec baselineRecord) {
	if rec.Case != "" && rec.Repeat == 0 {
		byCase := b.cases[rec.Variant]
		if byCase == nil {
			byCase = map[string]*BaselineCase{}
			b.cases[rec.Variant] = byCase
		}
		if byCase[rec.Case] == nil {
			byCase[rec.Case] = &BaselineCase{Status: rec.Status, Bullets: rec.Bullets}
		}
	}
	if rec.Case == "" || len(rec.Scores) == 0 {
		return
	}
	byMetric := b.sums[rec.Variant]
	if byMetric == nil {
		byMetric = map[string]map[string]*meanAcc{}
		b.sums[rec.Variant] = byMetric
	}
	for m, x := range rec.Scores {
		byCase := byMetric[m]
		if byCase == nil {
			byCase = map[string]*meanAcc{}
			byMetric[m] = byCase
		}
		a := byCase[rec.Case]
		if a == nil {
			a = &meanAcc{}
			byCase[rec.Case] = a
		}
		a.sum += x
		a.n++
	}
}

// Has reports whether the baseline has scores for variant.
func (b *Baseline) Has(variant string) bool { return b.sums[variant] != nil }

// Case returns the baseline's first repeat of case id in variant.
func (b *Baseline) Case(variant, id string) (BaselineCase, bool) {
	c := b.cases[variant][id]
	if c == nil {
		return BaselineCase{}, false
	}
	return *c, true
}

// Score returns the baseline's score of case id in variant on metric,
// the mean over its repeats.
func (b *Baseline) Score(variant, metric, id string) (float64, bool) {
	a := b.sums[variant][metric][id]
	if a == nil || a.n == 0 {
		return math.NaN(), false
	}
	return a.sum / float64(a.n), true
}

// Baseline returns the baseline the run was compared with, or nil.
func (r *Result) Baseline() *Baseline { return r.baseline }

// scores returns the baseline's scores of variant on metric for ids, NaN
// where the baseline lacks a case; ok is false when it has none at all.
func (b *Baseline) scores(variant, metric string, ids []string) ([]float64, bool) {
	byCase := b.sums[variant][metric]
	if byCase == nil {
		return nil, false
	}
	out := make([]float64, len(ids))
	for i, id := range ids {
		if a := byCase[id]; a != nil {
			out[i] = a.sum / float64(a.n)
		} else {
			out[i] = math.NaN()
		}
	}
	return out, true
}

// readRecords streams the records of a JSONL results file.
func readRecords(path string, fn func(*Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read results: %w", err)
	}
	defer f.Close()
	return jsonl.ScanShared(f, 0, func(line int, _ int64, data []byte) error {
		var rec Record // json.Unmarshal copies what it keeps
		if err := json.Unmarshal(data, &rec); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, jsonl.Err(err))
		}
		return fn(&rec)
	})
}
