// Package summarize is the domain of the tool: an Article goes in, a
// Summary of headline bullets comes out. Both the LLM path and the offline
// extractive path are Summarizers.
package summarize

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/llm"
)

// Article is a cleaned input.
type Article = clean.Article

// Summary is the result for one article. It is the one summary type: the
// CLI prints it as a json or jsonl entry (the tags below are that format,
// see README "Output formats") and the eval runner makes its record of a
// case from it.
type Summary struct {
	Source  string   `json:"input"`
	Bullets []string `json:"bullets"`
	Backend string   `json:"backend,omitempty"`
	Model   string   `json:"model,omitempty"`
	Prompt  string   `json:"prompt,omitempty"` // NAME@VERSION
	// Usage is the tokens of every call, repairs and chunks included;
	// left out of the json when the backend reported none.
	Usage      llm.Usage `json:"usage,omitzero"`
	Cost       float64   `json:"cost_usd,omitempty"`
	Calls      int       `json:"calls,omitempty"`  // backend calls made, repairs and chunks included
	Chunks     int       `json:"chunks,omitempty"` // > 1 when the article was summarized in parts
	Cached     bool      `json:"-"`                // the last reply came from the response cache
	Duration   Millis    `json:"duration_ms"`
	Violations []string  `json:"violations,omitempty"` // broken contract rules, after repair
	Leftovers  []string  `json:"-"`                    // text dropped from the reply
	Warnings   []string  `json:"warnings,omitempty"`
	Truncated  bool      `json:"truncated,omitempty"` // a reply was cut at the token limit (its cut bullet dropped)
	Raw        string    `json:"raw,omitempty"`       // the model's last reply, when asked for
}

// Millis is a Summary's duration: a time.Duration that encodes in JSON as
// milliseconds, to the microsecond (912.4).
type Millis time.Duration

// MarshalJSON writes the milliseconds as a JSON number.
func (m Millis) MarshalJSON() ([]byte, error) {
	return json.Marshal(float64(time.Duration(m).Microseconds()) / 1000)
}

// Summarizer summarizes one article.
type Summarizer interface {
	Summarize(ctx context.Context, a Article) (Summary, error)
}

// ErrNoBullets is returned when a reply holds no bullets at all.
var ErrNoBullets = errors.New("the reply holds no bullets")

// ErrContract is returned in strict mode when the bullets break the
// contract even after a repair request.
var ErrContract = errors.New("the bullets break the contract")

// ErrRefused is returned when the model declined to answer; the error
// reads "the model refused: " and the model's own words.
var ErrRefused = errors.New("the model refused")

// ErrFiltered is returned when the provider's content filter stopped the
// reply (finish_reason "content_filter").
var ErrFiltered = errors.New("the reply was filtered by the provider's content filter")

// ReplyError carries the raw reply of a failed summary so that --raw can
// show it.
type ReplyError struct {
	Err error
	Raw string
	Sum Summary // what was parsed, with usage
}

func (e *ReplyError) Error() string { return e.Err.Error() }
func (e *ReplyError) Unwrap() error { return e.Err }
