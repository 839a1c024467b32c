package summarize

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/extractive"
)

// Extractive is the offline summarizer as a Summarizer.
type Extractive struct {
	S *extractive.Summarizer
}

// Summarize picks and trims sentences of a.Body.
func (e Extractive) Summarize(ctx context.Context, a Article) (Summary, error) {
	start := time.Now()
	b, err := e.S.SummarizeArticleContext(ctx, a)
	if err != nil {
		return Summary{}, err
	}
	if len(b) == 0 {
		return Summary{}, errors.New("no sentences to summarize")
	}
	return Summary{Source: a.Source, Bullets: b, Backend: string(config.BackendExtractive), Duration: Millis(time.Since(start))}, ctx.Err()
}

// Lead is the Lead-N baseline: the first N sentences.
type Lead struct{ N int }

// Name is the baseline's name, "lead" and N: "lead3" for the first three
// sentences (the backend lead3 with prompt.bullets 3, the eval's sanity
// baseline), "lead5" for five.
func (l Lead) Name() string { return fmt.Sprintf("lead%d", l.N) }

// Summarize returns the first N sentences of a.Body.
func (l Lead) Summarize(ctx context.Context, a Article) (Summary, error) {
	start := time.Now()
	b, err := extractive.LeadArticleContext(ctx, a, l.N)
	if err != nil {
		return Summary{}, err
	}
	if len(b) == 0 {
		return Summary{}, errors.New("no sentences to summarize")
	}
	return Summary{Source: a.Source, Bullets: b, Backend: l.Name(), Duration: Millis(time.Since(start))}, ctx.Err()
}
