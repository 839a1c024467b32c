package batch

import (
	"context"
	"errors"
	"fmt"
)

// Report is what Status and Cancel say of the batches of a state file.
type Report struct {
	State    *State
	Batches  []Status
	Problems []error // batches the provider could not be asked about
}

// Status asks the provider about every batch of the state file at path
// (for --batch-status). A missing file is ErrNoState.
func StatusOf(ctx context.Context, api API, path string) (*Report, error) {
	return each(ctx, path, api.RetrieveBatch)
}

// Cancel asks the provider to cancel every batch of the state file at path
// that is not final (for --batch-cancel). The state file stays: a rerun
// collects what the batches finished before they stopped and retries the
// rest.
func Cancel(ctx context.Context, api API, path string) (*Report, error) {
	return each(ctx, path, func(ctx context.Context, id string) (Status, error) {
		s, err := api.RetrieveBatch(ctx, id)
		if err != nil || Final(s.State) || s.State == StateCancelling {
			return s, err
		}
		return api.CancelBatch(ctx, id)
	})
}

func each(ctx context.Context, path string, f func(context.Context, string) (Status, error)) (*Report, error) {
	st, err := ReadState(path)
	if err != nil {
		return nil, err
	}
	r := &Report{State: st}
	for _, e := range st.Batches {
		s, err := f(ctx, e.ID)
		if err != nil {
			if ctx.Err() != nil {
				return r, ctx.Err()
			}
			r.Problems = append(r.Problems, fmt.Errorf("batch %s: %w", e.ID, err))
			s = Status{ID: e.ID}
		}
		r.Batches = append(r.Batches, s)
	}
	return r, errors.Join(r.Problems...)
}
