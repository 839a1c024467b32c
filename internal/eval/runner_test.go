package eval

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/summary"
)

const twoVariants = `
name: t
dataset: DATASET
variants:
  - name: lead
    backend: lead3
  - name: oracle
    backend: openai
    model: fake-ok
metrics: [rouge1, rougeLsum, contract]
concurrency: 3
`

func TestRunScoresEveryCase(t *testing.T) {
	s := writeSuite(t, twoVariants)
	d := openFixture(t)
	r := mustRun(t, t.Context(), s, d, RunOptions{Generators: map[string]Generator{"lead": leadGen(3), "oracle": refGen()}})
	recs := records(t, r)
	if got, want := len(recs), 2*d.Len(); got != want {
		t.Fatalf("Run wrote %d records, want %d", got, want)
	}
	oracle := r.Variant("oracle")
	if got := oracle.Metrics["rouge1"].Mean; got != 1 {
		t.Errorf("oracle rouge1 mean = %v, want 1", got)
	}
	lead := r.Variant("lead")
	if m := lead.Metrics["rougeLsum"]; !(m.Mean > 0.1 && m.Mean < 0.9 && m.Lo <= m.Mean && m.Mean <= m.Hi) {
		t.Errorf("lead rougeLsum = %+v, want a mean in (0.1, 0.9) inside its CI", m)
	}
	if oracle.PromptTokens != int64(100*d.Len()) || oracle.CompletionTokens != int64(20*d.Len()) {
		t.Errorf("oracle tokens = %d/%d, want %d/%d", oracle.PromptTokens, oracle.CompletionTokens, 100*d.Len(), 20*d.Len())
	}
	var found bool
	for _, c := range r.Comparisons {
		if c.A == "lead" && c.B == "oracle" && c.Metric == "rouge1" {
			found = true
			if !(c.MeanDiff > 0 && c.P < 0.05) {
				t.Errorf("oracle vs lead on rouge1: diff %v p %v, want a significant gain", c.MeanDiff, c.P)
			}
		}
	}
	if !found {
		t.Errorf("no comparison of oracle against lead")
	}
}

func TestRunConcurrencyBound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := writeSuite(t, twoVariants)
		d := openFixture(t)
		var inFlight, peak atomic.Int32
		slow := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Second)
			inFlight.Add(-1)
			return summary.Summary{Bullets: c.Reference}, nil
		}
		start := time.Now()
		r := mustRun(t, t.Context(), s, d, RunOptions{Generators: map[string]Generator{"lead": slow, "oracle": slow}})
		if got := peak.Load(); got != 3 {
			t.Errorf("peak in-flight calls = %d, want the concurrency 3", got)
		}
		// 24 one-second calls over 3 workers take 8 seconds of fake time.
		if got, want := time.Since(start), 8*time.Second; got != want {
			t.Errorf("Run took %v of fake time, want %v", got, want)
		}
		if got := len(records(t, r)); got != 24 {
			t.Errorf("records = %d, want 24", got)
		}
	})
}

func TestRunRecordsFailingCase(t *testing.T) {
	s := writeSuite(t, twoVariants)
	d := openFixture(t)
	failing := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		switch c.ID {
		case "rail-fares":
			return summary.Summary{}, errors.New("backend unavailable (HTTP 503) after 4 attempts")
		case "chess-prodigy":
			panic("index out of range")
		}
		return refGen()(ctx, c, repeat)
	}
	r := mustRun(t, t.Context(), s, d, RunOptions{Generators: map[string]Generator{"lead": leadGen(3), "oracle": failing}})
	if got := r.Variant("oracle").Errors; got != 2 {
		t.Errorf("oracle errors = %d, want 2", got)
	}
	if got := r.Variant("oracle").Metrics["rouge1"].N; got != d.Len()-2 {
		t.Errorf("oracle rouge1 n = %d, want %d", got, d.Len()-2)
	}
	errs := map[string]string{}
	for _, rec := range records(t, r) {
		if rec.Status == StatusError {
			errs[rec.Case] = rec.Error
		}
	}
	want := map[string]string{
		"rail-fares":    "backend unavailable (HTTP 503) after 4 attempts",
		"chess-prodigy": "generator panicked: index out of range",
	}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("error records (-want +got):\n%s", diff)
	}
	if !r.TooManyErrors() || r.Passed() {
		t.Errorf("TooManyErrors = %v, Passed = %v; want true, false with the default errors budget 0", r.TooManyErrors(), r.Passed())
	}
}

func TestRunTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := writeSuite(t, twoVariants+"timeout: 5s\n")
		d := openFixture(t)
		hang := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
			if c.ID == "flu-season" {
				<-ctx.Done()
				return summary.Summary{}, ctx.Err()
			}
			return summary.Summary{Bullets: c.Reference}, nil
		}
		r := mustRun(t, t.Context(), s, d, RunOptions{Generators: map[string]Generator{"lead": leadGen(3), "oracle": hang}})
		var got string
		for _, rec := range records(t, r) {
			if rec.Case == "flu-season" && rec.Variant == "oracle" {
				got = rec.Error
			}
		}
		if want := "timed out after 5s: context deadline exceeded"; got != want {
			t.Errorf("error of the hanging case = %q, want %q", got, want)
		}
	})
}

func TestRunCancelKeepsFinished(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := writeSuite(t, twoVariants)
		d := openFixture(t)
		var calls atomic.Int32
		gen := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
			calls.Add(1)
			time.Sleep(time.Second)
			return summary.Summary{Bullets: c.Reference}, nil
		}
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(2500*time.Millisecond, cancel)
		r := mustRun(t, ctx, s, d, RunOptions{Generators: map[string]Generator{"lead": gen, "oracle": gen}})
		// Three rounds of three calls started (t=0, 1, 2); the third round
		// was in flight at the cancel and finished within the grace period.
		if got := len(records(t, r)); got != 9 {
			t.Errorf("records after cancel = %d, want 9", got)
		}
		if got := calls.Load(); got != 9 {
			t.Errorf("generator calls = %d, want 9: nothing dispatched after the cancel", got)
		}
		if !r.Interrupted || r.StopReason != StopInterrupted || !r.Manifest.Interrupted {
			t.Errorf("Interrupted = %v, StopReason = %q; want an interrupted result", r.Interrupted, r.StopReason)
		}
		if r.Passed() {
			t.Errorf("an interrupted run Passed")
		}
	})
}

func TestRunCancelAfterGrace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := writeSuite(t, twoVariants)
		d := openFixture(t)
		gen := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
			if c.ID == "harbor-bridge" {
				return summary.Summary{Bullets: c.Reference}, nil
			}
			<-ctx.Done() // never answers
			return summary.Summary{}, ctx.Err()
		}
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(time.Second, cancel)
		start := time.Now()
		r := mustRun(t, ctx, s, d, RunOptions{Grace: 3 * time.Second, Generators: map[string]Generator{"lead": gen, "oracle": gen}})
		if got, want := time.Since(start), 4*time.Second; got != want {
			t.Errorf("Run returned after %v, want %v (cancel + grace)", got, want)
		}
		if got := len(records(t, r)); got != 2 {
			t.Errorf("records = %d, want the 2 that finished", got)
		}
		if r.Cancelled != 3 {
			t.Errorf("Cancelled = %d, want the 3 calls in flight", r.Cancelled)
		}
	})
}

func TestRunMaxCost(t *testing.T) {
	s := writeSuite(t, twoVariants)
	s.Concurrency = 1
	d := openFixture(t)
	paid := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		return summary.Summary{Bullets: c.Reference, Cost: 0.01}, nil
	}
	cachedGen := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		return summary.Summary{Bullets: c.Reference, Cost: 0.01, Cached: true}, nil
	}
	r := mustRun(t, t.Context(), s, d, RunOptions{MaxCost: 0.05, Generators: map[string]Generator{"lead": cachedGen, "oracle": paid}})
	if r.StopReason != StopMaxCost || r.Interrupted {
		t.Errorf("StopReason = %q, Interrupted = %v; want max-cost, false", r.StopReason, r.Interrupted)
	}
	// The fifth paid call reaches the limit; one more call may have been
	// in flight on the single worker, and it is allowed to finish.
	if got := r.Variant("oracle").Runs; got < 5 || got > 6 {
		t.Errorf("paid runs = %d, want 5 or 6 (cache hits are free)", got)
	}
	if got := r.Variant("oracle").Runs + r.Variant("lead").Runs; got >= 2*d.Len() {
		t.Errorf("runs = %d: max cost did not stop the run", got)
	}
	if want := 0.01 * float64(r.Variant("oracle").Runs); math.Abs(r.Spent-want) > 1e-9 {
		t.Errorf("Spent = %v, want %v", r.Spent, want)
	}
}

// countingCache is a response cache for the resume test: it remembers
// answers by (variant, case, repeat) and counts the calls that reach the
// backend.
type countingCache struct {
	mu      sync.Mutex
	answers map[string]summary.Summary
	calls   int
}

