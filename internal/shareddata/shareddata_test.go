package shareddata

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a TB that records what File and Root asked for.
type recorder struct{ skipped, fatal string }

func (r *recorder) Helper()                       {}
func (r *recorder) Skipf(format string, a ...any) { r.skipped = fmt.Sprintf(format, a...) }
func (r *recorder) Fatal(a ...any)                { r.fatal = fmt.Sprint(a...) }

var _ TB = testing.TB(nil) // a *testing.T or *testing.B is a TB

func TestRoot(t *testing.T) {
	var r recorder
	root := Root(&r)
	if r.fatal != "" {
		t.Fatalf("Root() failed: %s", r.fatal)
	}
	// The tests run in internal/shareddata, two levels below the root.
	wd, _ := os.Getwd()
	if want := filepath.Dir(filepath.Dir(wd)); root != want {
		t.Errorf("Root() = %q, want %q", root, want)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Errorf("Root() = %q: no go.mod there: %v", root, err)
	}
}

func TestFileSkipsWhenAbsent(t *testing.T) {
	var r recorder
	File(&r, "no-such-file.jsonl")
	if !strings.HasPrefix(r.skipped, "shared data not available: ") {
		t.Errorf("File(no-such-file.jsonl) skip message = %q, want a skip saying the shared data is not available", r.skipped)
	}
}
