package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/llm"
)

// previewPrompts prints the rendered prompt for each input, the one the
// LLM path would send, and sends nothing.
func (a *app) previewPrompts(ctx context.Context, cfg config.Config, args []string) error {
	o, err := newPreview(cfg, a.warn)
	if err != nil {
		return err
	}
	var failed int
	for _, src := range args {
		art, err := a.load(ctx, cfg, src)
		if err == nil {
			var msgs []llm.Message
			msgs, err = o.LLM().Messages(art)
			if err == nil {
				err = printMessages(a.io.out, cfg.Output.Format, displaySource(src), cfg.LLM.Model, msgs, len(args) > 1)
			}
		}
		if err != nil {
			failed++
			report(a.io.err, describe("dry run", src, err))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %s failed", failed, plural(len(args), "input"))
	}
	return nil
}

// printMessages prints rendered messages: JSON (the request body's
// messages) for json/jsonl, readable sections otherwise.
func printMessages(w io.Writer, format config.Format, src, model string, msgs []llm.Message, many bool) error {
	if format.IsJSON() {
		return writeJSONLine(w, struct {
			Input    string        `json:"input"`
			Model    string        `json:"model"`
			Messages []llm.Message `json:"messages"`
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

// blockHint shows the shape of a prompt file to one that lacks a block.
const blockHint = `a prompt file defines two blocks, as 'summarize prompts show headline' does:
  {{define "system"}}You are a news editor ...{{end}}
  {{define "user"}}Summarize in {{.Bullets}} bullets:
  {{.Text}}{{end}}`
