// Package summarize is the domain of the tool: an Article goes in, a
// Summary of headline bullets comes out. Both the LLM path and the offline
// extractive path are Summarizers.
package summarize

import (
	"context"
	"errors"

	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/summary"
)

// Article is a cleaned input.
type Article = clean.Article

// Summary is the result for one article, the one summary type (declared in
// the leaf package summary so that eval can carry it without linking this
// package): the CLI prints it as a json or jsonl entry and the eval runner
// makes its record of a case from it.
type Summary = summary.Summary

// Millis is a Summary's duration, which encodes in JSON as milliseconds.
type Millis = summary.Millis

// Summarizer summarizes one article.
type Summarizer interface {
	Summarize(ctx context.Context, a Article) (Summary, error)
}

// ErrNoBullets is returned when a reply holds no bullets at all.
var ErrNoBullets = errors.New("the reply holds no bullets")

// ErrContract is returned in strict mode when the bullets break the
// contract even after a repair request.
var ErrContract = errors.New("the bullets break the contract")

// ErrRefused is returned when the model declined to answer; the error
// reads "the model refused: " and the model's own words.
var ErrRefused = errors.New("the model refused")

// ErrFiltered is returned when the provider's content filter stopped the
// reply (finish_reason "content_filter").
var ErrFiltered = errors.New("the reply was filtered by the provider's content filter")

// ReplyError carries the raw reply of a failed summary so that --raw can
// show it.
type ReplyError struct {
	Err error
	Raw string
	Sum Summary // what was parsed, with usage
}

func (e *ReplyError) Error() string { return e.Err.Error() }
func (e *ReplyError) Unwrap() error { return e.Err }
