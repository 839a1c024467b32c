package llm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/summarize-dev/summarize/internal/redact"
)

// ErrCacheMiss is returned in CacheReplay mode when a request has no cached
// response.
var ErrCacheMiss = errors.New("cache miss")

// CacheMode says how WithCache uses its Cache.
type CacheMode string

const (
	// CacheRW answers from the cache and stores new responses.
	CacheRW CacheMode = "rw"
	// CacheRead answers from the cache but stores nothing.
	CacheRead CacheMode = "read"
	// CacheReplay answers only from the cache: a miss is ErrCacheMiss.
	// Meant for CI without API keys.
	CacheReplay CacheMode = "replay"
	// CacheOff bypasses the cache.
	CacheOff CacheMode = "off"
)

// ParseCacheMode parses "rw", "read", "replay" or "off"; "" is CacheRW.
func ParseCacheMode(s string) (CacheMode, error) {
	switch m := CacheMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return CacheRW, nil
	case CacheRW, CacheRead, CacheReplay, CacheOff:
		return m, nil
	}
	return "", fmt.Errorf("cache mode %q: want rw, read, replay or off", s)
}

// Endpointer is an optional interface: a Backend that knows where it sends
// requests (a base URL, an Azure deployment) says so, and WithCache keys
// responses by it. The wrappers of this package pass it through.
type Endpointer interface {
	Endpoint() string
}

func endpointOf(b Backend) string {
	if e, ok := b.(Endpointer); ok {
		return e.Endpoint()
	}
	return ""
}

type repeatKey struct{}

// WithRepeat returns a context that marks calls made with it as repeat i of
// the same request, so that WithCache keeps one response per repeat (an eval
// with repeat: 3 asks the model three times, and replays three answers).
func WithRepeat(ctx context.Context, i int) context.Context {
	return context.WithValue(ctx, repeatKey{}, i)
}

// RepeatFrom returns the repeat index set by WithRepeat, or 0.
func RepeatFrom(ctx context.Context) int {
	i, _ := ctx.Value(repeatKey{}).(int)
	return i
}

// CacheKey is everything a cached response depends on. Its Hash is the
// cache's content address.
type CacheKey struct {
	Endpoint    string    `json:"endpoint"`
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	Temperature float64   `json:"temperature"`
	MaxTokens   int       `json:"max_tokens"`
	Seed        int       `json:"seed"`
	Repeat      int       `json:"repeat"`
	// Asked-for log probabilities; omitted when off, so keys made before
	// these fields existed hash the same.
	Logprobs    bool `json:"logprobs,omitempty"`
	TopLogprobs int  `json:"top_logprobs,omitempty"`
}

// cacheKeyVersion changes when the key or the entry format changes, so old
// entries are missed rather than misread.
const cacheKeyVersion = 1

// NewCacheKey builds the key of req sent to endpoint as repeat number repeat.
func NewCacheKey(endpoint string, req Request, repeat int) CacheKey {
	return CacheKey{
		Endpoint:    endpoint,
		Model:       req.Model,
		Messages:    req.Messages,
		Temperature: req.Temperature,
		MaxTokens:   req.MaxTokens,
		Seed:        req.Seed,
		Repeat:      repeat,
		Logprobs:    req.Logprobs,
		TopLogprobs: req.TopLogprobs,
	}
}

