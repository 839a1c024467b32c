package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/summarize-dev/summarize/internal/budget"
	"github.com/summarize-dev/summarize/internal/llm"
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

// estimate prints, per input, the prompt tokens, the calls the overflow
// strategy would make and an upper bound of the cost, and calls nothing.
func (a *app) estimate(ctx context.Context, w *wiring, args []string) error {
	if name := w.backendName(); name != "openai" {
		return usageErr("--estimate counts LLM tokens, and the %s backend uses none", name)
	}
	ls, err := w.llmSummarizer(nil, false)
	if err != nil {
		return err
	}
	m := w.modelInfo()
	counter := budget.NewCounter()
	out := w.cfg.LLM.MaxTokens
	if out == 0 {
		out = m.MaxOutput
	}
	tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "INPUT\tPROMPT TOKENS\tWINDOW\tCALLS\tMAX COST USD\t\n")
	var total float64
	for _, src := range args {
		art, err := a.load(ctx, w, src)
		if err != nil {
			return fmt.Errorf("estimate %s: %w", displaySource(src), err)
		}
		msgs, err := ls.Messages(art)
		if err != nil {
			return err
		}
		prompt := counter.CountMessages(w.cfg.LLM.Model, msgs)
		calls, sent := plannedCalls(prompt, counter.Count(w.cfg.LLM.Model, art.Body), out, m.ContextWindow, w.cfg.LLM.Overflow)
		cost := budget.Cost(m, llm.Usage{PromptTokens: sent, CompletionTokens: calls * out})
		total += cost
		callStr := fmt.Sprint(calls)
		if calls == 0 {
			callStr = "too long"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%.6f\t\n", displaySource(src), prompt, m.ContextWindow, callStr, cost)
	}
	fmt.Fprintf(tw, "total\t\t\t\t%.6f\t\n", total)
	return tw.Flush()
}

// plannedCalls estimates the calls an overflow strategy makes for a prompt
// of promptTokens (of which bodyTokens are article text) and the prompt
// tokens sent in all. 0 calls means the strategy is "error" and it does
// not fit.
func plannedCalls(promptTokens, bodyTokens, out, window int, overflow string) (calls, sent int) {
	if budget.Fits(promptTokens, out, window) {
		return 1, promptTokens
	}
	overhead := promptTokens - bodyTokens
	room := window - out - overhead
	switch {
	case overflow == "error" || room <= 0:
		return 0, 0
	case overflow == "truncate":
		return 1, window - out
	}
	chunks := (bodyTokens + room - 1) / room
	// every chunk is a full prompt; the reduce step sends the chunk
	// bullets (a small fraction) with the prompt's overhead.
	return chunks + 1, bodyTokens + chunks*overhead + overhead + chunks*out
}
