package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

// readmeBlock returns the README's fenced block that starts with first.
func readmeBlock(t *testing.T, first string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	must(t, err)
	for _, block := range strings.Split(string(data), "```")[1:] {
		_, body, ok := strings.Cut(block, "\n") // drop the info string
		if ok && strings.HasPrefix(body, first) {
			return body
		}
	}
	t.Fatalf("README has no block starting %q", first)
	return ""
}

// The README's example suite is config/evals/example.yaml, and it runs as
// the README says: the first run makes the regression baseline, the next
// one gates against it.
func TestReadmeSuiteRuns(t *testing.T) {
	text := readmeBlock(t, "# config/evals/example.yaml")
	file, err := os.ReadFile(filepath.Join("..", "..", "config", "evals", "example.yaml"))
	must(t, err)
	if text != string(file) {
		t.Fatalf("the README's suite differs from config/evals/example.yaml")
	}
	// The suite's text in a folder laid out like the repository.
	root := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "config", "evals"), 0o755))
	must(t, os.MkdirAll(filepath.Join(root, "testdata", "eval"), 0o755))
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "eval", "news.jsonl"))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(root, "testdata", "eval", "news.jsonl"), data, 0o644))
	suite := filepath.Join(root, "config", "evals", "example.yaml")
	must(t, os.WriteFile(suite, []byte(text), 0o644))
	// The fake summarizes the articles it finds in its own templates' requests.
	fakePrompts := filepath.Join(root, "fake-prompts")
	must(t, os.CopyFS(fakePrompts, llmtest.Prompts()))
	set := []string{"--set", "prompt.dir=" + fakePrompts}

	srv := llmtest.NewServer(t)
	srv.Handle("gpt-4o-mini", llmtest.OK)
	c := newCLI(t, map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": srv.URL()})

	_, stderr, code := c.run(append([]string{"eval", suite, "-q"}, set...)...)
	if code != exitUsage || !strings.Contains(stderr, "--no-baseline --json") {
		t.Fatalf("first run without a baseline: exit %d, stderr %q; want exit 2 with the command that makes it", code, stderr)
	}
	baseline := filepath.Join(filepath.Dir(suite), "results", "main.json")
	stdout, stderr, code := c.run(append([]string{"eval", suite, "-q", "--no-baseline", "--json", baseline}, set...)...)
	if code != 0 {
		t.Fatalf("eval --no-baseline: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, stderr, code = c.run(append([]string{"eval", suite, "-q"}, set...)...)
	if code != 0 {
		t.Fatalf("eval against the baseline: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "no regression") || !strings.Contains(stdout, "PASS") {
		t.Errorf("the run against the baseline shows no regression gate:\n%s", stdout)
	}
}
