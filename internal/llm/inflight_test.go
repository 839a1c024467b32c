package llm

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// Two backends sharing one InFlight of 3 never have more than 3 requests in
// flight together, and a request waiting for a slot gives up with its ctx.
func TestWithInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var now, peak atomic.Int32
		slow := BackendFunc(func(ctx context.Context, req Request) (Response, error) {
			n := now.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			time.Sleep(time.Second) // synctest: fake time
			now.Add(-1)
			return Response{Content: req.Model}, nil
		})
		l := NewInFlight(3)
		a, b := WithInFlight(slow, l), WithInFlight(slow, l)
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Go(func() {
				be := a
				if i%2 == 1 {
					be = b
				}
				if _, err := be.Complete(t.Context(), Request{Model: "m"}); err != nil {
					t.Errorf("Complete() error = %v", err)
				}
			})
		}
		wg.Wait()
		if got := peak.Load(); got != 3 {
			t.Errorf("max in flight = %d, want 3", got)
		}

		// All slots taken: a request whose ctx ends gives up.
		block := make(chan struct{})
		hold := WithInFlight(BackendFunc(func(ctx context.Context, req Request) (Response, error) {
			<-block
			return Response{}, nil
		}), l)
		for range 3 {
			wg.Go(func() { hold.Complete(t.Context(), Request{}) })
		}
		synctest.Wait()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if _, err := a.Complete(ctx, Request{}); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Complete() with every slot taken = %v, want the deadline", err)
		}
		close(block)
		wg.Wait()
	})
	if got := WithInFlight(okBackend(), nil); got == nil {
		t.Error("WithInFlight(b, nil) = nil, want b")
	}
}
