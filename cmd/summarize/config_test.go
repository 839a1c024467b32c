package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval"
)

func testFlags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	a := &app{getenv: func(string) string { return "" }}
	root := a.rootCmd()
	if err := root.PersistentFlags().Parse(args); err != nil {
		t.Fatal(err)
	}
	return root.PersistentFlags()
}

// envFunc is the lookup loadConfig reads variables with. It also points
// the user config dir and HOME at empty folders, so that no personal
// config file takes part.
func envFunc(t *testing.T, m map[string]string) func(string) string {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	return func(k string) string { return m[k] }
}

// The documented config file holds every key with its default value.
func TestSummarizeYAMLMatchesDefault(t *testing.T) {
	b, err := config.Files.ReadFile("summarize.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "summarize.yaml")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := loadConfig(file, testFlags(t), envFunc(t, nil), nil)
	if err != nil {
		t.Fatalf("loadConfig(summarize.yaml) = %v", err)
	}
	if diff := cmp.Diff(config.Default(), r.cfg); diff != "" {
		t.Errorf("summarize.yaml differs from config.Default() (-default +file):\n%s", diff)
	}
	for _, k := range r.keys {
		if k == "models" {
			continue
		}
		if !r.v.InConfig(k) {
			t.Errorf("summarize.yaml does not document key %q", k)
		}
	}
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	os.WriteFile(file, []byte("llm:\n  model: from-file\n  timeout: 5s\nprompt:\n  bullets: 4\n"), 0o644)
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		wantModel string
		wantSrc   string
	}{
		{"file", nil, nil, "from-file", "file " + file},
		{"env over file", nil, map[string]string{"SUMMARIZE_LLM_MODEL": "from-env"}, "from-env", "env SUMMARIZE_LLM_MODEL"},
		{"flag over env", []string{"--model", "from-flag"}, map[string]string{"SUMMARIZE_LLM_MODEL": "from-env"}, "from-flag", "flag --model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := loadConfig(file, testFlags(t, tt.args...), envFunc(t, tt.env), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.cfg.LLM.Model != tt.wantModel {
				t.Errorf("llm.model = %q, want %q", r.cfg.LLM.Model, tt.wantModel)
			}
			if got := r.source("llm.model"); got != tt.wantSrc {
				t.Errorf("source(llm.model) = %q, want %q", got, tt.wantSrc)
			}
			if r.cfg.LLM.Timeout != 5*time.Second || r.cfg.Prompt.Bullets != 4 {
				t.Errorf("file values lost: timeout %v bullets %d", r.cfg.LLM.Timeout, r.cfg.Prompt.Bullets)
			}
			if got := r.source("prompt.max_words"); got != "default" {
				t.Errorf("source(prompt.max_words) = %q, want default", got)
			}
		})
	}
}

