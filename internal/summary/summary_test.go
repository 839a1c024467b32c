package summary

import (
	"encoding/json"
	"testing"
	"time"
)

func TestSummaryJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   Summary
		want string
	}{
		{"zero", Summary{}, `{"input":"","bullets":null,"duration_ms":0}`},
		{"milliseconds to the microsecond", Summary{Source: "a.txt", Bullets: []string{"One"}, Duration: Millis(912*time.Millisecond + 400*time.Microsecond + 999)},
			`{"input":"a.txt","bullets":["One"],"duration_ms":912.4}`},
		{"usage when reported", Summary{Source: "-", Bullets: []string{}, Usage: Usage{PromptTokens: 3, CompletionTokens: 2, TotalTokens: 5}, Cached: true, Leftovers: []string{"Sure!"}},
			`{"input":"-","bullets":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5},"duration_ms":0}`},
	} {
		got, err := json.Marshal(tt.in)
		if err != nil {
			t.Fatalf("%s: json.Marshal: %v", tt.name, err)
		}
		if string(got) != tt.want {
			t.Errorf("%s: json.Marshal(%+v) = %s, want %s", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestUsageAdd(t *testing.T) {
	u := Usage{PromptTokens: 3, CompletionTokens: 2, TotalTokens: 5}
	u.Add(Usage{PromptTokens: 10, CompletionTokens: 20, TotalTokens: 30})
	u.Add(Usage{})
	if want := (Usage{PromptTokens: 13, CompletionTokens: 22, TotalTokens: 35}); u != want {
		t.Errorf("Usage.Add: got %+v, want %+v", u, want)
	}
}
