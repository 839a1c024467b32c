package rouge

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// streamRecord is one input line, with bullets joined by newlines.
type streamRecord struct {
	id                   json.RawMessage
	candidate, reference string
}

// parseRecord decodes one non-blank input line.
func parseRecord(line []byte) (streamRecord, error) {
	var raw struct {
		ID        json.RawMessage `json:"id"`
		Candidate json.RawMessage `json:"candidate"`
		Reference json.RawMessage `json:"reference"`
	}
	if line[0] != '{' {
		return streamRecord{}, errors.New("want a JSON object")
	}
	if err := json.Unmarshal(line, &raw); err != nil {
		return streamRecord{}, fmt.Errorf("invalid JSON: %w", err)
	}
	rec := streamRecord{id: raw.ID}
	var err error
	if rec.candidate, err = bulletText("candidate", raw.Candidate); err != nil {
		return rec, err
	}
	if rec.reference, err = bulletText("reference", raw.Reference); err != nil {
		return rec, err
	}
	return rec, nil
}

// bulletText decodes a list of bullets, joined with newlines, or a plain
// string.
func bulletText(name string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", fmt.Errorf("missing %q", name)
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return s, nil
		}
	case '[':
		var list []string
		if err := json.Unmarshal(raw, &list); err == nil {
			return strings.Join(list, "\n"), nil
		}
	}
	return "", fmt.Errorf("%q: want a string or a list of strings", name)
}

// appendResult appends one output line.
func appendResult(b []byte, id json.RawMessage, types []string, scores []Score) []byte {
	b = append(b, `{"id":`...)
	if len(id) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, id...)
	}
	b = append(b, `,"scores":{`...)
	for i, t := range types {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, t)
		b = append(b, `:{"p":`...)
		b = appendFloat(b, scores[i].Precision)
		b = append(b, `,"r":`...)
		b = appendFloat(b, scores[i].Recall)
		b = append(b, `,"f":`...)
		b = appendFloat(b, scores[i].F)
		b = append(b, '}')
	}
	return append(b, "}}\n"...)
}

// appendFloat formats f as encoding/json does (shortest representation
// that round-trips).
func appendFloat(b []byte, f float64) []byte {
	abs := f
	if abs < 0 {
		abs = -abs
	}
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}
