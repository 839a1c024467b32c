package batch_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/batch"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
	"github.com/summarize-dev/summarize/internal/llm/openai"
)

// timedTransport counts the HTTP calls made and the time spent waiting
// for them (the fake's share of the wall time: it answers the lines inside
// a poll).
type timedTransport struct {
	base  http.RoundTripper
	calls atomic.Int64
	wait  atomic.Int64 // ns
}

func (t *timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(r)
	t.calls.Add(1)
	t.wait.Add(int64(time.Since(start)))
	return resp, err
}

// peakHeap samples the live heap every millisecond until stop is called.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// BenchmarkRun10k sends 10,000 requests (1,000 cases × 10 repeats, about
// 400 bytes each) through batch mode against the fake, results into the
// response cache. It reports the HTTP calls made (all of them batch calls),
// the live chat calls (0), the time spent waiting on the fake (which
// answers the 10,000 lines inside one poll) and the client's own time, and
// the peak live heap of the process (client and fake together).
func BenchmarkRun10k(b *testing.B) {
	for _, withCache := range []bool{true, false} {
		b.Run(fmt.Sprintf("cache=%v", withCache), func(b *testing.B) {
			its := items("fake-ok", 1000, 10)
			var calls, live, waitNS, clientNS, peak float64
			for range b.N {
				b.StopTimer()
				srv := llmtest.NewBatchServer(b, llmtest.WithAPIKey(key))
				tr := &timedTransport{base: srv.Client().Transport}
				if tr.base == nil {
					tr.base = http.DefaultTransport
				}
				api, err := openai.New(openai.Options{BaseURL: srv.URL(), APIKey: key, HTTPClient: &http.Client{Transport: tr}})
				if err != nil {
					b.Fatal(err)
				}
				dir := b.TempDir()
				o := batch.Options{API: api, StatePath: filepath.Join(dir, "state.json"), Identity: "bench",
					Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}
				if withCache {
					if o.Cache, err = llm.OpenCache(filepath.Join(dir, "cache")); err != nil {
						b.Fatal(err)
					}
				}
				runtime.GC()
				stop := peakHeap()
				start := time.Now()
				b.StartTimer()
				out, err := batch.Run(context.Background(), o, its)
				b.StopTimer()
				wall := time.Since(start)
				peak = max(peak, float64(stop()))
				if err != nil || len(out.Results) != len(its) {
					b.Fatalf("Run: %d results, %v", len(out.Results), err)
				}
				calls += float64(tr.calls.Load())
				live += float64(srv.HTTPCalls()["POST /v1/chat/completions"])
				waitNS += float64(tr.wait.Load())
				clientNS += float64(wall) - float64(tr.wait.Load())
				srv.Close()
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(calls/n, "http-calls/op")
			b.ReportMetric(live/n, "live-chat-calls/op")
			b.ReportMetric(waitNS/n/1e6, "fake-ms/op")
			b.ReportMetric(clientNS/n/1e6, "client-ms/op")
			b.ReportMetric(peak/(1<<20), "peak-heap-MB")
		})
	}
}