func TestOpenAIBaseURLEnv(t *testing.T) {
	env := map[string]string{"OPENAI_BASE_URL": "http://localhost:11434/v1"}
	r, err := loadConfig("", testFlags(t), envFunc(t, env), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.cfg.LLM.BaseURL != env["OPENAI_BASE_URL"] {
		t.Errorf("llm.base_url = %q, want %q", r.cfg.LLM.BaseURL, env["OPENAI_BASE_URL"])
	}
	env["SUMMARIZE_LLM_BASE_URL"] = "http://vllm:8000/v1"
	r, err = loadConfig("", testFlags(t), envFunc(t, env), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.cfg.LLM.BaseURL != "http://vllm:8000/v1" {
		t.Errorf("SUMMARIZE_LLM_BASE_URL does not win over OPENAI_BASE_URL: %q", r.cfg.LLM.BaseURL)
	}
}

// Every source reads a value by the same rule.
func TestLoadConfigValues(t *testing.T) {
	timeout := func(c config.Config) any { return c.LLM.Timeout }
	bullets := func(c config.Config) any { return c.Prompt.Bullets }
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		args []string
		get  func(config.Config) any
		want any
	}{
		{"file bare seconds", "llm: {timeout: 10}\n", nil, nil, timeout, 10 * time.Second},
		{"file fractional seconds", "llm:\n  timeout: 1.5\n", nil, nil, timeout, 1500 * time.Millisecond},
		{"file quoted seconds", "llm:\n  timeout: \"10\"\n", nil, nil, timeout, 10 * time.Second},
		{"file duration", "llm:\n  timeout: 2m\n", nil, nil, timeout, 2 * time.Minute},
		{"file dotted key", "llm.timeout: 7\n", nil, nil, timeout, 7 * time.Second},
		{"env bare seconds", "", map[string]string{"SUMMARIZE_LLM_TIMEOUT": "10"}, nil, timeout, 10 * time.Second},
		{"env duration", "", map[string]string{"SUMMARIZE_LLM_TIMEOUT": "90s"}, nil, timeout, 90 * time.Second},
		{"env over file", "llm: {timeout: 5}\n", map[string]string{"SUMMARIZE_LLM_TIMEOUT": "6"}, nil, timeout, 6 * time.Second},
		{"flag over env", "", map[string]string{"SUMMARIZE_LLM_TIMEOUT": "6"}, []string{"--timeout", "300ms"}, timeout, 300 * time.Millisecond},
		{"file fetch timeout", "clean: {fetch_timeout: 5}\n", nil, nil, func(c config.Config) any { return c.Clean.FetchTimeout }, 5 * time.Second},
		{"file whole float", "prompt: {bullets: 4.0}\n", nil, nil, bullets, 4},
		{"env whole number", "", map[string]string{"SUMMARIZE_PROMPT_BULLETS": "5"}, nil, bullets, 5},
		{"flag whole number", "", nil, []string{"--bullets", "2"}, bullets, 2},
		{"env number", "", map[string]string{"SUMMARIZE_LLM_TEMPERATURE": "0.7"}, nil, func(c config.Config) any { return c.LLM.Temperature }, 0.7},
		{"env bool", "", map[string]string{"SUMMARIZE_OUTPUT_STRICT": "true"}, nil, func(c config.Config) any { return c.Output.Strict }, true},
		{"env list", "", map[string]string{"SUMMARIZE_CLEAN_RULES": "audio, bylines"}, nil, func(c config.Config) any { return c.Clean.Rules }, []string{"audio", "bylines"}},
		{"file text as written", "llm: {api_version: 2024-10-21, model: 1e3}\n", nil, nil, func(c config.Config) any { return c.LLM.APIVersion + " " + c.LLM.Model }, "2024-10-21 1e3"},
		{"file empty text", "llm:\n  organization:\n", nil, nil, func(c config.Config) any { return c.LLM.Organization }, ""},
		{"file int64", "clean: {max_bytes: 1024}\n", nil, nil, func(c config.Config) any { return c.Clean.MaxBytes }, int64(1024)},
		{"file upper-case key", "LLM:\n  Model: big\n", nil, nil, func(c config.Config) any { return c.LLM.Model }, "big"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "c.yaml")
			os.WriteFile(file, []byte(tt.yaml), 0o644)
			r, err := loadConfig(file, testFlags(t, tt.args...), envFunc(t, tt.env), nil)
			if err != nil {
				t.Fatalf("loadConfig(%q) = %v", tt.yaml, err)
			}
			if diff := cmp.Diff(tt.want, tt.get(r.cfg)); diff != "" {
				t.Errorf("loadConfig(%q) (-want +got):\n%s", tt.yaml, diff)
			}
		})
	}
}

// Paths in a config file are relative to its folder; ~ is the home folder
// in every source.
func TestLoadConfigPaths(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "conf", "c.yaml")
	os.Mkdir(filepath.Dir(file), 0o755)
	tests := []struct {
		name         string
		yaml         string
		env          map[string]string
		args         []string
		wantDir      string // FILEDIR and HOME are replaced
		wantExamples string
	}{
		{"file relative", "prompt: {dir: prompts, examples: ../ex.jsonl}\n", nil, nil, "FILEDIR/prompts", filepath.Join(dir, "ex.jsonl")},
		{"file home", "prompt: {dir: ~/prompts, examples: \"~\"}\n", nil, nil, "HOME/prompts", "HOME"},
		{"file null", "prompt: {examples: ~}\n", nil, nil, "", ""},
		{"file absolute", "prompt: {dir: /srv/prompts}\n", nil, nil, "/srv/prompts", ""},
		{"env home", "", map[string]string{"SUMMARIZE_PROMPT_DIR": "~/p", "SUMMARIZE_PROMPT_EXAMPLES": "ex.jsonl"}, nil, "HOME/p", "ex.jsonl"},
		{"flag home", "prompt: {dir: prompts}\n", nil, []string{"--prompt-dir=~/q"}, "HOME/q", ""},
		{"flag relative", "", nil, []string{"--prompt-dir", "q"}, "q", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.WriteFile(file, []byte(tt.yaml), 0o644)
			getenv := envFunc(t, tt.env)
			home := os.Getenv("HOME")
			r, err := loadConfig(file, testFlags(t, tt.args...), getenv, nil)
			if err != nil {
				t.Fatal(err)
			}
			fix := func(s string) string {
				s = strings.Replace(s, "FILEDIR", filepath.Dir(file), 1)
				return strings.Replace(s, "HOME", home, 1)
			}
			if got, want := r.cfg.Prompt.Dir, fix(tt.wantDir); got != want {
				t.Errorf("prompt.dir = %q, want %q", got, want)
			}
			if got, want := r.cfg.Prompt.Examples, fix(tt.wantExamples); got != want {
				t.Errorf("prompt.examples = %q, want %q", got, want)
			}
		})
	}
}

