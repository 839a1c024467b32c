package llm

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// samePack returns n requests whose keys fall in one pack.
func samePack(t *testing.T, n int) []Request {
	t.Helper()
	var reqs []Request
	var pack string
	for i := 0; len(reqs) < n && i < 100000; i++ {
		r := req(fmt.Sprint("article ", i))
		if h := NewCacheKey("", r, 0).Hash(); pack == "" || h[:2] == pack {
			pack = h[:2]
			reqs = append(reqs, r)
		}
	}
	if len(reqs) < n {
		t.Fatal("no keys sharing a pack")
	}
	return reqs
}

// An entry another process appends is seen at this process's next miss,
// even in a pack it has indexed already.
func TestCachePackSeesOtherWriters(t *testing.T) {
	dir := t.TempDir()
	a, b := openCacheAt(t, dir), openCacheAt(t, dir)
	reqs := samePack(t, 2)
	k0, k1 := NewCacheKey("", reqs[0], 0), NewCacheKey("", reqs[1], 0)
	if err := a.Put(k0, Response{Content: "zero"}); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := b.Get(k0); !ok || err != nil || got.Content != "zero" {
		t.Fatalf("b.Get(k0) = %+v, %v, %v", got, ok, err)
	}
	if _, ok, err := b.Get(k1); ok || err != nil {
		t.Fatalf("b.Get(k1) before its Put = %v, %v; want a miss", ok, err)
	}
	if err := a.Put(k1, Response{Content: "one"}); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := b.Get(k1); !ok || err != nil || got.Content != "one" {
		t.Errorf("b.Get(k1) after a's Put = %+v, %v, %v; want a's entry", got, ok, err)
	}
	// The last entry of a key wins (a process that has read the key keeps
	// the entry it read: both answer the same request).
	if err := a.Put(k0, Response{Content: "zero again"}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*Cache{"a": a, "new": openCacheAt(t, dir)} {
		if got, _, _ := c.Get(k0); got.Content != "zero again" {
			t.Errorf("%s.Get(k0) = %q, want the newer entry", name, got.Content)
		}
	}
}

func openCacheAt(t *testing.T, dir string) *Cache {
	t.Helper()
	c, err := OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// An entry torn by a crash (no newline, cut JSON) costs that entry alone:
// the next entry starts on a line of its own, the entries before it and
// the one after are read back, and the torn one reads as corrupt (an
// error, which rw mode answers with a new call).
func TestCachePackTornEntry(t *testing.T) {
	dir := t.TempDir()
	reqs := samePack(t, 3)
	keys := make([]CacheKey, 3)
	for i, r := range reqs {
		keys[i] = NewCacheKey("", r, 0)
	}
	c := openCacheAt(t, dir)
	if err := c.Put(keys[0], Response{Content: "before"}); err != nil {
		t.Fatal(err)
	}
	p, _, _ := c.packOf(keys[0].Hash())
	f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, `%s%s","model":"m","response":{"content":"cut sh`, entryPrefix, keys[1].Hash())
	f.Close()
	other := openCacheAt(t, dir)
	if _, ok, _ := other.Get(keys[1]); ok {
		t.Errorf("the torn entry reads as a hit")
	}
	if err := other.Put(keys[2], Response{Content: "after"}); err != nil {
		t.Fatal(err)
	}
	fresh := openCacheAt(t, dir)
	for i, want := range []string{"before", "", "after"} {
		got, ok, err := fresh.Get(keys[i])
		if (err != nil) != (want == "") || ok != (want != "") || got.Content != want {
			t.Errorf("Get(key %d) = %q, %v, %v; want %q", i, got.Content, ok, err, want)
		}
	}
	// rw mode calls again for the torn key and stores it.
	be := &counter{}
	if _, err := WithCache(be, fresh, CacheRW).Complete(t.Context(), reqs[1]); err != nil || be.calls.Load() != 1 {
		t.Fatalf("rw over the torn entry: %d calls, %v", be.calls.Load(), err)
	}
	if _, ok, err := openCacheAt(t, dir).Get(keys[1]); !ok || err != nil {
		t.Errorf("Get(torn key) after rw = %v, %v; want its new entry", ok, err)
	}
}

// Entries of the layout before the packs (a file each) are still read, and
// a folder without them is not searched for them.
func TestCacheReadsLegacyEntries(t *testing.T) {
	dir := t.TempDir()
	k := NewCacheKey("", req("old"), 0)
	hash := k.Hash()
	e, _ := json.MarshalIndent(cacheEntry{V: cacheKeyVersion, Key: hash, Model: "m", Response: Response{Content: "- old"}}, "", "  ")
	if fresh := openCacheAt(t, dir); fresh.legacy {
		t.Errorf("an empty folder counts as having legacy entries")
	}
	os.MkdirAll(filepath.Join(dir, hash[:2]), 0o700)
	if err := os.WriteFile(filepath.Join(dir, hash[:2], hash+".json"), e, 0o600); err != nil {
		t.Fatal(err)
	}
	c := openCacheAt(t, dir)
	got, ok, err := c.Get(k)
	if err != nil || !ok || got.Content != "- old" {
		t.Fatalf("Get(legacy entry) = %+v, %v, %v", got, ok, err)
	}
	resp, err := WithCache(&counter{}, c, CacheReplay).Complete(t.Context(), req("old"))
	if err != nil || resp.Content != "- old" || !resp.Cached {
		t.Errorf("replay of a legacy entry = %+v, %v", resp, err)
	}
}

// A closed cache opens its files again when used.
func TestCacheCloseReopens(t *testing.T) {
	c := openCache(t)
	k := NewCacheKey("", req("a"), 0)
	if err := c.Put(k, Response{Content: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Get(k); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := c.Get(k); !ok || err != nil || got.Content != "x" {
		t.Errorf("Get after Close = %+v, %v, %v", got, ok, err)
	}
	if err := c.Put(NewCacheKey("", req("b"), 0), Response{Content: "y"}); err != nil {
		t.Errorf("Put after Close: %v", err)
	}
}

// TestCacheHelperProcess is not a test: the tests below run the test
// binary again with SUMMARIZE_CACHE_HELPER set to act as another process
// using the same cache folder.
func TestCacheHelperProcess(t *testing.T) {
	mode := os.Getenv("SUMMARIZE_CACHE_HELPER")
	if mode == "" {
		t.Skip("helper process of the cache's cross-process tests")
	}
	c, err := OpenCache(os.Getenv("SUMMARIZE_CACHE_DIR"))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	c.pollInterval = 5 * time.Millisecond
	switch mode {
	case "lock": // hold a key's lock until killed
		if _, held, err := c.locks.tryLock(NewCacheKey("", req("held"), 0).Hash()); !held || err != nil {
			fmt.Println("error", held, err)
			os.Exit(1)
		}
		fmt.Println("locked")
		io.Copy(io.Discard, os.Stdin)
	case "call": // ask five questions through a slow backend
		pid := os.Getpid()
		b := WithCache(BackendFunc(func(ctx context.Context, r Request) (Response, error) {
			fmt.Println("call", r.Messages[0].Content)
			time.Sleep(30 * time.Millisecond)
			return Response{Content: fmt.Sprintf("from %d", pid)}, nil
		}), c, CacheRW)
		var wg sync.WaitGroup
		var mu sync.Mutex
		for i := range 5 {
			wg.Go(func() {
				resp, err := b.Complete(context.Background(), req(fmt.Sprint("q", i)))
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					fmt.Println("error", err)
					return
				}
				fmt.Printf("answer q%d %s\n", i, resp.Content)
			})
		}
		wg.Wait()
	}
	os.Exit(0)
}

func helper(t *testing.T, dir, mode string) (*exec.Cmd, io.WriteCloser, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCacheHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SUMMARIZE_CACHE_HELPER="+mode, "SUMMARIZE_CACHE_DIR="+dir)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Process.Kill(); cmd.Wait() })
	return cmd, in, bufio.NewScanner(out)
}

// Three processes asking the same five questions at once through one cache
// folder make five calls in all, and all get the same answers.
func TestCacheOneCallAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	var outs [3]*bufio.Scanner
	var cmds [3]*exec.Cmd
	for i := range outs {
		cmds[i], _, outs[i] = helper(t, dir, "call")
	}
	calls := map[string]int{}
	answers := map[string][]string{}
	for i, sc := range outs {
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 2 && f[0] == "call":
				calls[f[1]]++
			case len(f) == 4 && f[0] == "answer":
				answers[f[1]] = append(answers[f[1]], f[3])
			default:
				t.Errorf("process %d: %s", i, sc.Text())
			}
		}
		if err := cmds[i].Wait(); err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	for q := range 5 {
		name := fmt.Sprint("q", q)
		if calls[name] != 1 {
			t.Errorf("%s: %d calls across the processes, want 1", name, calls[name])
		}
		if a := answers[name]; len(a) != 3 || len(slices.Compact(slices.Clone(a))) != 1 {
			t.Errorf("%s: answers %v, want one answer in all three processes", name, a)
		}
	}
}

