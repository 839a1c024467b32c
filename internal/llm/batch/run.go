package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/redact"
)

// Options configure Run.
type Options struct {
	API API
	// Cache, when set, is consulted first (hits are not submitted) and
	// receives every successful reply under the live call's key.
	Cache *llm.Cache
	// StatePath is the state file (required).
	StatePath string
	// Identity names the work (see Identity); required.
	Identity string
	// Progress, when set, hears every status polled.
	Progress func(Status)
	// Poll paces the polling; the zero value is DefaultPoll().
	Poll Backoff
	// Sleep waits between polls; nil = a timer. Tests pass one that
	// returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock for the state file; nil = time.Now.
	Now func() time.Time
	// Metadata is attached to each batch (at most 16 pairs, with the
	// identity as "summarize_work").
	Metadata map[string]string
}

// Outcome is what Run got back.
type Outcome struct {
	// Batches are the final statuses of the batches, in submission order.
	Batches []Status
	// Resumed is set when the batches came from an existing state file.
	Resumed bool
	// Cached counts the items the cache answered before any submission.
	Cached int
	// Submitted counts the lines sent (or found in the resumed state).
	Submitted int
	// Results holds the successful replies by item ID.
	Results map[string]llm.Response
	// Failures holds the lines that got an error, by item ID.
	Failures map[string]error
	// Retry holds the items with no result: failed lines, lines an
	// expired or cancelled batch did not run, lines no file accounts for,
	// and (on a resume) items the resumed batches did not contain. Send
	// them in a follow-up batch, or live.
	Retry []Item
	// Usage sums the usage of the results, by model (price it with
	// Cost).
	Usage map[string]llm.Usage
}

// Run sends the items that are not cached through the batch API, or picks
// up the batches of an existing state file, and waits for them. See the
// package doc. The Outcome is filled as far as Run got, error or not: a
// result Run received is never lost. The state file is removed once every
// batch is final and its files are read; when Run stops earlier (ctx ends,
// the provider cannot be reached), the state stays for a rerun.
func Run(ctx context.Context, o Options, items []Item) (*Outcome, error) {
	if o.API == nil || o.StatePath == "" || o.Identity == "" {
		return nil, errors.New("batch: API, StatePath and Identity are required")
	}
	out := &Outcome{Results: map[string]llm.Response{}, Failures: map[string]error{}, Usage: map[string]llm.Usage{}}
	endpoint := o.API.Endpoint()
	byHash, err := index(endpoint, items)
	if err != nil {
		return out, err
	}
	st, err := ReadState(o.StatePath)
	switch {
	case err == nil:
		if err := st.check(o.StatePath, o.Identity, redact.URL(endpoint)); err != nil {
			return out, err
		}
		out.Resumed = true
	case errors.Is(err, ErrNoState):
		todo := o.misses(endpoint, items, out)
		if len(todo) == 0 {
			return out, nil
		}
		if st, err = o.submit(ctx, endpoint, todo); err != nil {
			return out, err
		}
	default:
		return out, err
	}
	statuses, err := o.wait(ctx, st)
	out.Batches = statuses
	if err != nil {
		return out, err
	}
	answered := map[string]bool{}
	var errs []error
	for i, e := range st.Batches {
		out.Submitted += len(e.Lines)
		if err := o.collect(ctx, statuses[i], e, byHash, out, answered); err != nil {
			errs = append(errs, err)
		}
	}
	for _, it := range items {
		_, cached := out.Results[it.ID]
		if !answered[it.ID] && !cached {
			out.Retry = append(out.Retry, it)
		}
	}
	if err := errors.Join(errs...); err != nil && !allFinal(statuses, errs) {
		return out, err // a file could not be read: keep the state for a rerun
	}
	if rerr := os.Remove(o.StatePath); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
		errs = append(errs, fmt.Errorf("remove batch state: %w", rerr))
	}
	return out, errors.Join(errs...)
}

// allFinal reports whether errs are only the verdicts of final batches
// (validation, mismatch), after which the state has nothing left to give.
func allFinal(statuses []Status, errs []error) bool {
	for _, err := range errs {
		if !errors.Is(err, ErrValidation) && !errors.Is(err, ErrMismatch) {
			return false
		}
	}
	return true
}

