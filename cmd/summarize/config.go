package main

// This is the one file that knows viper. It resolves every key from, in
// order of precedence, a flag, a SUMMARIZE_* environment variable, the
// config file and the built-in default, and copies the result into a plain
// config.Config.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/redact"
)

const envPrefix = "SUMMARIZE"

// flagKeys binds flags to config keys, one by one.
var flagKeys = map[string]string{
	"backend":        "backend",
	"model":          "llm.model",
	"base-url":       "llm.base_url",
	"temperature":    "llm.temperature",
	"max-tokens":     "llm.max_tokens",
	"timeout":        "llm.timeout",
	"max-retries":    "llm.max_retries",
	"context-window": "llm.context_window",
	"overflow":       "llm.overflow",
	"prompt":         "prompt.name",
	"prompt-dir":     "prompt.dir",
	"bullets":        "prompt.bullets",
	"max-words":      "prompt.max_words",
	"format":         "output.format",
	"strict":         "output.strict",
}

// extraEnv are the variables the official SDKs read, below SUMMARIZE_*.
var extraEnv = map[string]string{"llm.base_url": "OPENAI_BASE_URL"}

// resolved is the outcome of loading the configuration.
type resolved struct {
	cfg      config.Config
	file     string     // the config file used, "" when none
	fromFile fileValues // the file's values and their lines
	v        *viper.Viper
	flags    *pflag.FlagSet
	keys     []string // every known key, sorted
	getenv   func(string) string
	unknown  []string // SUMMARIZE_* variables that name no key
}

// defaultViper is a private viper with every key's built-in default, the
// defaults by key, and the keys sorted.
func defaultViper() (*viper.Viper, map[string]any, []string) {
	v := viper.New()
	def := map[string]any{}
	flatten("", reflect.ValueOf(config.Default()), def)
	keys := make([]string, 0, len(def))
	for k, val := range def {
		v.SetDefault(k, val)
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return v, def, keys
}

// loadConfig resolves the configuration. explicit is --config ("" when
// not given); flags holds the bound flags.
//
// Every value, whatever its source, is decoded by its key's rule
// (decodeKey) before viper sees it, so a file, a variable and a flag read
// "10" for a duration alike, as ten seconds, and a mistake names its
// place: the file and line, the variable or the flag. viper holds the
// defaults (SetDefault), the file's values (MergeConfigMap) and the winner
// of flag > env for each key (Set), and UnmarshalExact copies them out.
func loadConfig(explicit string, flags *pflag.FlagSet, getenv func(string) string, environ []string) (*resolved, error) {
	v, def, keys := defaultViper()
	file, err := findConfigFile(explicit, getenv)
	if err != nil {
		return nil, err
	}
	var errs []error
	fv := fileValues{}
	if file != "" {
		if fv, err = readConfigFile(file, def); err != nil {
			errs = append(errs, err)
		} else if err := v.MergeConfigMap(fv.nested()); err != nil {
			return nil, &cliError{err: fmt.Errorf("config %s: %w", file, err), code: exitUsage}
		}
	}
	for _, k := range keys {
		typ := reflect.TypeOf(def[k])
		if name, f := flagOf(k, flags); f != nil && f.Changed {
			val, err := decodeKey(k, f.Value.String(), typ, "")
			if err != nil {
				errs = append(errs, fmt.Errorf("--%s: %s", name, err))
				continue
			}
			v.Set(k, val)
			continue
		}
		if name, raw := envOf(k, getenv); name != "" {
			if _, list := listKeys[k]; list {
				errs = append(errs, fmt.Errorf("%s: %s can be set in a config file or a suite only", name, k))
				continue
			}
			val, err := decodeKey(k, raw, typ, "")
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %s", name, err))
				continue
			}
			v.Set(k, val)
		}
	}
	if len(errs) > 0 {
		return nil, &cliError{err: errors.Join(errs...), code: exitUsage}
	}

	var cfg config.Config
	if err := v.UnmarshalExact(&cfg); err != nil {
		msg := strings.Replace(oneLine(err), "decoding failed due to the following error(s): ", "", 1)
		return nil, &cliError{err: fmt.Errorf("%s: %s", where(file), msg), code: exitUsage}
	}
	r := &resolved{cfg: cfg, file: file, fromFile: fv, v: v, flags: flags, keys: keys, getenv: getenv}
	if err := cfg.Validate(); err != nil {
		return nil, &cliError{err: r.placed(err), code: exitUsage}
	}
	known := map[string]bool{envPrefix + "_CONFIG": true}
	for _, k := range keys {
		known[envName(k)] = true
	}
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, envPrefix+"_") && !known[name] {
			r.unknown = append(r.unknown, name)
		}
	}
	sort.Strings(r.unknown)
	return r, nil
}