func (cc *countingCache) wrap(variant string, next Generator) Generator {
	return func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		key := variant + "/" + c.ID + "/" + string(rune('0'+repeat))
		cc.mu.Lock()
		out, ok := cc.answers[key]
		cc.mu.Unlock()
		if ok {
			out.Cached = true
			return out, nil
		}
		out, err := next(ctx, c, repeat)
		if err != nil {
			return out, err
		}
		cc.mu.Lock()
		cc.calls++
		cc.answers[key] = out
		cc.mu.Unlock()
		return out, nil
	}
}

func TestRunResumeFromCache(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := writeSuite(t, twoVariants+"repeat: 2\n")
		d := openFixture(t)
		cc := &countingCache{answers: map[string]summary.Summary{}}
		slow := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
			select {
			case <-time.After(time.Second):
				return summary.Summary{Bullets: c.Reference}, nil
			case <-ctx.Done():
				return summary.Summary{}, ctx.Err()
			}
		}
		gens := map[string]Generator{"lead": cc.wrap("lead", slow), "oracle": cc.wrap("oracle", slow)}
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(3500*time.Millisecond, cancel)
		first := mustRun(t, ctx, s, d, RunOptions{Generators: gens})
		if !first.Interrupted {
			t.Fatal("first run was not interrupted")
		}
		done := len(records(t, first))
		second := mustRun(t, t.Context(), s, d, RunOptions{Generators: gens})
		total := d.Len() * 2 * 2
		if got := len(records(t, second)); got != total {
			t.Errorf("second run records = %d, want %d", got, total)
		}
		if cc.calls != total {
			t.Errorf("backend calls over both runs = %d, want %d: the rerun repeated finished calls", cc.calls, total)
		}
		if got := second.Variant("lead").Cached + second.Variant("oracle").Cached; got != done {
			t.Errorf("cache hits in the rerun = %d, want the %d calls the first run finished", got, done)
		}
	})
}

