package main

import (
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/models"
)

// modelRow is one line of 'summarize models': a model the server offers
// and its context window when the model table (built-in or the config's
// models entries) knows it.
type modelRow struct {
	ID            string `json:"id"`
	ContextWindow int    `json:"context_window,omitempty"`
}

func (a *app) modelsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "models",
		Short: "List the models the server offers, with their context windows",
		Long: `models asks the configured OpenAI-compatible server (llm.base_url, with
the key in llm.api_key_env) for the models it offers: GET /models. Each is
shown with its context window when the model table knows it (the built-in
table, or a models entry in the config; llm.context_window for llm.model),
"-" otherwise. --format json prints one JSON object per model.`,
		Args: argsRange(0, 0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.settings()
			if err != nil {
				return err
			}
			cfg := st.cfg
			// One request: the client alone, no rate limit or retries.
			var b llm.Backend
			b, err = newClient(cfg.LLM, a.getenv)
			if err != nil {
				return err
			}
			lister, ok := b.(llm.ModelLister)
			if !ok {
				return errors.New("models: this backend cannot list its models")
			}
			ids, err := lister.Models(cmd.Context())
			if err != nil {
				err = fmt.Errorf("models: %w", err)
				switch {
				case errors.Is(err, llm.ErrNotFound):
					return withHint(err, exitFailure, "check --base-url: the server has no model list there (the API root usually ends in /v1)")
				case errors.Is(err, llm.ErrUnavailable), errors.Is(err, llm.ErrTimeout):
					// Not "retries are set by --max-retries": the list is asked once.
					return withHint(err, exitFailure, "check --base-url and that the server is up")
				}
				return err
			}
			return a.printModels(cfg, modelRows(cfg, ids))
		},
	}
}

// modelRows looks up each model's context window: the config's models
// entries first, then the built-in table; llm.context_window for the
// configured model.
func modelRows(cfg config.Config, ids []string) []modelRow {
	over := modelOverrides(cfg)
	rows := make([]modelRow, 0, len(ids))
	for _, id := range ids {
		r := modelRow{ID: id}
		if m, ok := models.Lookup(id, over); ok {
			r.ContextWindow = m.ContextWindow
		}
		if id == cfg.LLM.Model && cfg.LLM.ContextWindow > 0 {
			r.ContextWindow = cfg.LLM.ContextWindow
		}
		rows = append(rows, r)
	}
	return rows
}

func (a *app) printModels(cfg config.Config, rows []modelRow) error {
	out := &stickyWriter{w: a.io.out}
	switch {
	case cfg.Output.Format.IsJSON():
		for _, r := range rows {
			writeJSONLine(out, r)
		}
	default:
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "MODEL\tCONTEXT")
		for _, r := range rows {
			window := "-"
			if r.ContextWindow > 0 {
				window = strconv.Itoa(r.ContextWindow)
			}
			fmt.Fprintf(tw, "%s\t%s\n", r.ID, window)
		}
		tw.Flush()
	}
	if out.err != nil {
		return fmt.Errorf("write output: %w", out.err)
	}
	if len(rows) == 0 {
		fmt.Fprintln(a.io.err, "summarize: the server lists no models")
	}
	return nil
}
