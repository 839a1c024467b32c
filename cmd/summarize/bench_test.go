package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/bullet"
	"github.com/summarize-dev/summarize/internal/clean"
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
