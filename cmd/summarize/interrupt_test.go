package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An interrupted summarize exits 130 after saying it was interrupted.
func TestRunInterruptibleExit130(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	sample, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "sample.txt"))
	t.Chdir(t.TempDir()) // no ./summarize.yaml
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errb bytes.Buffer
	got := runInterruptible(ctx, []string{"-q", sample}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	if got != exitInterrupted {
		t.Errorf("runInterruptible(cancelled) = %d, want %d; stderr:\n%s", got, exitInterrupted, errb.String())
	}
	if !strings.Contains(errb.String(), "summarize: interrupted") {
		t.Errorf("stderr = %q, want it to say interrupted", errb.String())
	}
	errb.Reset()
	if got := runInterruptible(t.Context(), []string{"-q", sample}, stdio{in: strings.NewReader(""), out: &out, err: &errb}); got != exitOK {
		t.Errorf("runInterruptible(not cancelled) = %d, want 0; stderr:\n%s", got, errb.String())
	}
}

func TestSayInterrupted(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{3, "summarize: interrupted: finishing 3 calls in flight (up to 10s; Ctrl-C again to stop now)\n"},
		{1, "summarize: interrupted: finishing 1 call in flight (up to 10s; Ctrl-C again to stop now)\n"},
		{0, "summarize: interrupted: writing the reports of what finished\n"},
	} {
		var errb bytes.Buffer
		a := newTestApp(&bytes.Buffer{}, &errb)
		a.sayInterrupted(tc.n, 10*time.Second)
		if errb.String() != tc.want {
			t.Errorf("sayInterrupted(%d, 10s) said %q, want %q", tc.n, errb.String(), tc.want)
		}
	}
}

// Each of a variant's warnings is said once, named after the variant,
// however many repeats give it again with other details.
func TestOnceWarner(t *testing.T) {
	var got []string
	warn := onceWarner("v2", func(m string) { got = append(got, m) })
	warn("ferry: the bullets break the contract: 6 bullets, want 3-5")
	warn("ferry: the bullets break the contract: 7 bullets, want 3-5") // another repeat
	warn("frost: the bullets break the contract: 6 bullets, want 3-5")
	warn("temperature 0 not sent: o3-mini, a reasoning model, takes only its default temperature")
	warn("temperature 0 not sent: o3-mini, a reasoning model, takes only its default temperature")
	warn("note: no LLM configured")
	want := []string{
		"warning: v2: ferry: the bullets break the contract: 6 bullets, want 3-5",
		"warning: v2: frost: the bullets break the contract: 6 bullets, want 3-5",
		"warning: v2: temperature 0 not sent: o3-mini, a reasoning model, takes only its default temperature",
		"note: v2: no LLM configured",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("onceWarner said\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRetrySummary(t *testing.T) {
	for _, tc := range []struct {
		in   map[string]int
		want string
	}{
		{map[string]int{"rate limited": 5, "server errors": 2}, "7 retries (5 rate limited, 2 server errors)"},
		{map[string]int{"timeouts": 1}, "1 retry (1 timeout)"},
		{map[string]int{"invalid responses": 1, "server errors": 1}, "2 retries (1 server error, 1 invalid response)"},
	} {
		if got := retrySummary(tc.in); got != tc.want {
			t.Errorf("retrySummary(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
