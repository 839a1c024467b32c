package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// entry is one input's entry in json and jsonl output: the summary, or,
// for a failed input, its source and the error.
type entry struct {
	summarize.Summary
	Error string `json:"error,omitempty"`
}

func newEntry(s summarize.Summary) entry {
	if s.Bullets == nil {
		s.Bullets = []string{}
	}
	return entry{Summary: s}
}

// printer writes results in one of the output formats as they come.
type printer struct {
	w      io.Writer
	format config.Format
	many   bool // several inputs: text and markdown get a header each
	raw    bool
	n      int
	all    []entry // json collects, to print one document at the end
}

func newPrinter(w io.Writer, format config.Format, many, raw bool) *printer {
	return &printer{w: w, format: format, many: many, raw: raw}
}

func (p *printer) result(s summarize.Summary) error {
	defer func() { p.n++ }()
	switch p.format {
	case config.FormatJSON:
		p.all = append(p.all, newEntry(s))
		return nil
	case config.FormatJSONL:
		return writeJSONLine(p.w, newEntry(s))
	case config.FormatMarkdown:
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
	r := newEntry(summarize.Summary{Source: displaySource(src)})
	r.Error = err.Error()
	switch p.format {
	case config.FormatJSON:
		p.all = append(p.all, r)
	case config.FormatJSONL:
		_ = writeJSONLine(p.w, r)
	}
}

// close writes what was collected: json prints one object for one input
// and an array for several.
func (p *printer) close() error {
	if p.format != config.FormatJSON || len(p.all) == 0 {
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