// flagOf is the flag bound to key, nil when none.
func flagOf(key string, flags *pflag.FlagSet) (string, *pflag.Flag) {
	for name, k := range flagKeys {
		if k == key {
			if f := flags.Lookup(name); f != nil {
				return name, f
			}
		}
	}
	return "", nil
}

// envOf is the first variable that sets key (SUMMARIZE_*, then the SDKs'
// names) and its value; "" when none is set.
func envOf(key string, getenv func(string) string) (name, value string) {
	names := []string{envName(key)}
	if e, ok := extraEnv[key]; ok {
		names = append(names, e)
	}
	for _, n := range names {
		if val := getenv(n); val != "" {
			return n, val
		}
	}
	return "", ""
}

// placed prefixes each of Validate's "key: what" errors with where the
// key's value came from: "config FILE:LINE", the variable or the flag.
func (r *resolved) placed(err error) error {
	list := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	}
	out := make([]error, 0, len(list))
	for _, e := range list {
		msg := e.Error()
		path := msg[:strings.IndexAny(msg+":", ": ")] // "prompt.bullets", "models[0].name"
		key, _, _ := strings.Cut(path, "[")
		place := where(r.file)
		switch src := r.source(key); {
		case strings.HasPrefix(src, "flag "), strings.HasPrefix(src, "env "):
			_, place, _ = strings.Cut(src, " ")
		case strings.HasPrefix(src, "file ") && r.fromFile.lineOf(path) > 0:
			place = fmt.Sprintf("config %s:%d", r.file, r.fromFile.lineOf(path))
		}
		out = append(out, fmt.Errorf("%s: %s", place, msg))
	}
	return errors.Join(out...)
}

func where(file string) string {
	if file == "" {
		return "config"
	}
	return "config " + file
}

func envName(key string) string {
	return envPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// findConfigFile applies the search order: --config, $SUMMARIZE_CONFIG,
// ./summarize.yaml, <user config dir>/summarize/config.yaml.
func findConfigFile(explicit string, getenv func(string) string) (string, error) {
	for _, c := range []struct{ path, from string }{{explicit, "--config"}, {getenv(envPrefix + "_CONFIG"), envPrefix + "_CONFIG"}} {
		if c.path == "" {
			continue
		}
		if _, err := os.Stat(c.path); err != nil {
			return "", &cliError{err: fmt.Errorf("config %s (from %s): %w", c.path, c.from, unwrapPath(err)), code: exitUsage}
		}
		return c.path, nil
	}
	candidates := []string{"summarize.yaml"}
	if dir, err := os.UserConfigDir(); err == nil {
		candidates = append(candidates, filepath.Join(dir, "summarize", "config.yaml"))
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			if c == "summarize.yaml" {
				return "./summarize.yaml", nil
			}
			return c, nil
		}
	}
	return "", nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// flatten walks a config struct and records each leaf's dotted key and
// value, named by the mapstructure tags.
func flatten(prefix string, v reflect.Value, out map[string]any) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		key := f.Tag.Get("mapstructure")
		if prefix != "" {
			key = prefix + "." + key
		}
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct {
			flatten(key, fv, out)
			continue
		}
		out[key] = fv.Interface()
	}
}

