// Package openai is the llm.Backend for OpenAI's chat completions API and
// every service that speaks it (Azure OpenAI, vLLM, llama.cpp, Ollama,
// LM Studio, OpenRouter, ...). It is the only package that imports
// github.com/sashabaranov/go-openai, and it papers over three of that
// library's habits: no HTTP timeout by default, temperature 0 silently
// dropped from the request, and errors that hide the response headers
// (Retry-After). Its errors are the llm package's kinds.
package openai

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/summarize-dev/summarize/internal/llm"
)

// DefaultBaseURL is OpenAI's API.
const DefaultBaseURL = "https://api.openai.com/v1"

// DefaultTimeout bounds one HTTP exchange when Options.Timeout is 0 and no
// HTTPClient is given.
const DefaultTimeout = 2 * time.Minute

// DefaultAzureAPIVersion is sent as api-version to Azure when
// Options.AzureAPIVersion is empty.
const DefaultAzureAPIVersion = "2024-10-21"

// Options configure a Client.
type Options struct {
	// BaseURL of an OpenAI-compatible API, ending in /v1 for most services
	// (default DefaultBaseURL). For Azure, the resource endpoint
	// (https://NAME.openai.azure.com), required.
	BaseURL string
	// APIKey is sent as "Authorization: Bearer KEY" ("api-key: KEY" for
	// Azure). It may be empty for local servers; it never appears in errors.
	APIKey       string
	Organization string
	// Azure selects Azure OpenAI's paths and auth header.
	Azure           bool
	AzureAPIVersion string
	// AzureDeployments maps model names to deployment names; a model that
	// is not in it is its own deployment name.
	AzureDeployments map[string]string
	// Timeout bounds one HTTP exchange, reply body included. 0 means
	// DefaultTimeout, or HTTPClient's own Timeout when HTTPClient is set;
	// negative means no timeout.
	Timeout time.Duration
	// HTTPClient to send requests with (default: a new client over
	// http.DefaultTransport). It is copied, not modified.
	HTTPClient *http.Client
	// UserAgent, when set, replaces Go's default User-Agent.
	UserAgent string
}

// sharedTransport is http.DefaultTransport keeping as many idle
// connections a host as an eval has requests in flight (at most 256), one
// for every client of the process. The default keeps 2: at -j 32, 30 of
// every 32 connections were closed after their reply and dialled again
// (TLS handshake included) for the next request.
var sharedTransport = sync.OnceValue(func() http.RoundTripper {
	d, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport // replaced by the program: its own
	}
	t := d.Clone()
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 256
	return t
})

// Client is an llm.Backend. It is safe for concurrent use.
type Client struct {
	api      *goopenai.Client
	http     *http.Client // as given to go-openai
	key      string
	endpoint string
}

// New checks o and returns a Client.
func New(o Options) (*Client, error) {
	base := strings.TrimRight(strings.TrimSpace(o.BaseURL), "/")
	if base == "" {
		if o.Azure {
			return nil, errors.New("azure openai: no base URL (the resource endpoint, https://NAME.openai.azure.com)")
		}
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %w", base, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("base URL %q: want http:// or https:// and a host", base)
	}

	hc := &http.Client{}
	if o.HTTPClient != nil {
		c := *o.HTTPClient
		hc = &c
	} else if o.Timeout == 0 {
		hc.Timeout = DefaultTimeout
	}
	switch {
	case o.Timeout > 0:
		hc.Timeout = o.Timeout
	case o.Timeout < 0:
		hc.Timeout = 0
	}
	rt := hc.Transport
	if rt == nil {
		rt = sharedTransport()
	}
	hc.Transport = &transport{base: rt, userAgent: o.UserAgent}

	var cfg goopenai.ClientConfig
	endpoint := base
	if o.Azure {
		// go-openai adds /openai itself: a resource endpoint copied with
		// it would be doubled (/openai/openai/deployments/...).
		base = strings.TrimSuffix(base, "/openai")
		cfg = goopenai.DefaultAzureConfig(o.APIKey, base)
		cfg.APIVersion = o.AzureAPIVersion
		if cfg.APIVersion == "" {
			cfg.APIVersion = DefaultAzureAPIVersion
		}
		deployments := make(map[string]string, len(o.AzureDeployments))
		for k, v := range o.AzureDeployments {
			deployments[k] = v
		}
		cfg.AzureModelMapperFunc = func(model string) string {
			if d, ok := deployments[model]; ok {
				return d
			}
			return model
		}
		endpoint = "azure:" + base
	} else {
		cfg = goopenai.DefaultConfig(o.APIKey)
		cfg.BaseURL = base
		// OpenAI-Organization means nothing to Azure, which bills by
		// resource: it is not sent there.
		cfg.OrgID = o.Organization
	}
	cfg.HTTPClient = hc
	return &Client{api: goopenai.NewClientWithConfig(cfg), http: hc, key: o.APIKey, endpoint: endpoint}, nil
}

