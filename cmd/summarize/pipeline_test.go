package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// inFlightMeter answers like fake-ok, holding each request a moment so
// that requests sent together overlap, and records the most it had at
// once.
type inFlightMeter struct {
	mu        sync.Mutex
	now, peak int
	requests  int
}

func (m *inFlightMeter) handle(req llmtest.ChatRequest, n int) llmtest.Reply {
	m.mu.Lock()
	m.now++
	m.requests++
	m.peak = max(m.peak, m.now)
	m.mu.Unlock()
	time.Sleep(20 * time.Millisecond) // long enough for the others to arrive; the bound, not the clock, is checked
	m.mu.Lock()
	m.now--
	m.mu.Unlock()
	return llmtest.OK(req, n)
}

// summarize -j 4 over four articles that each need several map requests
// never has more than 4 requests in flight at the server: the workers and
// the map fan-out share one bound (today's fix for 4 × 4 = 16).
func TestConcurrencyBoundsRequestsInFlight(t *testing.T) {
	srv := llmtest.NewServer(t)
	var m inFlightMeter
	srv.Handle("fake-meter", m.handle)

	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, ".config"))
	for _, k := range []string{"SUMMARIZE_CONFIG", "OPENAI_API_KEY", "OPENAI_BASE_URL"} {
		t.Setenv(k, "")
	}
	var para strings.Builder
	for i := range 40 {
		fmt.Fprintf(&para, "Officials in the city said on Tuesday that the council had approved plan number %d after a long debate. ", i)
	}
	body := strings.Repeat(para.String()+"\n\n", 4)
	var args []string
	for i := range 4 {
		p := filepath.Join(dir, fmt.Sprintf("a%d.txt", i))
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"--base-url", srv.URL(), "--model", "fake-meter",
		"--context-window", "2048", "--max-tokens", "128", "-j", "4", "-q", "-f", "jsonl"}, args...),
		stdio{in: strings.NewReader(""), out: &out, err: &errOut})
	if code != 0 {
		t.Fatalf("summarize exited %d: %s", code, errOut.String())
	}
	if got := strings.Count(out.String(), `"chunks":`); got != 4 {
		t.Fatalf("%d of 4 results were summarized in parts; want all (raise the article length):\n%s", got, out.String())
	}
	t.Logf("%d requests, at most %d in flight", m.requests, m.peak)
	if m.peak > 4 {
		t.Errorf("%d requests in flight at once with -j 4, want at most 4", m.peak)
	}
	if m.peak < 2 {
		t.Errorf("at most %d request in flight: the map requests did not overlap, so the bound was not tested", m.peak)
	}
}
