// Package summary holds the one summary type: what a summarizer returns for
// an article, what the CLI prints as a json or jsonl entry and what the eval
// runner makes its record of a case from.
//
// It is a leaf: it imports nothing of this module, so that the packages that
// only carry or score summaries (internal/eval) need not link the ones that
// make them (internal/summarize, internal/llm). internal/summarize and
// internal/llm alias its types (summarize.Summary, llm.Usage).
package summary

import (
	"encoding/json"
	"time"
)

// Summary is the result for one article. Its tags are the CLI's json and
// jsonl format (see README "Output formats").
type Summary struct {
	Source  string   `json:"input"`
	Bullets []string `json:"bullets"`
	Backend string   `json:"backend,omitempty"`
	Model   string   `json:"model,omitempty"`
	Prompt  string   `json:"prompt,omitempty"` // NAME@VERSION
	// Usage is the tokens of every call, repairs and chunks included;
	// left out of the json when the backend reported none.
	Usage      Usage    `json:"usage,omitzero"`
	Cost       float64  `json:"cost_usd,omitempty"`
	Calls      int      `json:"calls,omitempty"`  // backend calls made, repairs and chunks included
	Chunks     int      `json:"chunks,omitempty"` // > 1 when the article was summarized in parts
	Cached     bool     `json:"-"`                // the last reply came from the response cache
	Duration   Millis   `json:"duration_ms"`
	Violations []string `json:"violations,omitempty"` // broken contract rules, after repair
	Leftovers  []string `json:"-"`                    // text dropped from the reply
	Warnings   []string `json:"warnings,omitempty"`
	Truncated  bool     `json:"truncated,omitempty"` // a reply was cut at the token limit (its cut bullet dropped)
	Raw        string   `json:"raw,omitempty"`       // the model's last reply, when asked for
}

// Usage is the token accounting a server reports for a completion, and the
// sum of those of a summary's calls. internal/llm's Response carries it as
// llm.Usage.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Add adds v's tokens to u's: a summary's calls, a judge's replies.
func (u *Usage) Add(v Usage) {
	u.PromptTokens += v.PromptTokens
	u.CompletionTokens += v.CompletionTokens
	u.TotalTokens += v.TotalTokens
}

// Millis is a Summary's duration: a time.Duration that encodes in JSON as
// milliseconds, to the microsecond (912.4).
type Millis time.Duration

// MarshalJSON writes the milliseconds as a JSON number. encoding/json
// calls it through json.Marshaler, which deadcode does not see (it is in
// .ci/deadcode-allow.txt).
func (m Millis) MarshalJSON() ([]byte, error) {
	return json.Marshal(float64(time.Duration(m).Microseconds()) / 1000)
}
