package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// gated is a Summarizer whose calls block until the test releases them.
type gated struct {
	mu      sync.Mutex
	started []string
	release map[string]chan struct{}
}

func (g *gated) Summarize(ctx context.Context, a summarize.Article) (summarize.Summary, error) {
	g.mu.Lock()
	g.started = append(g.started, filepath.Base(a.Source))
	ch := g.release[filepath.Base(a.Source)]
	g.mu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
		return summarize.Summary{}, ctx.Err()
	}
	return summarize.Summary{Source: a.Source, Bullets: []string{filepath.Base(a.Source)}}, nil
}

func newGated(names []string) *gated {
	g := &gated{release: map[string]chan struct{}{}}
	for _, n := range names {
		g.release[n] = make(chan struct{})
	}
	return g
}

// writeInputs writes a short article under each name and returns the paths.
func writeInputs(t *testing.T, names []string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte("The council voted on Tuesday to close the old bridge after engineers found cracks.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func (g *gated) startedNow() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.started)
}

// summarizeAll runs at most n inputs at once and yields them in input
// order, whatever order they finish in.
func TestSummarizeAllOrderAndBound(t *testing.T) {
	names := []string{"a.txt", "b.txt", "c.txt", "d.txt", "e.txt"}
	args := writeInputs(t, names)
	a := &app{}
	cfg := config.Default()
	synctest.Test(t, func(t *testing.T) {
		g := newGated(names) // channels made inside the bubble
		var got []string
		finished := make(chan struct{})
		go func() {
			defer close(finished)
			for o := range a.summarizeAll(t.Context(), cfg, g, args, 3) {
				if o.err != nil {
					t.Errorf("%s: %v", o.src, o.err)
					continue
				}
				got = append(got, o.sum.Bullets[0])
			}
		}()
		synctest.Wait()
		if s := g.startedNow(); len(s) != 3 {
			t.Fatalf("started %v before any finished, want 3 at once", s)
		}
		// c finishes first: its slot goes to d, but nothing is yielded
		// before a and b.
		close(g.release["c.txt"])
		synctest.Wait()
		if s := g.startedNow(); len(s) != 4 || got != nil {
			t.Fatalf("after c finished: started %v, yielded %v; want 4 started, none yielded", s, got)
		}
		for _, n := range []string{"e.txt", "d.txt", "b.txt", "a.txt"} {
			close(g.release[n])
		}
		<-finished
		if diff := cmp.Diff(names, got); diff != "" {
			t.Errorf("yield order (-want +got):\n%s", diff)
		}
	})
}

// Stopping early cancels what is running and starts nothing more.
func TestSummarizeAllStopsEarly(t *testing.T) {
	names := []string{"a.txt", "b.txt", "c.txt", "d.txt"}
	args := writeInputs(t, names)
	synctest.Test(t, func(t *testing.T) {
		g := newGated(names)
		close(g.release["a.txt"])
		a := &app{}
		cfg := config.Default()
		for o := range a.summarizeAll(t.Context(), cfg, g, args, 2) {
			if o.err != nil {
				t.Fatalf("first outcome: %v", o.err)
			}
			break // b (and c, started when a finished) are blocked: both must be cancelled
		}
		// summarizeAll returned, so b and c ended (cancelled); d was never
		// started.
		if s := g.startedNow(); slices.Contains(s, "d.txt") || len(s) > 3 {
			t.Errorf("started %v after an early stop, want a, b and at most c", s)
		}
	})
}
