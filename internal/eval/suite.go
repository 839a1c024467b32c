package eval

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/summarize-dev/summarize/internal/bullet"
)

// Built-in backends every suite may name without further settings.
const (
	BackendExtractive = "extractive"
	BackendLead3      = "lead3"
	BackendOpenAI     = "openai"
)

// Leakage modes.
const (
	LeakageReport = "report" // list leaking cases in the reports
	LeakageFail   = "fail"   // also fail those cases and the leakage gate
)

// Suite is a parsed and validated eval suite.
type Suite struct {
	Path        string // the suite file as given
	Name        string
	Description string
	Dataset     string // resolved against the suite's directory
	Variants    []Variant
	Metrics     []string
	Gates       Gates
	Concurrency int
	Repeat      int
	Timeout     time.Duration // per case × variant × repeat
	RPM, TPM    int           // default request and token rate limits per variant; 0 = none
	Prices      map[string]Price
	Leakage     string       // LeakageReport or LeakageFail
	Cache       string       // response cache directory, resolved; "" = the caller's default
	CacheMode   string       // rw, read, replay or off; "" = the caller's default
	Contract    bullet.Rules // the bullet contract the "contract" metric checks
	// Sanity is the backend of the baseline variant every report shows
	// (lead3, extractive or none); see AddSanity.
	Sanity string
}

// Variant is one way of producing bullets: a backend with its settings.
type Variant struct {
	Name        string
	Backend     string
	Model       string
	Prompt      string
	Temperature *float64 // nil = the backend's default
	Bullets     int      // 0 = the prompt's default
	BaseURL     string
	APIKeyEnv   string
	MaxTokens   int
	Seed        int
	RPM, TPM    int // 0 = the suite's limits
	Line        int // line of the variant in the suite file
	// Baseline marks the sanity variant AddSanity added: it runs and is
	// reported like the others, but gates without a variants list leave it
	// out.
	Baseline bool
}

// Price is what a model costs, in US dollars per million tokens.
type Price struct {
	Input  float64 `json:"input"`
	Output float64 `json:"output"`
}

// Cost returns the price of a call with the given usage.
func (p Price) Cost(promptTokens, completionTokens int) float64 {
	return (float64(promptTokens)*p.Input + float64(completionTokens)*p.Output) / 1e6
}

// Gates are the quality thresholds of a suite.
type Gates struct {
	Metrics    []MetricGate // in file order
	Contract   *ThresholdGate
	Regression *RegressionGate
	MaxErrors  int // errored cases tolerated before the run counts as failed; -1 = any
}

// MetricGate requires the mean of a metric to reach Min.
type MetricGate struct {
	Metric   string
	Min      float64
	Variants []string // empty = every variant
	Line     int
}

// ThresholdGate requires a share to reach Min.
type ThresholdGate struct {
	Min      float64
	Variants []string
	Line     int
}

// RegressionGate fails a variant whose scores are significantly below the
// same variant's scores in a baseline results file.
type RegressionGate struct {
	Baseline string  // resolved path to a JSON report of an earlier run
	Alpha    float64 // significance level, default 0.05
	Metrics  []string
	Variants []string
	Line     int
}

// LoadOptions are the checks the caller adds to suite validation.
type LoadOptions struct {
	// Backends lists the backend names a variant may use; nil means
	// extractive, lead3 and openai.
	Backends []string
	// CheckPrompt reports whether a prompt name exists; nil accepts any.
	CheckPrompt func(name string) error
	// CheckMetric reports whether a metric name exists; nil uses
	// KnownMetric.
	CheckMetric func(name string) error
}

// DefaultMetrics are scored when a suite names none.
var defaultMetrics = []string{"rouge1", "rouge2", "rougeLsum", "contract"}

// LoadSuite reads, parses and validates the suite at path. Every problem
// found is reported, each as "path:line: what".
func LoadSuite(path string, opt LoadOptions) (*Suite, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read suite: %w", err)
	}
	return ParseSuite(path, data, opt)
}

