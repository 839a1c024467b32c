package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/summarize-dev/summarize/internal/summarize"
)

type summarizeMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

func dryMessages(s *summarize.LLM, a summarize.Article) ([]summarizeMessage, error) {
	msgs, err := s.Messages(a)
	if err != nil {
		return nil, err
	}
	out := make([]summarizeMessage, len(msgs))
	for i, m := range msgs {
		out[i] = summarizeMessage{Role: m.Role, Content: m.Content}
	}
	return out, nil
}

// printMessages prints rendered messages: JSON (the request body's
// messages) for json/jsonl, readable sections otherwise.
func printMessages(w io.Writer, format, src, model string, msgs []summarizeMessage, many bool) error {
	if format == "json" || format == "jsonl" {
		return writeJSONLine(w, struct {
			Input    string             `json:"input"`
			Model    string             `json:"model"`
			Messages []summarizeMessage `json:"messages"`
		}{src, model, msgs})
	}
	var b strings.Builder
	if many {
		fmt.Fprintf(&b, "==> %s <==\n", src)
	}
	for _, m := range msgs {
		fmt.Fprintf(&b, "--- %s ---\n%s\n", m.Role, m.Content)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
