package llmtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// ChatMessage is one message of a chat request as sent on the wire.
// Content may arrive as a string or as an array of parts; parts of type
// "text" are joined into Content.
type ChatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// UnmarshalJSON accepts a string content or an array of content parts.
func (m *ChatMessage) UnmarshalJSON(b []byte) error {
	var raw struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	m.Role = raw.Role
	m.Content = ""
	if len(raw.Content) == 0 || string(raw.Content) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw.Content, &m.Content); err == nil {
		return nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw.Content, &parts); err != nil {
		return errors.New("content: want a string or an array of parts")
	}
	var texts []string
	for _, p := range parts {
		if p.Type == "text" {
			texts = append(texts, p.Text)
		}
	}
	m.Content = strings.Join(texts, "\n")
	return nil
}

// ChatRequest is the body of POST /v1/chat/completions, decoded. Optional
// numbers are pointers so tests can tell "absent" from "zero".
type ChatRequest struct {
	Model               string        `json:"model"`
	Messages            []ChatMessage `json:"messages"`
	Temperature         *float64      `json:"temperature,omitempty"`
	MaxTokens           *int          `json:"max_tokens,omitempty"`
	MaxCompletionTokens *int          `json:"max_completion_tokens,omitempty"`
	Seed                *int          `json:"seed,omitempty"`
	Stream              bool          `json:"stream,omitempty"`
	User                string        `json:"user,omitempty"`
	Logprobs            bool          `json:"logprobs,omitempty"`
	TopLogprobs         *int          `json:"top_logprobs,omitempty"`
}

// LastUser returns the content of the last user message, or "".
func (r ChatRequest) LastUser() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// APIError is the body of an OpenAI error reply, inside {"error": ...}.
type APIError struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    any     `json:"code"`
}

type errorBody struct {
	Error APIError `json:"error"`
}

type completion struct {
	ID                string   `json:"id"`
	Object            string   `json:"object"`
	Created           int64    `json:"created"`
	Model             string   `json:"model"`
	Choices           []choice `json:"choices"`
	Usage             *usage   `json:"usage,omitempty"`
	SystemFingerprint string   `json:"system_fingerprint,omitempty"`
}

type choice struct {
	Index        int          `json:"index"`
	Message      *ChatMessage `json:"message,omitempty"`
	Refused      *refused     `json:"-"`
	FinishReason *string      `json:"finish_reason"`
	Logprobs     *logprobs    `json:"logprobs,omitempty"`
}

// refused is the message of a refusal: null content and a "refusal".
type refused struct {
	Role    string  `json:"role"`
	Content *string `json:"content"`
	Refusal string  `json:"refusal"`
}

// MarshalJSON sends a refusal in the message's place.
func (c choice) MarshalJSON() ([]byte, error) {
	type plain choice
	var v any = plain(c)
	if c.Refused != nil {
		v = struct {
			plain
			Message *refused `json:"message"`
		}{plain(c), c.Refused}
	}
	return bytes.TrimSuffix(marshal(v), []byte("\n")), nil
}

// logprobs is a choice's "logprobs": {"content": [...]}.
type logprobs struct {
	Content []TokenLogprob `json:"content"`
}

// TokenLogprob is one token of a reply's logprobs, as sent on the wire.
type TokenLogprob struct {
	Token       string       `json:"token"`
	Logprob     float64      `json:"logprob"`
	TopLogprobs []TopLogprob `json:"top_logprobs"`
}

// TopLogprob is one of the most likely tokens at a position.
type TopLogprob struct {
	Token   string  `json:"token"`
	Logprob float64 `json:"logprob"`
}

type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

type modelList struct {
	Object string  `json:"object"`
	Data   []model `json:"data"`
}

type model struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

// CountTokens is the server's token count of messages, used for usage
// figures and context-window checks: one token per four characters (runes)
// of each message's content, rounded up. Real tokenizers differ; tests that
// need an overflow should use margins, not exact counts.
func CountTokens(msgs []ChatMessage) int {
	n := 0
	for _, m := range msgs {
		n += CountText(m.Content)
	}
	return n
}

// CountText is CountTokens for one string.
func CountText(s string) int {
	return (utf8.RuneCountInString(s) + 3) / 4
}
