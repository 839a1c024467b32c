package eval

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func TestLineProgress(t *testing.T) {
	clock := newFakeClock()
	var b bytes.Buffer
	p := NewProgress(&b, false, 5*time.Second, clock.now)
	p.Start(100)
	for i := range 100 {
		// Fast at first (10 runs a second), then one run every 2 seconds.
		if i < 50 {
			clock.advance(100 * time.Millisecond)
		} else {
			clock.advance(2 * time.Second)
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
		"eval: 10/100 runs (10%), 1 error, 10.0 runs/s, 9s left",
		"eval: 20/100 runs (20%), 1 error, 10.0 runs/s, 8s left",
		"eval: 30/100 runs (30%), 1 error, 10.0 runs/s, 7s left",
		"eval: 40/100 runs (40%), 1 error, 10.0 runs/s, 6s left",
		"eval: 50/100 runs (50%), 1 error, 10.0 runs/s, 5s left",
		"eval: 53/100 runs (53%), 1 error, 4.8 runs/s, 10s left", // 5 s after the last line
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
	if last := lines[len(lines)-1]; last != "eval: 100/100 runs (100%), 1 error, 1.0 runs/s" {
		t.Errorf("last line = %q", last)
	}
}

func TestLineProgressCases(t *testing.T) {
	clock := newFakeClock()
	var b bytes.Buffer
	p := NewProgress(&b, false, time.Second, clock.now)
	p.Cases(3)
	p.Start(6) // 3 cases × 2 variants
	for _, i := range []int{0, 1, 0, 2, 1, 2} {
		clock.advance(time.Second)
		p.Add(&Record{Index: i, Status: StatusPass})
	}
	p.Finish()
	got := b.String()
	for _, want := range []string{
		"eval: 6 runs to do (3 cases × 2)\n",
		"eval: 1/6 runs (16%), 0/3 cases, 1.0 runs/s, 5s left\n",
		"eval: 3/6 runs (50%), 1/3 cases, 1.0 runs/s, 3s left\n",
		"eval: 6/6 runs (100%), 3/3 cases, 1.0 runs/s\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("progress lacks %q:\n%s", want, got)
		}
	}
}

// frames are the states a bar drew, each after "\r\033[2K".
func frames(out string) []string {
	return strings.Split(out, "\r\033[2K")[1:]
}

// TestBarProgressBurst is the bar that froze at 1/80 while runs finished:
// a burst of runs inside the throttle drew only its first, and nothing
// drew the rest until the next run, seconds later. The ticker draws them.
func TestBarProgressBurst(t *testing.T) {
	clock := newFakeClock()
	var b bytes.Buffer
	p := newBar(&b, clock.now, 0)
	p.Cases(40)
	p.Start(80) // 40 cases × 2 variants
	for i := range 7 {
		clock.advance(10 * time.Millisecond)
		p.Add(&Record{Index: i / 2, Status: StatusPass})
	}
	fs := frames(b.String())
	if last := fs[len(fs)-1]; strings.Contains(last, " 7/80 runs") {
		t.Fatalf("within the throttle, last frame = %q: not throttled", last)
	}
	clock.advance(250 * time.Millisecond)
	p.redraw()
	fs = frames(b.String())
	last := fs[len(fs)-1]
	if want := " 7/80 runs (8%), 3/40 cases, "; !strings.Contains(last, want) {
		t.Errorf("after a tick, frame = %q, want %q", last, want)
	}
	if !strings.Contains(last, "runs/s") || !strings.Contains(last, "left") {
		t.Errorf("frame %q has no rate or time left", last)
	}

	// Nothing new: no redraw within the second; then one, the clock moving.
	n := len(fs)
	clock.advance(250 * time.Millisecond)
	p.redraw()
	if got := len(frames(b.String())); got != n {
		t.Errorf("redraw with nothing new drew %d frames", got-n)
	}
	clock.advance(time.Second)
	p.redraw()
	if got := len(frames(b.String())); got != n+1 {
		t.Errorf("a second on, redraw drew %d frames, want 1", got-n)
	}
}

func TestBarProgressWarningAndFinish(t *testing.T) {
	clock := newFakeClock()
	var b bytes.Buffer
	p := newBar(&b, clock.now, 0)
	p.Cases(2)
	p.Start(4)
	clock.advance(time.Second)
	p.Add(&Record{Index: 0, Status: StatusError})
	b.Reset()
	if _, err := p.Write([]byte("summarize: warning: retrying")); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if !strings.HasPrefix(got, "\r\033[2Ksummarize: warning: retrying\n\r\033[2Keval ") {
		t.Errorf("a warning is not on a line of its own, the bar drawn after: %q", got)
	}
	for i := 1; i < 4; i++ {
		clock.advance(time.Second)
		p.Add(&Record{Index: i / 2, Status: StatusPass})
	}
	p.Finish()
	out := b.String()
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("the bar's last line has no newline: %q", out)
	}
	fs := frames(out)
	last := strings.TrimSuffix(fs[len(fs)-1], "\n")
	want := "eval " + strings.Repeat("█", barWidth) + " 4/4 runs (100%), 2/2 cases, 1 error, 1.0 runs/s"
	if last != want {
		t.Errorf("last frame = %q, want %q", last, want)
	}
}

func TestBarProgressTickerStops(t *testing.T) {
	var b bytes.Buffer
	p := newBar(&b, nil, time.Millisecond)
	p.now = time.Now
	p.Start(1)
	p.Add(&Record{})
	p.Finish() // returns once the ticker has stopped
	if !strings.Contains(b.String(), "1/1 runs (100%)") {
		t.Errorf("bar: %q", b.String())
	}
}
