package llm_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
)

// gauge is a fake endpoint that counts the requests it has in flight and
// the most it ever had.
type gauge struct {
	name     string
	delay    time.Duration
	fail     func(n int) error // the n-th request's error (1-based), nil to answer
	n        atomic.Int64
	inFlight atomic.Int64
	peak     atomic.Int64
	release  chan struct{} // when set, requests wait for it instead of delay
}

func (g *gauge) Endpoint() string { return "http://" + g.name + "/v1" }

func (g *gauge) Complete(ctx context.Context, req llm.Request) (llm.Response, error) {
	n := g.n.Add(1)
	cur := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	for {
		p := g.peak.Load()
		if cur <= p || g.peak.CompareAndSwap(p, cur) {
			break
		}
	}
	if g.release != nil {
		select {
		case <-g.release:
		case <-ctx.Done():
			return llm.Response{}, ctx.Err()
		}
	} else if g.delay > 0 {
		time.Sleep(g.delay)
	}
	if g.fail != nil {
		if err := g.fail(int(n)); err != nil {
			return llm.Response{}, err
		}
	}
	return llm.Response{Content: g.name}, nil
}

var errDown = &llm.Error{Kind: llm.ErrUnavailable, Status: 503, Message: "down"}

func newPool(t testing.TB, opt llm.PoolOptions, gs ...*gauge) *llm.Pool {
	t.Helper()
	eps := make([]llm.Endpoint, len(gs))
	for i, g := range gs {
		eps[i] = llm.Endpoint{Name: g.name, Backend: g, MaxInFlight: 8}
	}
	p, err := llm.NewPool(eps, opt)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// run sends n requests at once and returns the answers' contents counted by
// endpoint name, and the errors.
func run(p *llm.Pool, n int) (map[string]int, []error) {
	var mu sync.Mutex
	got := map[string]int{}
	var errs []error
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			r, err := p.Complete(context.Background(), llm.Request{Model: "m"})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			got[r.Content]++
		})
	}
	wg.Wait()
	return got, errs
}

func TestPoolSpreadsByInFlightWithinCaps(t *testing.T) {
	gs := []*gauge{{name: "a", delay: 20 * time.Millisecond}, {name: "b", delay: 20 * time.Millisecond}, {name: "c", delay: 20 * time.Millisecond}}
	p := newPool(t, llm.PoolOptions{}, gs...)
	got, errs := run(p, 96)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, g := range gs {
		if pk := g.peak.Load(); pk > 8 {
			t.Errorf("%s had %d in flight, cap 8", g.name, pk)
		}
		// 96 requests over 3 endpoints of 8 slots: every endpoint is kept
		// full, so each serves a third (give or take a wave).
		if got[g.name] < 24 || got[g.name] > 40 {
			t.Errorf("%s served %d of 96, want about 32 (%v)", g.name, got[g.name], got)
		}
	}
	for i, s := range p.Stats() {
		if s.Served != got[gs[i].name] || s.Failed != 0 {
			t.Errorf("stats %+v, served %d", s, got[gs[i].name])
		}
	}
}

