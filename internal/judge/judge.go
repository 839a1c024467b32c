// Package judge scores summaries with an LLM judge in the style of G-Eval
// (Liu et al., 2023): one rubric per quality dimension (coherence,
// consistency, fluency, relevance, or the user's own), each a template
// with evaluation criteria and steps that asks for a score from 1 to 5.
//
// The score of a reply is the number it gives (see ParseScore), or, when
// the server returns log probabilities with top_logprobs, G-Eval's
// probability-weighted mean of the score tokens "1".."5" at the position
// of that number (see Weighted). Each dimension is asked Samples times;
// the mean is the score and the standard deviation its spread.
//
// The package knows llm.Backend and nothing about eval: cmd/summarize
// adapts a Judge to the eval runner's hook.
package judge

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/summarize-dev/summarize/internal/llm"
)

// DefaultTopLogprobs is how many top logprobs a Judge asks for when
// Logprobs is set and TopLogprobs is 0: enough to cover the five scores.
const DefaultTopLogprobs = 5

// Judge scores bullets against their article, one rubric per dimension.
type Judge struct {
	Backend llm.Backend
	Model   string
	// Rubrics are the dimensions to score, in order.
	Rubrics []*Rubric
	// Samples is how many replies each dimension gets (0 means 1). Sample
	// i of a call is cached as repeat RepeatFrom(ctx)*Samples+i.
	Samples     int
	Temperature float64
	MaxTokens   int
	// Logprobs asks for the top logprobs of each reply token
	// (TopLogprobs of them, 0 meaning DefaultTopLogprobs), so that a reply
	// counts as the weighted mean of the score tokens. A server that sends
	// none leaves the sampled score.
	Logprobs    bool
	TopLogprobs int
}

// Result is the judgment of one summary.
type Result struct {
	// Score is the mean of the dimensions' scores.
	Score float64
	// Scores and Spread hold each dimension's mean score and the standard
	// deviation of its samples (0 with one sample).
	Scores map[string]float64
	Spread map[string]float64
	// MeanSpread is the mean of Spread over the dimensions.
	MeanSpread float64
	// Weighted counts the replies scored from logprobs, Calls all replies,
	// Cached those the response cache answered, and Skipped those with no
	// score in them (left out of the means).
	Weighted, Calls, Cached, Skipped int
	// Usage adds up every call's tokens; CachedUsage those of cache hits,
	// which cost nothing.
	Usage, CachedUsage llm.Usage
	Model              string // the model that answered, as the server says
}

// Score judges bullets as a summary of article (title may be empty).
func (j *Judge) Score(ctx context.Context, title, article string, bullets []string) (Result, error) {
	if j.Backend == nil || len(j.Rubrics) == 0 {
		return Result{}, errors.New("judge: no backend or no rubric")
	}
	n := max(j.Samples, 1)
	res := Result{Scores: map[string]float64{}, Spread: map[string]float64{}}
	base := llm.RepeatFrom(ctx)
	for _, r := range j.Rubrics {
		msgs, err := r.Render(NewData(r.Name, title, article, bullets))
		if err != nil {
			return res, err
		}
		req := llm.Request{Model: j.Model, Messages: msgs, Temperature: j.Temperature, MaxTokens: j.MaxTokens}
		if j.Logprobs {
			req.Logprobs, req.TopLogprobs = true, j.TopLogprobs
			if req.TopLogprobs == 0 {
				req.TopLogprobs = DefaultTopLogprobs
			}
		}
		var samples []float64
		var firstErr error
		for i := range n {
			resp, err := j.Backend.Complete(llm.WithRepeat(ctx, base*n+i), req)
			if err != nil {
				return res, fmt.Errorf("judge %s: %w", r.Name, err)
			}
			res.add(resp)
			s, at, err := ParseScore(resp.Content)
			if err != nil {
				res.Skipped++
				if firstErr == nil {
					firstErr = fmt.Errorf("judge %s: %w: %q", r.Name, err, clip(resp.Content, 80))
				}
				continue
			}
			if s == math.Trunc(s) {
				if w, ok := Weighted(resp.Content, resp.Logprobs, at); ok {
					s = w
					res.Weighted++
				}
			}
			samples = append(samples, s)
		}
		if len(samples) == 0 {
			return res, firstErr
		}
		res.Scores[r.Name], res.Spread[r.Name] = meanStd(samples)
	}
	for _, r := range j.Rubrics {
		res.Score += res.Scores[r.Name] / float64(len(j.Rubrics))
		res.MeanSpread += res.Spread[r.Name] / float64(len(j.Rubrics))
	}
	return res, nil
}

func (r *Result) add(resp llm.Response) {
	r.Calls++
	r.Usage.Add(resp.Usage)
	if resp.Cached {
		r.Cached++
		r.CachedUsage.Add(resp.Usage)
	}
	if r.Model == "" {
		r.Model = resp.Model
	}
}

// meanStd is the mean and the sample standard deviation (0 for one value).
func meanStd(xs []float64) (mean, std float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
