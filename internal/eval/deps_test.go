package eval

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is this repository's module path.
const module = "github.com/summarize-dev/summarize"

// llmSide are the packages eval must not link, directly or through another
// package (DESIGN.md: "eval scores strings and knows no LLM types"): the
// ones that make summaries and talk to models, their subpackages included.
var llmSide = []string{
	module + "/internal/llm",
	module + "/internal/summarize",
	module + "/internal/clean",
	module + "/internal/extractive",
	module + "/internal/prompt",
	module + "/internal/budget",
	module + "/internal/models",
	module + "/internal/judge",
	"github.com/sashabaranov/go-openai",
}

func onLLMSide(path string) bool {
	return slices.ContainsFunc(llmSide, func(p string) bool {
		return path == p || strings.HasPrefix(path, p+"/")
	})
}

// TestNoLLMDependencies walks the non-test imports of every package under
// internal/eval, and of every package of this module they reach, and fails
// on any path to a package on the LLM side, naming the chain.
func TestNoLLMDependencies(t *testing.T) {
	root := repoRoot(t)
	var roots []string
	err := filepath.WalkDir(filepath.Join(root, "internal", "eval"), func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return err
		}
		roots = append(roots, module+"/"+filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range llmChains(t, root, roots) {
		t.Errorf("%s imports a package of the LLM side: %s", bad[0], strings.Join(bad, " → "))
	}
}

// llmChains returns, for each package on the LLM side reachable from
// roots, the import chain that reaches it first.
func llmChains(t *testing.T, root string, roots []string) [][]string {
	t.Helper()
	seen := map[string]bool{}
	var bad [][]string
	var walk func(chain []string)
	walk = func(chain []string) {
		path := chain[len(chain)-1]
		if seen[path] {
			return
		}
		seen[path] = true
		if onLLMSide(path) {
			bad = append(bad, slices.Clone(chain))
			return
		}
		if path != module && !strings.HasPrefix(path, module+"/") {
			return // outside the module: only its own name is checked
		}
		dir := filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(path, module)))
		pkg, err := build.ImportDir(dir, 0)
		if _, ok := err.(*build.NoGoError); ok {
			return // a directory of subpackages only
		}
		if err != nil {
			t.Fatalf("read the imports of %s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			walk(append(chain, imp))
		}
	}
	for _, r := range roots {
		walk([]string{r})
	}
	return bad
}

// TestLLMChainsFindsAnImport checks that the walk follows imports: the
// CLI, which wires the LLM side, reaches it through its own imports.
func TestLLMChainsFindsAnImport(t *testing.T) {
	root := repoRoot(t)
	cli := module + "/cmd/summarize"
	bad := llmChains(t, root, []string{cli})
	if len(bad) == 0 {
		t.Fatalf("llmChains(%s) found no chain to the LLM side", cli)
	}
	for _, chain := range bad {
		if len(chain) < 2 || chain[0] != cli || !onLLMSide(chain[len(chain)-1]) {
			t.Errorf("llmChains(%s) gave the chain %q, want one from it to the LLM side", cli, chain)
		}
	}
}
