package main

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
)

// The memo cleans a case once per set of clean options, gives what the
// cleaner gives, and holds at most its size.
func TestCleanMemo(t *testing.T) {
	m := newCleanMemo(1) // room for 20
	var mu sync.Mutex
	calls := map[string]int{}
	m.fn = func(in clean.Input, o clean.Options) (clean.Article, error) {
		mu.Lock()
		calls[in.Source+" "+optsKey(o)]++
		mu.Unlock()
		return clean.Clean(in, o)
	}
	plain, strict := clean.Options{}, clean.Options{DisableRules: []string{"byline"}}
	c := dataset.Case{ID: "a", Article: "Home | News | Sport\n\nThe council voted on Tuesday to double ferry fares for visitors this summer.\n\nBy Jane Doe"}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, o := range []clean.Options{plain, strict} {
				got, err := m.clean(c, o, optsKey(o))
				want, _ := clean.Clean(clean.Input{Source: c.ID, Data: []byte(c.Article)}, o)
				if err != nil || !cmp.Equal(got, want) {
					t.Errorf("memo clean = %+v, %v; want %+v", got, err, want)
				}
			}
		})
	}
	wg.Wait()
	if calls["a "+optsKey(plain)] != 1 || calls["a "+optsKey(strict)] != 1 || len(calls) != 2 {
		t.Errorf("cleaner calls %v, want each options' article cleaned once", calls)
	}
	for i := range 50 {
		if _, err := m.clean(dataset.Case{ID: fmt.Sprint("case ", i), Article: "The council voted on Tuesday to double ferry fares for visitors this summer, officials said."}, plain, optsKey(plain)); err != nil {
			t.Fatal(err)
		}
	}
	if len(m.byKey) != m.max || len(m.ring) != m.max {
		t.Errorf("memo holds %d entries (%d in its ring), want its size %d", len(m.byKey), len(m.ring), m.max)
	}
	if _, ok := m.byKey[memoKey{optsKey(plain), "case 49"}]; !ok {
		t.Errorf("the newest entry was evicted")
	}
	if _, ok := m.byKey[memoKey{optsKey(plain), "a"}]; ok {
		t.Errorf("the oldest entry is still held")
	}
}
