package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/judge"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/openai"
)

// evalJudge builds the hook that scores the metric "judge" from the
// suite's judge section: its own model and endpoint, through the same
// client, retries and response cache as the variants. nil when the suite
// has no judge. collect, when not nil, stands in for the response cache
// around the judge's client (the batch pass's collector, evalbatch.go).
func (a *app) evalJudge(s *eval.Suite, cache *llm.Cache, mode llm.CacheMode, f evalFlags, collect func(llm.Backend) llm.Backend) (eval.JudgeFunc, error) {
	jc := s.Judge
	if jc == nil {
		return nil, nil
	}
	where := func(line int) string { return fmt.Sprintf("suite %s:%d", s.Path, line) }
	sub, err := subFS("prompts/judge")
	if err != nil {
		return nil, err
	}
	rs, err := judge.LoadRubrics(sub, jc.Rubrics)
	if err != nil {
		return nil, &cliError{err: fmt.Errorf("%s: judge.rubrics: %w", where(jc.Line), err), code: exitUsage}
	}
	var rubrics []*judge.Rubric
	for _, d := range jc.Dimensions {
		r, err := rs.Get(d)
		if err != nil {
			return nil, withHint(fmt.Errorf("%s: judge.dimensions: %w", where(jc.DimensionsLine), err), exitUsage,
				"a dimension is a built-in rubric or a NAME.tmpl in judge.rubrics")
		}
		rubrics = append(rubrics, r)
	}

	baseURL := a.judgeBaseURL(jc)
	keyURL := baseURL
	if f.dial != nil && baseURL != "" {
		baseURL = f.dial(baseURL)
	}
	key := a.getenv(jc.APIKeyEnv)
	if key == "" && mode == llm.CacheReplay {
		key = "replay-needs-no-key"
	}
	if key == "" && baseURL == "" {
		return nil, withHint(fmt.Errorf("judge: no API key: environment variable %s is empty", jc.APIKeyEnv), exitUsage,
			fmt.Sprintf("export %s=..., or set judge.base_url in the suite for a local server", jc.APIKeyEnv))
	}
	cl, err := openai.New(openai.Options{BaseURL: baseURL, APIKey: key, Timeout: s.Timeout, UserAgent: "summarize/" + version})
	if err != nil {
		return nil, &cliError{err: fmt.Errorf("%s: judge: %w", where(jc.Line), err), code: exitUsage}
	}
	var b llm.Backend = cl
	if f.dial != nil && keyURL != "" {
		b = endpointAs{Backend: b, endpoint: strings.TrimRight(keyURL, "/")}
	}
	if collect != nil {
		b = collect(b)
	} else {
		b = llm.WithCache(b, cache, mode)
	}
	b = llm.WithRetry(b, llm.RetryPolicy{MaxRetries: 3, AttemptTimeout: s.Timeout}) // the judge has no setting of its own

	j := &judge.Judge{
		Backend: b, Model: jc.Model, Rubrics: rubrics, Samples: jc.Samples,
		Temperature: jc.Temperature, MaxTokens: jc.MaxTokens,
		Logprobs: jc.Logprobs, TopLogprobs: jc.TopLogprobs,
	}
	price, priced := s.Prices[jc.Model]
	return func(ctx context.Context, c dataset.Case, rep int, bullets []string) (eval.JudgeOutput, error) {
		res, err := j.Score(llm.WithRepeat(ctx, rep), c.Title, c.Article, bullets)
		if err != nil {
			return eval.JudgeOutput{}, err
		}
		out := eval.JudgeOutput{Score: res.Score, Parts: map[string]float64{"spread": res.MeanSpread}}
		for d, v := range res.Scores {
			out.Parts[d] = v
		}
		if priced {
			out.Cost = price.Cost(res.Usage.PromptTokens, res.Usage.CompletionTokens)
		}
		return out, nil
	}, nil
}

// judgeBaseURL is the judge's endpoint: judge.base_url, else
// OPENAI_BASE_URL (else go-openai's default).
func (a *app) judgeBaseURL(jc *eval.JudgeConfig) string {
	if jc.BaseURL != "" {
		return jc.BaseURL
	}
	return a.getenv("OPENAI_BASE_URL")
}
