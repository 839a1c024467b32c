package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/summarize-dev/summarize/internal/llm"
)

// outputLine is one line of an output or error file.
type outputLine struct {
	CustomID string `json:"custom_id"`
	Response *struct {
		StatusCode int             `json:"status_code"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// collect reads a final batch's output and error files into out, marking
// the items it accounts for in answered.
func (o *Options) collect(ctx context.Context, s Status, e Entry, byHash map[string][]Item, out *Outcome, answered map[string]bool) error {
	if s.State == StateFailed {
		return validationError(s)
	}
	seen := make(map[string]bool, len(e.Lines))
	var (
		problems, writeErrs []string
		puts                []put
	)
	for _, fileID := range []string{s.OutputFileID, s.ErrorFileID} {
		if fileID == "" {
			continue
		}
		rc, err := o.API.BatchFileContent(ctx, fileID)
		if err != nil {
			return fmt.Errorf("batch %s: download %s: %w", s.ID, fileID, err)
		}
		err = eachLine(rc, func(n int, raw []byte) {
			var l outputLine
			if err := json.Unmarshal(raw, &l); err != nil {
				problems = append(problems, fmt.Sprintf("%s line %d is not JSON", fileID, n))
				return
			}
			hash, known := e.Lines[l.CustomID]
			switch {
			case !known:
				problems = append(problems, fmt.Sprintf("unknown custom_id %q (%s line %d)", l.CustomID, fileID, n))
				return
			case seen[l.CustomID]:
				problems = append(problems, fmt.Sprintf("custom_id %q answered twice", l.CustomID))
				return
			}
			seen[l.CustomID] = true
			if p, ok := o.file(l, byHash[hash], out, answered); ok {
				puts = append(puts, p)
			}
		})
		rc.Close()
		if err != nil {
			return fmt.Errorf("batch %s: read %s: %w", s.ID, fileID, err)
		}
	}
	for _, err := range o.store(puts) {
		writeErrs = append(writeErrs, err.Error())
	}
	var missing []string
	for id := range e.Lines {
		if !seen[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 && (s.State == StateExpired || s.State == StateCancelled) {
		// A batch stopped before it ran them (cancelled while validating,
		// say) may leave no file at all: they are to retry, not a mismatch.
		code := "batch_expired"
		if s.State == StateCancelled {
			code = "batch_cancelled"
		}
		for _, id := range missing {
			for _, it := range byHash[e.Lines[id]] {
				if !answered[it.ID] {
					out.Failures[it.ID] = lineError(code, "the batch was "+s.State+" before this line ran")
				}
			}
		}
		missing = nil
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		problems = append(problems, fmt.Sprintf("no line for %d requests (%s)", len(missing), some(missing)))
	}
	var errs []error
	if len(problems) > 0 {
		errs = append(errs, fmt.Errorf("%w: batch %s: %s", ErrMismatch, s.ID, strings.Join(problems, "; ")))
	}
	if len(writeErrs) > 0 {
		errs = append(errs, fmt.Errorf("batch %s: %d replies not cached: %s", s.ID, len(writeErrs), writeErrs[0]))
	}
	return errors.Join(errs...)
}

// put is a reply to store in the cache.
type put struct {
	key  llm.CacheKey
	resp llm.Response
}

// file records one line for the items it answers (all with the same
// request), and returns what to store in the cache for a success.
func (o *Options) file(l outputLine, items []Item, out *Outcome, answered map[string]bool) (put, bool) {
	if len(items) == 0 {
		return put{}, false // on a resume, a request this run no longer asks for
	}
	first := items[0]
	var (
		resp llm.Response
		err  error
	)
	switch {
	case l.Error != nil:
		err = lineError(l.Error.Code, l.Error.Message)
	case l.Response == nil:
		err = &llm.Error{Kind: llm.ErrInvalidResponse, Message: "a batch line with neither response nor error"}
	default:
		resp, err = o.API.BatchResponse(first.Request, l.Response.StatusCode, l.Response.Body)
	}
	if err != nil {
		for _, it := range items {
			out.Failures[it.ID] = err
		}
		return put{}, false
	}
	for _, it := range items {
		out.Results[it.ID] = resp
		answered[it.ID] = true
	}
	u := out.Usage[first.Request.Model]
	u.Add(resp.Usage)
	out.Usage[first.Request.Model] = u
	return put{llm.NewCacheKey(o.API.Endpoint(), first.Request, first.Repeat), resp}, o.Cache != nil
}

// storeWorkers is how many cache entries are written at once: each is a
// few file system calls, which overlap well.
const storeWorkers = 8

// store writes the replies to the cache and returns the errors met.
func (o *Options) store(puts []put) []error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		next atomic.Int64
	)
	for range min(storeWorkers, len(puts)) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(puts)); i = next.Add(1) - 1 {
				if err := o.Cache.Put(puts[i].key, puts[i].resp); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return errs
}

// lineError is the error of a line that got no reply.
func lineError(code, msg string) error {
	var kind error
	switch code {
	case "batch_expired":
		return fmt.Errorf("%w (%s)", ErrExpired, msg)
	case "batch_cancelled":
		return fmt.Errorf("%w (%s)", ErrCancelled, msg)
	case "request_timeout":
		kind = llm.ErrTimeout
	default:
		kind = llm.ErrUnavailable
	}
	return &llm.Error{Kind: kind, Message: strings.TrimSpace(code + ": " + msg)}
}

func validationError(s Status) error {
	var parts []string
	for _, p := range s.Problems {
		t := p.Code + ": " + p.Message
		if p.Line > 0 {
			t = fmt.Sprintf("line %d: %s", p.Line, t)
		}
		parts = append(parts, t)
	}
	if len(parts) == 0 {
		parts = append(parts, "the provider gave no reason")
	}
	return fmt.Errorf("%w: batch %s: %s", ErrValidation, s.ID, strings.Join(parts, "; "))
}

// eachLine calls f with every non-empty line of r (1-based numbers).
func eachLine(r io.Reader, f func(n int, line []byte)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if l := bytes.TrimSpace(line); len(l) > 0 {
			f(n, l)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// some lists up to three of ids, and how many more.
func some(ids []string) string {
	if len(ids) <= 3 {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:3], ", "), len(ids)-3)
}
