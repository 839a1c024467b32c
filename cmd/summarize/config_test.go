package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/pflag"

	"github.com/summarize-dev/summarize/config"
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

// envFunc sets the variables for the test (viper reads the process
// environment) and returns the lookup loadConfig uses.
func envFunc(t *testing.T, m map[string]string) func(string) string {
	t.Helper()
	for _, k := range []string{"SUMMARIZE_CONFIG", "OPENAI_BASE_URL", "SUMMARIZE_LLM_MODEL", "SUMMARIZE_LLM_BASE_URL", "SUMMARIZE_OUTPUT_FORMAT"} {
		t.Setenv(k, "")
	}
	for k, v := range m {
		t.Setenv(k, v)
	}
	return os.Getenv
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
	t.Setenv("SUMMARIZE_LLM_BASE_URL", "http://vllm:8000/v1")
	r, err = loadConfig("", testFlags(t), os.Getenv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.cfg.LLM.BaseURL != "http://vllm:8000/v1" {
		t.Errorf("SUMMARIZE_LLM_BASE_URL does not win over OPENAI_BASE_URL: %q", r.cfg.LLM.BaseURL)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"unknown key", "llm:\n  temprature: 0.2\n", nil, `unknown key "llm.temprature"`},
		{"unknown top key", "bakend: openai\n", nil, `unknown key "bakend"`},
		{"unknown model field", "models:\n  - name: llama3\n    windw: 3\n", nil, `'models[0]' has invalid keys: windw`},
		{"model without name", "models:\n  - context_window: 3\n", nil, `models[0].name: must not be empty`},
		{"bad backend", "backend: claude\n", nil, `backend: "claude" is not one of auto, openai, extractive, lead3`},
		{"bad format env", "", map[string]string{"SUMMARIZE_OUTPUT_FORMAT": "xml"}, `output.format: "xml" is not one of`},
		{"bad duration", "llm:\n  timeout: soon\n", nil, "llm.timeout"},
		{"bad yaml", "llm: [\n", nil, "config "},
		{"bullets range", "prompt:\n  bullets: 0\n", nil, "prompt.bullets: 0 is outside 1..10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "c.yaml")
			os.WriteFile(file, []byte(tt.yaml), 0o644)
			_, err := loadConfig(file, testFlags(t), envFunc(t, tt.env), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("loadConfig(%q) = %v, want error containing %q", tt.yaml, err, tt.want)
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