// Endpoint is the base URL requests go to ("azure:" and the resource
// endpoint for Azure). The response cache keys by it.
func (c *Client) Endpoint() string { return c.endpoint }

// Complete sends one chat completion request.
func (c *Client) Complete(ctx context.Context, req llm.Request) (llm.Response, error) {
	w, warnings, err := c.prepare(req)
	if err != nil {
		return llm.Response{}, err
	}
	start := time.Now()
	ex := &exchange{zeroTemperature: w.Temperature == zeroTemperatureMark}
	resp, err := c.api.CreateChatCompletion(withExchange(ctx, ex), w)
	latency := time.Since(start)
	status, _ := ex.get()
	if err != nil {
		return llm.Response{Latency: latency}, c.redact(classify(err, ex.seen(c.endpoint)))
	}
	r, err := fromWire(resp, status, warnings)
	r.Latency = latency
	return r, err
}

// fromWire is go-openai's completion as an llm.Response (a live reply or a
// line of a batch's output file); one with no choices is an error.
func fromWire(resp goopenai.ChatCompletionResponse, status int, warnings []string) (llm.Response, error) {
	if len(resp.Choices) == 0 {
		return llm.Response{}, &llm.Error{Kind: llm.ErrInvalidResponse, Status: status, Message: "the reply has no choices"}
	}
	ch := resp.Choices[0]
	return llm.Response{
		Content:      ch.Message.Content,
		Model:        resp.Model,
		FinishReason: string(ch.FinishReason),
		Refusal:      ch.Message.Refusal,
		Warnings:     warnings,
		Usage: llm.Usage{
			PromptTokens:     resp.Usage.PromptTokens,
			CompletionTokens: resp.Usage.CompletionTokens,
			TotalTokens:      resp.Usage.TotalTokens,
		},
		Logprobs: logprobs(ch.LogProbs),
	}, nil
}

// prepare checks req and converts it to go-openai's request, with what it
// had to change for the model.
func (c *Client) prepare(req llm.Request) (goopenai.ChatCompletionRequest, []string, error) {
	if strings.TrimSpace(req.Model) == "" {
		return goopenai.ChatCompletionRequest{}, nil, &llm.Error{Kind: llm.ErrBadRequest, Message: "no model given (llm.model is empty)"}
	}
	w, warnings := wireRequest(req)
	return w, warnings, nil
}

// logprobs converts go-openai's per-token log probabilities.
func logprobs(lp *goopenai.LogProbs) []llm.TokenLogprob {
	if lp == nil || len(lp.Content) == 0 {
		return nil
	}
	out := make([]llm.TokenLogprob, len(lp.Content))
	for i, t := range lp.Content {
		out[i] = llm.TokenLogprob{Token: t.Token, Logprob: t.LogProb}
		for _, c := range t.TopLogProbs {
			out[i].Top = append(out[i].Top, llm.Logprob{Token: c.Token, Logprob: c.LogProb})
		}
	}
	return out
}

// zeroTemperatureMark stands for a requested temperature 0 in go-openai's
// request, whose omitempty would drop a 0; the transport sends it as 0.
const zeroTemperatureMark = math.SmallestNonzeroFloat32

