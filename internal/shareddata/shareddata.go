// Package shareddata finds the evaluation data that lives beside the
// checkout, in ../shared/data relative to the repository root: real
// CNN/DailyMail articles with highlights, published systems' outputs,
// reference ROUGE scores and NLTK stems. None of it is in the repository;
// tests and benchmarks that need it skip when it is absent.
//
// The package does not import "testing", so a binary that locates the data
// (cmd/extractive-report) does not link the test framework: File and Root
// take the few methods of testing.TB they use as the TB interface.
package shareddata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// TB is the part of testing.TB that File and Root use; a *testing.T or
// *testing.B is one.
type TB interface {
	Helper()
	Skipf(format string, args ...any)
	Fatal(args ...any)
}

// RepoRoot walks up from the working directory to the directory that holds
// go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Dir is ../shared/data beside the repository root; an error says why it
// cannot be used.
func Dir() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", fmt.Errorf("find shared data: %w", err)
	}
	dir := filepath.Clean(filepath.Join(root, "..", "shared", "data"))
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("shared data %s: not found", dir)
	}
	return dir, nil
}

// File returns the path of name in the shared data, and skips tb when it is
// absent. It is a test helper, for tests and benchmarks only: no binary
// calls it (cmd/extractive-report uses Dir).
func File(tb TB, name string) string {
	tb.Helper()
	dir, err := Dir()
	if err != nil {
		tb.Skipf("shared data not available: %v", err)
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("shared data not available: %v", err)
	}
	return path
}

// Root returns the repository root or fails tb. It is a test helper, for
// tests only: no binary calls it.
func Root(tb TB) string {
	tb.Helper()
	root, err := RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	return root
}
