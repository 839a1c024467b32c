package eval

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestLineProgress(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var b bytes.Buffer
	p := NewProgress(&b, false, 5*time.Second, clock)
	p.Start(100)
	for i := range 100 {
		// Fast at first (10 runs a second), then one run every 2 seconds.
		if i < 50 {
			now = now.Add(100 * time.Millisecond)
		} else {
			now = now.Add(2 * time.Second)
		}
		rec := &Record{Status: StatusPass}
		if i == 3 {
			rec.Status = StatusError
		}
		p.Add(rec)
	}
	p.Finish()
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	want := []string{
		"eval: 100 runs to do",
		"eval: 10/100 (10%), 1 errors, 10.0/s, eta 9s",
		"eval: 20/100 (20%), 1 errors, 10.0/s, eta 8s",
		"eval: 30/100 (30%), 1 errors, 10.0/s, eta 7s",
		"eval: 40/100 (40%), 1 errors, 10.0/s, eta 6s",
		"eval: 50/100 (50%), 1 errors, 10.0/s, eta 5s",
		"eval: 53/100 (53%), 1 errors, 4.8/s, eta 10s", // 5 s after the last line
	}
	if len(lines) < len(want) {
		t.Fatalf("progress lines:\n%s", b.String())
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d = %q, want %q", i, lines[i], w)
		}
	}
	// From then on a run every 2s: a line every 10% step (each ≥ 1s
	// apart) or 5s, so about one per 2-3 runs, never one per run.
	if n := len(lines); n < 20 || n > 40 {
		t.Errorf("%d progress lines for 100 runs, want a line per 10%% or per 5 s:\n%s", n, b.String())
	}
	if strings.Count(b.String(), "100/100") != 1 {
		t.Errorf("the final line is printed more than once:\n%s", b.String())
	}
	if last := lines[len(lines)-1]; last != "eval: 100/100 (100%), 1 errors, 1.0/s" {
		t.Errorf("last line = %q", last)
	}
}