// A key's lock is let go when its holder dies, however it dies: no stale
// lock is left to wait out.
func TestCacheLockFreedWhenHolderDies(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("byte locks are Linux's")
	}
	dir := t.TempDir()
	cmd, _, out := helper(t, dir, "lock")
	if !out.Scan() || out.Text() != "locked" {
		t.Fatalf("helper: %q", out.Text())
	}
	c := openCacheAt(t, dir)
	hash := NewCacheKey("", req("held"), 0).Hash()
	if _, held, err := c.locks.tryLock(hash); held || err != nil {
		t.Fatalf("tryLock() while the helper holds it = %v, %v", held, err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	unlock, held, err := c.locks.tryLock(hash)
	if !held || err != nil {
		t.Fatalf("tryLock() after the holder died = %v, %v; want it taken", held, err)
	}
	unlock()
}

// A lock file older than staleLock is taken over.
func TestCacheStaleLockFile(t *testing.T) {
	dir := t.TempDir()
	c := openCacheAt(t, dir)
	c.locks.noBytes = true
	hash := NewCacheKey("", req("x"), 0).Hash()
	p := filepath.Join(dir, "locks", hash+".lock")
	os.MkdirAll(filepath.Dir(p), 0o700)
	os.WriteFile(p, []byte("4242"), 0o600)
	if _, held, _ := c.locks.tryLock(hash); held {
		t.Fatalf("a fresh lock file of another process was taken")
	}
	old := time.Now().Add(-staleLock - time.Minute)
	os.Chtimes(p, old, old)
	unlock, held, err := c.locks.tryLock(hash)
	if !held || err != nil {
		t.Fatalf("tryLock() over a stale lock file = %v, %v", held, err)
	}
	unlock()
	if _, err := os.Stat(p); err == nil {
		t.Errorf("the lock file is left after unlock")
	}
}

// BenchmarkCacheFill is an eval's path through the cache for a new
// response: a miss, the key's lock, the call (free here) and the entry
// stored.
func BenchmarkCacheFill(b *testing.B) {
	c, err := OpenCache(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	be := WithCache(BackendFunc(func(ctx context.Context, r Request) (Response, error) {
		return Response{Content: "- a headline\n- another one\n- a third", Model: "m", Usage: Usage{PromptTokens: 900, CompletionTokens: 40}}, nil
	}), c, CacheRW)
	article := strings.Repeat("A sentence of a news article. ", 150)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		r := Request{Model: "m", MaxTokens: 200, Messages: []Message{
			{Role: RoleSystem, Content: "You write headline bullets."},
			{Role: RoleUser, Content: fmt.Sprint(i, article)},
		}}
		if _, err := be.Complete(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}

// A cache folder removed while a run goes on is made again by the next
// entry stored once pathCheckEvery has passed, and that entry is read back
// (not written into a file nobody can open).
func TestCachePackFolderRemoved(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	c := openCacheAt(t, dir)
	reqs := samePack(t, 2)
	k0, k1 := NewCacheKey("", reqs[0], 0), NewCacheKey("", reqs[1], 0)
	if err := c.Put(k0, Response{Content: "zero"}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.Get(k0); !ok {
		t.Fatal("entry not read back")
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	p, _, _ := c.packOf(k1.Hash())
	p.checked = time.Time{} // a second later
	if err := c.Put(k1, Response{Content: "one"}); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Cache{"same": c, "new": openCacheAt(t, dir)} {
		if got, ok, err := r.Get(k1); !ok || err != nil || got.Content != "one" {
			t.Errorf("%s cache: Get after the folder was removed = %+v, %v, %v", name, got, ok, err)
		}
		if _, ok, _ := r.Get(k0); ok {
			t.Errorf("%s cache: the removed entry still reads", name)
		}
	}
}
