package summarize

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
	"github.com/summarize-dev/summarize/internal/llm/openai"
	"github.com/summarize-dev/summarize/internal/models"
	"github.com/summarize-dev/summarize/internal/prompt"
)

func headline(t testing.TB) *prompt.Template {
	t.Helper()
	tm, err := prompt.Parse("h.tmpl", `{{define "system"}}S{{end}}{{define "user"}}{{.Bullets}} bullets: {{.Text}}{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// replies answers with each reply in turn and records the requests.
func replies(rs ...string) (llm.Backend, *[]llm.Request) {
	var got []llm.Request
	return llm.BackendFunc(func(ctx context.Context, req llm.Request) (llm.Response, error) {
		got = append(got, req)
		if len(got) > len(rs) {
			return llm.Response{}, errors.New("unexpected call")
		}
		return llm.Response{Content: rs[len(got)-1], Usage: llm.Usage{PromptTokens: 10, CompletionTokens: 5, TotalTokens: 15}}, nil
	}), &got
}

func newLLM(t *testing.T, b llm.Backend, strict bool) *LLM {
	return &LLM{Backend: b, Opts: Options{Model: "m", Template: headline(t), Bullets: 3, MaxWords: 12, Strict: strict, Temperature: 0, MaxTokens: 100}}
}

func TestSummarizeOK(t *testing.T) {
	b, reqs := replies("- One thing happened\n- Another thing followed\n- A third thing came")
	sum, err := newLLM(t, b, false).Summarize(context.Background(), Article{Source: "a.txt", Body: "Body."})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"One thing happened", "Another thing followed", "A third thing came"}, sum.Bullets); diff != "" {
		t.Errorf("bullets (-want +got):\n%s", diff)
	}
	if len(*reqs) != 1 || sum.Calls != 1 || sum.Usage.TotalTokens != 15 {
		t.Errorf("calls %d (requests %d), usage %+v: want 1 call of 15 tokens", sum.Calls, len(*reqs), sum.Usage)
	}
	r := (*reqs)[0]
	if r.Model != "m" || r.MaxTokens != 100 || len(r.Messages) != 2 || r.Messages[1].Content != "3 bullets: Body." {
		t.Errorf("request = %+v", r)
	}
	if sum.Prompt != "h@"+headline(t).Version || sum.Backend != "openai" {
		t.Errorf("prompt %q backend %q", sum.Prompt, sum.Backend)
	}
}

func TestSummarizeRepair(t *testing.T) {
	bad := "- One\n- One\n- Two is here now\n- Three is here now\n- Four is here now"
	good := "- One thing happened\n- Another thing followed\n- A third thing came"
	b, reqs := replies(bad, good)
	sum, err := newLLM(t, b, true).Summarize(context.Background(), Article{Body: "Body."})
	if err != nil {
		t.Fatalf("Summarize = %v, want the repaired bullets", err)
	}
	if sum.Calls != 2 || len(sum.Violations) != 0 || len(sum.Bullets) != 3 {
		t.Errorf("calls %d violations %v bullets %v", sum.Calls, sum.Violations, sum.Bullets)
	}
	rep := (*reqs)[1].Messages
	if len(rep) != 4 || rep[2].Role != llm.RoleAssistant || rep[2].Content != bad || !strings.Contains(rep[3].Content, "exactly 3 bullets") {
		t.Errorf("repair request = %+v", rep)
	}
	if sum.Usage.TotalTokens != 30 {
		t.Errorf("usage over both calls = %d, want 30", sum.Usage.TotalTokens)
	}
}

func TestSummarizeContractKept(t *testing.T) {
	bad := "- One thing happened today\n- Two things happened today"
	for _, strict := range []bool{false, true} {
		b, _ := replies(bad, bad)
		var warned []string
		s := newLLM(t, b, strict)
		s.Opts.Warn = func(m string) { warned = append(warned, m) }
		sum, err := s.Summarize(context.Background(), Article{Source: "x", Body: "Body."})
		if len(sum.Bullets) != 2 || len(sum.Violations) == 0 {
			t.Errorf("strict=%v: bullets %v violations %v", strict, sum.Bullets, sum.Violations)
		}
		if strict {
			if !errors.Is(err, ErrContract) {
				t.Errorf("strict: err = %v, want ErrContract", err)
			}
			continue
		}
		if err != nil || len(warned) != 1 || !strings.Contains(warned[0], "x: the bullets break the contract") {
			t.Errorf("lenient: err %v warnings %q", err, warned)
		}
	}
}

func TestSummarizeNoBullets(t *testing.T) {
	b, _ := replies("I cannot help with that.", "I am sorry, I still cannot do that.")
	s := newLLM(t, b, false)
	s.Opts.KeepRaw = true
	_, err := s.Summarize(context.Background(), Article{Body: "Body."})
	var re *ReplyError
	if !errors.Is(err, ErrNoBullets) || !errors.As(err, &re) || re.Raw == "" {
		t.Fatalf("err = %v, want ErrNoBullets with the raw reply", err)
	}
}

func TestSummarizeBackendError(t *testing.T) {
	b := llm.BackendFunc(func(ctx context.Context, req llm.Request) (llm.Response, error) {
		return llm.Response{}, &llm.Error{Kind: llm.ErrUnauthorized, Status: 401, Message: "bad key"}
	})
	_, err := newLLM(t, b, false).Summarize(context.Background(), Article{Body: "Body."})
	if !errors.Is(err, llm.ErrUnauthorized) {
		t.Errorf("err = %v, want ErrUnauthorized", err)
	}
}

// NewOverflow takes no strategy by default, and map-reduce needs its
// reduce prompt.
func TestNewOverflowOptions(t *testing.T) {
	b, _ := replies("- a b c\n- d e f\n- g h i")
	s := newLLM(t, b, false)
	for _, o := range []OverflowOptions{{}, {Strategy: "split"}, {Strategy: config.OverflowMapReduce}} {
		if _, err := NewOverflow(s, o); err == nil {
			t.Errorf("NewOverflow(%+v) = nil error, want one", o)
		}
	}
	o, err := NewOverflow(s, OverflowOptions{Strategy: config.OverflowError, Model: models.Model{ContextWindow: 8192}})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := o.Summarize(t.Context(), Article{Body: "A short body."})
	if err != nil || len(sum.Bullets) != 3 || sum.Calls != 1 || o.LLM() != s {
		t.Errorf("Overflow.Summarize of an article that fits = %+v, %v; want the LLM's 3 bullets in 1 call", sum, err)
	}
}

func TestLeadName(t *testing.T) {
	for n, want := range map[int]string{3: "lead3", 5: "lead5"} {
		sum, err := Lead{N: n}.Summarize(t.Context(), Article{Body: "One sentence here. Two sentences here. Three sentences here. Four sentences here. Five sentences here. Six."})
		if l := (Lead{N: n}); err != nil || sum.Backend != want || l.Name() != want {
			t.Errorf("Lead{N: %d}: backend %q, name %q, err %v; want %q", n, sum.Backend, l.Name(), err, want)
		}
	}
}

// A preamble the parser removed cleanly costs no repair request; it is kept
// in Leftovers for the eval's contract metric.
func TestSummarizePreambleNoRepair(t *testing.T) {
	b, reqs := replies("Sure! Here are the bullets:\n\n- One thing happened\n- Another thing followed\n- A third thing came\n\nLet me know if you need more.")
	sum, err := newLLM(t, b, true).Summarize(context.Background(), Article{Body: "Body."})
	if err != nil || len(*reqs) != 1 || len(sum.Violations) != 0 {
		t.Fatalf("Summarize = %v; %d requests, violations %v; want 1 request and none", err, len(*reqs), sum.Violations)
	}
	if len(sum.Leftovers) != 2 {
		t.Errorf("Leftovers = %q, want the preamble and the closing remark", sum.Leftovers)
	}
}

// fakeLLM is an LLM summarizer over the fake server through the real
// adapter, with its warnings recorded.
func fakeLLM(t *testing.T, model string, strict bool) (*LLM, *[]string) {
	t.Helper()
	srv := llmtest.NewServer(t)
	c, err := openai.New(openai.Options{BaseURL: srv.URL(), HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	s := newLLM(t, c, strict)
	s.Opts.Model = model
	s.Opts.Warn = func(w string) { warnings = append(warnings, w) }
	return s, &warnings
}

// A reply cut at max_tokens loses its cut bullet, with a warning naming
// llm.max_tokens, and the summary says it was truncated.
func TestSummarizeLength(t *testing.T) {
	s, warnings := fakeLLM(t, "fake-length", false)
	sum, err := s.Summarize(t.Context(), Article{Source: "a.txt", Body: "The council met on Tuesday to vote. It approved the budget after a long debate. Taxes will rise next year."})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"3 bullets: The council met on Tuesday to", "It approved the budget after a long debate"}, sum.Bullets); diff != "" {
		t.Errorf("bullets (-want +got):\n%s", diff)
	}
	w := strings.Join(*warnings, "\n")
	if !sum.Truncated || !strings.Contains(w, "a.txt: the reply was cut at the token limit (llm.max_tokens = 100): its last bullet, cut short, was dropped") ||
		!strings.Contains(w, "raise llm.max_tokens") {
		t.Errorf("Truncated %v, warnings %q: want the cut reported with llm.max_tokens", sum.Truncated, w)
	}
}

// A refusal and a filtered reply are errors in the provider's terms, not
// an empty reply.
func TestSummarizeRefusalAndFilter(t *testing.T) {
	tests := []struct {
		model string
		kind  error
		want  string
	}{
		{"fake-refusal", ErrRefused, "the model refused: I can't help with summarizing this article."},
		{"fake-content-filter", ErrFiltered, "the reply was filtered by the provider's content filter"},
	}
	for _, tt := range tests {
		s, _ := fakeLLM(t, tt.model, false)
		_, err := s.Summarize(t.Context(), Article{Source: "a.txt", Body: "Body."})
		if !errors.Is(err, tt.kind) || err.Error() != tt.want {
			t.Errorf("Summarize(%s) error = %v, want %q", tt.model, err, tt.want)
		}
	}
}

// An adapter's notice (a dropped temperature) reaches Warn once.
func TestSummarizeAdapterWarnings(t *testing.T) {
	b := llm.BackendFunc(func(ctx context.Context, req llm.Request) (llm.Response, error) {
		return llm.Response{Content: "- One thing happened\n- Another thing followed\n- A third thing came",
			Warnings: []string{"temperature 0 not sent: o3, a reasoning model, takes only its default temperature"}}, nil
	})
	var warnings []string
	s := newLLM(t, b, false)
	s.Opts.Warn = func(w string) { warnings = append(warnings, w) }
	for range 3 {
		if _, err := s.Summarize(t.Context(), Article{Body: "Body."}); err != nil {
			t.Fatal(err)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "temperature 0 not sent") {
		t.Errorf("warnings %q, want the notice once", warnings)
	}
}

// A repair request over the window is sent with the first reply's bullets
// only; when even that does not fit, the bullets are kept unrepaired with a
// warning that says why, or an error under strict.
func TestSummarizeRepairOverWindow(t *testing.T) {
	bullets := func(n, words int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "- Point %d %s\n", i, strings.Repeat("word ", words-2))
		}
		return b.String()
	}
	good := "- One thing happened\n- Another thing followed\n- A third thing came"
	think := "<think>\n" + strings.Repeat("Let me think about this article once more. ", 60) + "\n</think>\n"
	tests := []struct {
		name      string
		first     string
		strict    bool
		wantCalls int
		wantErr   error
		wantWarn  string
	}{
		{"shrunk to the bullets", think + bullets(5, 6), false, 2, nil, ""},
		{"too long even so", bullets(60, 10), false, 1, nil,
			"a.txt: the bullets were not repaired: the repair request ("},
		{"strict", bullets(60, 10), true, 1, ErrContract, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, reqs := replies(tt.first, good)
			var warnings []string
			s := newLLM(t, b, tt.strict)
			s.Opts.Warn = func(w string) { warnings = append(warnings, w) }
			o, err := NewOverflow(s, OverflowOptions{Strategy: config.OverflowError, Model: models.Model{Name: "m", ContextWindow: 600}})
			if err != nil {
				t.Fatal(err)
			}
			sum, err := o.Summarize(t.Context(), Article{Source: "a.txt", Body: "Body."})
			if len(*reqs) != tt.wantCalls {
				t.Errorf("%d requests, want %d", len(*reqs), tt.wantCalls)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), "not repaired: the repair request (") {
					t.Errorf("Summarize = %v, want %v saying why it was not repaired", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantCalls == 2 {
				rep := (*reqs)[1].Messages[2].Content
				if strings.Contains(rep, "<think>") || len(sum.Violations) != 0 {
					t.Errorf("repair sent %q, violations %v: want the bullets alone and a repaired summary", rep, sum.Violations)
				}
			}
			w := strings.Join(warnings, "\n")
			if tt.wantWarn != "" && (!strings.Contains(w, tt.wantWarn) || !strings.Contains(w, "over the 600-token window of m")) {
				t.Errorf("warnings %q, want %q ... over the window", w, tt.wantWarn)
			}
		})
	}
}

// A repair request that fails keeps the first bullets, and says so.
func TestSummarizeRepairFails(t *testing.T) {
	calls := 0
	b := llm.BackendFunc(func(ctx context.Context, req llm.Request) (llm.Response, error) {
		calls++
		if calls == 1 {
			return llm.Response{Content: "- One\n- Two is here now\n- Three is here now\n- Four is here now"}, nil
		}
		return llm.Response{}, &llm.Error{Kind: llm.ErrContextTooLong, Status: 400, Message: "too long"}
	})
	var warnings []string
	s := newLLM(t, b, false)
	s.Opts.Warn = func(w string) { warnings = append(warnings, w) }
	sum, err := s.Summarize(t.Context(), Article{Source: "a.txt", Body: "Body."})
	if err != nil || len(sum.Bullets) != 4 {
		t.Fatalf("Summarize = %v, %v; want the first bullets", sum.Bullets, err)
	}
	if w := strings.Join(warnings, "\n"); !strings.Contains(w, "a.txt: the bullets were not repaired: the repair request failed: input exceeds the model's context window (HTTP 400): too long") {
		t.Errorf("warnings %q: want the failed repair reported", w)
	}
}
