package llm

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Lock files let processes that share a cache folder make one call per
// key: the first to miss writes KEY.lock beside the entry, makes the call
// and stores the entry; the others wait for the entry instead of paying for
// the same call. A lock older than staleLock (its process died, or a call
// is stuck) is taken over.
const (
	staleLock        = 5 * time.Minute
	lockPollInterval = 100 * time.Millisecond
)

func (c *Cache) lockPath(hash string) string { return c.path(hash) + ".lock" }

// lockFile is a key's lock file held open by this process.
type lockFile struct {
	f       *os.File
	size    int  // bytes written into it (the process id)
	isEntry bool // it was renamed into place as the key's entry
}

// lockedCall makes call under the key's lock file, or, when another
// process holds it, waits for that process's entry and returns it as a
// cache hit. get reads the entry. call gets the lock file, open, to write
// the entry into and rename into place (see Cache.put), or nil when no
// lock could be made (a read-only folder), which does not stop the call.
func (c *Cache) lockedCall(ctx context.Context, hash string, get func() (Response, bool), call func(lock *lockFile) (Response, error)) (Response, error) {
	lock := c.lockPath(hash)
	remade := false
	for {
		if err := c.mkdir(filepath.Dir(lock)); err != nil {
			return call(nil)
		}
		f, err := os.OpenFile(lock, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			return c.holdingLock(f, get, call)
		}
		if errors.Is(err, fs.ErrNotExist) && !remade {
			c.dirs.Delete(filepath.Dir(lock)) // the folder went away: make it again
			remade = true
			continue
		}
		if !errors.Is(err, fs.ErrExist) {
			return call(nil)
		}
		// Another process is making this call: wait for its entry.
		resp, ok, err := c.waitForEntry(ctx, lock, get)
		if err != nil {
			return Response{}, err
		}
		if ok {
			return resp, nil
		}
		// The lock went away without an entry (the call failed) or went
		// stale: try to take it.
	}
}

// holdingLock makes call with the lock file f just taken. The lock is
// removed afterwards unless it became the entry.
func (c *Cache) holdingLock(f *os.File, get func() (Response, bool), call func(lock *lockFile) (Response, error)) (Response, error) {
	n, _ := f.WriteString(strconv.Itoa(os.Getpid()))
	lock := &lockFile{f: f, size: n}
	defer func() {
		if lock.isEntry {
			// The path is the entry now, or another process's lock if the
			// entry went away since: nothing of ours to remove.
			f.Close()
			return
		}
		held, herr := f.Stat()
		f.Close()
		// Only while the path is still this lock: it may be another
		// process's, who took it over as stale.
		if now, err := os.Lstat(f.Name()); err == nil && herr == nil && os.SameFile(held, now) {
			os.Remove(f.Name())
		}
	}()
	if resp, ok := get(); ok {
		return resp, nil // stored while we were taking the lock
	}
	return call(lock)
}

// waitForEntry polls until the entry exists (ok), the lock is gone or
// stale (not ok: the caller retries), or ctx ends.
func (c *Cache) waitForEntry(ctx context.Context, lock string, get func() (Response, bool)) (Response, bool, error) {
	poll := c.pollInterval
	if poll <= 0 {
		poll = lockPollInterval
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if resp, ok := get(); ok {
			return resp, true, nil
		}
		st, err := os.Stat(lock)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if resp, ok := get(); ok {
				return resp, true, nil
			}
			return Response{}, false, nil
		case err == nil && time.Since(st.ModTime()) > staleLock:
			os.Remove(lock)
			return Response{}, false, nil
		}
		select {
		case <-ctx.Done():
			return Response{}, false, ctx.Err()
		case <-t.C:
		}
	}
}
