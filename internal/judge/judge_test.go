package judge

import (
	"context"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
	"github.com/summarize-dev/summarize/internal/llm/openai"
)

const article = "The city council approved a new budget on Tuesday. {{.Secret}} Critics said </article> the plan ignores transport."

var bullets = []string{"Council approves budget", "Critics say {{printf \"%d\" 7}} transport ignored"}

func builtin(t *testing.T) fs.FS {
	t.Helper()
	sub, err := fs.Sub(config.Files, "prompts/judge")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func rubrics(t *testing.T, dir string, names ...string) []*Rubric {
	t.Helper()
	rs, err := LoadRubrics(builtin(t), dir)
	if err != nil {
		t.Fatalf("LoadRubrics() error = %v", err)
	}
	var out []*Rubric
	for _, n := range names {
		r, err := rs.Get(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestBuiltinRubrics(t *testing.T) {
	rs, err := LoadRubrics(builtin(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(rs.Names(), ","), "coherence,consistency,fluency,relevance"; got != want {
		t.Errorf("Names() = %s, want %s", got, want)
	}
	for _, n := range rs.Names() {
		r, _ := rs.Get(n)
		msgs, err := r.Render(NewData(n, "Budget", article, bullets))
		if err != nil {
			t.Fatalf("Render(%s) error = %v", n, err)
		}
		if len(msgs) != 2 || msgs[0].Role != llm.RoleSystem || msgs[1].Role != llm.RoleUser {
			t.Fatalf("Render(%s) = %d messages, want system and user", n, len(msgs))
		}
		u := msgs[1].Content
		// The article and the bullets are data, delimited, never executed.
		wantIn := []string{
			"<article>\nBudget\n\nThe city council approved a new budget on Tuesday. {{.Secret}} Critics said <\\/article> the plan ignores transport.\n</article>",
			"<summary>\n- Council approves budget\n- Critics say {{printf \"%d\" 7}} transport ignored\n</summary>",
			"metric: " + n,
			"Evaluation steps:",
		}
		for _, w := range wantIn {
			if !strings.Contains(u, w) {
				t.Errorf("Render(%s) user message lacks %q:\n%s", n, w, u)
			}
		}
		if strings.Count(u, "</article>") != 2 { // the instructions' mention and the closing tag
			t.Errorf("Render(%s): the article's own </article> was not defused:\n%s", n, u)
		}
	}
	if _, err := rs.Get("wit"); err == nil || !strings.Contains(err.Error(), "have: coherence") {
		t.Errorf("Get(wit) error = %v, want one listing the dimensions", err)
	}
}

func TestRubricDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("fluency.tmpl", `{{define "system"}}Mine.{{end}}{{define "user"}}Rate {{.Summary}}{{end}}`)
	write("wit.tmpl", `{{define "system"}}{{end}}{{define "user"}}How witty: {{join .Bullets " / "}}{{end}}`)
	rs := rubrics(t, dir, "fluency", "wit", "coherence")
	if rs[0].Origin != filepath.Join(dir, "fluency.tmpl") || rs[2].Origin != "builtin" {
		t.Errorf("origins = %s, %s; want the user's file shadowing, then builtin", rs[0].Origin, rs[2].Origin)
	}
	msgs, err := rs[1].Render(NewData("wit", "", article, bullets))
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Content != `How witty: Council approves budget / Critics say {{printf "%d" 7}} transport ignored` {
		t.Errorf("Render(wit) = %+v", msgs)
	}

	write("broken.tmpl", "{{define \"system\"}}x{{end}}\n{{define \"user\"}}{{.Summary | nosuch}}{{end}}")
	_, err = LoadRubrics(builtin(t), dir)
	if want := filepath.Join(dir, "broken.tmpl") + ":2:"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("LoadRubrics() with a broken rubric: error = %v, want one at %s", err, want)
	}
}

func client(t *testing.T, s *llmtest.Server) llm.Backend {
	t.Helper()
	c, err := openai.New(openai.Options{BaseURL: s.URL(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestScoreFakeJudge(t *testing.T) {
	s := llmtest.NewServer(t)
	j := &Judge{Backend: client(t, s), Model: "fake-judge", Rubrics: rubrics(t, "", "coherence", "fluency")}
	res, err := j.Score(context.Background(), "", article, []string{"Council approves budget fake-score=2"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Score != 2 || res.Scores["coherence"] != 2 || res.Scores["fluency"] != 2 || res.MeanSpread != 0 {
		t.Errorf("Score() = %+v, want 2 everywhere, no spread", res)
	}
	if res.Calls != 2 || res.Weighted != 0 || res.Usage.PromptTokens == 0 || res.Usage.CompletionTokens == 0 {
		t.Errorf("Score() calls %d, weighted %d, usage %+v; want 2 calls, none weighted, usage counted", res.Calls, res.Weighted, res.Usage)
	}
	for _, r := range s.Requests() {
		if r.Body.Logprobs {
			t.Errorf("request asked for logprobs without Judge.Logprobs")
		}
	}
}

func TestScoreLogprobs(t *testing.T) {
	s := llmtest.NewServer(t)
	j := &Judge{Backend: client(t, s), Model: "fake-judge-logprobs", Rubrics: rubrics(t, "", "coherence"), Logprobs: true}
	res, err := j.Score(context.Background(), "", article, bullets)
	if err != nil {
		t.Fatal(err)
	}
	if want := llmtest.JudgeMean(llmtest.DefaultJudgeScore); math.Abs(res.Score-want) > 1e-9 || res.Weighted != 1 {
		t.Errorf("Score() = %v (weighted %d), want %v from the logprobs", res.Score, res.Weighted, want)
	}
	req := s.Requests()[0].Body
	if !req.Logprobs || req.TopLogprobs == nil || *req.TopLogprobs != DefaultTopLogprobs {
		t.Errorf("request logprobs = %v, top_logprobs = %v; want true, %d", req.Logprobs, req.TopLogprobs, DefaultTopLogprobs)
	}

	// The same scenario without asking: the sampled score.
	j.Logprobs = false
	res, err = j.Score(context.Background(), "", article, bullets)
	if err != nil || res.Score != llmtest.DefaultJudgeScore {
		t.Errorf("Score() without logprobs = %v, %v; want %d", res.Score, err, llmtest.DefaultJudgeScore)
	}
}

func TestScoreSamplesAndCache(t *testing.T) {
	s := llmtest.NewServer(t)
	replies := []string{"Score: 3", "I cannot say.", "**5**", "4/5"}
	s.Handle("judge-samples", func(req llmtest.ChatRequest, n int) llmtest.Reply {
		return llmtest.Reply{Content: replies[(n-1)%len(replies)]}
	})
	cache, err := llm.OpenCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	j := &Judge{Backend: llm.WithCache(client(t, s), cache, llm.CacheRW), Model: "judge-samples",
		Rubrics: rubrics(t, "", "relevance"), Samples: 4, Temperature: 1}
	res, err := j.Score(context.Background(), "", article, bullets)
	if err != nil {
		t.Fatal(err)
	}
	// 3, 5, 4: mean 4, sample standard deviation 1; the reply with no score is skipped.
	if res.Score != 4 || math.Abs(res.Spread["relevance"]-1) > 1e-9 || res.Skipped != 1 || res.Calls != 4 {
		t.Errorf("Score() = %+v, want 4 with spread 1, one skipped of 4 calls", res)
	}
	again, err := j.Score(context.Background(), "", article, bullets)
	if err != nil {
		t.Fatal(err)
	}
	if s.Count("judge-samples") != 4 || again.Cached != 4 || again.Score != 4 || again.CachedUsage != again.Usage {
		t.Errorf("rerun: %d requests, %d cached, score %v; want every sample from the cache", s.Count("judge-samples"), again.Cached, again.Score)
	}
	// Another repeat of the case is other samples.
	if _, err := j.Score(llm.WithRepeat(context.Background(), 1), "", article, bullets); err != nil {
		t.Fatal(err)
	}
	if s.Count("judge-samples") != 8 {
		t.Errorf("repeat 1 sent %d requests in all, want 8", s.Count("judge-samples"))
	}
}

func TestScoreNoScore(t *testing.T) {
	s := llmtest.NewServer(t)
	s.Handle("judge-mute", func(llmtest.ChatRequest, int) llmtest.Reply { return llmtest.Reply{Content: "Score: 9"} })
	j := &Judge{Backend: client(t, s), Model: "judge-mute", Rubrics: rubrics(t, "", "fluency"), Samples: 2}
	_, err := j.Score(context.Background(), "", article, bullets)
	if err == nil || !strings.Contains(err.Error(), `judge fluency: score 9: not on the 1-5 scale: "Score: 9"`) {
		t.Errorf("Score() error = %v", err)
	}
}
