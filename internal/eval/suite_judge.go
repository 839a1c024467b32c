package eval

import (
	"slices"

	"gopkg.in/yaml.v3"
)

// JudgeConfig is a suite's judge section: the LLM judge that scores the
// metric "judge", with a model and an endpoint of its own.
//
//	judge:
//	  model: gpt-4o-mini
//	  base_url: https://api.openai.com/v1   # default: the summarizer's endpoint default
//	  api_key_env: OPENAI_API_KEY
//	  dimensions: [coherence, fluency]      # default: all four built-in rubrics
//	  samples: 3                            # replies per dimension; mean and spread
//	  temperature: 1                        # default 0 with one sample, 1 with more
//	  max_tokens: 0
//	  logprobs: true                        # weight the score tokens when the server sends them
//	  top_logprobs: 5
//	  rubrics: judge/                       # a folder of NAME.tmpl shadowing the built-ins
type JudgeConfig struct {
	Model, BaseURL, APIKeyEnv string
	Dimensions                []string
	Samples                   int
	Temperature               float64
	MaxTokens                 int
	Logprobs                  bool
	TopLogprobs               int
	Rubrics                   string // resolved against the suite's directory
	Line, DimensionsLine      int
}

// DefaultJudgeDimensions are judged when a judge section names none.
var DefaultJudgeDimensions = []string{"coherence", "consistency", "fluency", "relevance"}

// judge decodes the judge section.
func (d *nodeDecoder) judge(n *yaml.Node) *JudgeConfig {
	j := &JudgeConfig{Samples: 1, Logprobs: true, Line: n.Line, APIKeyEnv: "OPENAI_API_KEY"}
	temp := -1.0
	d.fields(n, "judge", map[string]func(*yaml.Node){
		"model":       func(n *yaml.Node) { d.str(n, "judge.model", &j.Model) },
		"base_url":    func(n *yaml.Node) { d.str(n, "judge.base_url", &j.BaseURL) },
		"api_key_env": func(n *yaml.Node) { d.str(n, "judge.api_key_env", &j.APIKeyEnv) },
		"dimensions": func(n *yaml.Node) {
			j.DimensionsLine = n.Line
			d.strs(n, "judge.dimensions", &j.Dimensions)
		},
		"samples":      func(n *yaml.Node) { d.int(n, "judge.samples", &j.Samples) },
		"temperature":  func(n *yaml.Node) { d.float(n, "judge.temperature", &temp) },
		"max_tokens":   func(n *yaml.Node) { d.int(n, "judge.max_tokens", &j.MaxTokens) },
		"logprobs":     func(n *yaml.Node) { d.bool(n, "judge.logprobs", &j.Logprobs) },
		"top_logprobs": func(n *yaml.Node) { d.int(n, "judge.top_logprobs", &j.TopLogprobs) },
		"rubrics":      func(n *yaml.Node) { d.str(n, "judge.rubrics", &j.Rubrics) },
	})
	if j.Model == "" {
		d.errf(n, "judge: missing key \"model\"")
	}
	if j.Samples < 1 {
		d.errf(valueNode(n, "samples"), "judge.samples: want at least 1, got %d", j.Samples)
	}
	if j.TopLogprobs < 0 || j.TopLogprobs > 20 {
		d.errf(valueNode(n, "top_logprobs"), "judge.top_logprobs: want 0 to 20, got %d", j.TopLogprobs)
	}
	if j.MaxTokens < 0 {
		d.errf(valueNode(n, "max_tokens"), "judge.max_tokens: must not be negative")
	}
	switch {
	case temp >= 0:
		j.Temperature = temp
	case j.Samples > 1:
		j.Temperature = 1 // samples at temperature 0 would all be alike
	}
	if j.Dimensions == nil {
		j.Dimensions, j.DimensionsLine = slices.Clone(DefaultJudgeDimensions), n.Line
	}
	if len(j.Dimensions) == 0 {
		d.errf(valueNode(n, "dimensions"), "judge.dimensions: the list is empty")
	}
	for i, dim := range j.Dimensions {
		if slices.Contains(j.Dimensions[:i], dim) {
			d.errf(valueNode(n, "dimensions"), "judge.dimensions: %q listed twice", dim)
		}
	}
	return j
}

// checkJudge requires a judge section exactly when the metrics list judge.
func (d *nodeDecoder) checkJudge(s *Suite, root, metrics *yaml.Node, dir string) {
	listed := slices.Contains(s.Metrics, MetricJudge)
	switch {
	case listed && s.Judge == nil:
		at := metrics
		if metrics != nil && metrics.Kind == yaml.SequenceNode {
			for _, c := range metrics.Content {
				if c.Value == MetricJudge {
					at = c
				}
			}
		}
		d.errf(at, "metrics: judge needs a judge section (judge: {model: ..., dimensions: [...]})")
	case !listed && s.Judge != nil:
		d.errf(valueNode(root, "judge"), "judge: the section is set but metrics do not list judge")
	}
	if s.Judge != nil && s.Judge.Rubrics != "" {
		s.Judge.Rubrics = resolve(dir, s.Judge.Rubrics)
	}
}
