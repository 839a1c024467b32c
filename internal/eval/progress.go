package eval

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress hears about a run as it goes. The runner calls it from one
// goroutine.
type Progress interface {
	Start(total int)
	Add(rec *Record)
	Finish()
}

// NewProgress returns a progress bar with rate and ETA on w when terminal
// is true, and otherwise plain lines: at each 10% step (at most one a
// second), at least every interval (default 5s), and a last one at the
// end. now is the clock; nil = time.Now.
func NewProgress(w io.Writer, terminal bool, interval time.Duration, now func() time.Time) Progress {
	if now == nil {
		now = time.Now
	}
	if interval <= 0 {
		interval = 5 * time.Second
	}
	if terminal {
		return &barProgress{w: w}
	}
	return &lineProgress{w: w, every: interval, now: now}
}

type barProgress struct {
	w      io.Writer
	bar    *progressbar.ProgressBar
	errors int
}

func (p *barProgress) Start(total int) {
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription("eval"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("cases"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionUseANSICodes(true),
	)
}

func (p *barProgress) Add(rec *Record) {
	if rec.Status == StatusError {
		p.errors++
		p.bar.Describe(fmt.Sprintf("eval (%d errors)", p.errors))
	}
	p.bar.Add(1)
}

func (p *barProgress) Finish() { p.bar.Finish() }

type lineProgress struct {
	w            io.Writer
	every        time.Duration
	now          func() time.Time
	total, n     int
	errors       int
	start, last  time.Time
	nextFraction int // next multiple of 10% to report
	printed      int // n at the last line
}

func (p *lineProgress) Start(total int) {
	p.total = total
	p.start = p.now()
	p.last = p.start
	p.nextFraction = 1
	fmt.Fprintf(p.w, "eval: %d runs to do\n", total)
}

func (p *lineProgress) Add(rec *Record) {
	p.n++
	if rec.Status == StatusError {
		p.errors++
	}
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
	elapsed := t.Sub(p.start)
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.n) / elapsed.Seconds()
	}
	eta := ""
	if rate > 0 && p.n < p.total {
		eta = fmt.Sprintf(", eta %s", (time.Duration(float64(p.total-p.n) / rate * float64(time.Second))).Round(time.Second))
	}
	errs := ""
	if p.errors > 0 {
		errs = fmt.Sprintf(", %d errors", p.errors)
	}
	fmt.Fprintf(p.w, "eval: %d/%d (%d%%)%s, %.1f/s%s\n", p.n, p.total, 100*p.n/max(p.total, 1), errs, rate, eta)
}

func (p *lineProgress) Finish() {
	if p.printed != p.n || p.n == 0 {
		p.line(p.now())
	}
}
