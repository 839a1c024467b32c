package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/summarize"
)

// The jsonl entry is summarize.Summary as it is: these are the keys, in
// this order, that README "Output formats" documents; fields the summary
// keeps for the eval runner (leftovers, cached) stay out.
func TestPrinterJSONL(t *testing.T) {
	full := summarize.Summary{
		Source: "a.txt", Bullets: []string{"One", "Two"}, Backend: "openai", Model: "gpt-4o-mini",
		Prompt: "headline@3f2a9c0d1b7e", Usage: llm.Usage{PromptTokens: 812, CompletionTokens: 64, TotalTokens: 876},
		Cost: 0.0002, Calls: 2, Chunks: 3, Cached: true, Duration: summarize.Millis(912400 * time.Microsecond),
		Violations: []string{"3 bullets, want 2"}, Leftovers: []string{"Sure!"}, Warnings: []string{"w"},
		Truncated: true, Raw: "- One\n- Two",
	}
	tests := []struct {
		name string
		sum  summarize.Summary
		err  error // a failed input
		want string
	}{
		{"every field", full, nil, `{"input":"a.txt","bullets":["One","Two"],"backend":"openai","model":"gpt-4o-mini",` +
			`"prompt":"headline@3f2a9c0d1b7e","usage":{"prompt_tokens":812,"completion_tokens":64,"total_tokens":876},` +
			`"cost_usd":0.0002,"calls":2,"chunks":3,"duration_ms":912.4,"violations":["3 bullets, want 2"],"warnings":["w"],` +
			`"truncated":true,"raw":"- One\n- Two"}`},
		{"offline", summarize.Summary{Source: "a.txt", Backend: "lead3", Duration: summarize.Millis(1500 * time.Microsecond)}, nil,
			`{"input":"a.txt","bullets":[],"backend":"lead3","duration_ms":1.5}`},
		{"no usage reported", summarize.Summary{Source: "-", Bullets: []string{"x"}, Backend: "openai", Calls: 1}, nil,
			`{"input":"-","bullets":["x"],"backend":"openai","calls":1,"duration_ms":0}`},
		{"failed input", summarize.Summary{}, errors.New("rate limited (HTTP 429) after 4 attempts"), ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			p := newPrinter(&b, "jsonl", false, false)
			if tt.err != nil {
				p.failure("b.txt", tt.err)
				tt.want = `{"input":"b.txt","bullets":[],"duration_ms":0,"error":"rate limited (HTTP 429) after 4 attempts"}`
			} else if err := p.result(tt.sum); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want+"\n", b.String()); diff != "" {
				t.Errorf("jsonl entry (-want +got):\n%s", diff)
			}
		})
	}
}

// json prints one indented object for one input and an array for several.
func TestPrinterJSON(t *testing.T) {
	one := summarize.Summary{Source: "a.txt", Bullets: []string{"One"}, Backend: "lead3"}
	var b strings.Builder
	p := newPrinter(&b, "json", false, false)
	if err := p.result(one); err != nil {
		t.Fatal(err)
	}
	if err := p.close(); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"input\": \"a.txt\",\n  \"bullets\": [\n    \"One\"\n  ],\n  \"backend\": \"lead3\",\n  \"duration_ms\": 0\n}\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("json, one input (-want +got):\n%s", diff)
	}

	b.Reset()
	p = newPrinter(&b, "json", true, false)
	_ = p.result(one)
	p.failure("b.txt", errors.New("no such file"))
	if err := p.close(); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.HasPrefix(got, "[\n  {\n    \"input\": \"a.txt\"") || !strings.Contains(got, `"error": "no such file"`) {
		t.Errorf("json, two inputs: want an array holding the failure's error, got\n%s", got)
	}
}
