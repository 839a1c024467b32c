package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// result is one input's entry in json and jsonl output.
type result struct {
	Input      string     `json:"input"`
	Bullets    []string   `json:"bullets"`
	Backend    string     `json:"backend,omitempty"`
	Model      string     `json:"model,omitempty"`
	Prompt     string     `json:"prompt,omitempty"`
	Usage      *llm.Usage `json:"usage,omitempty"`
	CostUSD    float64    `json:"cost_usd,omitempty"`
	Calls      int        `json:"calls,omitempty"`
	Chunks     int        `json:"chunks,omitempty"`
	DurationMS float64    `json:"duration_ms"`
	Violations []string   `json:"violations,omitempty"`
	Warnings   []string   `json:"warnings,omitempty"`
	Truncated  bool       `json:"truncated,omitempty"` // the reply was cut at the token limit
	Raw        string     `json:"raw,omitempty"`
	Error      string     `json:"error,omitempty"`
}

func toResult(s summarize.Summary) result {
	r := result{
		Input: s.Source, Bullets: s.Bullets, Backend: s.Backend, Model: s.Model, Prompt: s.Prompt,
		CostUSD: s.Cost, Calls: s.Calls, Chunks: s.Chunks, Truncated: s.Truncated,
		DurationMS: float64(s.Duration.Microseconds()) / 1000,
		Violations: s.Violations, Warnings: s.Warnings, Raw: s.Raw,
	}
	if s.Usage.TotalTokens > 0 || s.Calls > 0 {
		u := s.Usage
		r.Usage = &u
	}
	if r.Bullets == nil {
		r.Bullets = []string{}
	}
	return r
}

// printer writes results in one of the output formats as they come.
type printer struct {
	w      io.Writer
	format string
	many   bool // several inputs: text and markdown get a header each
	raw    bool
	n      int
	all    []result // json collects, to print one document at the end
}

func newPrinter(w io.Writer, format string, many, raw bool) *printer {
	return &printer{w: w, format: format, many: many, raw: raw}
}

func (p *printer) result(s summarize.Summary) error {
	defer func() { p.n++ }()
	switch p.format {
	case "json":
		p.all = append(p.all, toResult(s))
		return nil
	case "jsonl":
		return writeJSONLine(p.w, toResult(s))
	case "markdown":
		var b strings.Builder
		if p.n > 0 {
			b.WriteString("\n")
		}
		if p.many {
			fmt.Fprintf(&b, "## %s\n\n", s.Source)
		}
		if p.raw {
			b.WriteString(s.Raw + "\n")
		} else {
			for _, x := range s.Bullets {
				fmt.Fprintf(&b, "- %s\n", x)
			}
		}
		_, err := io.WriteString(p.w, b.String())
		return err
	default:
		var b strings.Builder
		if p.many {
			if p.n > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "==> %s <==\n", s.Source)
		}
		if p.raw {
			b.WriteString(strings.TrimRight(s.Raw, "\n") + "\n")
		} else {
			for _, x := range s.Bullets {
				fmt.Fprintf(&b, "- %s\n", x)
			}
		}
		_, err := io.WriteString(p.w, b.String())
		return err
	}
}

// failure records a failed input: json and jsonl carry an entry with the
// error; text and markdown leave it to stderr.
func (p *printer) failure(src string, err error) {
	r := result{Input: displaySource(src), Bullets: []string{}, Error: err.Error()}
	switch p.format {
	case "json":
		p.all = append(p.all, r)
	case "jsonl":
		_ = writeJSONLine(p.w, r)
	}
}

// close writes what was collected: json prints one object for one input
// and an array for several.
func (p *printer) close() error {
	if p.format != "json" || len(p.all) == 0 {
		return nil
	}
	var v any = p.all
	if !p.many {
		v = p.all[0]
	}
	enc := json.NewEncoder(p.w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
