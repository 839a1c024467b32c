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

// MaxLine is the longest line ScanMax takes by default: a dataset line
// holds one article, which the CLI caps at 8 MiB of input.
const MaxLine = 16 << 20

// LineTooLongError is the error of ScanMax for a line over its limit.
type LineTooLongError struct {
	Line int // 1-based
	Max  int // bytes
}

func (e *LineTooLongError) Error() string {
	return fmt.Sprintf("line %d longer than %s", e.Line, Size(int64(e.Max)))
}

// Size formats a byte count the way limits are written: "16 MiB".
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// bom is the UTF-8 byte order mark some editors put at the start of a file.
var bom = []byte("\xEF\xBB\xBF")

// Scan calls fn with every non-blank line of r, its 1-based number and its
// byte offset, with no limit on the length of a line. A UTF-8 byte order
// mark at the start of line 1 is dropped (the offset then points after it).
func Scan(r io.Reader, fn func(line int, off int64, b []byte) error) error {
	return ScanMax(r, 0, fn)
}

// ScanMax is Scan with lines limited to max bytes (newline included;
// max <= 0 is no limit): a longer line stops the scan with a
// *LineTooLongError, having read at most max bytes of it.
func ScanMax(r io.Reader, max int, fn func(line int, off int64, b []byte) error) error {
	return scan(r, max, false, fn)
}

// ScanShared is ScanMax without a copy of each line: b is valid only
// until fn returns (it is a view of the reader's buffer, or of a buffer
// the next line reuses), so fn must copy what it keeps.
func ScanShared(r io.Reader, max int, fn func(line int, off int64, b []byte) error) error {
	return scan(r, max, true, fn)
}

func scan(r io.Reader, max int, shared bool, fn func(line int, off int64, b []byte) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var off int64
	var buf []byte // shared: the storage of lines longer than br's buffer
	for line := 1; ; line++ {
		var b []byte
		var err error
		if shared {
			var stored bool
			if b, stored, err = readLine(br, max, buf[:0], true); stored {
				buf = b
			}
		} else {
			b, _, err = readLine(br, max, nil, false) // a new slice each line: fn may keep it
		}
		if errors.Is(err, errLong) {
			return &LineTooLongError{Line: line, Max: max}
		}
		start := off
		off += int64(len(b))
		if line == 1 && bytes.HasPrefix(b, bom) {
			b, start = b[len(bom):], start+int64(len(bom))
		}
		if len(b) > 0 && len(bytes.TrimSpace(b)) > 0 {
			if ferr := fn(line, start, b); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

var errLong = errors.New("line too long")

// readLine returns the next line of br (with its newline), appended to
// buf (stored), stopping with errLong once it would hold more than max
// bytes. With view, a line that br holds whole is returned as br's own
// bytes instead (not stored).
func readLine(br *bufio.Reader, max int, buf []byte, view bool) (line []byte, stored bool, err error) {
	for first := true; ; first = false {
		chunk, err := br.ReadSlice('\n')
		if max > 0 && len(buf)+len(chunk) > max {
			return buf, true, errLong
		}
		if first && view && !errors.Is(err, bufio.ErrBufferFull) {
			return chunk, false, err
		}
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return buf, true, err
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
