package rouge

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedData returns the path of name in the shared data folder beside the
// checkout (../shared/data relative to the directory holding go.mod), and
// skips the test or benchmark when the file is absent.
func sharedData(tb testing.TB, name string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skipf("no go.mod above the package: cannot locate shared data")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "data", name)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data %s absent: %v", name, err)
	}
	return p
}
