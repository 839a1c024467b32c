package main

// How an eval run is defined: the suite file, the eval command's own flags
// and --set overrides; nothing from personal config files or SUMMARIZE_*.

import (
	"fmt"
	"net/url"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/prompt"
)

// suitePathKeys are the config keys whose values are paths: in a suite
// they are relative to the suite file.
var suitePathKeys = []string{"prompt.dir", "prompt.examples"}

// evalRejects are the summarize command's flags that eval does not take,
// with what to use instead. A suite run is defined by its file; a flag
// that changed it silently would make the report lie.
var evalRejects = map[string]string{
	"config":         "eval reads no config file: a suite run is defined by the suite; use --set KEY=VALUE",
	"format":         "eval writes reports with --json, --jsonl, --junit, --markdown and --html (- for standard output)",
	"backend":        "set a variant's backend in the suite, or --set backend=NAME",
	"model":          "use --set llm.model=NAME",
	"temperature":    "use --set llm.temperature=X",
	"max-tokens":     "use --set llm.max_tokens=N",
	"timeout":        "use --set llm.timeout=30s",
	"max-retries":    "use --set llm.max_retries=N",
	"context-window": "use --set llm.context_window=N",
	"overflow":       "use --set llm.overflow=STRATEGY",
	"prompt":         "use --set prompt.name=NAME",
	"prompt-dir":     "use --set prompt.dir=DIR",
	"bullets":        "use --set prompt.bullets=N",
	"max-words":      "use --set prompt.max_words=N",
	"strict":         "use --set output.strict=true",
}

// checkEvalInherited refuses the summarize command's flags that do not
// apply to eval.
func checkEvalInherited(cmd *cobra.Command) error {
	var err error
	cmd.InheritedFlags().VisitAll(func(f *pflag.Flag) {
		if hint, ok := evalRejects[f.Name]; ok && f.Changed && err == nil {
			err = withHint(fmt.Errorf("eval: --%s does not apply to eval", f.Name), exitUsage, hint)
		}
	})
	return err
}

// parseSets turns --set KEY=VALUE flags into settings; VALUE is read as
// YAML, so numbers, booleans and [lists] are what they look like.
func parseSets(sets []string) ([]eval.Setting, error) {
	var out []eval.Setting
	for _, s := range sets {
		key, raw, ok := strings.Cut(s, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return nil, withHint(fmt.Errorf("--set %q: want KEY=VALUE", s), exitUsage, "for example --set llm.model=gpt-4o")
		}
		var val any
		if err := yaml.Unmarshal([]byte(raw), &val); err != nil || raw == "" {
			val = raw
		}
		out = append(out, eval.Setting{Key: key, Value: val})
	}
	return out, nil
}

// suiteResolver resolves a variant's layers into its configuration: the
// endpoint from OPENAI_BASE_URL first (so CI can point a suite at its
// server), then the suite's layers, then --base-url. It checks that the
// prompt exists and records its hash and the endpoint's host.
func (a *app) suiteResolver(baseURLFlag string) eval.Resolver {
	var env, flag []eval.Setting
	if u := a.getenv("OPENAI_BASE_URL"); u != "" {
		env = []eval.Setting{{Key: "llm.base_url", Value: u}}
	}
	if baseURLFlag != "" {
		flag = []eval.Setting{{Key: "llm.base_url", Value: baseURLFlag}}
	}
	sets := map[string]*prompt.Set{}
	return func(layers ...[]eval.Setting) (eval.Resolved, error) {
		all := append(append([][]eval.Setting{env}, layers...), flag)
		cfg, err := resolveLayers(all...)
		if err != nil {
			return eval.Resolved{}, err
		}
		if cfg.Backend == config.BackendAuto {
			return eval.Resolved{}, &eval.SettingError{Key: "backend",
				Msg: `"auto" depends on the environment; a suite names its backend (openai, extractive or lead3)`}
		}
		r := eval.Resolved{Backend: cfg.Backend, Effective: effective(cfg), Config: cfg}
		if cfg.Backend != config.BackendOpenAI {
			return r, nil
		}
		r.Model, r.Endpoint = cfg.LLM.Model, endpointHost(cfg.LLM)
		ps, ok := sets[cfg.Prompt.Dir]
		if !ok {
			sub, err := subFS("prompts")
			if err != nil {
				return eval.Resolved{}, err
			}
			if ps, err = prompt.Load(sub, cfg.Prompt.Dir); err != nil {
				return eval.Resolved{}, &eval.SettingError{Key: "prompt.dir", Msg: err.Error()}
			}
			sets[cfg.Prompt.Dir] = ps
		}
		t, err := ps.Get(cfg.Prompt.Name)
		if err != nil {
			return eval.Resolved{}, &eval.SettingError{Key: "prompt.name", Msg: err.Error()}
		}
		r.Prompt = t.ID()
		return r, nil
	}
}

// endpointHost names the server a variant talks to, without credentials.
func endpointHost(c config.LLM) string {
	if len(c.Endpoints) > 0 {
		hosts := make([]string, len(c.Endpoints))
		for i, e := range c.Endpoints {
			hosts[i] = endpointHost(config.LLM{BaseURL: e.BaseURL})
		}
		return strings.Join(hosts, ",")
	}
	if c.BaseURL == "" {
		if c.APIType == config.APITypeAzure {
			return ""
		}
		return "api.openai.com"
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Host == "" {
		return "(unparsable base URL)"
	}
	return u.Host
}

// commit is set at build time with -ldflags "-X main.commit=REV" where the
// build records no VCS information (go run, -buildvcs=false).
var commit = ""

// buildCommit is the VCS revision: -ldflags' commit, else what the build
// recorded, else "".
func buildCommit() string {
	if commit != "" {
		return commit
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" && dirty {
		rev += "+dirty"
	}
	return rev
}
