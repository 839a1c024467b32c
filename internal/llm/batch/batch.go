// Package batch sends many chat requests through a provider's Batch API
// (OpenAI's and Azure's Files and Batches calls; vLLM and other servers take
// the same file format) instead of one HTTP call each: the provider answers
// them on its own fleet within 24 hours, at half the live price.
//
// Run builds the JSONL input file (one line per Item, its custom_id the
// item's ID), uploads it, creates the batch, writes a state file, polls
// with backoff until the batch is final, downloads its output and error
// files and maps every line back to its item by custom_id. Successful
// replies are stored in the response cache under the key a live call would
// use (llm.NewCacheKey with the API's endpoint), so a rerun, or a replay
// run in CI, answers from the cache and needs no batch.
//
// The state file (the batch ids, the custom_id of every line with its
// request's cache key, and an identity of the work: the suite and dataset)
// is written atomically before polling starts. A rerun with the same state
// file picks up the same batches instead of submitting, and paying for, new
// ones; a state file for other work is ErrOtherWork. Status and Cancel read
// the state file for --batch-status and --batch-cancel.
//
// Lines that failed, or that an expired or cancelled batch left, are
// returned in Outcome.Retry: the caller sends them in a follow-up batch or
// live. Nothing is dropped silently: an output line for an unknown
// custom_id, or a request no file accounts for, is ErrMismatch, after every
// good line has been stored.
//
// A batch takes requests for one model: Run submits one batch per model
// (and per MaxLines requests).
//
// Collector finds the requests to send: it stands in for the backend in a
// dry pass of the work, answering cache hits and recording misses.
package batch

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
)

// MaxLines is the most requests one batch takes (OpenAI's limit).
const MaxLines = 50000

// Batch statuses, as OpenAI names them.
const (
	StateValidating = "validating"
	StateFailed     = "failed"
	StateInProgress = "in_progress"
	StateFinalizing = "finalizing"
	StateCompleted  = "completed"
	StateExpired    = "expired"
	StateCancelling = "cancelling"
	StateCancelled  = "cancelled"
)

// Final reports whether a batch in state s will not change any more.
func Final(s string) bool {
	switch s {
	case StateFailed, StateCompleted, StateExpired, StateCancelled:
		return true
	}
	return false
}

// Status is what the provider says of a batch.
type Status struct {
	ID           string
	State        string
	InputFileID  string
	OutputFileID string // "" until the batch is final, or when no line succeeded
	ErrorFileID  string // "" when no line failed
	Counts       Counts
	// Problems say why a batch failed validation.
	Problems  []Problem
	CreatedAt time.Time
	ExpiresAt time.Time
	Metadata  map[string]string
}

// Counts are a batch's request counts.
type Counts struct {
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
}

// Problem is one reason a batch failed validation.
type Problem struct {
	Code    string
	Message string
	Param   string
	Line    int // 1-based line of the input file; 0 when none
}

// API is a provider's Files and Batches API for chat completions.
// *openai.Client implements it.
type API interface {
	// Endpoint is the base URL requests go to, as the response cache keys
	// live calls (llm.Endpointer).
	Endpoint() string
	// BatchLine encodes one line of the input file: customID and the body
	// the live call for req would send.
	BatchLine(customID string, req llm.Request) ([]byte, error)
	// UploadBatchFile uploads an input file (purpose "batch") and returns
	// its id.
	UploadBatchFile(ctx context.Context, name string, jsonl []byte) (string, error)
	// CreateBatch starts a batch of /v1/chat/completions requests with a
	// 24h completion window.
	CreateBatch(ctx context.Context, inputFileID string, metadata map[string]string) (Status, error)
	RetrieveBatch(ctx context.Context, id string) (Status, error)
	CancelBatch(ctx context.Context, id string) (Status, error)
	// BatchFileContent streams an output or error file.
	BatchFileContent(ctx context.Context, fileID string) (io.ReadCloser, error)
	// BatchResponse decodes the reply a line got (its HTTP status and
	// body) as Complete would have returned it for req: a response, or an
	// error of the llm kinds.
	BatchResponse(req llm.Request, status int, body []byte) (llm.Response, error)
}

// Item is one request to send.
type Item struct {
	// ID is the line's custom_id: unique among the items of a run, at most
	// MaxIDLength bytes (see ID).
	ID      string
	Request llm.Request
	// Repeat is the repeat index the live call would have had
	// (llm.WithRepeat), part of the cache key.
	Repeat int
}

// Error kinds, for errors.Is.
var (
	// ErrOtherWork: the state file belongs to another suite or dataset.
	ErrOtherWork = errors.New("batch state file is for other work")
	// ErrValidation: the provider rejected the input file.
	ErrValidation = errors.New("batch failed validation")
	// ErrMismatch: the output does not match the requests (an unknown or
	// repeated custom_id, a request no file accounts for).
	ErrMismatch = errors.New("batch output does not match its requests")
	// ErrExpired and ErrCancelled are the failures of lines an expired or
	// cancelled batch did not run.
	ErrExpired   = errors.New("batch expired before the request ran")
	ErrCancelled = errors.New("batch cancelled before the request ran")
	// ErrNoState: there is no state file (nothing to show or cancel).
	ErrNoState = errors.New("no batch in progress")
	// ErrDeferred is what Collector answers a cache miss with. It has a
	// Deferred method, so that work with independent requests (the parts
	// of a long article) can go on asking without importing this package.
	ErrDeferred error = deferredError{}
)

type deferredError struct{}

func (deferredError) Error() string  { return "request deferred to a batch" }
func (deferredError) Deferred() bool { return true }
