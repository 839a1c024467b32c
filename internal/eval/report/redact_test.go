package report

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/redact"
	"github.com/summarize-dev/summarize/internal/summary"
)

// TestReportsHoldNoEchoedKey: a server that echoes the API key in a 200
// reply (or in an error) leaves no trace of it in any report.
func TestReportsHoldNoEchoedKey(t *testing.T) {
	const key = "sk-test-echoed-0123456789"
	s := writeSuite(t, goldenSuite)
	d := openFixture(t)
	echo := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		if c.ID == "rail-fares" {
			return summary.Summary{}, errors.New("unauthorized: bad key " + key)
		}
		return summary.Summary{Bullets: []string{"Key: " + key}, Leftovers: []string{"Echo " + key},
			Raw: "Echo " + key + "\n- Key: " + key, Model: "fake-chatty"}, nil
	}
	r := mustRun(t, t.Context(), s, d, eval.RunOptions{
		Generators: map[string]eval.Generator{"lead": leadGen(3), "oracle": refGen(), "sloppy": echo},
		Redact:     redact.NewSecrets(key).Redact,
	})
	writers := map[string]func(io.Writer) error{
		"json":     func(w io.Writer) error { return WriteJSON(w, r) },
		"jsonl":    func(w io.Writer) error { return WriteJSONL(w, r) },
		"html":     func(w io.Writer) error { return WriteHTML(w, r, HTMLOptions{MaxCases: 100}) },
		"markdown": func(w io.Writer) error { return WriteMarkdown(w, r) },
		"junit":    func(w io.Writer) error { return WriteJUnit(w, r) },
		"table":    func(w io.Writer) error { return WriteTableOptions(w, r, TableOptions{}) },
	}
	for name, write := range writers {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s report: %v", name, err)
		}
		if strings.Contains(b.String(), key) {
			t.Errorf("%s report holds the key", name)
		}
	}
}
