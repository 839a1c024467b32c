package main

import (
	"context"
	"fmt"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
)

// evalArticles returns what the HTML report calls to show the articles of
// the cases it picked: each read back from the dataset and, when the suite
// cleans, cleaned as the generators clean it (with the first variant's
// clean settings).
func evalArticles(ctx context.Context, s *eval.Suite, data *dataset.Set) func([]string) (map[string]string, error) {
	return func(ids []string) (map[string]string, error) {
		want := make(map[string]bool, len(ids))
		for _, id := range ids {
			want[id] = true
		}
		var indices []int
		for i, id := range data.IDs {
			if want[id] {
				indices = append(indices, i)
			}
		}
		var opts *clean.Options
		if s.Clean {
			for _, v := range s.Variants {
				if cfg, ok := v.Config.(config.Config); ok {
					o := cleanOptions(cfg)
					opts = &o
					break
				}
			}
		}
		out := make(map[string]string, len(indices))
		err := data.Each(ctx, indices, func(_ int, c dataset.Case) error {
			text := c.Article
			if opts != nil {
				art, err := clean.Clean(clean.Input{Source: c.ID, Data: []byte(c.Article)}, *opts)
				if err != nil {
					return fmt.Errorf("case %s: clean: %w", c.ID, err)
				}
				text = art.Body
			}
			out[c.ID] = text
			return nil
		})
		return out, err
	}
}
