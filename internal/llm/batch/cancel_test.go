package batch_test

import (
	"errors"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm/batch"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// A batch cancelled before it ran a line (while validating) leaves no
// file for its lines: they are to retry, as cancelled, not a mismatch.
func TestCancelWhileValidating(t *testing.T) {
	f := newFixture(t)
	f.srv.SetBatchFaults(llmtest.BatchFaults{PollsPerStatus: 5})
	its := items("fake-ok", 3, 1)
	interrupt(t, f, "w", its)
	rep, err := batch.Cancel(t.Context(), f.api, f.state)
	if err != nil || rep.Batches[0].State != batch.StateCancelling {
		t.Fatalf("Cancel: %+v, %v; want cancelling", rep, err)
	}
	out, err := batch.Run(t.Context(), f.options("w"), its)
	if err != nil {
		t.Fatalf("Run after a cancel while validating: %v", err)
	}
	if len(out.Results) != 0 || len(out.Retry) != 3 {
		t.Fatalf("after the cancel: %d results, %d to retry; want 0 and 3", len(out.Results), len(out.Retry))
	}
	for _, it := range out.Retry {
		if !errors.Is(out.Failures[it.ID], batch.ErrCancelled) {
			t.Errorf("failure of %s = %v, want ErrCancelled", it.ID, out.Failures[it.ID])
		}
	}
}
