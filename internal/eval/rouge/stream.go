package rouge

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxLineBytes is the longest input line ScoreStream accepts.
const MaxLineBytes = 16 << 20

// StreamOptions configures ScoreStream.
type StreamOptions struct {
	// Scorer scores each line. When nil, ScoreStream uses
	// NewScorer(DefaultTypes(), Options{Stemmer: true}), the setting of
	// published results (rouge-score with use_stemmer=True).
	Scorer *Scorer
	// Samples, Confidence and Seed configure the bootstrap confidence
	// intervals of the Summary (see NewBootstrapAggregator: zero values
	// mean 1000 samples at 95%). Samples < 0 skips the bootstrap.
	Samples    int
	Confidence float64
	Seed       int64
}

// Summary describes a whole stream: the number of pairs scored and, per
// type, the mean score and its bootstrap confidence interval.
type Summary struct {
	Count int                       `json:"count"`
	Types []string                  `json:"types"`
	Mean  map[string]Score          `json:"mean"`
	CI    map[string]AggregateScore `json:"ci,omitempty"`
}

// streamRecord is one input line, with bullets joined by newlines.
type streamRecord struct {
	id                   json.RawMessage
	candidate, reference string
}

// ScoreStream reads JSONL records {"id", "candidate", "reference"} from r,
// where candidate and reference are lists of bullets or plain strings, and
// writes one JSONL line {"id", "scores": {"rouge1": {"p", "r", "f"}, ...}}
// per record to w, in input order. The id is copied as given (null when
// absent). Bullets are joined with newlines, so rougeLsum treats each
// bullet as a sentence. Blank lines are skipped; a malformed line stops
// the stream with an error "line N: why", after the lines before it have
// been written.
func ScoreStream(ctx context.Context, r io.Reader, w io.Writer, opts StreamOptions) (Summary, error) {
	s := opts.Scorer
	if s == nil {
		var err error
		if s, err = NewScorer(DefaultTypes(), Options{Stemmer: true}); err != nil {
			return Summary{}, err
		}
	}
	types := s.Types()
	agg := NewBootstrapAggregator(opts.Samples, opts.Confidence, opts.Seed)
	sum := Summary{Types: types}

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLineBytes)
	bw := bufio.NewWriterSize(w, 64<<10)
	var (
		out    []byte
		scores []Score
		lineNo int
	)
	fail := func(err error) (Summary, error) {
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = ferr
		}
		return sum, err
	}
	for sc.Scan() {
		lineNo++
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		rec, err := parseRecord(line)
		if err != nil {
			return fail(fmt.Errorf("line %d: %w", lineNo, err))
		}
		scores = s.AppendScores(scores[:0], rec.reference, rec.candidate)
		for i, t := range types {
			agg.add(t, scores[i])
		}
		sum.Count++
		out = appendResult(out[:0], rec.id, types, scores)
		if _, err := bw.Write(out); err != nil {
			return sum, fmt.Errorf("write scores: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line longer than %d bytes", MaxLineBytes)
		}
		return fail(fmt.Errorf("line %d: %w", lineNo+1, err))
	}
	if err := bw.Flush(); err != nil {
		return sum, fmt.Errorf("write scores: %w", err)
	}
	if sum.Count > 0 {
		sum.Mean = agg.Mean()
		if opts.Samples >= 0 {
			sum.CI = agg.Aggregate()
		}
	}
	return sum, nil
}

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
