package jsonl

import (
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

type scanned struct {
	Line int
	Off  int64
	Text string
}

func scanAll(t *testing.T, in string, max int) ([]scanned, error) {
	t.Helper()
	var got []scanned
	err := ScanMax(strings.NewReader(in), max, func(line int, off int64, b []byte) error {
		got = append(got, scanned{line, off, string(b)})
		return nil
	})
	return got, err
}

func TestScan(t *testing.T) {
	tests := []struct {
		name, in string
		want     []scanned
	}{
		{"plain", "{\"a\":1}\n\n{\"b\":2}", []scanned{{1, 0, "{\"a\":1}\n"}, {3, 9, "{\"b\":2}"}}},
		{"bom", "\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}\n", []scanned{{1, 3, "{\"a\":1}\n"}, {2, 11, "{\"b\":2}\n"}}},
		{"bom only on line 1", "{}\n\xEF\xBB\xBF{}\n", []scanned{{1, 0, "{}\n"}, {2, 3, "\xEF\xBB\xBF{}\n"}}},
		{"bom then blank", "\xEF\xBB\xBF\n{}\n", []scanned{{2, 4, "{}\n"}}},
		{"crlf", "{}\r\n{}", []scanned{{1, 0, "{}\r\n"}, {2, 4, "{}"}}},
	}
	for _, tt := range tests {
		got, err := scanAll(t, tt.in, 0)
		if err != nil {
			t.Errorf("%s: Scan(%q) error = %v", tt.name, tt.in, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Scan(%q) mismatch (-want +got):\n%s", tt.name, tt.in, diff)
		}
	}
}

func TestScanMaxLine(t *testing.T) {
	long := strings.Repeat("x", 200<<10) // longer than the reader's buffer
	in := "{}\n" + long + "\n{}\n"
	got, err := scanAll(t, in, 100<<10)
	var le *LineTooLongError
	if !errors.As(err, &le) || le.Line != 2 {
		t.Fatalf("ScanMax(100 KiB) error = %v, want line 2 too long", err)
	}
	if want := "line 2 longer than 100 KiB"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if len(got) != 1 {
		t.Errorf("ScanMax called fn %d times before the long line, want 1", len(got))
	}
	// Exactly at the limit is fine.
	if _, err := scanAll(t, long+"\n", len(long)+1); err != nil {
		t.Errorf("ScanMax(line of exactly max bytes) error = %v", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{16 << 20: "16 MiB", 4 << 30: "4 GiB", 1024: "1 KiB", 1000: "1000 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// ScanShared calls fn with the same lines, numbers and offsets as ScanMax,
// and stops with the same errors, over lines shorter and longer than its
// reader's buffer, read in pieces of any size.
func TestScanSharedMatchesScanMax(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	pieces := []string{"{}", "\n", "\r\n", "\n\n", " ", "\xEF\xBB\xBF", strings.Repeat("a", 1000), strings.Repeat("b", 70<<10), "{\"x\":1}"}
	for i := range 300 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := b.String()
		max := []int{0, 2 << 10, 100 << 10, 200 << 10}[i%4]
		type call struct {
			got []scanned
			err string
		}
		run := func(scan func(io.Reader, int, func(int, int64, []byte) error) error) call {
			var c call
			r := io.Reader(strings.NewReader(in))
			if i%2 == 1 {
				r = iotest.HalfReader(r)
			}
			err := scan(r, max, func(line int, off int64, b []byte) error {
				c.got = append(c.got, scanned{line, off, string(b)})
				return nil
			})
			if err != nil {
				c.err = err.Error()
			}
			return c
		}
		want, got := run(ScanMax), run(ScanShared)
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(call{})); diff != "" {
			t.Fatalf("input %d (%d bytes, max %d): ScanShared differs from ScanMax (-ScanMax +ScanShared):\n%s", i, len(in), max, diff)
		}
	}
}
