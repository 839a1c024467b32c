package summarize

import (
	"context"
	"errors"
	"time"

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
	return Summary{Source: a.Source, Bullets: b, Backend: "extractive", Duration: time.Since(start)}, ctx.Err()
}

// Lead is the Lead-N baseline: the first N sentences.
type Lead struct{ N int }

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
	return Summary{Source: a.Source, Bullets: b, Backend: "lead3", Duration: time.Since(start)}, ctx.Err()
}