// ParseSuite parses and validates suite data as if read from path.
func ParseSuite(path string, data []byte, opt LoadOptions) (*Suite, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty suite", path)
	}
	d := &nodeDecoder{file: path}
	s := &Suite{Path: path, Concurrency: 4, Repeat: 1, Timeout: 2 * time.Minute, Leakage: LeakageReport, Sanity: SanityLead3}
	s.Gates.MaxErrors = 0
	root := doc.Content[0]
	var dataset, cache string
	var datasetNode, metricsNode, variantsNode *yaml.Node
	d.fields(root, "suite", map[string]func(*yaml.Node){
		"name":        func(n *yaml.Node) { d.str(n, "name", &s.Name) },
		"description": func(n *yaml.Node) { d.str(n, "description", &s.Description) },
		"dataset":     func(n *yaml.Node) { datasetNode = n; d.str(n, "dataset", &dataset) },
		"variants":    func(n *yaml.Node) { variantsNode = n; s.Variants = d.variants(n) },
		"metrics":     func(n *yaml.Node) { metricsNode = n; d.strs(n, "metrics", &s.Metrics) },
		"gates":       func(n *yaml.Node) { s.Gates = d.gates(n) },
		"concurrency": func(n *yaml.Node) { d.int(n, "concurrency", &s.Concurrency) },
		"repeat":      func(n *yaml.Node) { d.int(n, "repeat", &s.Repeat) },
		"timeout":     func(n *yaml.Node) { d.duration(n, "timeout", &s.Timeout) },
		"rpm":         func(n *yaml.Node) { d.int(n, "rpm", &s.RPM) },
		"tpm":         func(n *yaml.Node) { d.int(n, "tpm", &s.TPM) },
		"prices":      func(n *yaml.Node) { s.Prices = d.prices(n) },
		"leakage":     func(n *yaml.Node) { d.str(n, "leakage", &s.Leakage) },
		"sanity":      func(n *yaml.Node) { d.str(n, "sanity", &s.Sanity) },
		"cache":       func(n *yaml.Node) { d.str(n, "cache", &cache) },
		"cache_mode":  func(n *yaml.Node) { d.str(n, "cache_mode", &s.CacheMode) },
		"contract": func(n *yaml.Node) {
			d.fields(n, "contract", map[string]func(*yaml.Node){
				"min_bullets": func(n *yaml.Node) { d.int(n, "min_bullets", &s.Contract.MinBullets) },
				"max_bullets": func(n *yaml.Node) { d.int(n, "max_bullets", &s.Contract.MaxBullets) },
				"min_words":   func(n *yaml.Node) { d.int(n, "min_words", &s.Contract.MinWords) },
				"max_words":   func(n *yaml.Node) { d.int(n, "max_words", &s.Contract.MaxWords) },
			})
		},
	})
	dir := filepath.Dir(path)
	if s.Name == "" {
		s.Name = trimExt(filepath.Base(path))
	}
	switch {
	case dataset == "" && datasetNode == nil:
		d.errf(root, "missing key \"dataset\"")
	case dataset != "":
		s.Dataset = resolve(dir, dataset)
		if st, err := os.Stat(s.Dataset); err != nil {
			d.errf(datasetNode, "dataset %s: %v", dataset, notFound(err))
		} else if st.IsDir() {
			d.errf(datasetNode, "dataset %s: is a directory, want a JSONL file (make one with summarize eval import)", dataset)
		}
	}
	if cache != "" {
		s.Cache = resolve(dir, cache)
	}
	if s.CacheMode != "" && !slices.Contains([]string{"rw", "read", "replay", "off"}, s.CacheMode) {
		d.errf(valueNode(root, "cache_mode"), "cache_mode: want rw, read, replay or off, got %q", s.CacheMode)
	}
	if s.Concurrency < 1 {
		d.errf(valueNode(root, "concurrency"), "concurrency: want at least 1, got %d", s.Concurrency)
	}
	if s.Repeat < 1 {
		d.errf(valueNode(root, "repeat"), "repeat: want at least 1, got %d", s.Repeat)
	}
	if s.Timeout <= 0 {
		d.errf(valueNode(root, "timeout"), "timeout: want a positive duration")
	}
	if !slices.Contains([]string{SanityLead3, SanityExtractive, SanityNone}, s.Sanity) {
		d.errf(valueNode(root, "sanity"), "sanity: want lead3, extractive or none, got %q", s.Sanity)
	}
	if s.Leakage != LeakageReport && s.Leakage != LeakageFail {
		d.errf(valueNode(root, "leakage"), "leakage: want report or fail, got %q", s.Leakage)
	}
	if len(s.Variants) == 0 && variantsNode == nil {
		d.errf(root, "missing key \"variants\"")
	} else if len(s.Variants) == 0 {
		d.errf(variantsNode, "variants: the list is empty")
	}
	d.checkVariants(s, opt)
	if metricsNode == nil {
		s.Metrics = slices.Clone(defaultMetrics)
	}
	d.checkMetrics(s, metricsNode, opt)
	d.checkGates(s, dir)
	if err := d.err(); err != nil {
		return nil, err
	}
	return s, nil
}