// Hash is the hex sha256 of the key's canonical JSON (fields in a fixed
// order, no HTML escaping, a version number first).
func (k CacheKey) Hash() string {
	type versioned struct {
		V int `json:"v"`
		CacheKey
	}
	h := sha256.New()
	enc := json.NewEncoder(h)
	enc.SetEscapeHTML(false)
	if k.Messages == nil {
		k.Messages = []Message{} // nil and empty hash alike
	}
	if err := enc.Encode(versioned{cacheKeyVersion, k}); err != nil {
		panic("llm: encode cache key: " + err.Error()) // plain strings and numbers: cannot fail
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Cache is a directory of cached responses (see cachepack.go for its
// layout), safe for concurrent use by goroutines and by processes sharing
// the directory. Within a process, concurrent calls through WithCache for
// the same key share one backend call; across processes, a key lock makes
// one of them call while the others wait for its entry (cachelock.go).
type Cache struct {
	dir      string
	redact   func(string) string   // applied to every string stored; nil = none
	writeErr atomic.Pointer[error] // the last failed Put made by WithCache

	mu       sync.Mutex
	inflight map[string]*flight // by key hash: the backend calls under way

	packs  *[packCount]*pack
	locks  keyLocks
	legacy bool // the folder has entries of a file each, from before the packs

	pollInterval time.Duration // how often a waiter looks for another process's entry; 0 = lockPollInterval
}

// flight is one backend call that concurrent callers with the same key wait
// for.
type flight struct {
	done    chan struct{}
	resp    Response
	err     error
	waiters int // callers waiting for it (under Cache.mu)
}

// CacheOption configures OpenCache.
type CacheOption func(*Cache)

// CacheRedact makes the cache pass every string of a response through f
// before storing it (and WithCache returns the response so redacted, live
// or cached alike): a server that echoes the API key back must not leave
// it in the cache. Use (*redact.Secrets).Redact.
func CacheRedact(f func(string) string) CacheOption {
	return func(c *Cache) { c.redact = f }
}

// OpenCache opens the cache in dir, creating it (mode 0700) if needed.
func OpenCache(dir string, opts ...CacheOption) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("open cache: no directory given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open cache: %w", err)
	}
	c := &Cache{dir: dir, inflight: map[string]*flight{}, packs: newPacks(dir), locks: keyLocks{dir: dir}, legacy: hasLegacyEntries(dir)}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Close closes the cache's files. A closed cache reopens them as needed.
func (c *Cache) Close() error {
	errs := []error{c.locks.close()}
	for _, p := range c.packs {
		errs = append(errs, p.close())
	}
	return errors.Join(errs...)
}

// hasLegacyEntries says whether dir has an entry folder of the layout
// before the packs (two hex digits).
func hasLegacyEntries(dir string) bool {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if n := e.Name(); e.IsDir() && len(n) == 2 && isHex(n[0]) && isHex(n[1]) {
			return true
		}
	}
	return false
}

func isHex(b byte) bool { return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' }

// redactResponse returns r with the cache's redactor applied to its text.
func (c *Cache) redactResponse(r Response) Response {
	if c.redact == nil {
		return r
	}
	r.Content = c.redact(r.Content)
	r.Model = c.redact(r.Model)
	r.Refusal = c.redact(r.Refusal)
	r.FinishReason = c.redact(r.FinishReason)
	if r.Warnings != nil {
		w := make([]string, len(r.Warnings))
		for i, s := range r.Warnings {
			w[i] = c.redact(s)
		}
		r.Warnings = w
	}
	if r.Logprobs != nil {
		lp := make([]TokenLogprob, len(r.Logprobs))
		for i, t := range r.Logprobs {
			t.Token = c.redact(t.Token)
			if t.Top != nil {
				top := make([]Logprob, len(t.Top))
				for j, x := range t.Top {
					x.Token = c.redact(x.Token)
					top[j] = x
				}
				t.Top = top
			}
			lp[i] = t
		}
		r.Logprobs = lp
	}
	return r
}

// entryEndpoint is the endpoint as an entry shows it: without credentials
// (the key's hash, made from the endpoint as given, still tells endpoints
// apart).
func (c *Cache) entryEndpoint(endpoint string) string {
	e := redact.URL(endpoint)
	if c.redact != nil {
		e = c.redact(e)
	}
	return e
}

// WriteErr returns the last error WithCache met storing a response, or nil.
// Such errors do not fail the call that caused them.
func (c *Cache) WriteErr() error {
	if p := c.writeErr.Load(); p != nil {
		return *p
	}
	return nil
}

// Dir returns the cache directory.
func (c *Cache) Dir() string { return c.dir }

type cacheEntry struct {
	V        int       `json:"v"`
	Key      string    `json:"key"`
	Endpoint string    `json:"endpoint,omitempty"`
	Model    string    `json:"model"`
	Repeat   int       `json:"repeat,omitempty"`
	Created  time.Time `json:"created"`
	Response Response  `json:"response"`
}

// legacyPath is where the layout before the packs kept the entry of hash.
func (c *Cache) legacyPath(hash string) string {
	return filepath.Join(c.dir, hash[:2], hash+".json")
}

// Get returns the response cached under k. A missing entry is (_, false,
// nil); an unreadable or corrupt one is an error.
func (c *Cache) Get(k CacheKey) (Response, bool, error) {
	return c.get(k.Hash())
}

// get is Get of the key whose Hash is hash: a miss works a key's hash out
// once, not at each step (the hash encodes the whole prompt).
func (c *Cache) get(hash string) (Response, bool, error) {
	return c.getFrom(hash, lookNew)
}

// getSeen is get from what this process has read of the cache: no system
// call when it misses. A miss in rw mode is looked up again, in full,
// under the key's lock.
func (c *Cache) getSeen(hash string) (Response, bool, error) {
	return c.getFrom(hash, lookIndex)
}

func (c *Cache) getFrom(hash string, mode lookMode) (Response, bool, error) {
	p, key, ok := c.packOf(hash)
	if !ok {
		return Response{}, false, fmt.Errorf("read cache: malformed key hash %q", hash)
	}
	for fresh := range 2 {
		if fresh == 1 {
			mode = lookAgain
		}
		f, at, found, err := p.lookup(key, mode)
		if err != nil {
			return Response{}, false, err
		}
		if !found {
			break
		}
		b, err := readEntry(f, at)
		if err != nil {
			return Response{}, false, fmt.Errorf("read cache %s: %w", p.path, err)
		}
		var e cacheEntry
		if err := json.Unmarshal(b, &e); err != nil {
			if fresh == 0 {
				continue // a newer entry may have been written over it
			}
			return Response{}, false, fmt.Errorf("read cache %s at byte %d: %w", p.path, at.off, err)
		}
		if e.V == cacheKeyVersion && e.Key == hash {
			return e.Response, true, nil
		}
		// Another key with the same 64 bits: not this one's entry.
	}
	if c.legacy && mode != lookIndex {
		return c.getLegacy(hash)
	}
	return Response{}, false, nil
}

// getLegacy is get from the layout before the packs.
func (c *Cache) getLegacy(hash string) (Response, bool, error) {
	b, err := os.ReadFile(c.legacyPath(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return Response{}, false, nil
	}
	if err != nil {
		return Response{}, false, fmt.Errorf("read cache: %w", err)
	}
	var e cacheEntry
	if err := json.Unmarshal(b, &e); err != nil {
		return Response{}, false, fmt.Errorf("read cache %s: %w", c.legacyPath(hash), err)
	}
	if e.V != cacheKeyVersion || e.Key != hash {
		return Response{}, false, nil
	}
	return e.Response, true, nil
}

func (c *Cache) redactString(s string) string {
	if c.redact == nil {
		return s
	}
	return c.redact(s)
}

// Put stores r under k: the entry is appended to its pack in one write,
// so readers and concurrent writers never see a partial entry.
func (c *Cache) Put(k CacheKey, r Response) error {
	return c.put(k, k.Hash(), r)
}

// put is Put of k, whose Hash is hash.
func (c *Cache) put(k CacheKey, hash string, r Response) error {
	p, _, ok := c.packOf(hash)
	if !ok {
		return fmt.Errorf("write cache: malformed key hash %q", hash)
	}
	r = c.redactResponse(r)
	r.Cached, r.Attempts = false, 0
	b, err := json.Marshal(cacheEntry{
		V: cacheKeyVersion, Key: hash, Endpoint: c.entryEndpoint(k.Endpoint), Model: c.redactString(k.Model),
		Repeat: k.Repeat, Created: time.Now().UTC(), Response: r,
	})
	if err != nil {
		return fmt.Errorf("write cache: %w", err)
	}
	if len(b) >= packMaxLine {
		return fmt.Errorf("write cache: an entry of %d bytes (at most %d)", len(b), packMaxLine)
	}
	if err := p.add(append(b, '\n')); err != nil {
		return fmt.Errorf("write cache: %w", err)
	}
	return nil
}

// WithCache returns a Backend that answers from c according to mode. The key
// of a call is its request, b's endpoint (see Endpointer) and the repeat
// index from the context (see WithRepeat). Errors are never cached; cache
// hits have Response.Cached set. Concurrent misses of one key (two
// variants, or an eval and its judge, asking the same thing) make one
// backend call: the others wait for it and get its response with Cached
// set. A nil c, or CacheOff, returns b itself.
func WithCache(b Backend, c *Cache, mode CacheMode) Backend {
	if c == nil || mode == CacheOff {
		return b
	}
	if mode == "" {
		mode = CacheRW
	}
	return &cached{next: b, cache: c, mode: mode}
}

type cached struct {
	next  Backend
	cache *Cache
	mode  CacheMode
}

func (c *cached) Endpoint() string { return endpointOf(c.next) }

func (c *cached) Complete(ctx context.Context, req Request) (Response, error) {
	switch c.mode {
	case CacheRW, CacheRead, CacheReplay:
	default:
		return Response{}, fmt.Errorf("cache mode %q: want rw, read, replay or off", c.mode)
	}
	k := NewCacheKey(endpointOf(c.next), req, RepeatFrom(ctx))
	hash := k.Hash()
	get := c.cache.get
	if c.mode == CacheRW {
		get = c.cache.getSeen // lockedCall looks again before calling
	}
	resp, ok, err := get(hash)
	switch {
	case ok:
		resp.Cached = true
		return resp, nil
	case err != nil && c.mode == CacheReplay:
		return Response{}, err
	case c.mode == CacheReplay:
		return Response{}, fmt.Errorf("%w: no response for model %q, repeat %d (key %.12s) in %s",
			ErrCacheMiss, k.Model, k.Repeat, hash, c.cache.Dir())
	}
	// A corrupt entry is a miss in rw and read modes; rw rewrites it.
	return c.cache.share(ctx, hash, func() (Response, error) {
		if c.mode != CacheRW {
			return c.call(ctx, k, hash, req)
		}
		get := func() (Response, bool) {
			resp, ok, _ := c.cache.get(hash)
			resp.Cached = true
			return resp, ok
		}
		return c.cache.lockedCall(ctx, hash, get, func() (Response, error) { return c.call(ctx, k, hash, req) })
	})
}

// call asks the backend for k, whose Hash is hash, and, in rw mode,
// stores its answer.
func (c *cached) call(ctx context.Context, k CacheKey, hash string, req Request) (Response, error) {
	resp, err := c.next.Complete(ctx, req)
	if err != nil {
		return resp, err
	}
	resp = c.cache.redactResponse(resp)
	if c.mode == CacheRW {
		if perr := c.cache.put(k, hash, resp); perr != nil {
			// The response is good; losing the cache entry must not lose
			// it. The failure is kept for WriteErr.
			c.cache.writeErr.Store(&perr)
		}
	}
	return resp, nil
}

// share runs call for hash unless a call for it is under way, in which case
// it waits for that call and returns its response with Cached set. A
// waiter whose leader failed because the leader's own context ended (while
// the waiter's has not) makes the call itself.
func (c *Cache) share(ctx context.Context, hash string, call func() (Response, error)) (Response, error) {
	for {
		c.mu.Lock()
		if c.inflight == nil {
			c.inflight = map[string]*flight{}
		}
		f, busy := c.inflight[hash]
		if !busy {
			// A call that panics leaves this error for its waiters.
			f = &flight{done: make(chan struct{}), err: errors.New("shared backend call did not return")}
			c.inflight[hash] = f
			c.mu.Unlock()
			func() {
				defer func() {
					c.mu.Lock()
					delete(c.inflight, hash)
					c.mu.Unlock()
					close(f.done)
				}()
				f.resp, f.err = call()
			}()
			return f.resp, f.err
		}
		f.waiters++
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return Response{}, ctx.Err()
		}
		if f.err == nil {
			resp := f.resp
			resp.Cached, resp.Attempts = true, 0
			return resp, nil
		}
		if errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded) {
			if ctx.Err() != nil {
				return Response{}, ctx.Err()
			}
			continue // the leader gave up, not the backend: try again
		}
		return Response{}, f.err
	}
}
