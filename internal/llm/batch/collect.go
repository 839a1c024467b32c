package batch

import (
	"context"
	"strconv"
	"sync"

	"github.com/summarize-dev/summarize/internal/llm"
)

// Collector is an llm.Backend for a dry pass of some work (an eval run, a
// list of articles): it answers the requests the cache holds, as the live
// stack would, and records the others as Items, answering them with
// ErrDeferred. Run the work once with it, send Items through Run (which
// fills the cache), and run the work again against the cache. Work whose
// later requests depend on earlier replies (map-reduce: the merges need the
// maps) takes one round per step, each round finding fewer misses.
//
// It is safe for concurrent use.
type Collector struct {
	endpoint string
	cache    *llm.Cache

	mu    sync.Mutex
	items []Item
	seen  map[string]bool // key hashes recorded
	ids   map[string]int  // IDs handed out, for uniqueness
}

// NewCollector returns a Collector for requests that would go to endpoint
// (the API's Endpoint, so the keys match the live calls'). A nil cache
// records every request.
func NewCollector(endpoint string, cache *llm.Cache) *Collector {
	return &Collector{endpoint: endpoint, cache: cache, seen: map[string]bool{}, ids: map[string]int{}}
}

// Endpoint is the endpoint the requests are keyed by.
func (c *Collector) Endpoint() string { return c.endpoint }

type labelKey struct{}

// WithLabel names the requests made with ctx (a case and a variant, say):
// their IDs are the label and the repeat index ("case-7/short/r0"),
// readable in the state file and the provider's console.
func WithLabel(ctx context.Context, label string) context.Context {
	return context.WithValue(ctx, labelKey{}, label)
}

// Complete answers a cache hit, or records req and returns ErrDeferred.
func (c *Collector) Complete(ctx context.Context, req llm.Request) (llm.Response, error) {
	repeat := llm.RepeatFrom(ctx)
	k := llm.NewCacheKey(c.endpoint, req, repeat)
	if c.cache != nil {
		if resp, ok, err := c.cache.Get(k); ok && err == nil {
			resp.Cached = true
			return resp, nil
		}
	}
	h := k.Hash()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.seen[h] {
		c.seen[h] = true
		label, _ := ctx.Value(labelKey{}).(string)
		if label == "" {
			label = "req-" + h[:16]
		}
		id := label + "/r" + strconv.Itoa(repeat)
		if n := c.ids[id]; n > 0 {
			c.ids[id]++
			id += "#" + strconv.Itoa(n+1)
		} else {
			c.ids[id] = 1
		}
		if len(id) > MaxIDLength {
			id = "req-" + h[:32]
		}
		c.items = append(c.items, Item{ID: id, Request: req, Repeat: repeat})
	}
	return llm.Response{}, ErrDeferred
}

// Items returns the requests recorded so far, in the order first seen.
func (c *Collector) Items() []Item {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Item(nil), c.items...)
}
