package llm

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Endpoint is one member of a Pool: a Backend (usually an OpenAI-compatible
// client for one base URL) with the most requests it may have in flight.
type Endpoint struct {
	// Name identifies the endpoint in reports and errors: a host, never a
	// key.
	Name    string
	Backend Backend
	// MaxInFlight caps the requests sent to this endpoint at once; 0 means
	// no cap of its own.
	MaxInFlight int
}

// PoolOptions tune how a Pool takes failing endpoints out. The zero value
// uses the defaults below.
type PoolOptions struct {
	// FailAfter is how many failures in a row take an endpoint out
	// (default 3).
	FailAfter int
	// Cooldown is how long an endpoint stays out before one request probes
	// it (default 30 s); each failed probe doubles it, up to MaxCooldown
	// (default 5 min).
	Cooldown    time.Duration
	MaxCooldown time.Duration
	// Now replaces the clock (tests).
	Now func() time.Time
}

// EndpointStats is what one endpoint of a Pool did.
type EndpointStats struct {
	Name string `json:"name"`
	// Served is the requests it answered; Failed the attempts it failed
	// (a failure retried on another endpoint counts here and is served
	// there).
	Served int `json:"served"`
	Failed int `json:"failed"`
	// Ejected is how many times it was taken out for failing.
	Ejected int `json:"ejected,omitempty"`
}

// Pool is a Backend that spreads requests over several endpoints serving
// the same models. Each request goes to the endpoint with the fewest
// requests in flight (below its MaxInFlight); an endpoint that fails
// FailAfter times in a row is taken out for a cooldown and then probed back
// with a single request; a request that fails with a retryable error (see
// Retryable) is sent at once to another endpoint it has not tried. When
// every endpoint has failed it, the last error is returned, for WithRetry
// around the pool to back off and try again.
//
// The pool's Endpoint (the cache's key) is its first endpoint's, whichever
// endpoint answers: the endpoints serve the same models, and a cache filled
// through one endpoint stays valid when more are added.
type Pool struct {
	opt PoolOptions
	eps []*member

	mu      sync.Mutex
	changed chan struct{} // closed and replaced when capacity frees up
}

type member struct {
	Endpoint
	inFlight int
	stats    EndpointStats
	fails    int       // failures in a row
	outUntil time.Time // zero while in the pool
	cooldown time.Duration
	probing  bool // a probe request is in flight
}

// NewPool returns a Pool over eps. Names must be unique and non-empty.
func NewPool(eps []Endpoint, opt PoolOptions) (*Pool, error) {
	if len(eps) == 0 {
		return nil, errors.New("endpoint pool: no endpoints")
	}
	if opt.FailAfter <= 0 {
		opt.FailAfter = 3
	}
	if opt.Cooldown <= 0 {
		opt.Cooldown = 30 * time.Second
	}
	if opt.MaxCooldown < opt.Cooldown {
		opt.MaxCooldown = max(5*time.Minute, opt.Cooldown)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	p := &Pool{opt: opt, changed: make(chan struct{})}
	seen := map[string]bool{}
	for i, e := range eps {
		switch {
		case e.Name == "":
			return nil, fmt.Errorf("endpoint pool: endpoint %d has no name", i+1)
		case seen[e.Name]:
			return nil, fmt.Errorf("endpoint pool: endpoint %s is listed twice", e.Name)
		case e.Backend == nil:
			return nil, fmt.Errorf("endpoint pool: endpoint %s has no backend", e.Name)
		case e.MaxInFlight < 0:
			return nil, fmt.Errorf("endpoint pool: endpoint %s: max in flight %d is negative", e.Name, e.MaxInFlight)
		}
		seen[e.Name] = true
		p.eps = append(p.eps, &member{Endpoint: e, stats: EndpointStats{Name: e.Name}, cooldown: opt.Cooldown})
	}
	return p, nil
}

// Endpoint is the first endpoint's (see Pool).
func (p *Pool) Endpoint() string {
	if e := endpointOf(p.eps[0].Backend); e != "" {
		return e
	}
	return p.eps[0].Name
}

// Stats returns what each endpoint did so far, in the order given.
func (p *Pool) Stats() []EndpointStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]EndpointStats, len(p.eps))
	for i, m := range p.eps {
		out[i] = m.stats
	}
	return out
}

