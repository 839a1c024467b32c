// Package dataset reads, checks and writes eval datasets (JSONL, one case a
// line: {"id","title"?,"article","reference":[..]}, other fields kept as
// metadata), finds reference bullets leaked verbatim into their articles,
// and imports other formats (CNN/DailyMail .story files, Hugging Face
// JSONL/CSV, page dumps). The eval harness, its tests and the tools all
// read datasets through it.
package dataset

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/summarize-dev/summarize/internal/jsonl"
)

// Case is one dataset record: an article and its reference bullets, and
// optionally bullets already written for it and what people thought of
// them.
type Case struct {
	ID        string   `json:"id"`
	Title     string   `json:"title,omitempty"`
	Article   string   `json:"article"`
	Reference []string `json:"reference"`
	// Candidate holds bullets someone already wrote for the article (a
	// production system, another tool); a variant with backend "dataset"
	// scores them instead of producing its own.
	Candidate []string `json:"candidate,omitempty"`
	// Group names the article a candidate belongs to when several records
	// share one, System what produced the candidate, and Human the
	// judgments people made of it (name → number): the meta-evaluation's
	// inputs.
	Group  string                     `json:"group,omitempty"`
	System string                     `json:"system,omitempty"`
	Human  map[string]float64         `json:"human,omitempty"`
	Meta   map[string]json.RawMessage `json:"-"` // every other field, kept as is
}