func TestPoolPrefersTheIdleEndpoint(t *testing.T) {
	busy := &gauge{name: "busy", release: make(chan struct{})}
	idle := &gauge{name: "idle"}
	p := newPool(t, llm.PoolOptions{}, busy, idle)
	// Occupy busy with one request that waits.
	done := make(chan error, 1)
	go func() {
		_, err := p.Complete(context.Background(), llm.Request{})
		done <- err
	}()
	// Both are idle, so the first request goes to the first endpoint.
	for busy.inFlight.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	// While it is in flight, every request goes to the idle one.
	for range 5 {
		r, err := p.Complete(context.Background(), llm.Request{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Content != "idle" {
			t.Fatalf("request went to %s while it had one in flight and idle had none", r.Content)
		}
	}
	close(busy.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPoolRetriesOnAnotherEndpointAndTakesTheFailingOneOut(t *testing.T) {
	now := time.Unix(1e9, 0)
	var clock sync.Mutex
	opt := llm.PoolOptions{FailAfter: 3, Cooldown: time.Minute, Now: func() time.Time { clock.Lock(); defer clock.Unlock(); return now }}
	bad := &gauge{name: "bad", fail: func(int) error { return errDown }}
	good := &gauge{name: "good"}
	p := newPool(t, opt, bad, good)
	for i := range 20 {
		r, err := p.Complete(context.Background(), llm.Request{})
		if err != nil || r.Content != "good" {
			t.Fatalf("request %d: %q, %v", i, r.Content, err)
		}
	}
	st := p.Stats()
	if st[0].Failed != 3 || st[0].Ejected != 1 || st[0].Served != 0 {
		t.Errorf("bad endpoint: %+v, want 3 failures then out", st[0])
	}
	if st[1].Served != 20 {
		t.Errorf("good endpoint: %+v", st[1])
	}
	// After the cooldown one request probes the bad endpoint; it fails,
	// is served by good, and bad stays out for twice as long.
	clock.Lock()
	now = now.Add(time.Minute)
	clock.Unlock()
	for range 5 {
		if _, err := p.Complete(context.Background(), llm.Request{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := bad.n.Load(); n != 4 {
		t.Errorf("bad endpoint saw %d requests, want 3 + one probe", n)
	}
	clock.Lock()
	now = now.Add(time.Minute) // not yet: the cooldown doubled
	clock.Unlock()
	if _, err := p.Complete(context.Background(), llm.Request{}); err != nil {
		t.Fatal(err)
	}
	if n := bad.n.Load(); n != 4 {
		t.Errorf("bad endpoint probed again after 1 min, cooldown should be 2 min")
	}
	// It recovers: the next probe succeeds and it is back in the pool.
	bad.fail = nil
	clock.Lock()
	now = now.Add(time.Minute)
	clock.Unlock()
	got, errs := run(p, 16)
	if len(errs) > 0 || got["bad"] == 0 {
		t.Errorf("after a good probe the endpoint should serve again: %v %v", got, errs)
	}
}

func TestPoolGivesUpWhenEveryEndpointFailed(t *testing.T) {
	a := &gauge{name: "a", fail: func(int) error { return errDown }}
	b := &gauge{name: "b", fail: func(int) error { return errDown }}
	p := newPool(t, llm.PoolOptions{}, a, b)
	_, err := p.Complete(context.Background(), llm.Request{})
	if !errors.Is(err, llm.ErrUnavailable) || !llm.Retryable(err) {
		t.Fatalf("err = %v, want the retryable last failure", err)
	}
	if a.n.Load()+b.n.Load() != 2 {
		t.Errorf("each endpoint should be tried once per call: %d, %d", a.n.Load(), b.n.Load())
	}
	// WithRetry around the pool backs off and tries again: with b back up
	// the request is served.
	b.fail = func(n int) error {
		if n <= 1 {
			return errDown
		}
		return nil
	}
	rp := llm.WithRetry(p, llm.RetryPolicy{MaxRetries: 2, Sleep: func(context.Context, time.Duration) error { return nil }})
	r, err := rp.Complete(context.Background(), llm.Request{})
	if err != nil || r.Content != "b" {
		t.Fatalf("%q, %v", r.Content, err)
	}
}

func TestPoolDoesNotRetryARequestError(t *testing.T) {
	bad := &llm.Error{Kind: llm.ErrBadRequest, Status: 400, Message: "bad"}
	a := &gauge{name: "a", fail: func(int) error { return bad }}
	b := &gauge{name: "b", fail: func(int) error { return bad }}
	p := newPool(t, llm.PoolOptions{}, a, b)
	_, err := p.Complete(context.Background(), llm.Request{})
	if !errors.Is(err, llm.ErrBadRequest) {
		t.Fatal(err)
	}
	if a.n.Load()+b.n.Load() != 1 {
		t.Errorf("a bad request was sent %d times", a.n.Load()+b.n.Load())
	}
	for _, s := range p.Stats() {
		if s.Ejected != 0 {
			t.Errorf("a bad request took %s out", s.Name)
		}
	}
}

func TestPoolWaitsForCapacityAndHonoursTheContext(t *testing.T) {
	g := &gauge{name: "a", release: make(chan struct{})}
	p, err := llm.NewPool([]llm.Endpoint{{Name: "a", Backend: g, MaxInFlight: 2}}, llm.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if _, err := p.Complete(context.Background(), llm.Request{}); err != nil {
				t.Error(err)
			}
		})
	}
	for g.inFlight.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.Complete(ctx, llm.Request{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting for a slot past the deadline: %v", err)
	}
	close(g.release)
	wg.Wait()
	if pk := g.peak.Load(); pk != 2 {
		t.Errorf("peak in flight %d, cap 2", pk)
	}
	if s := p.Stats()[0]; s.Served != 6 {
		t.Errorf("%+v", s)
	}
}

func TestPoolKeysTheCacheByItsFirstEndpoint(t *testing.T) {
	p := newPool(t, llm.PoolOptions{}, &gauge{name: "a"}, &gauge{name: "b"})
	if e := p.Endpoint(); e != "http://a/v1" {
		t.Errorf("Endpoint() = %q", e)
	}
	one := newPool(t, llm.PoolOptions{}, &gauge{name: "a"})
	if p.Endpoint() != one.Endpoint() {
		t.Error("adding an endpoint changed the cache key")
	}
}

func TestNewPoolRejects(t *testing.T) {
	g := &gauge{name: "a"}
	for _, tc := range []struct {
		eps  []llm.Endpoint
		want string
	}{
		{nil, "no endpoints"},
		{[]llm.Endpoint{{Name: "a", Backend: g}, {Name: "a", Backend: g}}, "listed twice"},
		{[]llm.Endpoint{{Backend: g}}, "no name"},
		{[]llm.Endpoint{{Name: "a"}}, "no backend"},
		{[]llm.Endpoint{{Name: "a", Backend: g, MaxInFlight: -1}}, "negative"},
	} {
		_, err := llm.NewPool(tc.eps, llm.PoolOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.eps, err, tc.want)
		}
	}
}

// BenchmarkPool measures the throughput of 4 endpoints that answer in
// 200 ms with 8 slots each against one such endpoint (ideal: 4x), and of 4
// endpoints of which one fails half its requests (nothing lost).
func BenchmarkPool(b *testing.B) {
	const delay = 200 * time.Millisecond
	for _, tc := range []struct {
		name  string
		n     int
		flaky bool
	}{{"1-endpoint", 1, false}, {"4-endpoints", 4, false}, {"4-endpoints-1-flaky", 4, true}} {
		b.Run(tc.name, func(b *testing.B) {
			gs := make([]*gauge, tc.n)
			for i := range gs {
				gs[i] = &gauge{name: fmt.Sprint("e", i), delay: delay}
			}
			if tc.flaky {
				gs[0].fail = func(n int) error {
					if n%2 == 0 {
						return errDown
					}
					return nil
				}
			}
			p := newPool(b, llm.PoolOptions{}, gs...)
			reqs := 8 * tc.n * 4 // four waves
			b.ResetTimer()
			start := time.Now()
			lost := 0
			for range b.N {
				_, errs := run(p, reqs)
				lost += len(errs)
			}
			el := time.Since(start).Seconds() / float64(b.N)
			b.ReportMetric(float64(reqs)/el, "req/s")
			b.ReportMetric(float64(reqs)/el/(8/delay.Seconds()), "x-one-endpoint-ideal")
			b.ReportMetric(float64(lost), "lost")
		})
	}
}