// Complete sends req to the least busy endpoint, and on a retryable failure
// to each other endpoint in turn.
func (p *Pool) Complete(ctx context.Context, req Request) (Response, error) {
	tried := make([]bool, len(p.eps))
	var last error
	for range p.eps {
		m, err := p.acquire(ctx, tried)
		if err != nil {
			if last != nil {
				return Response{}, fmt.Errorf("%w (after %w)", err, last)
			}
			return Response{}, err
		}
		if m == nil { // every endpoint has been tried
			break
		}
		resp, err := m.Backend.Complete(ctx, req)
		p.release(m, err)
		if err == nil {
			return resp, nil
		}
		last = fmt.Errorf("endpoint %s: %w", m.Name, err)
		if ctx.Err() != nil || !Retryable(err) {
			return Response{}, last
		}
	}
	return Response{}, last
}

// acquire picks the endpoint for the next attempt and counts the request in
// flight there. It waits while every untried endpoint is at its cap, and
// returns nil when every endpoint has been tried.
func (p *Pool) acquire(ctx context.Context, tried []bool) (*member, error) {
	for {
		p.mu.Lock()
		m, untried := p.pick(tried)
		if m != nil {
			m.inFlight++
			tried[p.index(m)] = true
			p.mu.Unlock()
			return m, nil
		}
		if !untried {
			p.mu.Unlock()
			return nil, nil
		}
		wait := p.changed
		p.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
}

// pick returns the untried endpoint to use now, or nil; untried says
// whether any endpoint is left to wait for. In-pool endpoints with spare
// capacity come first, fewest in flight first; an endpoint whose cooldown
// is over takes one probe; when every untried endpoint is out, the one due
// back soonest is probed early rather than failing the request.
func (p *Pool) pick(tried []bool) (m *member, untried bool) {
	now := p.opt.Now()
	var best, due, soonest *member
	for i, e := range p.eps {
		if tried[i] {
			continue
		}
		untried = true
		if e.MaxInFlight > 0 && e.inFlight >= e.MaxInFlight {
			continue
		}
		switch {
		case e.outUntil.IsZero():
			if best == nil || e.inFlight < best.inFlight {
				best = e
			}
		case e.probing:
		case !now.Before(e.outUntil):
			if due == nil {
				due = e
			}
		default:
			if soonest == nil || e.outUntil.Before(soonest.outUntil) {
				soonest = e
			}
		}
	}
	switch {
	case due != nil: // its cooldown is over: this request probes it
		due.probing = true
		return due, true
	case best != nil:
		return best, true
	case soonest != nil && !p.anyIn(tried):
		soonest.probing = true
		return soonest, true
	}
	return nil, untried
}

// anyIn reports whether an untried endpoint is in the pool (busy, so worth
// waiting for).
func (p *Pool) anyIn(tried []bool) bool {
	for i, e := range p.eps {
		if !tried[i] && (e.outUntil.IsZero() || e.probing) {
			return true
		}
	}
	return false
}

func (p *Pool) index(m *member) int {
	for i, e := range p.eps {
		if e == m {
			return i
		}
	}
	panic("llm: endpoint not in pool")
}

// release ends a request on m and updates its health.
func (p *Pool) release(m *member, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m.inFlight--
	probe := m.probing
	m.probing = false
	switch {
	case err == nil:
		m.stats.Served++
		m.fails = 0
		if !m.outUntil.IsZero() { // a probe came back: in again
			m.outUntil = time.Time{}
			m.cooldown = p.opt.Cooldown
		}
	case errors.Is(err, context.Canceled) || !Retryable(err):
		// The caller gave up, or the request itself was wrong: not the
		// endpoint's health.
		if !errors.Is(err, context.Canceled) {
			m.stats.Failed++
		}
	default:
		m.stats.Failed++
		m.fails++
		if probe {
			m.cooldown = min(2*m.cooldown, p.opt.MaxCooldown)
		}
		if probe || (m.outUntil.IsZero() && m.fails >= p.opt.FailAfter) {
			m.outUntil = p.opt.Now().Add(m.cooldown)
			m.stats.Ejected++
		}
	}
	close(p.changed)
	p.changed = make(chan struct{})
}