func (d *nodeDecoder) variants(n *yaml.Node) []Variant {
	if n.Kind != yaml.SequenceNode {
		d.errf(n, "variants: want a list, got %s", kindName(n))
		return nil
	}
	var out []Variant
	for _, vn := range n.Content {
		v := Variant{Line: vn.Line}
		d.fields(vn, "variant", map[string]func(*yaml.Node){
			"name":        func(n *yaml.Node) { d.str(n, "name", &v.Name) },
			"backend":     func(n *yaml.Node) { d.str(n, "backend", &v.Backend) },
			"model":       func(n *yaml.Node) { d.str(n, "model", &v.Model) },
			"prompt":      func(n *yaml.Node) { d.str(n, "prompt", &v.Prompt) },
			"temperature": func(n *yaml.Node) { d.floatPtr(n, "temperature", &v.Temperature) },
			"bullets":     func(n *yaml.Node) { d.int(n, "bullets", &v.Bullets) },
			"base_url":    func(n *yaml.Node) { d.str(n, "base_url", &v.BaseURL) },
			"api_key_env": func(n *yaml.Node) { d.str(n, "api_key_env", &v.APIKeyEnv) },
			"max_tokens":  func(n *yaml.Node) { d.int(n, "max_tokens", &v.MaxTokens) },
			"seed":        func(n *yaml.Node) { d.int(n, "seed", &v.Seed) },
			"rpm":         func(n *yaml.Node) { d.int(n, "rpm", &v.RPM) },
			"tpm":         func(n *yaml.Node) { d.int(n, "tpm", &v.TPM) },
		})
		out = append(out, v)
	}
	return out
}

