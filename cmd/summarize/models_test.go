package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// TestModelsUnauthorized: a key the server refuses is the summarize
// command's unauthorized error and hint, without the key.
func TestModelsUnauthorized(t *testing.T) {
	srv := llmtest.NewServer(t, llmtest.WithAPIKey("sk-right-key"))
	t.Setenv("SUMMARIZE_CONFIG", "")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("OPENAI_BASE_URL", srv.URL())
	t.Chdir(t.TempDir())

	t.Setenv("OPENAI_API_KEY", "sk-wrong-key-12345")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"models"}, stdio{in: strings.NewReader(""), out: &out, err: &errOut})
	if code != exitFailure {
		t.Errorf("summarize models with a wrong key: exit %d, want %d; stderr:\n%s", code, exitFailure, errOut.String())
	}
	got := errOut.String()
	if !strings.HasPrefix(got, "summarize: models: unauthorized") || !strings.Contains(got, "\nhint: check the API key") {
		t.Errorf("summarize models with a wrong key: stderr =\n%s\nwant 'summarize: models: unauthorized...' and the API key hint", got)
	}
	if strings.Contains(got, "sk-wrong-key-12345") {
		t.Errorf("summarize models: stderr shows the key:\n%s", got)
	}
	if out.Len() != 0 {
		t.Errorf("summarize models with a wrong key: stdout = %q, want nothing", out.String())
	}

	t.Setenv("OPENAI_API_KEY", "sk-right-key")
	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), []string{"models"}, stdio{in: strings.NewReader(""), out: &out, err: &errOut}); code != exitOK {
		t.Fatalf("summarize models with the right key: exit %d; stderr:\n%s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "\nfake-ok ") {
		t.Errorf("summarize models with the right key: stdout =\n%s\nwant a fake-ok line", out.String())
	}
}
