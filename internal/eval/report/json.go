package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
)

// WriteJSON writes the whole run as one JSON document: the manifest, the
// aggregates, the comparisons, the gates, the leaks and every record (read
// back from the results stream, so memory does not grow with the run).
// The document is a valid --baseline for a later run.
func WriteJSON(w io.Writer, r *eval.Result) error {
	bw := bufio.NewWriter(w)
	head := struct {
		Manifest    eval.Manifest         `json:"manifest"`
		Verdict     string                `json:"verdict"`
		Passed      bool                  `json:"passed"`
		Errors      int                   `json:"errors"`
		Cancelled   int                   `json:"cancelled,omitempty"`
		Spent       float64               `json:"spent"`
		Variants    []*eval.VariantResult `json:"variants"`
		Comparisons []eval.Comparison     `json:"comparisons"`
		Gates       []eval.GateResult     `json:"gates"`
		Leaks       []dataset.Leak        `json:"leaks"`
		Meta        []eval.MetaRow        `json:"meta,omitempty"`
		CaseIDs     []string              `json:"case_ids"`
	}{jsonManifest(r.Manifest), Verdict(r), r.Passed(), r.Errors(), r.Cancelled, r.Spent, r.Variants,
		nonNilSlice(r.Comparisons), nonNilSlice(r.Gates), nonNilSlice(r.Leaks), r.Meta, r.CaseIDs}
	b, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	bw.Write(b[:len(b)-2]) // drop "\n}" to append the records
	bw.WriteString(",\n  \"records\": [")
	n := 0
	err = r.RecordLines(func(line []byte) error {
		if n > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(line)
		n++
		return nil
	})
	if err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

// WriteJSONL copies the results stream: one eval.Record per line.
func WriteJSONL(w io.Writer, r *eval.Result) error {
	bw := bufio.NewWriter(w)
	err := r.RecordLines(func(line []byte) error {
		bw.Write(line)
		return bw.WriteByte('\n')
	})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("write JSONL report: %w", err)
	}
	return nil
}

// jsonManifest returns m with every config value JSON can encode: a value
// it cannot (a NaN from "temperature: .nan") is written as text.
func jsonManifest(m eval.Manifest) eval.Manifest {
	m.Variants = slices.Clone(m.Variants)
	for i, v := range m.Variants {
		cfg := make(map[string]any, len(v.Config))
		for k, x := range v.Config {
			if _, err := json.Marshal(x); err != nil {
				x = fmt.Sprint(x)
			}
			cfg[k] = x
		}
		m.Variants[i].Config = cfg
	}
	return m
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
