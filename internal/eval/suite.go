package eval

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/summarize-dev/summarize/internal/suggest"

	"gopkg.in/yaml.v3"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/bullet"
)

// suiteBackends are the backends a suite may name when the caller does not
// say (LoadOptions.Backends): every config.Backend but auto, which a
// variant must resolve before it runs.
var suiteBackends = []config.Backend{config.BackendExtractive, config.BackendLead3, config.BackendOpenAI, config.BackendDataset}

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
	// (config.BackendLead3, config.BackendExtractive or SanityNone); see
	// AddSanity.
	Sanity config.Backend
	// Meta names the human judgments of the dataset to check every metric
	// against (meta: {human: [..]}); see MetaRow.
	Meta     []string
	MetaLine int
	// Clean sends every case's article through the cleaner, as summarize
	// does with a file (suite key clean; default true).
	Clean bool
	// Judge is the LLM judge of the metric "judge" (suite_judge.go).
	Judge *JudgeConfig

	defaults  []Setting // the suite's defaults overlay
	overrides []Setting // the run's overrides
	resolve   Resolver
}

// Variant is one way of producing bullets: an overlay of the tool's
// configuration, resolved.
type Variant struct {
	Name string
	Line int // line of the variant in the suite file
	// Overlay is the variant's configuration as the suite writes it: the
	// suite's defaults, then the variant's own keys, in the config file's
	// key space.
	Overlay []Setting
	// Baseline marks the sanity variant the suite adds: it runs and is
	// reported like the others, but gates without a variants list leave it
	// out, and it never fails a report.
	Baseline bool
	// Batch sends the variant's LLM requests through the provider's Batch
	// API (suite key batch: true; the eval's --batch sets it for every LLM
	// variant).
	Batch bool
	// The variant as resolved (see Resolved).
	Backend                 config.Backend
	Model, Prompt, Endpoint string
	Effective               map[string]any
	Config                  any
}

// resolved copies a Resolver's result into the variant.
func (v *Variant) resolved(r Resolved) {
	v.Backend, v.Model, v.Prompt, v.Endpoint = r.Backend, r.Model, r.Prompt, r.Endpoint
	v.Effective, v.Config = r.Effective, r.Config
}

// Setting is one configuration key a suite sets, named as in the config
// file ("llm.model", "prompt.max_words").
type Setting struct {
	Key   string
	Value any // as YAML decoded it
	Line  int // 0 for a setting that is not from the suite file
}

// Resolved is a variant's configuration after every layer is applied: what
// the reports record and what the caller builds the generator from.
type Resolved struct {
	Backend  config.Backend
	Model    string // "" for backends that use no model
	Prompt   string // template name@hash, "" for backends that use no prompt
	Endpoint string // the endpoint's host, "" for local backends
	// Effective is every configuration key with its resolved value,
	// secrets redacted: two variants with the same Effective settings ran
	// the same way.
	Effective map[string]any
	// Config is the caller's own resolved configuration (cmd/summarize:
	// a config.Config), for building the variant's Generator.
	Config any
}

// Resolver resolves a variant: the built-in defaults, then each layer in
// turn (the suite's defaults and the variant's own keys, then the run's
// overrides), decoded and validated as the config file is. An error about
// one key is a *SettingError.
type Resolver func(layers ...[]Setting) (Resolved, error)

// SettingError is a Resolver's complaint about one key.
type SettingError struct {
	Key     string
	Unknown bool     // the key names nothing
	Known   []string // with Unknown: every key there is, for a suggestion
	Msg     string
}

func (e *SettingError) Error() string {
	if e.Unknown {
		return fmt.Sprintf("unknown key %q", e.Key)
	}
	return e.Key + ": " + e.Msg
}

// aliases are the short keys a variant may use for config keys.
var aliases = map[string]string{
	"model":       "llm.model",
	"temperature": "llm.temperature",
	"seed":        "llm.seed",
	"base_url":    "llm.base_url",
	"api_key_env": "llm.api_key_env",
	"max_tokens":  "llm.max_tokens",
	"rpm":         "llm.rpm",
	"tpm":         "llm.tpm",
	"bullets":     "prompt.bullets",
	"max_words":   "prompt.max_words",
}

