//go:build !linux

package llm

import (
	"errors"
	"os"
)

// byteLock is unsupported here: the cache's key locks are lock files.
func byteLock(f *os.File, off int64, lock bool) (held bool, err error) {
	return false, errors.ErrUnsupported
}
