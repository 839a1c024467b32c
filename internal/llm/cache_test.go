package llm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/redact"
)

// counter is a Backend that answers with a numbered reply and counts calls.
type counter struct {
	calls    atomic.Int32
	endpoint string
	fail     error
}

func (c *counter) Complete(ctx context.Context, req Request) (Response, error) {
	n := c.calls.Add(1)
	if c.fail != nil {
		return Response{}, c.fail
	}
	return Response{Content: fmt.Sprintf("reply %d to %s", n, req.Messages[0].Content), Model: req.Model,
		Usage: Usage{PromptTokens: 3, CompletionTokens: 4, TotalTokens: 7}, Attempts: 2}, nil
}

func (c *counter) Endpoint() string { return c.endpoint }

func req(text string) Request {
	return Request{Model: "m", Messages: []Message{{Role: RoleUser, Content: text}}, Temperature: 0, MaxTokens: 50}
}

func openCache(t *testing.T) *Cache {
	t.Helper()
	c, err := OpenCache(filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestParseCacheMode(t *testing.T) {
	for in, want := range map[string]CacheMode{"": CacheRW, "rw": CacheRW, "READ": CacheRead, "replay": CacheReplay, " off ": CacheOff} {
		got, err := ParseCacheMode(in)
		if err != nil || got != want {
			t.Errorf("ParseCacheMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseCacheMode("write"); err == nil {
		t.Errorf("ParseCacheMode(%q) succeeded, want an error", "write")
	}
}

func TestCacheKeyHash(t *testing.T) {
	base := NewCacheKey("http://x/v1", req("a"), 0)
	if got := base.Hash(); len(got) != 64 || got != NewCacheKey("http://x/v1", req("a"), 0).Hash() {
		t.Errorf("Hash() = %q: want 64 hex digits, stable", got)
	}
	variants := map[string]CacheKey{
		"endpoint":    NewCacheKey("http://y/v1", req("a"), 0),
		"repeat":      NewCacheKey("http://x/v1", req("a"), 1),
		"message":     NewCacheKey("http://x/v1", req("b"), 0),
		"model":       func() CacheKey { k := base; k.Model = "n"; return k }(),
		"temperature": func() CacheKey { k := base; k.Temperature = 0.5; return k }(),
		"max tokens":  func() CacheKey { k := base; k.MaxTokens = 51; return k }(),
		"seed":        func() CacheKey { k := base; k.Seed = 7; return k }(),
		"role":        func() CacheKey { k := base; k.Messages = []Message{{Role: RoleSystem, Content: "a"}}; return k }(),
	}
	for name, k := range variants {
		if k.Hash() == base.Hash() {
			t.Errorf("changing the %s leaves the hash unchanged", name)
		}
	}
	// Message boundaries matter: ["ab"] and ["a","b"] differ.
	one := CacheKey{Messages: []Message{{Content: "ab"}}}
	two := CacheKey{Messages: []Message{{Content: "a"}, {Content: "b"}}}
	if one.Hash() == two.Hash() {
		t.Errorf("split messages hash alike")
	}
	if (CacheKey{}).Hash() != (CacheKey{Messages: []Message{}}).Hash() {
		t.Errorf("nil and empty messages hash differently")
	}
}

func TestWithCacheModes(t *testing.T) {
	ctx := t.Context()
	tests := []struct {
		mode       CacheMode
		seeded     bool // the cache holds an answer for "a" before the calls
		wantCalls  int32
		wantCached []bool
		wantMiss   bool // calls on an empty cache fail with ErrCacheMiss
		wantStored bool // the cache holds "b" after the calls
	}{
		{mode: CacheRW, wantCalls: 1, wantCached: []bool{false, true}, wantStored: true},
		{mode: CacheRW, seeded: true, wantCalls: 0, wantCached: []bool{true, true}, wantStored: false},
		{mode: CacheRead, wantCalls: 2, wantCached: []bool{false, false}},
		{mode: CacheRead, seeded: true, wantCalls: 0, wantCached: []bool{true, true}},
		{mode: CacheReplay, wantCalls: 0, wantMiss: true},
		{mode: CacheReplay, seeded: true, wantCalls: 0, wantCached: []bool{true, true}},
		{mode: CacheOff, wantCalls: 2, wantCached: []bool{false, false}},
		{mode: CacheOff, seeded: true, wantCalls: 2, wantCached: []bool{false, false}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/seeded=%v", tt.mode, tt.seeded), func(t *testing.T) {
			c := openCache(t)
			text := "b"
			if tt.seeded {
				text = "a"
				if err := c.Put(NewCacheKey("ep", req("a"), 0), Response{Content: "seeded"}); err != nil {
					t.Fatal(err)
				}
			}
			be := &counter{endpoint: "ep"}
			b := WithCache(be, c, tt.mode)
			var first Response
			for i := range 2 {
				resp, err := b.Complete(ctx, req(text))
				if tt.wantMiss {
					if !errors.Is(err, ErrCacheMiss) {
						t.Fatalf("Complete() error = %v, want ErrCacheMiss", err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("Complete() error = %v", err)
				}
				if resp.Cached != tt.wantCached[i] {
					t.Errorf("call %d: Cached = %v, want %v", i+1, resp.Cached, tt.wantCached[i])
				}
				if i == 0 {
					first = resp
				} else if tt.mode == CacheRW && !tt.seeded {
					first.Cached, first.Attempts = true, 0
					if diff := cmp.Diff(first, resp); diff != "" {
						t.Errorf("cached response differs (-stored +hit):\n%s", diff)
					}
				}
			}
			if got := be.calls.Load(); got != tt.wantCalls {
				t.Errorf("backend calls = %d, want %d", got, tt.wantCalls)
			}
			_, stored, err := c.Get(NewCacheKey("ep", req("b"), 0))
			if err != nil || stored != tt.wantStored {
				t.Errorf("Get(b) stored = %v, %v; want %v", stored, err, tt.wantStored)
			}
		})
	}
}

func TestWithCacheKeyParts(t *testing.T) {
	c := openCache(t)
	be := &counter{endpoint: "http://one/v1"}
	b := WithCache(be, c, CacheRW)
	ctx := t.Context()
	for _, repeat := range []int{0, 1, 2, 1, 0} {
		if _, err := b.Complete(WithRepeat(ctx, repeat), req("a")); err != nil {
			t.Fatal(err)
		}
	}
	if got := be.calls.Load(); got != 3 {
		t.Errorf("backend calls for repeats 0,1,2,1,0 = %d, want 3", got)
	}
	// Another endpoint does not see the first one's entries.
	other := &counter{endpoint: "http://two/v1"}
	if resp, err := WithCache(other, c, CacheRW).Complete(ctx, req("a")); err != nil || resp.Cached {
		t.Errorf("Complete() on another endpoint = %+v, %v; want a fresh reply", resp, err)
	}
	// The endpoint passes through the other wrappers.
	wrapped := WithRetry(WithRateLimit(WithCache(be, c, CacheRW), 0, 0), RetryPolicy{})
	if e, ok := wrapped.(Endpointer); !ok || e.Endpoint() != "http://one/v1" {
		t.Errorf("wrapped backend endpoint = %v, want http://one/v1", wrapped)
	}
	if got := RepeatFrom(ctx); got != 0 {
		t.Errorf("RepeatFrom(plain ctx) = %d, want 0", got)
	}
}

func TestWithCacheWriteFailure(t *testing.T) {
	c := openCache(t)
	// A folder where the entry's pack should be makes every Put fail.
	p, _, _ := c.packOf(NewCacheKey("", req("a"), 0).Hash())
	if err := os.MkdirAll(p.path, 0o700); err != nil {
		t.Fatal(err)
	}
	resp, err := WithCache(&counter{}, c, CacheRW).Complete(t.Context(), req("a"))
	if err != nil || resp.Content == "" {
		t.Errorf("Complete() = %+v, %v; want the backend's reply despite the cache", resp, err)
	}
	if c.WriteErr() == nil {
		t.Errorf("WriteErr() = nil, want the failed write")
	}
}

func TestWithCacheUnknownMode(t *testing.T) {
	be := &counter{}
	_, err := WithCache(be, openCache(t), CacheMode("write")).Complete(t.Context(), req("a"))
	if err == nil || !strings.Contains(err.Error(), `cache mode "write"`) || be.calls.Load() != 0 {
		t.Errorf("Complete() with mode write: error = %v, calls %d; want a mode error and no call", err, be.calls.Load())
	}
}

func TestWithCacheErrorsNotCached(t *testing.T) {
	c := openCache(t)
	be := &counter{fail: &Error{Kind: ErrUnavailable, Status: 503}}
	b := WithCache(be, c, CacheRW)
	for range 2 {
		if _, err := b.Complete(t.Context(), req("a")); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Complete() error = %v, want ErrUnavailable", err)
		}
	}
	if got := be.calls.Load(); got != 2 {
		t.Errorf("backend calls = %d, want 2 (errors not cached)", got)
	}
	if _, err := WithCache(be, c, CacheReplay).Complete(t.Context(), req("a")); !errors.Is(err, ErrCacheMiss) {
		t.Errorf("replay after errors: error = %v, want ErrCacheMiss", err)
	}
}

// The cache's files are 0600 in 0700 folders, and entries make no file
// each: 40 of them are lines in at most 40 packs, beside the lock file.
func TestCachePermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "cache")
	c, err := OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b := WithCache(&counter{}, c, CacheRW)
	for i := range 40 {
		if _, err := b.Complete(t.Context(), req(fmt.Sprint("article ", i))); err != nil {
			t.Fatal(err)
		}
	}
	lines := 0
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700 | os.ModeDir
		} else {
			rel, _ := filepath.Rel(dir, p)
			switch ok, _ := filepath.Match(filepath.Join(packDir, "??.jsonl"), rel); {
			case ok:
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				lines += strings.Count(string(data), "\n")
			case rel == filepath.Join(packDir, "locks") && runtime.GOOS == "linux":
			default:
				t.Errorf("unexpected file %s in the cache", rel)
			}
		}
		if info.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, info.Mode(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if lines != 40 {
		t.Errorf("the packs hold %d entries, want 40", lines)
	}
}

func TestCacheCorruptEntry(t *testing.T) {
	c := openCache(t)
	k := NewCacheKey("", req("a"), 0)
	if err := c.Put(k, Response{Content: "x"}); err != nil {
		t.Fatal(err)
	}
	// A later line for the key that is not JSON is its entry now.
	p, _, _ := c.packOf(k.Hash())
	f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "%s%s\", not json\n", entryPrefix, k.Hash())
	f.Close()
	if _, err := WithCache(&counter{}, c, CacheReplay).Complete(t.Context(), req("a")); err == nil || errors.Is(err, ErrCacheMiss) {
		t.Errorf("replay of a corrupt entry: error = %v, want a read error", err)
	}
	be := &counter{}
	resp, err := WithCache(be, c, CacheRW).Complete(t.Context(), req("a"))
	if err != nil || resp.Cached || be.calls.Load() != 1 {
		t.Errorf("rw over a corrupt entry = %+v, %v; want a fresh reply", resp, err)
	}
	if _, ok, err := c.Get(k); !ok || err != nil {
		t.Errorf("Get after rewrite = %v, %v; want the entry back", ok, err)
	}
}

func TestCacheConcurrentWriters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	// Two Cache values on one directory stand for two processes.
	var caches [2]*Cache
	for i := range caches {
		c, err := OpenCache(dir)
		if err != nil {
			t.Fatal(err)
		}
		caches[i] = c
		defer c.Close()
	}
	be := &counter{}
	var wg sync.WaitGroup
	for g := range 16 {
		b := WithCache(be, caches[g%2], CacheRW)
		wg.Go(func() {
			for i := range 20 {
				text := fmt.Sprintf("article %d", i%5)
				resp, err := b.Complete(t.Context(), req(text))
				if err != nil {
					t.Errorf("Complete() error = %v", err)
					return
				}
				if !strings.HasSuffix(resp.Content, " to "+text) {
					t.Errorf("Complete(%q) = %q: answer to another request", text, resp.Content)
				}
			}
		})
	}
	wg.Wait()
	for i := range 5 {
		text := fmt.Sprintf("article %d", i)
		if _, ok, err := caches[0].Get(NewCacheKey("", req(text), 0)); !ok || err != nil {
			t.Errorf("Get(%q) = %v, %v; want a stored entry", text, ok, err)
		}
	}
	if n := be.calls.Load(); n != 5 {
		t.Errorf("%d backend calls for 5 requests over two caches on one folder, want 5", n)
	}
	for _, c := range caches {
		if err := c.WriteErr(); err != nil {
			t.Errorf("WriteErr() = %v", err)
		}
	}
}