// MarshalJSON writes the case as one dataset record, metadata fields after
// the known ones.
func (c Case) MarshalJSON() ([]byte, error) {
	type known Case // the same fields and tags, without this method
	b, err := jsonl.Marshal(known(c))
	if err != nil || len(c.Meta) == 0 {
		return b, err
	}
	keys := make([]string, 0, len(c.Meta))
	for k := range c.Meta {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	for _, k := range keys {
		kb, _ := json.Marshal(k)
		buf.WriteByte(',')
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(c.Meta[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Set is the list of cases of a suite. A dataset opened from a file is
// validated once and then streamed: only ids and line offsets stay in memory.
type Set struct {
	Path   string // "" for an in-memory dataset
	SHA256 string // of the file's bytes, or of the cases' JSONL encoding
	IDs    []string
	Leaks  []Leak // reference bullets found verbatim in their article
	// Judgments counts the records that carry each human judgment.
	Judgments map[string]int

	without map[string]int // field → line of the first record without it
	offsets []int64        // byte offset of each case's line in Path
	lines   []int          // line number of each case
	cases   []Case         // in-memory cases
}

// note records which optional fields c carries.
func (d *Set) note(c Case, line int) {
	if d.Judgments == nil {
		d.Judgments, d.without = map[string]int{}, map[string]int{}
	}
	for name := range c.Human {
		d.Judgments[name]++
	}
	without := func(field string, has bool) {
		if _, seen := d.without[field]; !has && !seen {
			d.without[field] = line
		}
	}
	without("candidate", len(c.Candidate) > 0)
	without("group", c.Group != "")
	without("system", c.System != "")
}

// Without returns where the first case that lacks field ("candidate",
// "group" or "system") is, as "path:line" (for an in-memory dataset,
// "case N"), and whether there is one.
func (d *Set) Without(field string) (string, bool) {
	line, ok := d.without[field]
	if !ok {
		return "", false
	}
	if d.Path == "" {
		return fmt.Sprintf("case %d", line), true
	}
	return fmt.Sprintf("%s:%d", d.Path, line), true
}

// Len returns the number of cases.
func (d *Set) Len() int { return len(d.IDs) }

// maxErrors caps the list of dataset problems reported at once.
const maxErrors = 10

// Limits of a dataset file.
const (
	MaxLine = jsonl.MaxLine // one case: an article is at most 8 MiB of input
	MaxFile = 4 << 30
)

// Open reads and validates the dataset JSONL file at path: one case
// per line, {"id","title"?,"article","reference":[..]}, other fields kept as
// metadata; blank lines and a byte order mark are skipped. Problems are
// reported as "path:line: what". It also computes the file's hash and runs
// the leakage check. The file must be a regular file (cases are read again
// by offset during a run) of at most MaxFile bytes, lines at most MaxLine.
func Open(path string) (*Set, error) {
	return open(path, MaxLine, MaxFile)
}

func open(path string, maxLine int, maxFile int64) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open dataset: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("open dataset: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("dataset %s: not a regular file", path)
	}
	if st.Size() > maxFile {
		return nil, fmt.Errorf("dataset %s: larger than %s", path, jsonl.Size(maxFile))
	}
	h := sha256.New()
	d := &Set{Path: path}
	var errs []error
	seen := map[string]int{}
	// The file may grow while it is read: read one byte past the limit to
	// tell.
	lr := &io.LimitedReader{R: f, N: maxFile + 1}
	var leaks leakFinder
	// decodeCase copies what it keeps: the lines need not be copied.
	err = jsonl.ScanShared(io.TeeReader(lr, h), maxLine, func(line int, off int64, b []byte) error {
		c, err := decodeCase(b)
		if err == nil {
			if first, dup := seen[c.ID]; dup {
				err = fmt.Errorf("duplicate id %q (first on line %d)", c.ID, first)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", path, line, err))
			if len(errs) > maxErrors {
				return errTooMany
			}
			return nil
		}
		seen[c.ID] = line
		d.IDs = append(d.IDs, c.ID)
		d.offsets = append(d.offsets, off)
		d.lines = append(d.lines, line)
		d.Leaks = append(d.Leaks, leaks.find(len(d.IDs)-1, c)...)
		d.note(c, line)
		return nil
	})
	var long *jsonl.LineTooLongError
	switch {
	case lr.N <= 0:
		return nil, fmt.Errorf("dataset %s: larger than %s", path, jsonl.Size(maxFile))
	case errors.As(err, &long):
		errs = append(errs, lineErr(path, err))
	case errors.Is(err, errTooMany):
		errs = append(errs[:maxErrors], fmt.Errorf("%s: more problems not shown", path))
	case err != nil:
		return nil, fmt.Errorf("read dataset %s: %w", path, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(d.IDs) == 0 {
		return nil, fmt.Errorf("dataset %s: no cases", path)
	}
	d.SHA256 = hex.EncodeToString(h.Sum(nil))
	return d, nil
}

var errTooMany = errors.New("too many problems")

// New makes an in-memory dataset, with the same checks as Open. The tool
// reads its datasets from files; New is for programs and tests that build
// their cases in memory (the eval package's benchmarks).
func New(cases []Case) (*Set, error) {
	d := &Set{cases: cases}
	h := sha256.New()
	seen := map[string]int{}
	var leaks leakFinder
	for i, c := range cases {
		if err := checkCase(c); err != nil {
			return nil, fmt.Errorf("case %d: %w", i+1, err)
		}
		if first, dup := seen[c.ID]; dup {
			return nil, fmt.Errorf("case %d: duplicate id %q (first as case %d)", i+1, c.ID, first+1)
		}
		seen[c.ID] = i
		d.IDs = append(d.IDs, c.ID)
		d.Leaks = append(d.Leaks, leaks.find(i, c)...)
		d.note(c, i+1)
		b, err := c.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("case %q: %w", c.ID, err)
		}
		h.Write(append(b, '\n'))
	}
	d.SHA256 = hex.EncodeToString(h.Sum(nil))
	return d, nil
}

// Each calls fn with every case whose index is in indices, in ascending
// index order; indices must be sorted. It stops at the first error of fn or
// when ctx is done.
func (d *Set) Each(ctx context.Context, indices []int, fn func(i int, c Case) error) error {
	if d.cases != nil {
		for _, i := range indices {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(i, d.cases[i]); err != nil {
				return err
			}
		}
		return nil
	}
	f, err := os.Open(d.Path)
	if err != nil {
		return fmt.Errorf("open dataset: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	var pos int64
	var long []byte // a line longer than r's buffer
	for _, i := range indices {
		if err := ctx.Err(); err != nil {
			return err
		}
		if off := d.offsets[i]; off != pos {
			if _, err := f.Seek(off, io.SeekStart); err != nil {
				return fmt.Errorf("read dataset: %w", err)
			}
			r.Reset(f)
			pos = off
		}
		// A view of r's buffer when the line fits in it: decodeCase copies
		// what it keeps.
		b, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], b...)
			for errors.Is(err, bufio.ErrBufferFull) {
				b, err = r.ReadSlice('\n')
				long = append(long, b...)
			}
			b = long
		}
		pos += int64(len(b))
		if err != nil && !(errors.Is(err, io.EOF) && len(b) > 0) {
			return fmt.Errorf("read dataset %s:%d: %w", d.Path, d.lines[i], err)
		}
		c, err := decodeCase(b)
		if err != nil {
			return fmt.Errorf("%s:%d: %w (did the file change during the run?)", d.Path, d.lines[i], err)
		}
		if err := fn(i, c); err != nil {
			return err
		}
	}
	return nil
}

// plainCase is the usual shape of a dataset line: the required fields
// and a title. Unknown collects the other fields.
type plainCase struct {
	ID        string                    `json:"id"`
	Title     string                    `json:"title"`
	Article   string                    `json:"article"`
	Reference []string                  `json:"reference"`
	Unknown   map[string]jsontext.Value `json:",unknown"`
}

// decodeCase parses one dataset line. A line of the usual shape is read
// in one pass (json v2 reads names as written, and refuses duplicate
// names and invalid UTF-8); any other line, and every line with a
// problem, is read field by field (decodeFields), which also words the
// problems.
func decodeCase(b []byte) (Case, error) {
	var p plainCase
	if jsonv2.Unmarshal(b, &p) == nil && len(p.Unknown) == 0 && p.Reference != nil {
		c := Case{ID: p.ID, Title: p.Title, Article: p.Article, Reference: p.Reference}
		if checkCase(c) == nil {
			return c, nil
		}
	}
	return decodeFields(b)
}

// decodeFields parses one dataset line field by field.
func decodeFields(b []byte) (Case, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return Case{}, fmt.Errorf("not a JSON object: %w", jsonl.Err(err))
	}
	var c Case
	str := func(key string, dst *string) error {
		raw, ok := fields[key]
		if !ok {
			return nil
		}
		delete(fields, key)
		if err := json.Unmarshal(raw, dst); err != nil {
			return fmt.Errorf("%q: want a string", key)
		}
		return nil
	}
	if err := str("id", &c.ID); err != nil {
		return c, err
	}
	if err := str("title", &c.Title); err != nil {
		return c, err
	}
	if err := str("article", &c.Article); err != nil {
		return c, err
	}
	if raw, ok := fields["reference"]; ok {
		delete(fields, "reference")
		if err := json.Unmarshal(raw, &c.Reference); err != nil {
			return c, fmt.Errorf("\"reference\": want a list of strings")
		}
	}
	if raw, ok := fields["candidate"]; ok {
		delete(fields, "candidate")
		if err := json.Unmarshal(raw, &c.Candidate); err != nil {
			return c, fmt.Errorf("\"candidate\": want a list of strings")
		}
	}
	if err := str("group", &c.Group); err != nil {
		return c, err
	}
	if err := str("system", &c.System); err != nil {
		return c, err
	}
	if raw, ok := fields["human"]; ok {
		delete(fields, "human")
		var h map[string]json.RawMessage
		if err := json.Unmarshal(raw, &h); err != nil {
			return c, fmt.Errorf("\"human\": want an object of judgment names and numbers")
		}
		c.Human = make(map[string]float64, len(h))
		for name, v := range h {
			var x float64
			if err := json.Unmarshal(v, &x); err != nil {
				return c, fmt.Errorf("\"human\": %q: want a number, got %s", name, v)
			}
			c.Human[name] = x
		}
	}
	if len(fields) > 0 {
		c.Meta = fields
	}
	return c, checkCase(c)
}

func checkCase(c Case) error {
	switch {
	case c.ID == "":
		return errors.New("missing \"id\"")
	case strings.TrimSpace(c.Article) == "":
		return fmt.Errorf("case %q: missing \"article\"", c.ID)
	case len(c.Reference) == 0:
		return fmt.Errorf("case %q: missing \"reference\" bullets", c.ID)
	}
	for i, r := range c.Reference {
		if strings.TrimSpace(r) == "" {
			return fmt.Errorf("case %q: reference bullet %d is empty", c.ID, i+1)
		}
	}
	return nil
}
