package eval

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress hears about a run as it goes. The runner calls it from one
// goroutine.
type Progress interface {
	Start(total int)
	Add(rec *Record)
	Finish()
}

// CaseProgress is a Progress that also counts cases: the runner tells it
// how many cases the run has before Start, and a case is done when its
// total/cases runs (variant × repeat) are.
type CaseProgress interface {
	Progress
	Cases(n int)
}

// NewProgress returns a progress bar on w when terminal is true, and
// otherwise plain lines: at each 10% step (at most one a second), at least
// every interval (default 5s), and a last one at the end. now is the clock;
// nil = time.Now.
//
// Both count runs (case × variant × repeat) and, once told with Cases, the
// cases done. Both are io.Writers: text written to one (a warning) goes to
// w on its own line, the bar cleared before and redrawn after, and may be
// written from any goroutine.
func NewProgress(w io.Writer, terminal bool, interval time.Duration, now func() time.Time) CaseProgress {
	if now == nil {
		now = time.Now
	}
	if interval <= 0 {
		interval = 5 * time.Second
	}
	if terminal {
		return newBar(w, now, 250*time.Millisecond)
	}
	return &lineProgress{counter: counter{w: w, now: now}, every: interval}
}

// counter is what both forms count.
type counter struct {
	mu      sync.Mutex
	w       io.Writer
	now     func() time.Time
	total   int
	n       int // runs finished
	errors  int
	cases   int         // 0 = not told
	perCase map[int]int // runs finished by case index
	done    int         // cases with all their runs finished
	start   time.Time
}

func (c *counter) Cases(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cases = n
}

func (c *counter) begin(total int) {
	c.total = total
	c.start = c.now()
	c.perCase = map[int]int{}
}

func (c *counter) count(rec *Record) {
	c.n++
	if rec.Status == StatusError {
		c.errors++
	}
	if c.cases > 0 {
		c.perCase[rec.Index]++
		if c.perCase[rec.Index] == c.total/c.cases {
			c.done++
		}
	}
}

// status is "34/80 runs (42%), 17/40 cases, 2 errors, 3.1 runs/s" and
// then, while runs remain, ", 15s left".
func (c *counter) status(t time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d runs (%d%%)", c.n, c.total, c.percent())
	if c.cases > 0 {
		fmt.Fprintf(&b, ", %d/%d cases", c.done, c.cases)
	}
	if c.errors > 0 {
		if c.errors == 1 {
			b.WriteString(", 1 error")
		} else {
			fmt.Fprintf(&b, ", %d errors", c.errors)
		}
	}
	rate := 0.0
	if elapsed := t.Sub(c.start); elapsed > 0 {
		rate = float64(c.n) / elapsed.Seconds()
	}
	fmt.Fprintf(&b, ", %.1f runs/s", rate)
	if rate > 0 && c.n < c.total {
		left := time.Duration(float64(c.total-c.n) / rate * float64(time.Second))
		fmt.Fprintf(&b, ", %s left", left.Round(time.Second))
	}
	return b.String()
}

func (c *counter) percent() int {
	if c.total <= 0 {
		return 100
	}
	return 100 * c.n / c.total
}

func (c *counter) plan() string {
	if c.cases > 0 && c.total%c.cases == 0 {
		return fmt.Sprintf("%d runs to do (%d cases × %d)", c.total, c.cases, c.total/c.cases)
	}
	return fmt.Sprintf("%d runs to do", c.total)
}

// barProgress redraws one line in place: on each run finished (at most
// every throttle), and on a ticker, so that a burst of runs throttled away
// is drawn soon after and the time left keeps moving while runs are slow.
type barProgress struct {
	counter
	throttle time.Duration
	tick     time.Duration // 0: no ticker (tests call redraw)
	shown    time.Time     // when the line was last drawn
	dirty    bool          // a run finished since
	drawn    bool          // the line is on screen
	stop     chan struct{}
	stopped  chan struct{}
}

const barWidth = 20

// newBar is a bar redrawn every tick besides on runs; tick 0 = never.
func newBar(w io.Writer, now func() time.Time, tick time.Duration) *barProgress {
	return &barProgress{counter: counter{w: w, now: now}, throttle: 100 * time.Millisecond, tick: tick}
}

func (p *barProgress) Start(total int) {
	p.mu.Lock()
	p.begin(total)
	p.draw(p.start)
	p.mu.Unlock()
	if p.tick > 0 {
		p.stop, p.stopped = make(chan struct{}), make(chan struct{})
		go p.ticker()
	}
}

func (p *barProgress) ticker() {
	defer close(p.stopped)
	t := time.NewTicker(p.tick)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.redraw()
		}
	}
}

// redraw draws the line when a run finished since it was last drawn, or a
// second has passed (the rate and time left move).
func (p *barProgress) redraw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	if p.dirty || t.Sub(p.shown) >= time.Second {
		p.draw(t)
	}
}

func (p *barProgress) Add(rec *Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.count(rec)
	t := p.now()
	if t.Sub(p.shown) >= p.throttle || p.n >= p.total {
		p.draw(t)
		return
	}
	p.dirty = true
}

// Finish stops the ticker and leaves the last line, with a newline, so
// the run ends on its true count: 100% when every run finished.
func (p *barProgress) Finish() {
	if p.stop != nil {
		close(p.stop)
		<-p.stopped
		p.stop = nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(p.now())
	fmt.Fprint(p.w, "\n")
	p.drawn = false
}

// Write prints b on its own line: the bar is cleared first and drawn
// again after.
func (p *barProgress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[2K")
	}
	n, err := p.w.Write(b)
	if p.drawn {
		if len(b) > 0 && b[len(b)-1] != '\n' {
			fmt.Fprint(p.w, "\n")
		}
		p.draw(p.now())
	}
	return n, err
}

// draw writes the line over the one on screen; the caller holds mu.
func (p *barProgress) draw(t time.Time) {
	fill := barWidth
	if p.total > 0 {
		fill = barWidth * min(p.n, p.total) / p.total
	}
	bar := strings.Repeat("█", fill) + strings.Repeat("░", barWidth-fill)
	fmt.Fprintf(p.w, "\r\033[2Keval %s %s", bar, p.status(t))
	p.shown, p.dirty, p.drawn = t, false, true
}

type lineProgress struct {
	counter
	every        time.Duration
	last         time.Time
	nextFraction int // next multiple of 10% to report
	printed      int // n at the last line
}

func (p *lineProgress) Start(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.begin(total)
	p.last = p.start
	p.nextFraction = 1
	fmt.Fprintf(p.w, "eval: %s\n", p.plan())
}

func (p *lineProgress) Add(rec *Record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.count(rec)
	t := p.now()
	// A line at each 10% step, but not more than one a second, and one
	// every interval when steps are slow.
	crossed := p.total > 0 && p.n*10 >= p.nextFraction*p.total && t.Sub(p.last) >= time.Second
	if !crossed && t.Sub(p.last) < p.every {
		return
	}
	for p.total > 0 && p.n*10 >= p.nextFraction*p.total {
		p.nextFraction++
	}
	p.last = t
	p.line(t)
}

func (p *lineProgress) line(t time.Time) {
	p.printed = p.n
	fmt.Fprintf(p.w, "eval: %s\n", p.status(t))
}

func (p *lineProgress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.printed != p.n || p.n == 0 {
		p.line(p.now())
	}
}

// Write passes b through: lines need no clearing.
func (p *lineProgress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.w.Write(b)
}