// Price is what a model costs, in US dollars per million tokens.
type Price struct {
	Input  float64 `json:"input"`
	Output float64 `json:"output"`
	// BatchDiscount is the share taken off for Batch API requests; 0
	// keeps the model table's (0.5 for OpenAI's models).
	BatchDiscount float64 `json:"batch_discount,omitempty"`
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
	// MinCoverage is the share of the run's cases a variant must have
	// scored for its gates to pass (gates.min_coverage; default 1): a
	// verdict on the cases that survived a flaky server is no verdict.
	MinCoverage float64
}

// MetricGate requires the mean of a metric to reach Min.
type MetricGate struct {
	Metric      string
	Min         float64
	Variants    []string // empty = every variant
	MinCoverage float64  // -1 = the suite's gates.min_coverage
	Line        int
}

// ThresholdGate requires a share to reach Min.
type ThresholdGate struct {
	Min         float64
	Variants    []string
	MinCoverage float64 // -1 = the suite's
	Line        int
}

// RegressionGate fails a variant whose scores are significantly below the
// same variant's scores in a baseline results file.
type RegressionGate struct {
	Baseline    string  // resolved path to a JSON report of an earlier run
	Alpha       float64 // significance level, default 0.05
	Metrics     []string
	Variants    []string
	MinCoverage float64 // -1 = the suite's
	Line        int
}

// LoadOptions are what the caller adds to suite loading.
type LoadOptions struct {
	// Backends lists the backends a variant may use; nil means
	// extractive, lead3, openai and dataset.
	Backends []config.Backend
	// Resolve resolves each variant's configuration; nil keeps the keys
	// as written and reads only backend and llm.model.
	Resolve Resolver
	// PathKeys are the keys whose values are paths: relative ones are
	// taken relative to the suite file.
	PathKeys []string
	// Overrides apply to every variant after its own keys (--set).
	Overrides []Setting
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
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ParseSuite(path, data, opt)
}

