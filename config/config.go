// Package config holds the typed configuration of summarize, its defaults,
// its validation, and the files embedded in the binary: the documented
// default config (summarize.yaml), the built-in prompt templates
// (prompts/*.tmpl) and the judge's rubrics (prompts/judge/*.tmpl). The eval
// suites under evals/ are examples read from the checkout, not embedded.
//
// Nothing here reads the environment or flags: cmd/summarize resolves the
// sources (flag > SUMMARIZE_* env > config file > default) with viper and
// hands the result over as a Config.
package config

import (
	"embed"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Files holds the embedded defaults: summarize.yaml, prompts/*.tmpl and the
// judge's rubrics (prompts/judge/*.tmpl).
//
//go:embed summarize.yaml prompts/*.tmpl prompts/judge/*.tmpl
var Files embed.FS

// Backend names a summarizer (config key backend, --backend).
type Backend string

// Backends.
const (
	// BackendAuto is BackendOpenAI when an API key or a base URL is
	// configured, else BackendExtractive.
	BackendAuto       Backend = "auto"
	BackendOpenAI     Backend = "openai"     // any OpenAI-compatible server
	BackendExtractive Backend = "extractive" // the built-in offline summarizer
	BackendLead3      Backend = "lead3"      // the first sentences (prompt.bullets of them)
	// BackendDataset is for eval suites only: it scores the bullets a
	// dataset already holds.
	BackendDataset Backend = "dataset"
)

// Backends that Config.Backend accepts.
var Backends = []Backend{BackendAuto, BackendOpenAI, BackendExtractive, BackendLead3, BackendDataset}

// Overflow is how an article longer than the model's context window is
// summarized (config key llm.overflow, --overflow).
type Overflow string

// Overflow strategies.
const (
	OverflowError     Overflow = "error"      // fail with the counts
	OverflowTruncate  Overflow = "truncate"   // cut the article at a sentence boundary
	OverflowMapReduce Overflow = "map-reduce" // summarize parts, then merge their bullets
)

// Overflows that Config.LLM.Overflow accepts.
var Overflows = []Overflow{OverflowError, OverflowTruncate, OverflowMapReduce}

// APIType is the flavour of the OpenAI-compatible API (llm.api_type).
type APIType string

// API types.
const (
	APITypeOpenAI APIType = "openai" // OpenAI and every compatible server
	APITypeAzure  APIType = "azure"  // Azure OpenAI: deployments, api-version, api-key
)

// APITypes that Config.LLM.APIType accepts.
var APITypes = []APIType{APITypeOpenAI, APITypeAzure}

// Format is how results are printed (config key output.format, --format).
type Format string

// Output formats.
const (
	FormatText     Format = "text"     // "- bullet" lines, a header per input when there are several
	FormatMarkdown Format = "markdown" // a Markdown list, a heading per input when there are several
	FormatJSON     Format = "json"     // one object, or an array of them for several inputs
	FormatJSONL    Format = "jsonl"    // one object per line
)

// Formats that Config.Output.Format accepts.
var Formats = []Format{FormatText, FormatMarkdown, FormatJSON, FormatJSONL}

// IsJSON reports whether f is json or jsonl: output for programs.
func (f Format) IsJSON() bool { return f == FormatJSON || f == FormatJSONL }

// Config is the whole resolved configuration.
type Config struct {
	Backend    Backend    `mapstructure:"backend"`
	LLM        LLM        `mapstructure:"llm"`
	Prompt     Prompt     `mapstructure:"prompt"`
	Output     Output     `mapstructure:"output"`
	Extractive Extractive `mapstructure:"extractive"`
	Clean      Clean      `mapstructure:"clean"`
	Models     []Model    `mapstructure:"models"`
}

// LLM configures the OpenAI-compatible backend.
type LLM struct {
	BaseURL       string        `mapstructure:"base_url"`
	Model         string        `mapstructure:"model"`
	APIKeyEnv     string        `mapstructure:"api_key_env"`
	APIType       APIType       `mapstructure:"api_type"`
	APIVersion    string        `mapstructure:"api_version"` // azure only
	Organization  string        `mapstructure:"organization"`
	Temperature   float64       `mapstructure:"temperature"`
	MaxTokens     int           `mapstructure:"max_tokens"`
	Timeout       time.Duration `mapstructure:"timeout"`
	MaxRetries    int           `mapstructure:"max_retries"`
	Seed          int           `mapstructure:"seed"`           // sent with every request when not 0
	ContextWindow int           `mapstructure:"context_window"` // 0 = from the model table
	Overflow      Overflow      `mapstructure:"overflow"`
	RPM           int           `mapstructure:"rpm"` // requests per minute, 0 = unlimited
	TPM           int           `mapstructure:"tpm"` // tokens per minute, 0 = unlimited
	// Endpoints, when set, is a pool of servers of the same models that
	// requests are spread over (fewest in flight first, failing ones taken
	// out for a while); llm.base_url is then not used.
	Endpoints []Endpoint `mapstructure:"endpoints"`
}

// Endpoint is one server of llm.endpoints.
type Endpoint struct {
	BaseURL string `mapstructure:"base_url"`
	// APIKeyEnv names the variable holding this server's key; "" uses
	// llm.api_key_env.
	APIKeyEnv string `mapstructure:"api_key_env"`
	// Concurrency is the most requests in flight at this server; 0 = no
	// limit of its own (the run's --concurrency still applies).
	Concurrency int `mapstructure:"concurrency"`
}

// Prompt selects and parameterises the prompt template.
type Prompt struct {
	Name     string `mapstructure:"name"`
	Dir      string `mapstructure:"dir"`
	Bullets  int    `mapstructure:"bullets"`
	MaxWords int    `mapstructure:"max_words"`
	Language string `mapstructure:"language"`
	Examples string `mapstructure:"examples"` // JSONL file of few-shot examples
}

// Output controls what is printed.
type Output struct {
	Format Format `mapstructure:"format"`
	Strict bool   `mapstructure:"strict"`
}

// Extractive tunes the offline summarizer.
type Extractive struct {
	Bullets  int `mapstructure:"bullets"`   // 0 = prompt.bullets
	MaxWords int `mapstructure:"max_words"` // 0 = the summarizer's default
}

// Clean controls loading and cleaning of inputs.
type Clean struct {
	Rules        []string      `mapstructure:"rules"`
	Disable      []string      `mapstructure:"disable"`
	Patterns     []string      `mapstructure:"patterns"`
	MaxBytes     int64         `mapstructure:"max_bytes"`
	FetchTimeout time.Duration `mapstructure:"fetch_timeout"`
}

// Model overrides the built-in model table entry of the models whose
// names start with Name (context window, output limit, prices).
type Model struct {
	Name          string  `mapstructure:"name"`
	ContextWindow int     `mapstructure:"context_window"`
	MaxOutput     int     `mapstructure:"max_output"`
	InputPrice    float64 `mapstructure:"input_price"`  // USD per 1M tokens
	OutputPrice   float64 `mapstructure:"output_price"` // USD per 1M tokens
	// BatchDiscount is the share of the live price taken off Batch API
	// requests (0.5 at OpenAI); 0 keeps the built-in table's.
	BatchDiscount float64 `mapstructure:"batch_discount"`
}

// Default returns the built-in defaults. config/summarize.yaml documents
// the same values; a test keeps the two in step.
func Default() Config {
	return Config{
		Backend: BackendAuto,
		LLM: LLM{
			Model:      "gpt-4o-mini",
			APIKeyEnv:  "OPENAI_API_KEY",
			APIType:    APITypeOpenAI,
			APIVersion: "2024-10-21",
			MaxTokens:  512,
			Timeout:    60 * time.Second,
			MaxRetries: 4,
			Overflow:   OverflowMapReduce,
			Endpoints:  []Endpoint{},
		},
		Prompt: Prompt{
			Name:     "headline",
			Bullets:  3,
			MaxWords: 20,
			Language: "English",
		},
		Output: Output{Format: FormatText},
		Clean: Clean{
			Rules:        []string{},
			Disable:      []string{},
			Patterns:     []string{},
			MaxBytes:     8 << 20,
			FetchTimeout: 30 * time.Second,
		},
		Models: []Model{},
	}
}

// Validate reports every invalid value, one error each naming its key,
// joined with errors.Join.
func (c Config) Validate() error {
	var errs []error
	oneOf(&errs, "backend", c.Backend, Backends)
	oneOf(&errs, "output.format", c.Output.Format, Formats)
	oneOf(&errs, "llm.overflow", c.LLM.Overflow, Overflows)
	oneOf(&errs, "llm.api_type", c.LLM.APIType, APITypes)
	if c.LLM.Temperature < 0 || c.LLM.Temperature > 2 {
		errs = append(errs, fmt.Errorf("llm.temperature: %g is outside 0..2", c.LLM.Temperature))
	}
	if c.LLM.MaxTokens < 0 {
		errs = append(errs, fmt.Errorf("llm.max_tokens: %d is negative", c.LLM.MaxTokens))
	}
	if c.LLM.Timeout <= 0 {
		errs = append(errs, fmt.Errorf("llm.timeout: %s must be positive", c.LLM.Timeout))
	}
	if c.LLM.MaxRetries < 0 || c.LLM.MaxRetries > 20 {
		errs = append(errs, fmt.Errorf("llm.max_retries: %d is outside 0..20", c.LLM.MaxRetries))
	}
	if c.LLM.ContextWindow < 0 {
		errs = append(errs, fmt.Errorf("llm.context_window: %d is negative", c.LLM.ContextWindow))
	}
	if c.LLM.APIKeyEnv == "" {
		errs = append(errs, errors.New("llm.api_key_env: must name an environment variable"))
	} else if !EnvName(c.LLM.APIKeyEnv) {
		// Most likely the key itself, pasted where its variable's name
		// goes: never repeat it.
		errs = append(errs, errors.New("llm.api_key_env: want the name of an environment variable (letters, digits, _), such as OPENAI_API_KEY; the value given is not shown, as it may be the key itself"))
	}
	if c.LLM.APIType == APITypeAzure && c.LLM.BaseURL == "" {
		errs = append(errs, errors.New("llm.base_url: required when llm.api_type is azure (https://NAME.openai.azure.com)"))
	}
	errs = append(errs, c.LLM.validateEndpoints()...)
	if c.Prompt.Bullets < 1 || c.Prompt.Bullets > 10 {
		errs = append(errs, fmt.Errorf("prompt.bullets: %d is outside 1..10", c.Prompt.Bullets))
	}
	if c.Prompt.MaxWords < 3 || c.Prompt.MaxWords > 100 {
		errs = append(errs, fmt.Errorf("prompt.max_words: %d is outside 3..100", c.Prompt.MaxWords))
	}
	if c.Prompt.Name == "" {
		errs = append(errs, errors.New("prompt.name: must not be empty"))
	}
	if c.Extractive.Bullets < 0 || c.Extractive.Bullets > 10 {
		errs = append(errs, fmt.Errorf("extractive.bullets: %d is outside 0..10", c.Extractive.Bullets))
	}
	if c.Clean.MaxBytes <= 0 {
		errs = append(errs, fmt.Errorf("clean.max_bytes: %d must be positive", c.Clean.MaxBytes))
	}
	for i, m := range c.Models {
		if m.Name == "" {
			errs = append(errs, fmt.Errorf("models[%d].name: must not be empty", i))
		}
		if m.BatchDiscount < 0 || m.BatchDiscount >= 1 {
			errs = append(errs, fmt.Errorf("models[%d] (%s).batch_discount: %g is outside 0..1 (a share of the live price)", i, m.Name, m.BatchDiscount))
		}
		if m.ContextWindow < 0 || m.MaxOutput < 0 || m.InputPrice < 0 || m.OutputPrice < 0 {
			errs = append(errs, fmt.Errorf("models[%d] (%s): negative values", i, m.Name))
		}
	}
	if c.Clean.FetchTimeout <= 0 {
		errs = append(errs, fmt.Errorf("clean.fetch_timeout: %s must be positive", c.Clean.FetchTimeout))
	}
	return errors.Join(errs...)
}

// oneOf adds an error to errs unless v is one of allowed.
func oneOf[T ~string](errs *[]error, key string, v T, allowed []T) {
	if slices.Contains(allowed, v) {
		return
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	*errs = append(*errs, fmt.Errorf("%s: %q is not one of %s", key, v, strings.Join(names, ", ")))
}

// EnvName reports whether s can be the name of an environment variable:
// a letter or _, then letters, digits and _.
func EnvName(s string) bool {
	for i, r := range s {
		switch {
		case r == '_', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

// validateEndpoints checks llm.endpoints: each an http(s) URL with a host,
// none listed twice, key variables that are names.
func (l LLM) validateEndpoints() []error {
	var errs []error
	seen := map[string]int{}
	for i, e := range l.Endpoints {
		where := fmt.Sprintf("llm.endpoints[%d]", i)
		u, err := url.Parse(strings.TrimSpace(e.BaseURL))
		switch {
		case strings.TrimSpace(e.BaseURL) == "":
			errs = append(errs, fmt.Errorf("%s.base_url: must not be empty", where))
			continue
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			errs = append(errs, fmt.Errorf("%s.base_url: want an http:// or https:// URL with a host, such as http://gpu1:8000/v1", where))
			continue
		}
		norm := EndpointKey(e.BaseURL)
		if j, dup := seen[norm]; dup {
			errs = append(errs, fmt.Errorf("%s.base_url: the same server as llm.endpoints[%d]", where, j))
		}
		seen[norm] = i
		if e.APIKeyEnv != "" && !EnvName(e.APIKeyEnv) {
			errs = append(errs, fmt.Errorf("%s.api_key_env: want the name of an environment variable (letters, digits, _); the value given is not shown, as it may be the key itself", where))
		}
		if e.Concurrency < 0 {
			errs = append(errs, fmt.Errorf("%s.concurrency: %d is negative", where, e.Concurrency))
		}
	}
	return errs
}

// EndpointKey is a base URL as compared for duplicates: scheme and host in
// lower case, no trailing slash, no credentials.
func EndpointKey(baseURL string) string {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil {
		return strings.TrimSpace(baseURL)
	}
	u.User = nil
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	return u.String()
}
