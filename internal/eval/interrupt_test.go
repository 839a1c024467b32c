package eval

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/summary"
)

// TestRunInterruptSaysAndStopsNow: the cancel is announced at once with
// the jobs in flight and the grace; closing StopNow ends the grace early.
func TestRunInterruptSaysAndStopsNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := writeSuite(t, twoVariants)
		d := openFixture(t)
		gen := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
			if c.ID == "harbor-bridge" {
				return summary.Summary{Bullets: c.Reference}, nil
			}
			<-ctx.Done() // never answers
			return summary.Summary{}, ctx.Err()
		}
		ctx, cancel := context.WithCancel(t.Context())
		stopNow := make(chan struct{})
		type said struct {
			n     int
			grace time.Duration
			at    time.Duration
		}
		var got []said
		start := time.Now()
		time.AfterFunc(time.Second, cancel)
		time.AfterFunc(3*time.Second, func() { close(stopNow) })
		r := mustRun(t, ctx, s, d, RunOptions{
			Grace: time.Hour, StopNow: stopNow, Concurrency: 3,
			Generators: map[string]Generator{"lead": gen, "oracle": gen},
			OnInterrupt: func(n int, grace time.Duration) {
				got = append(got, said{n, grace, time.Since(start)})
			},
		})
		if want := []said{{3, time.Hour, time.Second}}; len(got) != 1 || got[0] != want[0] {
			t.Errorf("OnInterrupt calls = %+v, want %+v", got, want)
		}
		if got, want := time.Since(start), 3*time.Second; got != want {
			t.Errorf("Run returned after %v, want %v (at StopNow, not after the grace)", got, want)
		}
		if !r.Interrupted || r.Cancelled != 3 {
			t.Errorf("Interrupted = %v, Cancelled = %d; want true, 3", r.Interrupted, r.Cancelled)
		}
	})
}

// TestRunNoInterruptNoCall: a run that ends on its own says nothing.
func TestRunNoInterruptNoCall(t *testing.T) {
	s := writeSuite(t, twoVariants)
	d := openFixture(t)
	called := false
	mustRun(t, t.Context(), s, d, RunOptions{
		Generators:  map[string]Generator{"lead": leadGen(3), "oracle": refGen()},
		OnInterrupt: func(int, time.Duration) { called = true },
	})
	if called {
		t.Errorf("OnInterrupt called for a run that was not interrupted")
	}
}