func TestOpenCacheErrors(t *testing.T) {
	if _, err := OpenCache(""); err == nil {
		t.Errorf("OpenCache(\"\") succeeded, want an error")
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenCache(filepath.Join(file, "sub")); err == nil {
		t.Errorf("OpenCache under a file succeeded, want an error")
	}
}

func BenchmarkCacheHit(b *testing.B) {
	c, err := OpenCache(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	r := Request{Model: "m", MaxTokens: 200, Messages: []Message{
		{Role: RoleSystem, Content: "You write headline bullets."},
		{Role: RoleUser, Content: strings.Repeat("A sentence of a news article. ", 150)},
	}}
	be := WithCache(&counter{}, c, CacheRW)
	ctx := context.Background()
	if _, err := be.Complete(ctx, r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := be.Complete(ctx, r)
		if err != nil || !resp.Cached {
			b.Fatalf("Complete() = %+v, %v; want a hit", resp, err)
		}
	}
}

// echo is a Backend whose replies repeat a secret, as a misbehaving server
// may.
type echo struct{ secret string }

func (e echo) Complete(ctx context.Context, req Request) (Response, error) {
	return Response{Content: "your key is " + e.secret, Model: "m", Refusal: "no " + e.secret,
		Warnings: []string{"w " + e.secret}, Logprobs: []TokenLogprob{{Token: e.secret, Top: []Logprob{{Token: e.secret}}}}}, nil
}

func (echo) Endpoint() string {
	return "http://user:sk-url-secret-123456@127.0.0.1:1/v1?api_key=sk-query-secret-1"
}

func TestCacheRedactsEchoedKey(t *testing.T) {
	const key = "sk-test-echoed-0123456789"
	secrets := redact.NewSecrets(key)
	c, err := OpenCache(filepath.Join(t.TempDir(), "cache"), CacheRedact(secrets.Redact))
	if err != nil {
		t.Fatal(err)
	}
	b := WithCache(echo{key}, c, CacheRW)
	live, err := b.Complete(t.Context(), req("a"))
	if err != nil {
		t.Fatal(err)
	}
	hit, err := b.Complete(t.Context(), req("a"))
	if err != nil || !hit.Cached {
		t.Fatalf("second Complete() = %+v, %v; want a cache hit", hit, err)
	}
	for _, resp := range []Response{live, hit} {
		if got := fmt.Sprintf("%+v", resp); strings.Contains(got, key) {
			t.Errorf("Complete() = %s: the key is in the response", got)
		}
	}
	if want := "your key is REDACTED"; hit.Content != want {
		t.Errorf("cached Content = %q, want %q", hit.Content, want)
	}
	for _, leak := range []string{key, "sk-url-secret-123456", "sk-query-secret-1", "user:"} {
		if path, ok := grepCache(t, c.Dir(), leak); ok {
			t.Errorf("cache entry %s holds %q", path, leak)
		}
	}
}

// grepCache reports the first file under dir that contains s.
func grepCache(t *testing.T, dir, s string) (string, bool) {
	t.Helper()
	var found string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || found != "" {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), s) {
			found = p
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found, found != ""
}

func TestCacheEntryEndpointRedacted(t *testing.T) {
	c := openCache(t)
	a := NewCacheKey("http://alice:sk-alice-000000@127.0.0.1:1/v1", req("x"), 0)
	b := NewCacheKey("http://bob:sk-bob-1111111111@127.0.0.1:1/v1", req("x"), 0)
	if a.Hash() == b.Hash() {
		t.Fatalf("keys of two endpoints that differ only in credentials hash alike")
	}
	if err := c.Put(a, Response{Content: "for alice"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(b, Response{Content: "for bob"}); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[*CacheKey]string{&a: "for alice", &b: "for bob"} {
		got, ok, err := c.Get(*k)
		if err != nil || !ok || got.Content != want {
			t.Errorf("Get(%s) = %q, %v, %v; want %q", k.Endpoint, got.Content, ok, err, want)
		}
	}
	for _, leak := range []string{"sk-alice", "sk-bob", "alice:", "bob:"} {
		if path, ok := grepCache(t, c.Dir(), leak); ok {
			t.Errorf("cache entry %s holds %q", path, leak)
		}
	}
	p, _, _ := c.packOf(a.Hash())
	raw, _ := os.ReadFile(p.path)
	if !strings.Contains(string(raw), `"endpoint":"http://127.0.0.1:1/v1"`) {
		t.Errorf("entry = %s, want the endpoint without credentials", raw)
	}
}

// gate is a Backend that counts calls and blocks each until released.
type gate struct {
	calls   atomic.Int32
	started chan struct{}
	release chan struct{}
}

func (g *gate) Complete(ctx context.Context, req Request) (Response, error) {
	g.calls.Add(1)
	g.started <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
		return Response{}, ctx.Err()
	}
	return Response{Content: "one answer", Usage: Usage{TotalTokens: 9}}, nil
}

func TestWithCacheSharesInflight(t *testing.T) {
	c := openCache(t)
	g := &gate{started: make(chan struct{}, 16), release: make(chan struct{})}
	// Two wrappers on one cache stand for two evals (or an eval and its
	// judge) of one run.
	first, second := WithCache(g, c, CacheRW), WithCache(g, c, CacheRW)
	const n = 8
	var wg sync.WaitGroup
	resps := make([]Response, n)
	errs := make([]error, n)
	wg.Go(func() { resps[0], errs[0] = first.Complete(t.Context(), req("same")) })
	<-g.started
	for i := 1; i < n; i++ {
		b := first
		if i%2 == 1 {
			b = second
		}
		wg.Go(func() { resps[i], errs[i] = b.Complete(t.Context(), req("same")) })
	}
	// Let the waiters queue up behind the first call, then release it.
	for !waiting(c, n-1) {
		runtime.Gosched()
	}
	close(g.release)
	wg.Wait()
	if got := g.calls.Load(); got != 1 {
		t.Errorf("backend calls = %d, want 1", got)
	}
	cached := 0
	for i := range n {
		if errs[i] != nil || resps[i].Content != "one answer" {
			t.Errorf("call %d = %+v, %v", i, resps[i], errs[i])
		}
		if resps[i].Cached {
			cached++
		}
	}
	if cached != n-1 {
		t.Errorf("%d responses marked Cached, want %d (all but the one that paid)", cached, n-1)
	}
}

func TestWithCacheSharedLeaderCancelled(t *testing.T) {
	c := openCache(t)
	g := &gate{started: make(chan struct{}, 16), release: make(chan struct{})}
	b := WithCache(g, c, CacheRW)
	leaderCtx, cancelLeader := context.WithCancel(t.Context())
	var leaderErr error
	var wg sync.WaitGroup
	wg.Go(func() { _, leaderErr = b.Complete(leaderCtx, req("same")) })
	<-g.started
	var resp Response
	var err error
	wg.Go(func() { resp, err = b.Complete(t.Context(), req("same")) })
	for !waiting(c, 1) {
		runtime.Gosched()
	}
	cancelLeader()
	<-g.started // the waiter makes the call itself
	close(g.release)
	wg.Wait()
	if !errors.Is(leaderErr, context.Canceled) {
		t.Errorf("leader error = %v, want context.Canceled", leaderErr)
	}
	if err != nil || resp.Content != "one answer" {
		t.Errorf("waiter = %+v, %v; want the answer of its own call", resp, err)
	}
}

// waiting reports whether n callers in all wait for calls under way in c.
func waiting(c *Cache, n int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	total := 0
	for _, f := range c.inflight {
		total += f.waiters
	}
	return total >= n
}

// A process that finds another's lock on a key waits for that process's
// entry instead of calling the backend; a lock let go without an entry
// (the other call failed) lets it call. Both kinds of lock: bytes of one
// file where the system has them, lock files elsewhere.
func TestWithCacheWaitsForAnotherProcess(t *testing.T) {
	for _, files := range []bool{false, true} {
		t.Run(fmt.Sprintf("lockfiles=%v", files), func(t *testing.T) {
			if !files && runtime.GOOS != "linux" {
				t.Skip("byte locks are Linux's")
			}
			dir := t.TempDir()
			mine, err := OpenCache(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer mine.Close()
			mine.pollInterval = time.Millisecond
			other, err := OpenCache(dir) // the other process's view of the folder
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			mine.locks.noBytes, other.locks.noBytes = files, files
			var calls atomic.Int32
			b := BackendFunc(func(ctx context.Context, req Request) (Response, error) {
				calls.Add(1)
				return Response{Content: "- mine"}, nil
			})
			req := Request{Model: "m", Messages: []Message{{Role: RoleUser, Content: "x"}}}
			k := NewCacheKey("", req, 0)
			unlock, held, err := other.locks.tryLock(k.Hash())
			if err != nil || !held {
				t.Fatalf("tryLock() = %v, %v", held, err)
			}
			if _, held, err := mine.locks.tryLock(k.Hash()); held || err != nil {
				t.Fatalf("a second tryLock() = %v, %v; want the lock held by the other", held, err)
			}
			done := make(chan Response, 1)
			go func() {
				resp, err := WithCache(b, mine, CacheRW).Complete(t.Context(), req)
				if err != nil {
					t.Error(err)
				}
				done <- resp
			}()
			// The other process finishes its call.
			time.Sleep(5 * time.Millisecond)
			if err := other.Put(k, Response{Content: "- theirs"}); err != nil {
				t.Fatal(err)
			}
			unlock()
			resp := <-done
			if calls.Load() != 0 || resp.Content != "- theirs" || !resp.Cached {
				t.Errorf("calls %d, response %+v: want no call and the other process's answer as a hit", calls.Load(), resp)
			}

			// A lock let go without an entry: the waiter calls itself.
			req2 := Request{Model: "m", Messages: []Message{{Role: RoleUser, Content: "y"}}}
			unlock2, held, err := other.locks.tryLock(NewCacheKey("", req2, 0).Hash())
			if err != nil || !held {
				t.Fatalf("tryLock() = %v, %v", held, err)
			}
			go func() { time.Sleep(5 * time.Millisecond); unlock2() }()
			resp, err = WithCache(b, mine, CacheRW).Complete(t.Context(), req2)
			if err != nil || calls.Load() != 1 || resp.Content != "- mine" {
				t.Errorf("after an abandoned lock: calls %d, %+v, %v; want one call of its own", calls.Load(), resp, err)
			}
			if locks, _ := filepath.Glob(filepath.Join(dir, "locks", "*")); len(locks) != 0 {
				t.Errorf("lock files left behind: %v", locks)
			}
		})
	}
}
