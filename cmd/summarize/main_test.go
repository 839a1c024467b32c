package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

var update = flag.Bool("update", false, "rewrite the testscript files' golden sections")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		// Retry waits are cut to 10ms: a "Retry-After: 1" costs no second.
		"summarize": func() { os.Exit(mainExit(10 * time.Millisecond)) },
		// summarize-tty is summarize with standard input taken for a
		// terminal, which a script cannot give it.
		"summarize-tty": func() {
			os.Exit(run(context.Background(), os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr, inTerminal: true}))
		},
	})
}

// TestScripts runs testdata/script/*.txtar: one script per user-visible
// behaviour. Each script gets its own fake OpenAI-compatible server at
// $FAKE_URL (scenario chosen by model name), the fake's own prompt
// templates in $FAKE_PROMPTS (for prompt.dir: the fake honours the bullet
// count and finds the article only in requests rendered from them, never
// from the shipped prompts' wording), the sample article as sample.txt,
// and HOME pointed at its work dir.
func TestScripts(t *testing.T) {
	sample, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sample.txt"))
	if err != nil {
		t.Fatal(err)
	}
	pages := httptest.NewServer(pageHandler(string(sample)))
	t.Cleanup(pages.Close)
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			srv := llmtest.NewServer(t)
			env.Setenv("FAKE_URL", srv.URL())
			env.Setenv("PAGES_URL", pages.URL)
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("OPENAI_API_KEY", "")
			env.Setenv("OPENAI_BASE_URL", "")
			fakePrompts := filepath.Join(env.WorkDir, ".fake-prompts")
			if err := os.CopyFS(fakePrompts, llmtest.Prompts()); err != nil {
				return err
			}
			env.Setenv("FAKE_PROMPTS", fakePrompts)
			return os.WriteFile(filepath.Join(env.WorkDir, "sample.txt"), sample, 0o644)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitCode,
		},
	})
}

// pageHandler serves the pages the URL scripts fetch: a news page, the
// sample as text, a 404, a PDF, a redirect loop and a page with no article.
func pageHandler(sample string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/news/bridge.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="en"><head><title>Old bridge to close for 18 months | City News</title>
<meta property="og:site_name" content="City News"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie">We use cookies to improve your experience. <button>Accept all</button></div>
<article><h1>Old bridge to close for 18 months</h1><p class="byline">By Jane Doe</p>
<p>The city council voted on Tuesday to close the old bridge over the river after engineers found deep cracks in two of its supports, officials said.</p>
<p>The bridge, built in 1932, carries about 20,000 cars a day between the two halves of the city, and its closure is expected to double journey times for many commuters.</p>
<p>Repairs are expected to take at least 18 months and cost an estimated $40 million, which the council hopes to share with the state government.</p>
<p>Drivers will be diverted to the new ring road, which opened last year, and a temporary ferry service for pedestrians and cyclists will start in June.</p>
</article><aside><h3>Most read</h3><ul><li><a href="/a">Council approves new park</a></li><li><a href="/b">Storm hits coast</a></li></ul></aside>
<footer>© 2025 City News. All rights reserved.</footer></body></html>`)
	})
	mux.HandleFunc("/sample.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, sample)
	})
	mux.HandleFunc("/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		io.WriteString(w, "%PDF-1.4 not really")
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/empty.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<html><head><title>Not found</title></head><body><nav><a href="/">Home</a></nav></body></html>`)
	})
	return mux
}

// cmdExitCode runs "exitcode N command args..." and fails unless the
// command exits with N. Its stdout and stderr are kept for the next
// stdout/stderr checks.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exitcode: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}