// index checks the items' IDs and groups them by cache key hash: items
// that ask the same thing share one line.
func index(endpoint string, items []Item) (map[string][]Item, error) {
	byHash := make(map[string][]Item, len(items))
	ids := make(map[string]bool, len(items))
	for _, it := range items {
		if err := checkID(it.ID); err != nil {
			return nil, err
		}
		if ids[it.ID] {
			return nil, fmt.Errorf("batch: custom_id %q is used twice", it.ID)
		}
		ids[it.ID] = true
		h := llm.NewCacheKey(endpoint, it.Request, it.Repeat).Hash()
		byHash[h] = append(byHash[h], it)
	}
	return byHash, nil
}

// misses returns the items the cache does not answer, putting the hits in
// out.Results.
func (o *Options) misses(endpoint string, items []Item, out *Outcome) []Item {
	if o.Cache == nil {
		return items
	}
	var todo []Item
	for _, it := range items {
		resp, ok, err := o.Cache.Get(llm.NewCacheKey(endpoint, it.Request, it.Repeat))
		if ok && err == nil {
			resp.Cached = true
			out.Results[it.ID] = resp
			out.Cached++
			continue
		}
		todo = append(todo, it)
	}
	return todo
}

// submit uploads the items, one batch per model and MaxLines, and writes
// the state file after each batch is created, so that no created batch is
// ever without a state that finds it.
func (o *Options) submit(ctx context.Context, endpoint string, items []Item) (*State, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	st := &State{V: stateVersion, Identity: o.Identity, Endpoint: redact.URL(endpoint), Created: now().UTC()}
	seen := map[string]bool{} // key hashes: one line per distinct request
	for gi, group := range groups(items) {
		var file bytes.Buffer
		e := Entry{Model: group[0].Request.Model, Lines: make(map[string]string, len(group))}
		for _, it := range group {
			h := llm.NewCacheKey(endpoint, it.Request, it.Repeat).Hash()
			if seen[h] {
				continue
			}
			seen[h] = true
			line, err := o.API.BatchLine(it.ID, it.Request)
			if err != nil {
				return nil, fmt.Errorf("batch: request %s: %w", it.ID, err)
			}
			file.Write(line)
			file.WriteByte('\n')
			e.Lines[it.ID] = h
		}
		name := fmt.Sprintf("summarize-%s-%d.jsonl", o.Identity[:min(12, len(o.Identity))], gi+1)
		fileID, err := o.API.UploadBatchFile(ctx, name, file.Bytes())
		if err != nil {
			return nil, fmt.Errorf("batch: upload %s: %w", name, err)
		}
		e.InputFileID = fileID
		meta := map[string]string{"summarize_work": o.Identity}
		for k, v := range o.Metadata {
			if len(meta) < 16 {
				meta[k] = v
			}
		}
		s, err := o.API.CreateBatch(ctx, fileID, meta)
		if err != nil {
			return nil, fmt.Errorf("batch: create: %w", err)
		}
		e.ID = s.ID
		st.Batches = append(st.Batches, e)
		if err := writeState(o.StatePath, st); err != nil {
			return nil, fmt.Errorf("%w (batch %s was created: cancel it by hand)", err, s.ID)
		}
	}
	return st, nil
}

// groups splits items by model, in order of first appearance, and into
// chunks of at most MaxLines.
func groups(items []Item) [][]Item {
	var models []string
	by := map[string][]Item{}
	for _, it := range items {
		m := it.Request.Model
		if _, ok := by[m]; !ok {
			models = append(models, m)
		}
		by[m] = append(by[m], it)
	}
	var out [][]Item
	for _, m := range models {
		for c := range slices.Chunk(by[m], MaxLines) {
			out = append(out, c)
		}
	}
	return out
}

// MaxIDLength bounds a custom_id.
const MaxIDLength = 512

func checkID(id string) error {
	switch {
	case id == "":
		return errors.New("batch: an item has no ID (custom_id)")
	case len(id) > MaxIDLength:
		return fmt.Errorf("batch: custom_id %.40q... is longer than %d bytes", id, MaxIDLength)
	case strings.ContainsAny(id, "\n\r"):
		return fmt.Errorf("batch: custom_id %q has a line break", id)
	}
	return nil
}
