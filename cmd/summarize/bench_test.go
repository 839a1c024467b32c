package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/bullet"
	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
	"github.com/summarize-dev/summarize/internal/prompt"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// BenchmarkPipeline measures everything but the backend call on the sample
// article: load, clean, render the prompt, parse and check a reply.
func BenchmarkPipeline(b *testing.B) {
	sample := filepath.Join("..", "..", "testdata", "sample.txt")
	sub, err := subFS("prompts")
	if err != nil {
		b.Fatal(err)
	}
	set, err := prompt.Load(sub, "")
	if err != nil {
		b.Fatal(err)
	}
	tm, _ := set.Get("headline")
	def := config.Default()
	opts := summarize.Options{Template: tm, Bullets: 3, MaxWords: def.Prompt.MaxWords, Language: def.Prompt.Language}
	reply := "Sure! Here are the bullets:\n\n- NATO fully committed to keeping Ukraine in the fight, Rutte says\n- Europeans to take on more military aid as U.S. stays involved\n- Rutte says no capability gaps as U.S. pivots to Asia\n\nLet me know if you need more."
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		in, err := clean.Load(ctx, sample, clean.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		art, err := clean.Clean(in, clean.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tm.Render(opts.Data(art)); err != nil {
			b.Fatal(err)
		}
		p := bullet.Parse(reply)
		if vs := bullet.Check(p.Bullets, nil, opts.Rules()); len(p.Bullets) != 3 || len(vs) != 0 {
			b.Fatalf("parse: %q %v", p.Bullets, vs)
		}
	}
}

// BenchmarkVersionColdStart execs a built binary: the start-up cost a user
// pays on every call.
func BenchmarkVersionColdStart(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "summarize")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), "HOME="+b.TempDir())
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("summarize version: %v\n%s", err, out)
		}
	}
}

// TestFakeServerProcess is not a test: BenchmarkEvalClientCPU runs the
// test binary again with SUMMARIZE_BENCH_FAKE=1 to serve the fake
// endpoint from a process of its own, so that the benchmark's process CPU
// time is the client's alone.
func TestFakeServerProcess(t *testing.T) {
	if os.Getenv("SUMMARIZE_BENCH_FAKE") != "1" {
		t.Skip("helper process of BenchmarkEvalClientCPU")
	}
	srv := llmtest.NewServer(t)
	srv.Handle("fake-50ms", func(req llmtest.ChatRequest, n int) llmtest.Reply {
		r := llmtest.OK(req, n)
		r.Delay = benchDelay
		return r
	})
	fmt.Println(srv.URL())
	io.Copy(io.Discard, os.Stdin) // serve until the benchmark closes stdin
}

const benchDelay = 50 * time.Millisecond

// startFakeProcess starts the fake endpoint in a child process and
// returns its base URL.
func startFakeProcess(b *testing.B) string {
	cmd := exec.Command(os.Args[0], "-test.run=^TestFakeServerProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SUMMARIZE_BENCH_FAKE=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "http://127.0.0.1:") {
		b.Fatalf("fake server process: %q, %v", line, err)
	}
	go io.Copy(io.Discard, stdout)
	return strings.TrimSpace(line)
}

// benchDataset writes n news-like cases made from the sample article, each
// with its paragraphs in another order, and returns the dataset's path.
func benchDataset(b *testing.B, dir string, n int) string {
	sample, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sample.txt"))
	if err != nil {
		b.Fatal(err)
	}
	var paras []string
	for _, p := range strings.Split(string(sample), "\n") {
		if p = strings.TrimSpace(p); len(p) > 60 && !strings.HasPrefix(p, "- ") {
			paras = append(paras, p)
		}
	}
	path := filepath.Join(dir, "data.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		k := i % len(paras)
		order := append(slices.Clone(paras[k:]), paras[:k]...)
		art := fmt.Sprintf("Day %d of the talks.\n\n%s", i, strings.Join(order, "\n\n"))
		line, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("case-%05d", i), "article": art,
			"reference": []string{order[0][:min(len(order[0]), 90)], order[1][:min(len(order[1]), 90)], fmt.Sprintf("Talks reach day %d", i)}})
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		b.Fatal(err)
	}
	return path
}

// cpuTime is the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEvalClientCPU runs summarize eval over 10,000 cases at
// concurrency 32 against a fake endpoint (in another process) that answers
// in 50 ms, with the default metrics, the response cache on and a JSON and
// a JSONL report: the client's CPU time per case, and the wall time
// against the ideal 10,000/32 × 50 ms = 15.6 s. SUMMARIZE_BENCH_CASES sets
// another count.
func BenchmarkEvalClientCPU(b *testing.B) {
	n := 10000
	if s := os.Getenv("SUMMARIZE_BENCH_CASES"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil || n < 1 {
			b.Fatalf("SUMMARIZE_BENCH_CASES=%q", s)
		}
	}
	const conc = 32
	url := startFakeProcess(b)
	dir := b.TempDir()
	benchDataset(b, dir, n)
	writeSuite := func(name, sanity string) string {
		suite := filepath.Join(dir, name)
		if err := os.WriteFile(suite, []byte(fmt.Sprintf(`dataset: data.jsonl
sanity: %s
concurrency: %d
variants:
  - name: llm
    backend: openai
    llm: {model: fake-50ms, max_retries: 0}
`, sanity, conc)), 0o644); err != nil {
			b.Fatal(err)
		}
		return suite
	}
	alone, withBaseline := writeSuite("suite.yaml", "none"), writeSuite("baseline.yaml", "lead3")
	env := map[string]string{"OPENAI_BASE_URL": url, "HOME": dir}
	// cache-rw is the default run, filling a new response cache; cache-off
	// is the client's own work without it; baseline is cache-rw with the
	// lead3 baseline variant every suite gets unless it says sanity: none
	// (its runs are counted in, per case).
	for _, bc := range []struct{ name, mode, suite string }{
		{"cache-rw", "rw", alone}, {"cache-off", "off", alone}, {"baseline", "rw", withBaseline},
	} {
		mode, suite := bc.mode, bc.suite
		b.Run(bc.name, func(b *testing.B) {
			var cpu, wall time.Duration
			for b.Loop() {
				run := b.TempDir()
				var out, errb bytes.Buffer
				a := &app{io: stdio{in: strings.NewReader(""), out: &out, err: &errb}, getenv: func(k string) string { return env[k] }}
				root := a.rootCmd()
				root.SetArgs([]string{"eval", suite, "-q", "--cache", filepath.Join(run, "cache"), "--cache-mode", mode,
					"--json", filepath.Join(run, "run.json"), "--jsonl", filepath.Join(run, "run.jsonl")})
				root.SetOut(&out)
				root.SetErr(&errb)
				c0, t0 := cpuTime(), time.Now()
				err := root.ExecuteContext(context.Background())
				cpu += cpuTime() - c0
				wall += time.Since(t0)
				if err != nil {
					b.Fatalf("eval: %v\n%s", err, errb.String())
				}
			}
			ideal := time.Duration(float64(n) / conc * float64(benchDelay))
			perRun := wall / time.Duration(b.N)
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n*b.N), "cpu-ms/case")
			b.ReportMetric(perRun.Seconds(), "wall-s")
			b.ReportMetric(ideal.Seconds(), "ideal-s")
			b.ReportMetric(100*(perRun.Seconds()/ideal.Seconds()-1), "%over-ideal")
		})
	}
}