func TestRunSelection(t *testing.T) {
	s := writeSuite(t, twoVariants)
	d := openFixture(t)
	gens := map[string]Generator{"lead": leadGen(3), "oracle": refGen()}
	r := mustRun(t, t.Context(), s, d, RunOptions{Generators: gens, Variants: []string{"oracle"}, Limit: 4})
	if got := len(records(t, r)); got != 4 {
		t.Errorf("--variant oracle --limit 4: %d records, want 4", got)
	}
	if len(r.Variants) != 1 || r.Variants[0].Name != "oracle" {
		t.Errorf("variants = %v, want only oracle", r.Variants)
	}
	a := mustRun(t, t.Context(), s, d, RunOptions{Generators: gens, Sample: 5, Seed: 7})
	b := mustRun(t, t.Context(), s, d, RunOptions{Generators: gens, Sample: 5, Seed: 7})
	c := mustRun(t, t.Context(), s, d, RunOptions{Generators: gens, Sample: 5, Seed: 8})
	if len(a.CaseIDs) != 5 || !equal(a.CaseIDs, b.CaseIDs) {
		t.Errorf("--sample 5 --seed 7 twice: %v and %v, want the same 5 cases", a.CaseIDs, b.CaseIDs)
	}
	if equal(a.CaseIDs, c.CaseIDs) {
		t.Errorf("seeds 7 and 8 drew the same cases %v", a.CaseIDs)
	}
	if _, err := Run(t.Context(), s, d, RunOptions{Generators: gens, Variants: []string{"nope"}}); err == nil {
		t.Errorf("Run with --variant nope: no error")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Credentials in a variant's base URL never reach the manifest (and so no
// report).
func TestManifestRedactsBaseURL(t *testing.T) {
	s := writeSuite(t, `
name: t
dataset: DATASET
variants:
  - name: oracle
    backend: openai
    model: fake-ok
    base_url: https://user:hunter2@llm.example/v1?api_key=sk-abc
metrics: [rouge1]
`)
	d := openFixture(t)
	r := mustRun(t, t.Context(), s, d, RunOptions{Generators: map[string]Generator{"oracle": refGen()}})
	got := r.Manifest.Variants[0].Config["llm.base_url"]
	if want := "https://llm.example/v1?api_key=REDACTED"; got != want {
		t.Errorf("manifest base_url = %q, want %q", got, want)
	}
}

func TestAddSanity(t *testing.T) {
	tests := []struct {
		name, variants string
		want           []string // variant names after AddSanity; the last is the baseline when added
		added          bool
	}{
		{"added", "[{name: x, backend: extractive}]", []string{"x", "lead3"}, true},
		{"already has lead3", "[{name: mine, backend: lead3}]", []string{"mine"}, false},
		{"name taken", "[{name: lead3, backend: extractive}]", []string{"lead3", "lead3-baseline"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := writeSuite(t, "name: t\ndataset: DATASET\nvariants: "+tt.variants+"\nmetrics: [rouge1]\n")
			s.AddSanity()
			var got []string
			for _, v := range s.Variants {
				got = append(got, v.Name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("variants after AddSanity (-want +got):\n%s", diff)
			}
			last := s.Variants[len(s.Variants)-1]
			if last.Baseline != tt.added || (tt.added && last.Backend != "lead3") {
				t.Errorf("last variant %+v: baseline %v, want %v with backend lead3", last, last.Baseline, tt.added)
			}
		})
	}
	s := writeSuite(t, "name: t\ndataset: DATASET\nsanity: none\nvariants: [{name: x, backend: extractive}]\nmetrics: [rouge1]\n")
	if s.AddSanity(); len(s.Variants) != 1 {
		t.Errorf("sanity: none added a variant: %+v", s.Variants)
	}
}

// Gates without a variants list leave the sanity baseline out; a gate that
// names it applies to it.
func TestGatesSkipSanityBaseline(t *testing.T) {
	for _, tt := range []struct {
		scope     string
		wantGates int
		wantPass  bool
	}{
		{"", 1, true},                   // only the oracle is gated
		{"variants: [lead3]", 1, false}, // the baseline, named, fails 0.99
	} {
		s := writeSuite(t, "name: t\ndataset: DATASET\nvariants: [{name: oracle, backend: openai, model: m}]\nmetrics: [rouge1]\ngates:\n  rouge1: {min: 0.99, "+tt.scope+"}\n")
		s.AddSanity()
		d := openFixture(t)
		r := mustRun(t, t.Context(), s, d, RunOptions{Generators: map[string]Generator{"oracle": refGen(), "lead3": leadGen(3)}})
		gates := r.Gates
		if len(gates) != tt.wantGates || gates[0].Pass != tt.wantPass {
			t.Errorf("scope %q: gates %+v, want %d gate(s) passing=%v", tt.scope, gates, tt.wantGates, tt.wantPass)
		}
		if !r.Variant("lead3").Baseline {
			t.Errorf("scope %q: lead3 result not marked baseline", tt.scope)
		}
	}
}

// What the run spent before its first job (its batches) counts against
// MaxCost: with 0.03 paid already, the second paid run reaches 0.05, and
// cache hits still run free.
func TestRunMaxCostPrePaid(t *testing.T) {
	s := writeSuite(t, twoVariants)
	s.Concurrency = 1
	d := openFixture(t)
	paid := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		return summary.Summary{Bullets: c.Reference, Cost: 0.01}, nil
	}
	cachedGen := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		return summary.Summary{Bullets: c.Reference, Cost: 0.01, Cached: true}, nil
	}
	r := mustRun(t, t.Context(), s, d, RunOptions{MaxCost: 0.05, PrePaid: 0.03, Generators: map[string]Generator{"lead": cachedGen, "oracle": paid}})
	if r.StopReason != StopMaxCost {
		t.Errorf("StopReason = %q, want max-cost", r.StopReason)
	}
	if got := r.Variant("oracle").Runs; got < 2 || got > 3 {
		t.Errorf("paid runs = %d, want 2 or 3", got)
	}
	if want := 0.01 * float64(r.Variant("oracle").Runs); math.Abs(r.Spent-want) > 1e-9 {
		t.Errorf("Spent = %v, want %v (the live spend alone)", r.Spent, want)
	}
}

// Past the limit before the first job (its batches spent it), a run the
// cache answers in full goes on to the end, and is not said to be stopped.
func TestRunMaxCostPrePaidAllCached(t *testing.T) {
	s := writeSuite(t, twoVariants)
	d := openFixture(t)
	cachedGen := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		return summary.Summary{Bullets: c.Reference, Cost: 0.01, Cached: true}, nil
	}
	r := mustRun(t, t.Context(), s, d, RunOptions{MaxCost: 0.05, PrePaid: 0.2, Generators: map[string]Generator{"lead": cachedGen, "oracle": cachedGen}})
	if r.StopReason != "" {
		t.Errorf("StopReason = %q, want none: every run was a cache hit", r.StopReason)
	}
	if got := r.Variant("oracle").Runs + r.Variant("lead").Runs; got != 2*d.Len() {
		t.Errorf("runs = %d, want all %d", got, 2*d.Len())
	}
}