// source says where key's value came from.
func (r *resolved) source(key string) string {
	if name, f := flagOf(key, r.flags); f != nil && f.Changed {
		return "flag --" + name
	}
	if name, _ := envOf(key, r.getenv); name != "" {
		return "env " + name
	}
	if r.file != "" && r.v.InConfig(key) {
		return "file " + r.file
	}
	return "default"
}

// show lists every key with its value and source, secrets redacted.
func (r *resolved) show() [][3]string {
	rows := [][3]string{}
	if r.file != "" {
		rows = append(rows, [3]string{"(config file)", r.file, ""})
	} else {
		rows = append(rows, [3]string{"(config file)", "none found", ""})
	}
	vals := map[string]any{}
	flatten("", reflect.ValueOf(r.cfg), vals)
	for _, k := range r.keys {
		val := fmt.Sprint(vals[k])
		if k == "llm.base_url" {
			val = redact.URL(val)
		}
		if k == "models" {
			var names []string
			for _, m := range r.cfg.Models {
				names = append(names, m.Name)
			}
			val = "[" + strings.Join(names, " ") + "]"
		}
		if k == "llm.endpoints" {
			val = "[" + strings.Join(endpointURLs(r.cfg.LLM), " ") + "]"
		}
		rows = append(rows, [3]string{k, val, r.source(k)})
	}
	keyEnv := r.cfg.LLM.APIKeyEnv
	state := "not set"
	if r.getenv(keyEnv) != "" {
		state = "set (redacted)"
	}
	rows = append(rows, [3]string{"llm.api_key", state, "env " + keyEnv})
	return rows
}

// resolveLayers builds a configuration from the built-in defaults and
// layers of settings (a suite's defaults and variant, then the run's
// --set overrides), with the config file's keys, value rules and
// validation. No file and no SUMMARIZE_* variable takes part: a suite run
// is defined by the suite and the eval command's own flags. An error about
// one key is an *eval.SettingError.
func resolveLayers(layers ...[]eval.Setting) (config.Config, error) {
	v, def, keys := defaultViper()
	for _, l := range layers {
		for _, s := range l {
			d, ok := def[s.Key]
			if !ok {
				return config.Config{}, &eval.SettingError{Key: s.Key, Unknown: true, Known: keys}
			}
			val, err := decodeKey(s.Key, s.Value, reflect.TypeOf(d), "")
			if err != nil {
				return config.Config{}, &eval.SettingError{Key: s.Key, Msg: err.Error()}
			}
			v.Set(s.Key, val)
		}
	}
	var cfg config.Config
	if err := v.UnmarshalExact(&cfg); err != nil {
		return config.Config{}, errors.New(strings.Replace(oneLine(err), "decoding failed due to the following error(s): ", "", 1))
	}
	if err := cfg.Validate(); err != nil {
		return config.Config{}, keyError(err)
	}
	return cfg, nil
}

// keyError turns the first of Validate's "key: what" errors into a
// SettingError.
func keyError(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > 0 {
		err = j.Unwrap()[0]
	}
	key, msg, ok := strings.Cut(err.Error(), ": ")
	if !ok || strings.ContainsAny(key, " ") {
		return err
	}
	return &eval.SettingError{Key: key, Msg: msg}
}

// effective lists every key of cfg with its value, as the manifest records
// it: URLs without credentials, the model table by name.
func effective(cfg config.Config) map[string]any {
	out := map[string]any{}
	flatten("", reflect.ValueOf(cfg), out)
	out["llm.base_url"] = redact.URL(cfg.LLM.BaseURL)
	names := []string{}
	for _, m := range cfg.Models {
		names = append(names, m.Name)
	}
	out["models"] = names
	out["llm.endpoints"] = endpointURLs(cfg.LLM)
	for k, v := range out {
		if d, ok := v.(time.Duration); ok {
			out[k] = d.String()
		}
	}
	return out
}

// endpointURLs are llm.endpoints' base URLs without credentials.
func endpointURLs(c config.LLM) []string {
	urls := []string{}
	for _, e := range c.Endpoints {
		urls = append(urls, redact.URL(e.BaseURL))
	}
	return urls
}
