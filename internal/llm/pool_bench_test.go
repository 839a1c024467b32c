package llm_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
	"github.com/summarize-dev/summarize/internal/llm/openai"
)

// BenchmarkPoolFakeServers is BenchmarkPool over HTTP: 4 of the project's
// fake servers that answer in 200 ms, each capped at 8 requests in flight,
// against one such server, and the same 4 with one failing half its
// requests (503). It reports requests/s, the speed-up over one server
// (ideal 4) and the requests lost (want 0).
func BenchmarkPoolFakeServers(b *testing.B) {
	const delay = 200 * time.Millisecond
	for _, tc := range []struct {
		name  string
		n     int
		flaky bool
	}{{"1-server", 1, false}, {"4-servers", 4, false}, {"4-servers-1-flaky", 4, true}} {
		b.Run(tc.name, func(b *testing.B) {
			eps := make([]llm.Endpoint, tc.n)
			for i := range eps {
				srv := llmtest.NewServer(b)
				var n atomic.Int64
				flaky := tc.flaky && i == 0
				srv.Handle("fake-200ms", func(req llmtest.ChatRequest, _ int) llmtest.Reply {
					if flaky && n.Add(1)%2 == 0 {
						return llmtest.Error(503, "server_error", nil, "overloaded")
					}
					return llmtest.Reply{Content: "- one\n- two\n- three", Delay: delay}
				})
				cl, err := openai.New(openai.Options{BaseURL: srv.URL(), APIKey: "k", HTTPClient: srv.Client()})
				if err != nil {
					b.Fatal(err)
				}
				eps[i] = llm.Endpoint{Name: srv.URL(), Backend: cl, MaxInFlight: 8}
			}
			p, err := llm.NewPool(eps, llm.PoolOptions{})
			if err != nil {
				b.Fatal(err)
			}
			reqs := 8 * tc.n * 4 // four full waves
			lost := 0
			start := time.Now()
			for b.Loop() {
				var wg sync.WaitGroup
				var failed atomic.Int64
				for range reqs {
					wg.Go(func() {
						if _, err := p.Complete(context.Background(), llm.Request{Model: "fake-200ms", Messages: []llm.Message{{Role: "user", Content: "x"}}}); err != nil {
							failed.Add(1)
						}
					})
				}
				wg.Wait()
				lost += int(failed.Load())
			}
			el := time.Since(start).Seconds() / float64(b.N)
			b.ReportMetric(float64(reqs)/el, "req/s")
			b.ReportMetric(float64(reqs)/el/(8/delay.Seconds()), "x-one-server-ideal")
			b.ReportMetric(float64(lost), "lost")
		})
	}
}
