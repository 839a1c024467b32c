package llm

import (
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// byteLock takes (lock) or lets go (!lock) the write lock of byte off of
// f, an open file description lock that does not wait. held is false when
// another open file description holds it.
func byteLock(f *os.File, off int64, lock bool) (held bool, err error) {
	lk := unix.Flock_t{Type: unix.F_UNLCK, Whence: io.SeekStart, Start: off, Len: 1}
	if lock {
		lk.Type = unix.F_WRLCK
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return false, err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		for {
			ferr = unix.FcntlFlock(fd, unix.F_OFD_SETLK, &lk)
			if !errors.Is(ferr, unix.EINTR) {
				return
			}
		}
	}); err != nil {
		return false, err
	}
	if errors.Is(ferr, unix.EAGAIN) || errors.Is(ferr, unix.EACCES) {
		return false, nil
	}
	return ferr == nil, ferr
}