// wireRequest converts req to go-openai's request, and says what it
// changed to suit the model.
func wireRequest(req llm.Request) (goopenai.ChatCompletionRequest, []string) {
	reasoning := isReasoning(req.Model)
	msgs := make([]goopenai.ChatCompletionMessage, len(req.Messages))
	for i, m := range req.Messages {
		role := m.Role
		if reasoning && role == llm.RoleSystem {
			// Reasoning models take the instructions as "developer"
			// messages; some reject "system" outright.
			role = goopenai.ChatMessageRoleDeveloper
		}
		msgs[i] = goopenai.ChatCompletionMessage{Role: role, Content: m.Content}
	}
	w := goopenai.ChatCompletionRequest{
		Model:    req.Model,
		Messages: msgs,
		//lint:ignore SA1019 deprecated by OpenAI, but max_tokens is the field OpenAI-compatible servers (llama.cpp, Ollama, vLLM) all read; fitReasoning moves it to max_completion_tokens for the models that need that
		MaxTokens:   req.MaxTokens,
		Temperature: float32(req.Temperature),
	}
	if req.Temperature == 0 {
		w.Temperature = zeroTemperatureMark
	}
	if req.Logprobs {
		w.LogProbs = true
		w.TopLogProbs = req.TopLogprobs
	}
	if req.Seed != 0 {
		seed := req.Seed
		w.Seed = &seed
	}
	w = fitReasoning(w)
	var warnings []string
	if w.Temperature == 0 && req.Temperature != 1 {
		warnings = append(warnings, fmt.Sprintf("temperature %g not sent: %s, a reasoning model, takes only its default temperature",
			req.Temperature, req.Model))
	}
	return w, warnings
}

// isReasoning reports whether model is one of OpenAI's reasoning families
// (o1, o3, o4, gpt-5), which take "developer" messages, max_completion_tokens
// and no temperature.
func isReasoning(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// fitReasoning adjusts a request for reasoning models (o1, o3, o4, gpt-5
// families), which take max_completion_tokens instead of max_tokens and only
// their default temperature. go-openai refuses such requests otherwise.
func fitReasoning(w goopenai.ChatCompletionRequest) goopenai.ChatCompletionRequest {
	v := goopenai.NewReasoningValidator()
	if errors.Is(v.Validate(w), goopenai.ErrReasoningModelMaxTokensDeprecated) {
		//lint:ignore SA1019 moving the deprecated field to its replacement
		w.MaxCompletionTokens, w.MaxTokens = w.MaxTokens, 0
	}
	if err := v.Validate(w); errors.Is(err, goopenai.ErrReasoningModelLimitationsOther) ||
		errors.Is(err, goopenai.ErrReasoningSamplingUnsupported) {
		w.Temperature = 0
	}
	return w
}

// redact removes the API key from err's text. Servers sometimes echo the
// key they were given; it must not reach logs or terminals.
func (c *Client) redact(err error) error {
	if err == nil || c.key == "" || !strings.Contains(errorText(err), c.key) {
		return err
	}
	const mask = "[REDACTED]"
	var e *llm.Error
	if errors.As(err, &e) && e == err {
		r := *e
		r.Message = strings.ReplaceAll(r.Message, c.key, mask)
		if r.Err != nil && strings.Contains(r.Err.Error(), c.key) {
			r.Err = &redacted{msg: strings.ReplaceAll(r.Err.Error(), c.key, mask), orig: r.Err}
		}
		return &r
	}
	return &redacted{msg: strings.ReplaceAll(err.Error(), c.key, mask), orig: err}
}

// errorText is the text of err and of every error it wraps.
func errorText(err error) string {
	var b strings.Builder
	for e := err; e != nil; e = errors.Unwrap(e) {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	if e, ok := err.(*llm.Error); ok {
		b.WriteString(e.Message)
	}
	return b.String()
}

// redacted is an error whose text had the key removed. It matches what the
// original matched with errors.Is, but does not unwrap to it, so the
// original text cannot be printed through it.
type redacted struct {
	msg  string
	orig error
}

func (r *redacted) Error() string        { return r.msg }
func (r *redacted) Is(target error) bool { return errors.Is(r.orig, target) }
