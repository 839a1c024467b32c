package llm

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// A miss in rw mode writes its entry through the lock file: the entry is
// the one Put writes, no lock or temporary file is left, and when the lock
// is taken from it during the call (another process thought it stale) the
// entry is still written.
func TestCacheEntryThroughLock(t *testing.T) {
	for _, takeOver := range []bool{false, true} {
		dir := t.TempDir()
		c, err := OpenCache(filepath.Join(dir, "live"))
		if err != nil {
			t.Fatal(err)
		}
		r := Request{Model: "m", Messages: []Message{{Role: RoleUser, Content: "x"}}}
		k := NewCacheKey("", r, 0)
		b := BackendFunc(func(ctx context.Context, req Request) (Response, error) {
			if takeOver {
				os.Remove(c.lockPath(k.Hash()))
			}
			return Response{Content: "- one", Model: "m", Usage: Usage{PromptTokens: 3}}, nil
		})
		if _, err := WithCache(b, c, CacheRW).Complete(t.Context(), r); err != nil {
			t.Fatal(err)
		}
		ref, err := OpenCache(filepath.Join(dir, "ref"))
		if err != nil {
			t.Fatal(err)
		}
		if err := ref.Put(k, Response{Content: "- one", Model: "m", Usage: Usage{PromptTokens: 3}}); err != nil {
			t.Fatal(err)
		}
		read := func(c *Cache) cacheEntry {
			data, err := os.ReadFile(c.path(k.Hash()))
			if err != nil {
				t.Fatal(err)
			}
			var e cacheEntry
			if err := json.Unmarshal(data, &e); err != nil {
				t.Fatalf("entry %s: %v\n%s", c.path(k.Hash()), err, data)
			}
			return e
		}
		if diff := cmp.Diff(read(ref), read(c), cmpopts.IgnoreFields(cacheEntry{}, "Created")); diff != "" {
			t.Errorf("takeOver=%v: entry (-Put +through the lock):\n%s", takeOver, diff)
		}
		left, _ := filepath.Glob(filepath.Join(c.Dir(), "*", "*"))
		if len(left) != 1 || left[0] != c.path(k.Hash()) {
			t.Errorf("takeOver=%v: files in the cache %v, want the entry alone", takeOver, left)
		}
	}
}
