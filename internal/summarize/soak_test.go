package summarize

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
	"github.com/summarize-dev/summarize/internal/llm/openai"
)

// faulty answers like fake-ok, except for a seeded share of requests: 10%
// 429 with Retry-After, 10% 500, 5% a reply cut mid-body, 5% a 200 of
// broken JSON.
type faulty struct {
	mu     sync.Mutex
	rng    *rand.Rand
	counts map[string]int
}

func (f *faulty) reply(req llmtest.ChatRequest, _ int) llmtest.Reply {
	f.mu.Lock()
	x := f.rng.Float64()
	f.mu.Unlock()
	kind := "ok"
	var r llmtest.Reply
	switch {
	case x < 0.10:
		kind = "429"
		r = llmtest.Error(http.StatusTooManyRequests, "requests", "rate_limit_exceeded", "Rate limit reached")
		r.Header = http.Header{"Retry-After": {"2"}}
	case x < 0.20:
		kind = "500"
		r = llmtest.Error(http.StatusInternalServerError, "server_error", nil, "The server had an error")
	case x < 0.25:
		kind = "cut"
		r = llmtest.OK(req, 0)
		r.Cut = true
	case x < 0.30:
		kind = "garbage"
		r = llmtest.Reply{RawBody: []byte("<html>upstream error {\"choices\": [")}
	default:
		r = llmtest.OK(req, 0)
	}
	f.mu.Lock()
	f.counts[kind]++
	f.mu.Unlock()
	return r
}

// BenchmarkFaultSoak sends a few hundred articles through the LLM
// summarizer, the retry policy and the real adapter to a fake server that
// fails 30% of requests in four ways at once. Nothing may be lost: every
// case ends with its bullets. Retries do not sleep (RetryPolicy.Sleep), so
// the figures measure the client's work, not the waits the server asked for.
func BenchmarkFaultSoak(b *testing.B) {
	const cases, workers = 300, 8
	srv := llmtest.NewServer(b)
	f := &faulty{rng: rand.New(rand.NewPCG(1, 2)), counts: map[string]int{}}
	srv.Handle("soak", f.reply)
	c, err := openai.New(openai.Options{BaseURL: srv.URL(), HTTPClient: srv.Client(), Timeout: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	var retries, asked atomic.Int64
	backend := llm.WithRetry(c, llm.RetryPolicy{MaxRetries: 12,
		OnRetry: func(_ int, _ error, wait time.Duration) { retries.Add(1); asked.Add(int64(wait)) },
		Sleep:   func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	s := &LLM{Backend: backend, Opts: Options{Model: "soak", Template: headline(b), Bullets: 3, MaxWords: 12}}
	articles := make([]Article, cases)
	for i := range articles {
		articles[i] = Article{Source: fmt.Sprintf("case-%d", i),
			Body: fmt.Sprintf("Case %d opened with a council vote on Tuesday. The budget passed by a wide margin. Critics said transport was ignored.", i)}
	}
	start := time.Now()
	for b.Loop() {
		var wg sync.WaitGroup
		next := make(chan int)
		var failed atomic.Int64
		for range workers {
			wg.Go(func() {
				for i := range next {
					sum, err := s.Summarize(b.Context(), articles[i])
					if err != nil || len(sum.Bullets) != 3 {
						failed.Add(1)
						b.Errorf("%s: %v, bullets %q", articles[i].Source, err, sum.Bullets)
					}
				}
			})
		}
		for i := range articles {
			next <- i
		}
		close(next)
		wg.Wait()
		if failed.Load() > 0 {
			b.Fatalf("%d of %d cases lost", failed.Load(), cases)
		}
	}
	elapsed := time.Since(start)
	runs := float64(b.N)
	total := 0
	for _, n := range f.counts {
		total += n
	}
	b.ReportMetric(cases, "cases/op")
	b.ReportMetric(float64(total)/runs/cases, "requests/case")
	b.ReportMetric(float64(retries.Load())/runs/cases, "retries/case")
	for _, k := range []string{"429", "500", "cut", "garbage"} {
		b.ReportMetric(100*float64(f.counts[k])/float64(max(total, 1)), "%"+k)
	}
	b.ReportMetric(time.Duration(asked.Load()/int64(b.N)).Seconds(), "waits-skipped-s/op")
	b.ReportMetric(runs*cases/elapsed.Seconds(), "cases/s")
}
