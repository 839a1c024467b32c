package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// estimate prints, per input, the prompt tokens, the window, the requests
// the overflow strategy would make and an upper bound of the cost, and
// calls nothing. It counts for the LLM path whatever the backend, and
// needs no key.
func (a *app) estimate(ctx context.Context, cfg config.Config, args []string) error {
	o, err := newPreview(cfg, a.warn)
	if err != nil {
		return err
	}
	if cfg.Output.Format.IsJSON() {
		for _, src := range args {
			art, err := a.load(ctx, cfg, src)
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
			}{displaySource(src), cfg.LLM.Model, e}); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "INPUT\tPROMPT TOKENS\tWINDOW\tCHUNKS\tCALLS\tMAX COST USD\n")
	var total float64
	for _, src := range args {
		art, err := a.load(ctx, cfg, src)
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
	_, err = fmt.Fprintf(a.io.out, "model %s, overflow %s; nothing was sent\n", cfg.LLM.Model, cfg.LLM.Overflow)
	return err
}
