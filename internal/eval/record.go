package eval

import (
	"context"
	"encoding/json"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/summary"
)

// Generator produces the summary of one variant for one case. repeat is
// the repeat index (0 when the suite has repeat: 1); a generator behind a
// response cache keys its entries by it. cmd/summarize builds one Generator
// per variant around a summarize.Summarizer; the runner makes the case's
// Record from the Summary (Calls are its attempts, Duration its latency;
// Cost 0 lets the suite's prices decide). A generator that fails may still
// return what it got (the raw reply, the usage).
type Generator func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error)

// dataset.Case statuses.
const (
	StatusPass  = "pass"
	StatusFail  = "fail"  // contract broken or reference leaked (leakage: fail)
	StatusError = "error" // the generator failed
)

// Where a record's answer came from.
const (
	SourceLive     = "live"     // made during this run: a call, or a local backend
	SourceCached   = "cached"   // the response cache (rw or read mode)
	SourceReplayed = "replayed" // the response cache in replay mode
)

// Record is the outcome of one case × variant × repeat: one line of the
// JSONL stream and of the JSON report.
type Record struct {
	Case             string                        `json:"case"`
	Index            int                           `json:"index"` // position in the run's case list
	Title            string                        `json:"title,omitempty"`
	Variant          string                        `json:"variant"`
	Repeat           int                           `json:"repeat"`
	Status           string                        `json:"status"`
	Reasons          []string                      `json:"reasons,omitempty"`
	Bullets          []string                      `json:"bullets"`
	Reference        []string                      `json:"reference"`
	Leftovers        []string                      `json:"leftovers,omitempty"`
	Violations       []string                      `json:"violations,omitempty"`
	ContractOK       bool                          `json:"contract_ok"`
	Leaks            []int                         `json:"leaks,omitempty"` // leaking reference bullets, 1-based
	Scores           map[string]float64            `json:"scores,omitempty"`
	Parts            map[string]map[string]float64 `json:"parts,omitempty"`
	Details          map[string]json.RawMessage    `json:"details,omitempty"` // per metric, e.g. the alignment
	Model            string                        `json:"model,omitempty"`
	Prompt           string                        `json:"prompt,omitempty"`
	PromptTokens     int                           `json:"prompt_tokens"`
	CompletionTokens int                           `json:"completion_tokens"`
	Cost             float64                       `json:"cost"`
	Cached           bool                          `json:"cached,omitempty"`
	Source           string                        `json:"source"` // SourceLive, SourceCached or SourceReplayed
	// Group, System and Human are the case's meta-evaluation fields, kept
	// when the suite has a meta section.
	Group     string             `json:"group,omitempty"`
	System    string             `json:"system,omitempty"`
	Human     map[string]float64 `json:"human,omitempty"`
	Attempts  int                `json:"attempts,omitempty"`
	LatencyMS float64            `json:"latency_ms"`
	Error     string             `json:"error,omitempty"`
	Raw       string             `json:"raw,omitempty"` // the model's reply, kept when the case did not pass
}
