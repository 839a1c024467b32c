package eval

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/redact"
	"github.com/summarize-dev/summarize/internal/summary"
)

func TestRunRedactsSecrets(t *testing.T) {
	const key = "sk-test-echoed-0123456789"
	s := writeSuite(t, twoVariants)
	d := openFixture(t)
	echo := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		if c.ID == "rail-fares" {
			return summary.Summary{Raw: "raw " + key}, errors.New(`Post "http://u:` + key + `@127.0.0.1:1/v1": refused, key ` + key)
		}
		return summary.Summary{Bullets: []string{"- your key is " + key}, Leftovers: []string{"Sure, " + key},
			Raw: "Sure, " + key + "\n- your key is " + key, Model: "m-" + key}, nil
	}
	r := mustRun(t, t.Context(), s, d, RunOptions{
		Generators: map[string]Generator{"lead": leadGen(3), "oracle": echo},
		Redact:     redact.NewSecrets(key).Redact,
	})
	b, err := os.ReadFile(r.ResultsPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), key) {
		t.Errorf("results stream holds the key:\n%s", b)
	}
	if !strings.Contains(string(b), "REDACTED") {
		t.Errorf("results stream has no REDACTED mark: the test echoes nothing?")
	}
}

func TestRunConcurrencyCap(t *testing.T) {
	s := writeSuite(t, twoVariants)
	d := openFixture(t)
	gens := map[string]Generator{"lead": leadGen(3), "oracle": refGen()}
	_, err := Run(t.Context(), s, d, RunOptions{Generators: gens, Concurrency: 100_000_000,
		ResultsPath: filepath.Join(t.TempDir(), "r.jsonl")})
	if err == nil || !strings.Contains(err.Error(), "concurrency 100000000: at most 256") {
		t.Errorf("Run(Concurrency: 100000000) error = %v, want the cap", err)
	}
	s.Concurrency = 1 << 30 // a suite the parser let through
	if _, err := Run(t.Context(), s, d, RunOptions{Generators: gens, ResultsPath: filepath.Join(t.TempDir(), "r.jsonl")}); err == nil {
		t.Errorf("Run(suite concurrency 1<<30) error = nil, want the cap")
	}
	r := mustRun(t, t.Context(), s, d, RunOptions{Generators: gens, Concurrency: MaxConcurrency})
	if got := r.Manifest.Settings.Concurrency; got != MaxConcurrency {
		t.Errorf("Manifest concurrency = %d, want %d", got, MaxConcurrency)
	}
}

func TestRunResultsToDevice(t *testing.T) {
	// A symlink to a device stands for --jsonl /dev/stdout.
	link := filepath.Join(t.TempDir(), "stdout")
	if err := os.Symlink(os.DevNull, link); err != nil {
		t.Skip(err)
	}
	s := writeSuite(t, twoVariants)
	d := openFixture(t)
	r := mustRun(t, t.Context(), s, d, RunOptions{Generators: map[string]Generator{"lead": leadGen(3), "oracle": refGen()}, ResultsPath: link})
	defer r.Close()
	if got, want := len(records(t, r)), 2*d.Len(); got != want {
		t.Errorf("records read back = %d, want %d", got, want)
	}
	if target, err := os.Readlink(link); err != nil || target != os.DevNull {
		t.Errorf("the link is now %q (%v), want it left pointing at %s", target, err, os.DevNull)
	}
	if st, err := os.Stat(os.DevNull); err != nil || st.Mode().IsRegular() {
		t.Errorf("%s replaced by a regular file", os.DevNull)
	}
	tmp := r.ResultsPath
	r.Close()
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary results %s left after Close (%v)", tmp, err)
	}
}
