package llm

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Key locks let processes that share a cache folder make one call per
// key: the first to miss takes the key's lock, makes the call and stores
// the entry; the others wait for the entry instead of paying for the same
// call, and take the lock themselves if it is let go with no entry (the
// call failed).
//
// On Linux a key's lock is a byte of one file, packs/locks, locked with an
// open file description lock (F_OFD_SETLK): it takes no file of its own,
// and the kernel lets it go when its holder exits, however it exits. Where
// those locks are missing (other systems, some network file systems) it is
// a file, locks/HASH.lock, made with O_EXCL; one older than staleLock (its
// process died, or a call is stuck) is taken over.
const (
	staleLock        = 5 * time.Minute
	lockPollInterval = 100 * time.Millisecond
)

// keyLocks takes the cache's key locks.
type keyLocks struct {
	dir     string
	noBytes bool // lock files even where byte locks work (for tests)

	once  sync.Once
	f     *os.File // packs/locks, for byte locks; nil when they cannot be had
	files sync.Once
	err   error // making the lock files' folder failed
}

// lockByte is the byte of packs/locks that stands for hash: the 62 bits
// after the first two hex digits, so any offset is a valid file position.
func lockByte(hash string) int64 {
	k, _ := hashKey(hash)
	return int64(k >> 2)
}

// tryLock takes the lock of hash without waiting. held is false when
// another process (or another Cache in this process) holds it; err is not
// nil when no lock can be had here (a read-only folder), which must not
// stop the call.
func (l *keyLocks) tryLock(hash string) (unlock func(), held bool, err error) {
	l.once.Do(func() {
		if l.noBytes {
			return
		}
		if os.MkdirAll(filepath.Join(l.dir, packDir), 0o700) != nil {
			return
		}
		f, err := os.OpenFile(filepath.Join(l.dir, packDir, "locks"), os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return
		}
		if _, err := byteLock(f, 0, true); err != nil {
			f.Close() // no byte locks here: lock files instead
			return
		}
		byteLock(f, 0, false)
		l.f = f
	})
	if l.f != nil {
		off := lockByte(hash)
		held, err := byteLock(l.f, off, true)
		if err != nil || !held {
			return nil, false, err
		}
		return func() { byteLock(l.f, off, false) }, true, nil
	}
	return l.tryLockFile(hash)
}

// tryLockFile is tryLock with a lock file.
func (l *keyLocks) tryLockFile(hash string) (unlock func(), held bool, err error) {
	dir := filepath.Join(l.dir, "locks")
	l.files.Do(func() { l.err = os.MkdirAll(dir, 0o700) })
	if l.err != nil {
		return nil, false, l.err
	}
	p := filepath.Join(dir, hash+".lock")
	for range 2 {
		f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			f.WriteString(strconv.Itoa(os.Getpid()))
			mine, serr := f.Stat()
			f.Close()
			return func() {
				// Only while the path is still our lock: it may be another
				// process's, who took it over as stale.
				if now, err := os.Lstat(p); err == nil && serr == nil && os.SameFile(mine, now) {
					os.Remove(p)
				}
			}, true, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, false, err
		}
		st, err := os.Stat(p)
		if err != nil || time.Since(st.ModTime()) <= staleLock {
			return nil, false, nil
		}
		os.Remove(p) // stale: take it over
	}
	return nil, false, nil
}

func (l *keyLocks) close() error {
	if l.f != nil {
		return l.f.Close()
	}
	return nil
}

// lockedCall makes call under the key's lock, or, while another process
// holds it, waits for that process's entry and returns it as a cache hit.
// get reads the entry. When no lock can be had, call is made all the same.
func (c *Cache) lockedCall(ctx context.Context, hash string, get func() (Response, bool), call func() (Response, error)) (Response, error) {
	var tick *time.Ticker
	for {
		unlock, held, err := c.locks.tryLock(hash)
		if err != nil {
			return call()
		}
		if held {
			return holding(unlock, get, call)
		}
		if resp, ok := get(); ok {
			return resp, nil
		}
		if tick == nil {
			poll := c.pollInterval
			if poll <= 0 {
				poll = lockPollInterval
			}
			tick = time.NewTicker(poll)
			defer tick.Stop()
		}
		select {
		case <-ctx.Done():
			return Response{}, ctx.Err()
		case <-tick.C:
		}
	}
}

// holding makes call with the key's lock held, and lets it go afterwards.
func holding(unlock func(), get func() (Response, bool), call func() (Response, error)) (Response, error) {
	defer unlock()
	if resp, ok := get(); ok {
		return resp, nil // stored while we were taking the lock
	}
	return call()
}
