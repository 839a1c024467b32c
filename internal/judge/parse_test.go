package judge

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm"
)

func TestParseScore(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		at   int // byte offset of the digit; -1 = do not check
	}{
		{"4", 4, 0},
		{" 3\n", 3, 1},
		{"Score: 4", 4, 7},
		{"score:4", 4, 6},
		{"4/5", 4, 0},
		{"I'd give it a 4 out of 5.", 4, 14},
		{"**4**", 4, 2},
		{"**Score:** 2", 2, 11},
		{"Rating: 4.5", 4.5, 8},
		{"- Coherence: 3", 3, 13},
		{"Coherence (1-5): 5", 5, 17},
		{"On a scale of 1 to 5, I rate it 2.", 2, -1},
		{"The bullets cover 3 of the 4 key points.\n\nScore: 3", 3, -1},
		{"Score: 2\n\nOn reflection, Score: 4", 4, -1},
		{"<think>Maybe 2, maybe 3.</think>\nScore: 5", 5, -1},
		{"Fluency: 5/5", 5, -1},
		{"1", 1, 0},
		{"5.", 5, 0},
	}
	for _, tt := range tests {
		got, at, err := ParseScore(tt.in)
		if err != nil || got != tt.want || (tt.at >= 0 && at != tt.at) {
			t.Errorf("ParseScore(%q) = %v, %d, %v; want %v, %d", tt.in, got, at, err, tt.want, tt.at)
		}
		if err == nil && (at < 0 || at >= len(tt.in) || tt.in[at] < '0' || tt.in[at] > '9') {
			t.Errorf("ParseScore(%q) offset %d is not at a digit", tt.in, at)
		}
	}
}

func TestParseScoreErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "no score"},
		{"The summary is good.", "no score"},
		{"Score: 7", "not on the 1-5 scale"},
		{"Score: 0", "not on the 1-5 scale"},
		{"8/10", "not on the 1-5 scale"},
		{"Rating: 4.5/10", "not on the 1-5 scale"},
		{"6", "not on the 1-5 scale"},
		{"It is a 3, or maybe a 4.", "different numbers"},
	}
	for _, tt := range tests {
		got, _, err := ParseScore(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseScore(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.want)
		}
	}
	if _, _, err := ParseScore("nothing"); !errors.Is(err, ErrNoScore) {
		t.Errorf("ParseScore(%q) error = %v, want ErrNoScore", "nothing", err)
	}
}

func top(pairs ...any) []llm.Logprob {
	var out []llm.Logprob
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, llm.Logprob{Token: pairs[i].(string), Logprob: math.Log(pairs[i+1].(float64))})
	}
	return out
}

func TestWeighted(t *testing.T) {
	tokens := []llm.TokenLogprob{
		{Token: "Score"}, {Token: ":"}, {Token: " "},
		{Token: "4", Top: top("4", 0.6, "5", 0.4)},
	}
	tests := []struct {
		name   string
		reply  string
		tokens []llm.TokenLogprob
		at     int
		want   float64
		ok     bool
	}{
		{"4:0.6 5:0.4", "Score: 4", tokens, 7, 4.4, true},
		{"renormalised over the score tokens", "4", []llm.TokenLogprob{{Token: "4", Top: top("4", 0.3, "3", 0.3, "The", 0.4)}}, 0, 3.5, true},
		{"leading space in tokens", " 2", []llm.TokenLogprob{{Token: " 2", Top: top(" 2", 0.5, " 1", 0.5)}}, 1, 1.5, true},
		{"tokens that do not spell the reply", "Score: 4", []llm.TokenLogprob{{Token: "Score:"}, {Token: "4", Top: top("4", 0.5, "5", 0.5)}}, 7, 4.5, true},
		{"no top logprobs", "Score: 4", []llm.TokenLogprob{{Token: "Score: "}, {Token: "4"}}, 7, 0, false},
		{"no logprobs", "4", nil, 0, 0, false},
		{"score token is not a lone digit", "45", []llm.TokenLogprob{{Token: "45", Top: top("45", 1.0)}}, 0, 0, false},
		{"only other tokens on top", "4", []llm.TokenLogprob{{Token: "4", Top: top("four", 1.0, "6", 0.1)}}, 0, 0, false},
	}
	for _, tt := range tests {
		got, ok := Weighted(tt.reply, tt.tokens, tt.at)
		if ok != tt.ok || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: Weighted(%q, ..., %d) = %v, %v; want %v, %v", tt.name, tt.reply, tt.at, got, ok, tt.want, tt.ok)
		}
	}
}
