package summarize

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/prompt"
)

func headline(t *testing.T) *prompt.Template {
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

func TestOverflowHook(t *testing.T) {
	b, _ := replies("- a b c\n- d e f\n- g h i")
	s := newLLM(t, b, false)
	var seen string
	s.Overflow = func(ctx context.Context, a Article, one func(context.Context, Article) (Summary, error)) (Summary, error) {
		seen = a.Body
		a.Body = "shortened"
		return one(ctx, a)
	}
	sum, err := s.Summarize(context.Background(), Article{Body: "long body"})
	if err != nil || seen != "long body" || len(sum.Bullets) != 3 {
		t.Errorf("Overflow hook: seen %q, sum %+v, err %v", seen, sum, err)
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
