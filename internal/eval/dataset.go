package eval

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
)

// Case is one dataset record: an article and its reference bullets.
type Case struct {
	ID        string                     `json:"id"`
	Title     string                     `json:"title,omitempty"`
	Article   string                     `json:"article"`
	Reference []string                   `json:"reference"`
	Meta      map[string]json.RawMessage `json:"-"` // every other field, kept as is
}

// MarshalJSON writes the case as one dataset record, metadata fields after
// the known ones.
func (c Case) MarshalJSON() ([]byte, error) {
	type known struct {
		ID        string   `json:"id"`
		Title     string   `json:"title,omitempty"`
		Article   string   `json:"article"`
		Reference []string `json:"reference"`
	}
	b, err := marshalNoEscape(known{c.ID, c.Title, c.Article, c.Reference})
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

// Dataset is the list of cases of a suite. A dataset opened from a file is
// validated once and then streamed: only ids and line offsets stay in memory.
type Dataset struct {
	Path   string // "" for an in-memory dataset
	SHA256 string // of the file's bytes, or of the cases' JSONL encoding
	IDs    []string
	Leaks  []Leak // reference bullets found verbatim in their article

	offsets []int64 // byte offset of each case's line in Path
	lines   []int   // line number of each case
	cases   []Case  // in-memory cases
}

// Len returns the number of cases.
func (d *Dataset) Len() int { return len(d.IDs) }

// maxErrors caps the list of dataset problems reported at once.
const maxErrors = 10

// OpenDataset reads and validates the dataset JSONL file at path: one case
// per line, {"id","title"?,"article","reference":[..]}, other fields kept as
// metadata; blank lines are skipped. Problems are reported as "path:line:
// what". It also computes the file's hash and runs the leakage check.
func OpenDataset(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open dataset: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	d := &Dataset{Path: path}
	var errs []error
	seen := map[string]int{}
	err = scanLines(io.TeeReader(f, h), func(line int, off int64, b []byte) error {
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
		d.Leaks = append(d.Leaks, FindLeaks(len(d.IDs)-1, c)...)
		return nil
	})
	if errors.Is(err, errTooMany) {
		errs = append(errs[:maxErrors], fmt.Errorf("%s: more problems not shown", path))
	} else if err != nil {
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

// NewDataset makes an in-memory dataset, with the same checks as OpenDataset.
func NewDataset(cases []Case) (*Dataset, error) {
	d := &Dataset{cases: cases}
	h := sha256.New()
	seen := map[string]int{}
	for i, c := range cases {
		if err := checkCase(c); err != nil {
			return nil, fmt.Errorf("case %d: %w", i+1, err)
		}
		if first, dup := seen[c.ID]; dup {
			return nil, fmt.Errorf("case %d: duplicate id %q (first as case %d)", i+1, c.ID, first+1)
		}
		seen[c.ID] = i
		d.IDs = append(d.IDs, c.ID)
		d.Leaks = append(d.Leaks, FindLeaks(i, c)...)
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
func (d *Dataset) Each(ctx context.Context, indices []int, fn func(i int, c Case) error) error {
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
		b, err := r.ReadBytes('\n')
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

// scanLines calls fn with every non-blank line of r, its 1-based number and
// its byte offset.
func scanLines(r io.Reader, fn func(line int, off int64, b []byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var off int64
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(b) > 0 && len(bytes.TrimSpace(b)) > 0 {
			if ferr := fn(line, off, b); ferr != nil {
				return ferr
			}
		}
		off += int64(len(b))
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// decodeCase parses one dataset line.
func decodeCase(b []byte) (Case, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return Case{}, fmt.Errorf("not a JSON object: %w", jsonErr(err))
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

// jsonErr shortens encoding/json's messages.
func jsonErr(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%v (at byte %d)", se, se.Offset)
	}
	return err
}

// marshalNoEscape is json.Marshal without HTML escaping.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
