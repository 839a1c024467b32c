package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/summarize-dev/summarize/internal/budget"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// modelInfo is the model table entry for the configured model, with the
// config's overrides and llm.context_window applied.
func (w *wiring) modelInfo() budget.Model {
	over := map[string]budget.Model{}
	for _, m := range w.cfg.Models {
		over[m.Name] = budget.Model{ContextWindow: m.ContextWindow, MaxOutput: m.MaxOutput, InputPrice: m.InputPrice, OutputPrice: m.OutputPrice}
	}
	m, _ := budget.Lookup(w.cfg.LLM.Model, over)
	if w.cfg.LLM.ContextWindow > 0 {
		m.ContextWindow = w.cfg.LLM.ContextWindow
	}
	return m
}

// estimate prints, per input, the prompt tokens, the window, the requests
// the overflow strategy would make and an upper bound of the cost, and
// calls nothing. It counts for the LLM path whatever the backend, and
// needs no key.
func (a *app) estimate(ctx context.Context, w *wiring, args []string) error {
	ls, err := w.previewSummarizer()
	if err != nil {
		return err
	}
	o, err := w.overflow(ls)
	if err != nil {
		return err
	}
	if w.cfg.Output.Format == "json" || w.cfg.Output.Format == "jsonl" {
		for _, src := range args {
			art, err := a.load(ctx, w, src)
			if err != nil {
				return describe("estimate", src, err)
			}
			e, err := o.Estimate(ctx, art)
			if err != nil && !errors.Is(err, llm.ErrContextTooLong) {
				return describe("estimate", src, err)
			}
			if err := writeJSONLine(a.io.out, struct {
				Input string `json:"input"`
				Model string `json:"model"`
				summarize.Estimate
			}{displaySource(src), w.cfg.LLM.Model, e}); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "INPUT\tPROMPT TOKENS\tWINDOW\tCHUNKS\tCALLS\tMAX COST USD\n")
	var total float64
	for _, src := range args {
		art, err := a.load(ctx, w, src)
		if err != nil {
			return describe("estimate", src, err)
		}
		e, err := o.Estimate(ctx, art)
		calls := fmt.Sprint(e.Calls)
		switch {
		case errors.Is(err, llm.ErrContextTooLong):
			calls = "too long"
		case err != nil:
			return describe("estimate", src, err)
		}
		total += e.Cost
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%.6f\n", displaySource(src), e.PromptTokens, e.Window, e.Chunks, calls, e.Cost)
	}
	fmt.Fprintf(tw, "total\t\t\t\t\t%.6f\n", total)
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.io.out, "model %s, overflow %s; nothing was sent\n", w.cfg.LLM.Model, w.cfg.LLM.Overflow)
	return err
}
