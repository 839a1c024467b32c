package main

import (
	"errors"
	"fmt"
	"sync"

	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
)

// cleanMemo keeps the cleaned articles of the cases an eval is running, so
// that a case's variants and repeats clean its article once when they
// share clean options (a suite's LLM variants and its lead3 baseline
// usually do). The runner hands out a case's jobs together, so a few
// entries a worker are enough; the oldest make room first.
type cleanMemo struct {
	mu    sync.Mutex
	max   int
	byKey map[memoKey]*memoEntry
	ring  []memoKey // insertion order, for eviction
	next  int
	fn    func(clean.Input, clean.Options) (clean.Article, error) // clean.Clean
}

type memoKey struct {
	opts string // the clean options, printed
	id   string // the case
}

// memoEntry is one case's cleaning: done is closed when art and err are
// set, so that jobs asking at once wait for one cleaning.
type memoEntry struct {
	done chan struct{}
	art  clean.Article
	err  error
}

func newCleanMemo(workers int) *cleanMemo {
	n := 4*workers + 16
	return &cleanMemo{max: n, byKey: make(map[memoKey]*memoEntry, n), fn: clean.Clean}
}

// optsKey names clean options in memo keys.
func optsKey(o clean.Options) string {
	return fmt.Sprintf("%q %q %q %v", o.Rules, o.DisableRules, o.ExtraPatterns, o.KeepRefs)
}

// clean returns c's article cleaned with o, whose optsKey is opts.
func (m *cleanMemo) clean(c dataset.Case, o clean.Options, opts string) (clean.Article, error) {
	k := memoKey{opts, c.ID}
	m.mu.Lock()
	e, ok := m.byKey[k]
	if !ok {
		e = &memoEntry{done: make(chan struct{})}
		if len(m.ring) < m.max {
			m.ring = append(m.ring, k)
		} else {
			delete(m.byKey, m.ring[m.next])
			m.ring[m.next] = k
			m.next = (m.next + 1) % m.max
		}
		m.byKey[k] = e
	}
	m.mu.Unlock()
	if ok {
		<-e.done
		return e.art, e.err
	}
	defer close(e.done)
	e.err = errors.New("clean: the cleaner failed on another variant's run of this case") // if fn panics
	e.art, e.err = m.fn(clean.Input{Source: c.ID, Data: []byte(c.Article)}, o)
	return e.art, e.err
}
