package batch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
)

// Backoff paces polling: the first wait is Initial, each next one Factor
// times longer, up to Max.
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
	Factor  float64
	// Failures is how many polls in a row may fail with a transient error
	// (unavailable, rate limited, timed out) before Run gives up.
	Failures int
}

// DefaultPoll waits 5s, then up to a minute between polls (a batch takes
// minutes to hours, and polling faster only spends rate limit), and gives
// up after 5 failed polls in a row.
func DefaultPoll() Backoff {
	return Backoff{Initial: 5 * time.Second, Max: time.Minute, Factor: 1.5, Failures: 5}
}

func (b Backoff) orDefault() Backoff {
	d := DefaultPoll()
	if b.Initial > 0 {
		d.Initial = b.Initial
	}
	if b.Max > 0 {
		d.Max = b.Max
	}
	if b.Factor >= 1 {
		d.Factor = b.Factor
	}
	if b.Failures > 0 {
		d.Failures = b.Failures
	}
	return d
}

func (b Backoff) next(d time.Duration) time.Duration {
	return min(time.Duration(float64(d)*b.Factor), b.Max)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait polls every batch of st until all are final, and returns their
// statuses in st's order.
func (o *Options) wait(ctx context.Context, st *State) ([]Status, error) {
	pace := o.Poll.orDefault()
	pause := o.Sleep
	if pause == nil {
		pause = sleep
	}
	statuses := make([]Status, len(st.Batches))
	done := make([]bool, len(st.Batches))
	left := len(st.Batches)
	delay, failures := pace.Initial, 0
	for {
		for i, e := range st.Batches {
			if done[i] {
				continue
			}
			s, err := o.API.RetrieveBatch(ctx, e.ID)
			if err != nil {
				if ctx.Err() != nil || !transient(err) || failures+1 >= pace.Failures {
					return statuses, fmt.Errorf("batch %s: poll: %w", e.ID, err)
				}
				failures++
				continue
			}
			failures = 0
			statuses[i] = s
			if o.Progress != nil {
				o.Progress(s)
			}
			if Final(s.State) {
				done[i] = true
				left--
			}
		}
		if left == 0 {
			return statuses, nil
		}
		if err := pause(ctx, delay); err != nil {
			return statuses, err
		}
		delay = pace.next(delay)
	}
}

func transient(err error) bool {
	for _, k := range []error{llm.ErrUnavailable, llm.ErrRateLimited, llm.ErrTimeout} {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}