func (d *nodeDecoder) checkVariants(s *Suite, opt LoadOptions) {
	backends := opt.Backends
	if backends == nil {
		backends = []string{BackendExtractive, BackendLead3, BackendOpenAI}
	}
	seen := map[string]int{}
	for i := range s.Variants {
		v := &s.Variants[i]
		at := &yaml.Node{Line: v.Line}
		if v.Name == "" {
			d.errf(at, "variant: missing \"name\"")
		} else if line, dup := seen[v.Name]; dup {
			d.errf(at, "duplicate variant name %q (first on line %d)", v.Name, line)
		} else {
			seen[v.Name] = v.Line
		}
		if v.Backend == "" {
			v.Backend = BackendOpenAI
			if v.Model == "" && v.Prompt == "" {
				v.Backend = BackendExtractive
			}
		}
		if !slices.Contains(backends, v.Backend) {
			d.errf(at, "variant %q: unknown backend %q (want one of %v)", v.Name, v.Backend, backends)
		}
		if v.Prompt != "" && opt.CheckPrompt != nil {
			if err := opt.CheckPrompt(v.Prompt); err != nil {
				d.errf(at, "variant %q: prompt %q: %v", v.Name, v.Prompt, err)
			}
		}
		if v.Temperature != nil && (*v.Temperature < 0 || *v.Temperature > 2) {
			d.errf(at, "variant %q: temperature: want 0 to 2, got %g", v.Name, *v.Temperature)
		}
		if v.Bullets < 0 || v.MaxTokens < 0 || v.RPM < 0 || v.TPM < 0 {
			d.errf(at, "variant %q: bullets, max_tokens, rpm and tpm must not be negative", v.Name)
		}
		if v.RPM == 0 {
			v.RPM = s.RPM
		}
		if v.TPM == 0 {
			v.TPM = s.TPM
		}
	}
}

func (d *nodeDecoder) checkMetrics(s *Suite, n *yaml.Node, opt LoadOptions) {
	check := opt.CheckMetric
	if check == nil {
		check = KnownMetric
	}
	seen := map[string]bool{}
	for i, m := range s.Metrics {
		at := n
		if n != nil && n.Kind == yaml.SequenceNode && i < len(n.Content) {
			at = n.Content[i]
		}
		if err := check(m); err != nil {
			d.errf(at, "metrics: %v", err)
		}
		if seen[m] {
			d.errf(at, "metrics: %q listed twice", m)
		}
		seen[m] = true
	}
	if n != nil && len(s.Metrics) == 0 {
		d.errf(n, "metrics: the list is empty")
	}
}

func (d *nodeDecoder) prices(n *yaml.Node) map[string]Price {
	out := map[string]Price{}
	if n.Kind != yaml.MappingNode {
		d.errf(n, "prices: want a mapping of model to {input, output}, got %s", kindName(n))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		model := n.Content[i].Value
		var p Price
		d.fields(n.Content[i+1], "prices."+model, map[string]func(*yaml.Node){
			"input":  func(n *yaml.Node) { d.float(n, "input", &p.Input) },
			"output": func(n *yaml.Node) { d.float(n, "output", &p.Output) },
		})
		out[model] = p
	}
	return out
}

// valueNode returns the value node of key in mapping m, or m itself.
func valueNode(m *yaml.Node, key string) *yaml.Node {
	if m != nil && m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
	}
	return m
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func trimExt(name string) string { return name[:len(name)-len(filepath.Ext(name))] }

func notFound(err error) error {
	if os.IsNotExist(err) {
		return fmt.Errorf("no such file")
	}
	return err
}

// Sanity baselines.
const (
	SanityLead3      = "lead3"
	SanityExtractive = "extractive"
	SanityNone       = "none"
)

// AddSanity appends the sanity baseline, a variant of the backend named by
// Sanity, when no variant uses that backend: so that every report has a
// line any other variant should beat. It is named after its backend
// (with "-baseline" added if a variant already has that name) and marked
// Baseline.
func (s *Suite) AddSanity() {
	if v, ok := s.sanityVariant(); ok {
		s.Variants = append(s.Variants, v)
	}
}

// sanityVariant is the variant AddSanity would add, if any.
func (s *Suite) sanityVariant() (Variant, bool) {
	if s.Sanity == "" || s.Sanity == SanityNone {
		return Variant{}, false
	}
	taken := map[string]bool{}
	for _, v := range s.Variants {
		if v.Backend == s.Sanity {
			return Variant{}, false
		}
		taken[v.Name] = true
	}
	name := s.Sanity
	for taken[name] {
		name += "-baseline"
	}
	return Variant{Name: name, Backend: s.Sanity, Baseline: true}, true
}