// ParseSuite parses and validates suite data as if read from path.
func ParseSuite(path string, data []byte, opt LoadOptions) (*Suite, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: the file is empty", path) // or holds only comments
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: empty suite", path)
	}
	d := &nodeDecoder{file: path}
	s := &Suite{Path: path, Concurrency: 4, Repeat: 1, Timeout: 2 * time.Minute, Leakage: LeakageReport, Sanity: config.BackendLead3, Clean: true}
	s.Gates.MaxErrors = 0
	s.Gates.MinCoverage = 1
	root := doc.Content[0]
	var dataset, cache string
	var datasetNode, metricsNode, variantsNode, defaultsNode *yaml.Node
	d.fields(root, "suite", map[string]func(*yaml.Node){
		"name":        func(n *yaml.Node) { d.str(n, "name", &s.Name) },
		"description": func(n *yaml.Node) { d.str(n, "description", &s.Description) },
		"dataset":     func(n *yaml.Node) { datasetNode = n; d.str(n, "dataset", &dataset) },
		"variants":    func(n *yaml.Node) { variantsNode = n },
		"defaults":    func(n *yaml.Node) { defaultsNode = n },
		"metrics":     func(n *yaml.Node) { metricsNode = n; d.strs(n, "metrics", &s.Metrics) },
		"gates":       func(n *yaml.Node) { s.Gates = d.gates(n) },
		"concurrency": func(n *yaml.Node) { d.int(n, "concurrency", &s.Concurrency) },
		"repeat":      func(n *yaml.Node) { d.int(n, "repeat", &s.Repeat) },
		"timeout":     func(n *yaml.Node) { d.duration(n, "timeout", &s.Timeout) },
		"rpm":         func(n *yaml.Node) { d.int(n, "rpm", &s.RPM) },
		"tpm":         func(n *yaml.Node) { d.int(n, "tpm", &s.TPM) },
		"prices":      func(n *yaml.Node) { s.Prices = d.prices(n) },
		"leakage":     func(n *yaml.Node) { d.str(n, "leakage", &s.Leakage) },
		"sanity":      func(n *yaml.Node) { d.str(n, "sanity", (*string)(&s.Sanity)) },
		"meta": func(n *yaml.Node) {
			s.MetaLine = n.Line
			d.fields(n, "meta", map[string]func(*yaml.Node){
				"human": func(n *yaml.Node) { d.strs(n, "meta.human", &s.Meta) },
			})
		},
		"clean":      func(n *yaml.Node) { d.bool(n, "clean", &s.Clean) },
		"judge":      func(n *yaml.Node) { s.Judge = d.judge(n) },
		"cache":      func(n *yaml.Node) { d.str(n, "cache", &cache) },
		"cache_mode": func(n *yaml.Node) { d.str(n, "cache_mode", &s.CacheMode) },
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
	var defaults []Setting
	if s.RPM > 0 {
		defaults = append(defaults, Setting{Key: "llm.rpm", Value: s.RPM, Line: valueNode(root, "rpm").Line})
	}
	if s.TPM > 0 {
		defaults = append(defaults, Setting{Key: "llm.tpm", Value: s.TPM, Line: valueNode(root, "tpm").Line})
	}
	if defaultsNode != nil {
		_, ds := d.overlay(defaultsNode, "defaults", false)
		defaults = append(defaults, ds...)
	}
	if variantsNode != nil {
		s.Variants = d.variants(variantsNode, defaults)
	}
	for i := range defaults {
		defaults[i].Value = pathValue(dir, defaults[i], opt.PathKeys)
	}
	for i := range s.Variants {
		for j := range s.Variants[i].Overlay {
			s.Variants[i].Overlay[j].Value = pathValue(dir, s.Variants[i].Overlay[j], opt.PathKeys)
		}
	}
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
	if s.Concurrency > MaxConcurrency {
		d.errf(valueNode(root, "concurrency"), "concurrency: want at most %d, got %d", MaxConcurrency, s.Concurrency)
	}
	if s.Repeat < 1 {
		d.errf(valueNode(root, "repeat"), "repeat: want at least 1, got %d", s.Repeat)
	}
	if s.Timeout <= 0 {
		d.errf(valueNode(root, "timeout"), "timeout: want a positive duration")
	}
	if !slices.Contains([]config.Backend{config.BackendLead3, config.BackendExtractive, SanityNone}, s.Sanity) {
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
	s.defaults, s.overrides, s.resolve = defaults, opt.Overrides, opt.Resolve
	d.checkVariants(s, opt)
	if metricsNode == nil {
		s.Metrics = slices.Clone(defaultMetrics)
	}
	d.checkMetrics(s, metricsNode, opt)
	d.checkJudge(s, root, metricsNode, dir)
	d.checkGates(s, dir)
	if err := d.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// variants decodes the variants list; each variant's overlay starts with
// the suite's defaults.
func (d *nodeDecoder) variants(n *yaml.Node, defaults []Setting) []Variant {
	if n.Kind != yaml.SequenceNode {
		d.errf(n, "variants: want a list, got %s", kindName(n))
		return nil
	}
	var out []Variant
	for _, vn := range n.Content {
		name, own := d.overlay(vn, "variant", true)
		own, batch := d.batchKey(own)
		if !hasKey(defaults, "backend") && !hasKey(own, "backend") {
			// A variant that names no backend is an LLM variant when it
			// sets a model or a prompt of its own, else the offline one.
			backend := config.BackendExtractive
			if hasKey(own, "llm.model") || hasKey(own, "prompt.name") {
				backend = config.BackendOpenAI
			}
			own = append([]Setting{{Key: "backend", Value: string(backend), Line: vn.Line}}, own...)
		}
		out = append(out, Variant{Name: name, Line: vn.Line, Overlay: append(slices.Clone(defaults), own...), Batch: batch})
	}
	return out
}

// batchKey takes the variant key batch (a bool, not a config key) out of
// its settings.
func (d *nodeDecoder) batchKey(own []Setting) ([]Setting, bool) {
	i := slices.IndexFunc(own, func(s Setting) bool { return s.Key == "batch" })
	if i < 0 {
		return own, false
	}
	b, ok := own[i].Value.(bool)
	if !ok {
		d.errf(&yaml.Node{Line: own[i].Line}, "variant: batch: want true or false, got %v", own[i].Value)
	}
	return slices.Delete(own, i, i+1), b
}

// overlay decodes a variant (or the suite's defaults) into settings in the
// config's key space: nested mappings become dotted keys, short keys
// become their config keys, and "prompt: NAME" is prompt.name.
func (d *nodeDecoder) overlay(n *yaml.Node, what string, named bool) (name string, out []Setting) {
	if n == nil || n.Tag == "!!null" {
		return "", nil
	}
	if n.Kind != yaml.MappingNode {
		d.errf(n, "%s: want a mapping of config keys, got %s", what, kindName(n))
		return "", nil
	}
	seen := map[string]int{}
	var walk func(prefix string, m *yaml.Node)
	walk = func(prefix string, m *yaml.Node) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			key := k.Value
			if prefix == "" {
				switch {
				case named && key == "name":
					d.str(v, "name", &name)
					continue
				case aliases[key] != "":
					key = aliases[key]
				case key == "prompt" && v.Kind == yaml.ScalarNode:
					key = "prompt.name"
				}
			} else {
				key = prefix + "." + key
			}
			if v.Kind == yaml.MappingNode {
				walk(key, v)
				continue
			}
			if line, dup := seen[key]; dup {
				d.errf(k, "%s: %q set twice (first on line %d)", what, key, line)
				continue
			}
			seen[key] = k.Line
			var val any
			if err := v.Decode(&val); err != nil {
				d.errf(v, "%s: %s: %v", what, key, err)
				continue
			}
			out = append(out, Setting{Key: key, Value: val, Line: k.Line})
		}
	}
	walk("", n)
	return name, out
}

func hasKey(settings []Setting, key string) bool {
	return slices.ContainsFunc(settings, func(s Setting) bool { return s.Key == key })
}

// pathValue resolves a relative path setting against the suite's folder.
func pathValue(dir string, s Setting, pathKeys []string) any {
	p, ok := s.Value.(string)
	if !ok || p == "" || !slices.Contains(pathKeys, s.Key) || s.Line == 0 {
		return s.Value
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return resolve(dir, p)
}

// checkVariants checks names and backends and resolves every variant.
func (d *nodeDecoder) checkVariants(s *Suite, opt LoadOptions) {
	backends := opt.Backends
	if backends == nil {
		backends = suiteBackends
	}
	resolveFn := opt.Resolve
	if resolveFn == nil {
		resolveFn = KeepSettings
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
		res, err := resolveFn(v.Overlay, opt.Overrides)
		if err != nil {
			d.settingErr(v, err, opt.Overrides)
			continue
		}
		v.resolved(res)
		if !slices.Contains(backends, v.Backend) {
			d.errf(d.lineOf(v, "backend"), "variant %q: unknown backend %q (want one of %v)", v.Name, v.Backend, backends)
		}
		if v.Batch && v.Backend != config.BackendOpenAI {
			d.errf(at, "variant %q: batch: true needs an LLM variant (backend openai), not backend %q", v.Name, v.Backend)
		}
	}
}

// KeepSettings is the Resolver of a caller that gives none: the settings
// as written, with the backend and the model read from them.
func KeepSettings(layers ...[]Setting) (Resolved, error) {
	r := Resolved{Effective: map[string]any{}}
	for _, l := range layers {
		for _, s := range l {
			r.Effective[s.Key] = s.Value
		}
	}
	backend, _ := r.Effective["backend"].(string)
	r.Backend = config.Backend(backend)
	if r.Backend == config.BackendOpenAI {
		r.Model, _ = r.Effective["llm.model"].(string)
	}
	return r, nil
}

// settingErr reports a Resolver's error at the line of the key it names.
func (d *nodeDecoder) settingErr(v *Variant, err error, overrides []Setting) {
	var se *SettingError
	if !errors.As(err, &se) {
		d.errf(&yaml.Node{Line: v.Line}, "variant %q: %v", v.Name, err)
		return
	}
	if hasKey(overrides, se.Key) && !hasKey(v.Overlay, se.Key) {
		// An override (--set), not a key of the suite file.
		e := fmt.Errorf("--set %s: %s%s", se.Key, se.describe(), se.suggest())
		if !slices.ContainsFunc(d.errs, func(x error) bool { return x.Error() == e.Error() }) {
			d.errs = append(d.errs, e)
		}
		return
	}
	if se.Unknown {
		d.errf(d.lineOf(v, se.Key), "unknown key %q in variant %q%s", se.Key, v.Name, se.suggest())
		return
	}
	d.errf(d.lineOf(v, se.Key), "variant %q: %s", v.Name, se.describe())
}

func (e *SettingError) describe() string {
	if e.Unknown {
		return fmt.Sprintf("unknown key %q", e.Key)
	}
	return e.Key + ": " + e.Msg
}

// suggest is a did-you-mean for an unknown key: the nearest key, short
// key, or key whose last part is near ("temprature" → "llm.temperature").
func (e *SettingError) suggest() string {
	if !e.Unknown {
		return ""
	}
	cands := slices.Clone(e.Known)
	for short := range aliases {
		cands = append(cands, short)
	}
	if keys := suggest.Key(e.Key, cands); len(keys) > 0 {
		return fmt.Sprintf(" (did you mean %q?)", keys[0])
	}
	return ""
}

// lineOf is the node of the variant's last setting of key, or the variant.
func (d *nodeDecoder) lineOf(v *Variant, key string) *yaml.Node {
	if l := lastLine(v.Overlay, key); l > 0 {
		return &yaml.Node{Line: l}
	}
	return &yaml.Node{Line: v.Line}
}

func lastLine(settings []Setting, key string) int {
	line := -1
	for _, s := range settings {
		if s.Key == key {
			line = s.Line
		}
	}
	return line
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
	if d.err() == nil {
		var cols []string
		for _, m := range s.Metrics {
			cols = append(cols, metricColumns(m)...)
		}
		s.Metrics = cols
	}
}

func (d *nodeDecoder) prices(n *yaml.Node) map[string]Price {
	out := map[string]Price{}
	if n.Kind != yaml.MappingNode {
		d.errf(n, "prices: want a mapping of model to {input, output, batch_discount}, got %s", kindName(n))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		model := n.Content[i].Value
		var p Price
		d.fields(n.Content[i+1], "prices."+model, map[string]func(*yaml.Node){
			"input":  func(n *yaml.Node) { d.float(n, "input", &p.Input) },
			"output": func(n *yaml.Node) { d.float(n, "output", &p.Output) },
			"batch_discount": func(n *yaml.Node) {
				d.float(n, "batch_discount", &p.BatchDiscount)
				if p.BatchDiscount < 0 || p.BatchDiscount >= 1 {
					d.errf(n, "prices.%s.batch_discount: %g is outside 0..1 (a share of the live price)", model, p.BatchDiscount)
				}
			},
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

// SanityNone is the Suite.Sanity of a suite without a sanity baseline
// (sanity: none); the others are the backends config.BackendLead3 and
// config.BackendExtractive.
const SanityNone config.Backend = "none"

// Overrides are the run's overrides (LoadOptions.Overrides), applied to
// every variant after its own keys.
func (s *Suite) Overrides() []Setting { return s.overrides }

// AddSanity appends the sanity baseline, a variant of the backend named by
// Sanity, when no variant uses that backend: so that every report has a
// line any other variant should beat. It is named after its backend
// (with "-baseline" added if a variant already has that name), marked
// Baseline, and resolved like the others (the suite's defaults and the
// run's overrides apply).
func (s *Suite) AddSanity() error {
	name, ok := s.sanityName()
	if !ok {
		return nil
	}
	v := Variant{Name: name, Baseline: true,
		Overlay: append(slices.Clone(s.defaults), Setting{Key: "backend", Value: string(s.Sanity)})}
	resolveFn := s.resolve
	if resolveFn == nil {
		resolveFn = KeepSettings
	}
	res, err := resolveFn(v.Overlay, s.overrides)
	if err != nil {
		return fmt.Errorf("sanity variant %q: %w", name, err)
	}
	v.resolved(res)
	s.Variants = append(s.Variants, v)
	return nil
}

// sanityName is the name AddSanity would give the sanity variant, and
// whether it would add one.
func (s *Suite) sanityName() (string, bool) {
	if s.Sanity == "" || s.Sanity == SanityNone {
		return "", false
	}
	taken := map[string]bool{}
	for _, v := range s.Variants {
		if v.Backend == s.Sanity {
			return "", false
		}
		taken[v.Name] = true
	}
	name := string(s.Sanity)
	for taken[name] {
		name += "-baseline"
	}
	return name, true
}