// A flag bound to a key reads its value by the key's rule.
func TestKeyFlag(t *testing.T) {
	flags := func() *pflag.FlagSet {
		fs := pflag.NewFlagSet("summarize", pflag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.Var(newKeyFlag("llm.timeout"), "timeout", "")
		fs.Var(newKeyFlag("prompt.bullets"), "bullets", "")
		fs.Var(newKeyFlag("llm.temperature"), "temperature", "")
		return fs
	}
	fs := flags()
	if err := fs.Parse([]string{"--timeout", "10", "--bullets", "4", "--temperature", "0.5"}); err != nil {
		t.Fatal(err)
	}
	r, err := loadConfig("", fs, envFunc(t, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.cfg.LLM.Timeout != 10*time.Second || r.cfg.Prompt.Bullets != 4 || r.cfg.LLM.Temperature != 0.5 {
		t.Errorf("loadConfig(--timeout 10 --bullets 4 --temperature 0.5) = timeout %v, bullets %d, temperature %g", r.cfg.LLM.Timeout, r.cfg.Prompt.Bullets, r.cfg.LLM.Temperature)
	}
	if got := r.source("llm.timeout"); got != "flag --timeout" {
		t.Errorf("source(llm.timeout) = %q, want flag --timeout", got)
	}
	if got := fs.Lookup("timeout").Value.Type(); got != "duration" {
		t.Errorf("--timeout type = %q, want duration", got)
	}
	for _, tt := range []struct{ arg, want string }{
		{"--bullets=3.5", `invalid argument "3.5" for "--bullets" flag: want a whole number, got "3.5"`},
		{"--timeout=soon", `invalid argument "soon" for "--timeout" flag: want a duration such as 30s, 2m or a number of seconds, got "soon"`},
		{"--temperature=warm", `invalid argument "warm" for "--temperature" flag: want a number, got "warm"`},
	} {
		if err := flags().Parse([]string{tt.arg}); err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%s) = %v, want %s", tt.arg, err, tt.want)
		}
	}
}

// A mistake names its place (file and line, variable or flag), says what
// was wanted and, for an unknown key, what was probably meant.
func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        map[string]string
		args       []string
		want       string // FILE is the config file
	}{
		{"unknown key", "llm:\n  temprature: 0.2\n", nil, nil, `config FILE:2: unknown key "llm.temprature" (did you mean "llm.temperature"?)`},
		{"unknown top key", "bakend: openai\n", nil, nil, `config FILE:1: unknown key "bakend" (did you mean "backend"?)`},
		{"unknown section", "promt:\n  bullets: 4\n", nil, nil, `config FILE:1: unknown key "promt" (did you mean "prompt"?)`},
		{"key in the wrong section", "temprature: 0.2\n", nil, nil, `config FILE:1: unknown key "temprature" (did you mean "llm.temperature"?)`},
		{"key of two sections", "bullets: 4\n", nil, nil, `config FILE:1: unknown key "bullets" (did you mean "extractive.bullets" or "prompt.bullets"?)`},
		{"no suggestion", "llm:\n  zzzzzzzz: 1\n", nil, nil, `config FILE:2: unknown key "llm.zzzzzzzz"`},
		{"unknown model field", "models:\n  - name: llama3\n    windw: 3\n", nil, nil, `config FILE:3: unknown key "windw" in models[0]`},
		{"model field typo", "models:\n  - name: llama3\n    max_ouput: 3\n", nil, nil, `config FILE:3: unknown key "max_ouput" in models[0] (did you mean "max_output"?)`},
		{"model field type", "models:\n  - name: llama3\n    context_window: big\n", nil, nil, `config FILE:3: models[0].context_window: want a whole number, got "big"`},
		{"model without name", "models:\n  - context_window: 3\n", nil, nil, `config FILE:2: models[0].name: must not be empty`},
		{"bad backend", "backend: claude\n", nil, nil, `config FILE:1: backend: "claude" is not one of auto, openai, extractive, lead3, dataset`},
		{"fractional bullets", "prompt:\n  bullets: 3.5\n", nil, nil, `config FILE:2: prompt.bullets: want a whole number, got 3.5`},
		{"words for a number", "llm:\n  max_tokens: lots\n", nil, nil, `config FILE:2: llm.max_tokens: want a whole number, got "lots"`},
		{"bad duration", "llm:\n  timeout: soon\n", nil, nil, `config FILE:2: llm.timeout: want a duration such as 30s, 2m or a number of seconds, got "soon"`},
		{"bad bool", "output: {strict: maybe}\n", nil, nil, `config FILE:1: output.strict: want true or false, got "maybe"`},
		{"list for text", "llm:\n  model: [a, b]\n", nil, nil, `config FILE:2: llm.model: want text, got a list`},
		{"value for a section", "llm: fast\n", nil, nil, `config FILE:1: llm: want a mapping of keys, got "fast"`},
		{"not a mapping", "- a\n", nil, nil, `config FILE:1: the config file: want a mapping of keys, got a list`},
		{"duplicate key", "llm:\n  model: a\n  model: b\n", nil, nil, `config FILE:3: duplicate key "llm.model" (first on line 2)`},
		{"bad yaml", "llm: [\n", nil, nil, `config FILE:1: did not find expected node content`},
		{"bullets range", "prompt:\n  bullets: 0\n", nil, nil, "config FILE:2: prompt.bullets: 0 is outside 1..10"},
		{"two mistakes", "llm:\n  timeout: soon\n  modle: x\n", nil, nil, "config FILE:2: llm.timeout: want a duration such as 30s, 2m or a number of seconds, got \"soon\"\n" +
			`config FILE:3: unknown key "llm.modle" (did you mean "llm.model"?)`},
		{"bad duration env", "", map[string]string{"SUMMARIZE_LLM_TIMEOUT": "soon"}, nil, `SUMMARIZE_LLM_TIMEOUT: want a duration such as 30s, 2m or a number of seconds, got "soon"`},
		{"fractional bullets env", "", map[string]string{"SUMMARIZE_PROMPT_BULLETS": "3.5"}, nil, `SUMMARIZE_PROMPT_BULLETS: want a whole number, got "3.5"`},
		{"bad format env", "", map[string]string{"SUMMARIZE_OUTPUT_FORMAT": "xml"}, nil, `SUMMARIZE_OUTPUT_FORMAT: output.format: "xml" is not one of text, markdown, json, jsonl`},
		{"models env", "", map[string]string{"SUMMARIZE_MODELS": "x"}, nil, `SUMMARIZE_MODELS: models can be set in a config file or a suite only`},
		{"range flag", "prompt: {bullets: 4}\n", nil, []string{"--bullets", "0"}, `--bullets: prompt.bullets: 0 is outside 1..10`},
		{"range default", "llm: {api_type: azure}\n", nil, nil, `config FILE: llm.base_url: required when llm.api_type is azure (https://NAME.openai.azure.com)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "c.yaml")
			os.WriteFile(file, []byte(tt.yaml), 0o644)
			_, err := loadConfig(file, testFlags(t, tt.args...), envFunc(t, tt.env), nil)
			want := strings.ReplaceAll(tt.want, "FILE", file)
			if err == nil || err.Error() != want {
				t.Fatalf("loadConfig(%q) = %v, want %s", tt.yaml, err, want)
			}
			if exitCode(err) != exitUsage {
				t.Errorf("exit code %d, want %d", exitCode(err), exitUsage)
			}
		})
	}
}

func TestModelsOverride(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(file, []byte("models:\n  - name: llama3.1:8b\n    context_window: 131072\n    input_price: 0.1\n"), 0o644)
	r, err := loadConfig(file, testFlags(t), envFunc(t, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []config.Model{{Name: "llama3.1:8b", ContextWindow: 131072, InputPrice: 0.1}}
	if diff := cmp.Diff(want, r.cfg.Models); diff != "" {
		t.Errorf("models (-want +got):\n%s", diff)
	}
}

func TestUnknownEnvWarned(t *testing.T) {
	r, err := loadConfig("", testFlags(t), envFunc(t, nil), []string{"SUMMARIZE_LLM_MODLE=x", "SUMMARIZE_LLM_MODEL=y", "SUMMARIZE_CONFIG=", "HOME=/"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"SUMMARIZE_LLM_MODLE"}, r.unknown); diff != "" {
		t.Errorf("unknown env (-want +got):\n%s", diff)
	}
}

// A suite's settings and --set overrides follow the same rule as the
// config file.
func TestResolveLayersValues(t *testing.T) {
	envFunc(t, nil)
	home := os.Getenv("HOME")
	cfg, err := resolveLayers([]eval.Setting{
		{Key: "llm.timeout", Value: 10},
		{Key: "llm.api_version", Value: time.Date(2024, 10, 21, 0, 0, 0, 0, time.UTC)},
		{Key: "prompt.dir", Value: "~/p"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := []any{cfg.LLM.Timeout, cfg.LLM.APIVersion, cfg.Prompt.Dir}
	want := []any{10 * time.Second, "2024-10-21", filepath.Join(home, "p")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resolveLayers (-want +got):\n%s", diff)
	}
	_, err = resolveLayers([]eval.Setting{{Key: "prompt.bullets", Value: 3.5}})
	if want := "prompt.bullets: want a whole number, got 3.5"; err == nil || err.Error() != want {
		t.Errorf("resolveLayers(prompt.bullets: 3.5) = %v, want %s", err, want)
	}
}
