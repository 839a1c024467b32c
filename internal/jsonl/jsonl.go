// Package jsonl holds the small pieces every JSON Lines reader and writer
// of the project shares: scanning lines with their numbers and offsets,
// encoding without HTML escaping, and shorter decoder messages.
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Scan calls fn with every non-blank line of r, its 1-based number and its
// byte offset.
func Scan(r io.Reader, fn func(line int, off int64, b []byte) error) error {
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

// Marshal is json.Marshal without HTML escaping: "<" stays "<" in a
// report a person reads.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Err shortens encoding/json's syntax errors to say where they are.
func Err(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%v (at byte %d)", se, se.Offset)
	}
	return err
}
