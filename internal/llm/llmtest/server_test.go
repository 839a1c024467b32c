package llmtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const article = "The city council approved a new budget on Tuesday, raising school spending by 4%. " +
	"Critics said the plan ignores transport! Will taxes rise? The mayor said no. A fifth sentence."

type reply struct {
	status int
	header http.Header
	body   []byte
}

func post(t *testing.T, url string, header http.Header, body any) reply {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, rb}
}

func chatBody(model, user string) map[string]any {
	return map[string]any{"model": model, "messages": []map[string]string{
		{"role": "system", "content": "You are terse."}, {"role": "user", "content": user}}}
}

func content(t *testing.T, r reply) string {
	t.Helper()
	var c completion
	if err := json.Unmarshal(r.body, &c); err != nil {
		t.Fatalf("decode completion %q: %v", r.body, err)
	}
	if len(c.Choices) != 1 || c.Choices[0].Message == nil {
		t.Fatalf("completion %s: want one choice with a message", r.body)
	}
	return c.Choices[0].Message.Content
}

func apiError(t *testing.T, r reply) APIError {
	t.Helper()
	var e struct{ Error *APIError }
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error == nil {
		t.Fatalf("decode error body %q: %v", r.body, err)
	}
	return *e.Error
}

func TestBullets(t *testing.T) {
	tests := []struct {
		text string
		n    int
		want []string
	}{
		{article, 3, []string{
			"The city council approved a new budget on",
			"Critics said the plan ignores transport",
			"Will taxes rise",
		}},
		{article, 5, []string{
			"The city council approved a new budget on",
			"Critics said the plan ignores transport",
			"Will taxes rise", "The mayor said no", "A fifth sentence",
		}},
		{"One line without a stop", 3, []string{"One line without a stop"}},
		{"Para one here\n\nPara two here.", 3, []string{"Para one here", "Para two here"}},
		{"  \n ", 3, []string{"No content."}},
		{"Share\n\n|\n\nThe U.S. said no today. Then it left the room.", 3, []string{"The U.S. said no today", "Then it left the room"}},
		{`He said "stop now." Then he left quickly.`, 3, []string{`He said "stop now."`, "Then he left quickly"}},
		{"“We are totally committed,” Rutte said. Next one is here!", 3, []string{"“We are totally committed,” Rutte said", "Next one is here"}},
		{"- A listed sentence here.\n- Another listed one.", 3, []string{"A listed sentence here", "Another listed one"}},
		{"Ready... set go now. Done?", 3, []string{"set go now"}},
	}
	for _, tt := range tests {
		if got := Bullets(tt.text, tt.n); !cmp.Equal(got, tt.want) {
			t.Errorf("Bullets(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
		}
	}
}

func TestWantBulletsAndArticleText(t *testing.T) {
	line := "fake-request: task=headline bullets=4 max_words=20\nTitle: T\nfake-text:\nFirst. Second."
	req := ChatRequest{Messages: []ChatMessage{{Role: "system", Content: "fake system prompt"}, {Role: "user", Content: line}}}
	if got := WantBullets(req); got != 4 {
		t.Errorf("WantBullets(%q) = %d, want 4", line, got)
	}
	if got := articleText(req); got != "First. Second." {
		t.Errorf("articleText(%q) = %q, want %q", line, got, "First. Second.")
	}
	// A follow-up turn still summarizes the article and keeps the count.
	req.Messages = append(req.Messages, ChatMessage{Role: "assistant", Content: "- x"}, ChatMessage{Role: "user", Content: "Your reply broke these rules: 1 bullet."})
	if got := articleText(req); got != "First. Second." {
		t.Errorf("articleText(follow-up) = %q, want %q", got, "First. Second.")
	}
	if got := WantBullets(req); got != 4 {
		t.Errorf("WantBullets(follow-up) = %d, want 4", got)
	}
	// Other prompts' wording is not read: "exactly 4" and "Article:" are
	// words like any other.
	worded := "Summarize the article below in exactly 4 headline bullets, in English.\n\nArticle:\nFirst. Second."
	plain := ChatRequest{Messages: []ChatMessage{{Role: "user", Content: worded}, {Role: "assistant"}, {Role: "user", Content: "Again please."}}}
	if got := WantBullets(plain); got != DefaultBullets {
		t.Errorf("WantBullets(%q) = %d, want DefaultBullets", worded, got)
	}
	if got := articleText(plain); got != worded {
		t.Errorf("articleText(no request line) = %q, want the first user message", got)
	}
	if got := WantBullets(ChatRequest{}); got != DefaultBullets {
		t.Errorf("WantBullets(empty) = %d, want DefaultBullets", got)
	}
}

func TestScenarios(t *testing.T) {
	s := NewServer(t)
	bullets := "- The city council approved a new budget on\n- Critics said the plan ignores transport\n- Will taxes rise"
	tests := []struct {
		model      string
		status     int
		code       any    // error code, for error replies
		content    string // for 200 replies, when not empty
		contains   string // substring of the body
		retryAfter bool
	}{
		{model: "fake-ok", status: 200, content: bullets},
		{model: "fake-401", status: 401, code: nil},
		{model: "fake-403", status: 403},
		{model: "fake-404", status: 404, code: "model_not_found", contains: "does not exist"},
		{model: "no-such-model", status: 404, code: "model_not_found"},
		{model: "fake-429-always", status: 429, code: "rate_limit_exceeded", retryAfter: true},
		{model: "fake-quota", status: 429, code: "insufficient_quota"},
		{model: "fake-503-always", status: 503, contains: "overloaded"},
		{model: "fake-502-html", status: 502, contains: "<html>"},
		{model: "fake-garbage", status: 200, contains: "not JSON"},
		{model: "fake-context-length", status: 400, code: "context_length_exceeded", contains: "maximum context length is 4096 tokens"},
		{model: "fake-prose", status: 200, content: "Sure! Here are the bullets:\n\n" + bullets + "\n\nLet me know if you would like a different tone or length!"},
		{model: "fake-numbered", status: 200, content: "1. The city council approved a new budget on\n2. Critics said the plan ignores transport\n3. Will taxes rise"},
		{model: "fake-json", status: 200, content: "```json\n{\"bullets\": [\"The city council approved a new budget on\", \"Critics said the plan ignores transport\", \"Will taxes rise\"]}\n```"},
		{model: "fake-think", status: 200, contains: "</think>"},
		{model: "fake-nobullets", status: 200, content: "I'm sorry, but I can't help with summarizing this article."},
		{model: "fake-notcompletion", status: 200, contains: `{"object":"list","data":[]}`},
		{model: "fake-length", status: 200, contains: `"content":"- The city council approved a new budget on\n- Critics said the plan ignores transport\n- Will taxes"},"finish_reason":"length"`},
		{model: "fake-refusal", status: 200, contains: `"message":{"role":"assistant","content":null,"refusal":"I can't help with summarizing this article."}`},
		{model: "fake-content-filter", status: 200, contains: `"content":""},"finish_reason":"content_filter"`},
		{model: "fake-ctx-llamacpp", status: 200, content: bullets},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			r := post(t, s.URL()+"/chat/completions", nil, chatBody(tt.model, article))
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (body %s)", r.status, tt.status, r.body)
			}
			if tt.contains != "" && !bytes.Contains(r.body, []byte(tt.contains)) {
				t.Errorf("body %s: want it to contain %q", r.body, tt.contains)
			}
			if tt.content != "" {
				if got := content(t, r); got != tt.content {
					t.Errorf("content = %q, want %q", got, tt.content)
				}
			}
			if tt.status >= 400 && tt.status != 502 {
				if e := apiError(t, r); tt.code != nil && e.Code != tt.code {
					t.Errorf("error code = %v, want %v", e.Code, tt.code)
				}
			}
			if got := r.header.Get("Retry-After") != ""; got != tt.retryAfter {
				t.Errorf("Retry-After present = %v, want %v", got, tt.retryAfter)
			}
		})
	}
}

func TestThenOkScenarios(t *testing.T) {
	s := NewServer(t)
	for _, model := range []string{"fake-429-then-ok", "fake-429-date", "fake-500-then-ok"} {
		first := post(t, s.URL()+"/chat/completions", nil, chatBody(model, article))
		second := post(t, s.URL()+"/chat/completions", nil, chatBody(model, article))
		if first.status < 400 || second.status != 200 {
			t.Errorf("%s: statuses %d, %d; want an error then 200", model, first.status, second.status)
		}
		if got := s.Count(model); got != 2 {
			t.Errorf("Count(%s) = %d, want 2", model, got)
		}
	}
	// A tag starts a fresh counter for the same scenario.
	if r := post(t, s.URL()+"/chat/completions", nil, chatBody("fake-500-then-ok:again", article)); r.status != 500 {
		t.Errorf("fake-500-then-ok:again first status = %d, want 500", r.status)
	}
	if got := s.Count("fake-500-then-ok:again"); got != 1 {
		t.Errorf("Count(fake-500-then-ok:again) = %d, want 1", got)
	}
	// The HTTP-date form is a date in the near future.
	s2 := NewServer(t)
	r := post(t, s2.URL()+"/chat/completions", nil, chatBody("fake-429-date", article))
	when, err := http.ParseTime(r.header.Get("Retry-After"))
	if d := time.Until(when); err != nil || d < 0 || d > 3*time.Second {
		t.Errorf("fake-429-date Retry-After = %q (%v): want an HTTP-date within 3s", r.header.Get("Retry-After"), err)
	}
	// Counters are per server.
	if got := NewServer(t).Count("fake-429-date"); got != 0 {
		t.Errorf("Count on a new server = %d, want 0", got)
	}
}

func TestBadContract(t *testing.T) {
	s := NewServer(t)
	first := strings.Split(content(t, post(t, s.URL()+"/chat/completions", nil, chatBody("fake-badcontract", article))), "\n")
	if len(first) != 6 {
		t.Errorf("first reply has %d bullets, want 6: %q", len(first), first)
	}
	seen := map[string]bool{}
	dup := 0
	for _, b := range first {
		if seen[b] {
			dup++
		}
		seen[b] = true
	}
	if dup != 1 {
		t.Errorf("first reply has %d duplicates, want 1: %q", dup, first)
	}
	prompt := "fake-request: task=headline bullets=4 max_words=20\nfake-text:\n" + article
	second := strings.Split(content(t, post(t, s.URL()+"/chat/completions", nil, chatBody("fake-badcontract", prompt))), "\n")
	if len(second) != 4 {
		t.Errorf("second reply has %d bullets, want 4: %q", len(second), second)
	}
}

func TestEmpty(t *testing.T) {
	s := NewServer(t)
	r := post(t, s.URL()+"/chat/completions", nil, chatBody("fake-empty", article))
	var c completion
	if err := json.Unmarshal(r.body, &c); err != nil || r.status != 200 || len(c.Choices) != 0 {
		t.Errorf("fake-empty = %d %s (%v), want 200 with no choices", r.status, r.body, err)
	}
}

func TestDropAndSlow(t *testing.T) {
	s := NewServer(t)
	body, _ := json.Marshal(chatBody("fake-drop", article))
	if _, err := http.Post(s.URL()+"/chat/completions", "application/json", bytes.NewReader(body)); err == nil {
		t.Errorf("fake-drop: POST succeeded, want a transport error")
	}
	body, _ = json.Marshal(chatBody("fake-slow", article))
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/chat/completions", bytes.NewReader(body))
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Errorf("fake-slow: POST succeeded, want a timeout")
	}
	// The server must close promptly although a slow reply is pending: the
	// test would hang otherwise.
	s.Close()
}

func TestRecordsRequests(t *testing.T) {
	s := NewServer(t)
	body := chatBody("fake-ok", article)
	body["temperature"] = 0
	body["max_tokens"] = 100
	post(t, s.URL()+"/chat/completions", http.Header{"X-Test": {"yes"}}, body)
	reqs := s.Requests()
	if len(reqs) != 1 {
		t.Fatalf("Requests() has %d entries, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Path != "/v1/chat/completions" || r.Header.Get("X-Test") != "yes" || r.Body.Model != "fake-ok" {
		t.Errorf("recorded %+v: want path, header and model", r)
	}
	if r.Body.Temperature == nil || *r.Body.Temperature != 0 || r.Body.MaxTokens == nil || *r.Body.MaxTokens != 100 || r.Body.Seed != nil {
		t.Errorf("recorded body %+v: want temperature 0, max_tokens 100, no seed", r.Body)
	}
	if diff := cmp.Diff([]ChatMessage{{"system", "You are terse."}, {"user", article}}, r.Body.Messages); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestContentParts(t *testing.T) {
	var m ChatMessage
	err := json.Unmarshal([]byte(`{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url"},{"type":"text","text":"b"}]}`), &m)
	if err != nil || m.Content != "a\nb" {
		t.Errorf("decode parts = %+v, %v; want content a\\nb", m, err)
	}
}

func TestAPIKey(t *testing.T) {
	s := NewServer(t, WithAPIKey("sk-right"))
	tests := []struct {
		header http.Header
		path   string
		want   int
	}{
		{http.Header{"Authorization": {"Bearer sk-right"}}, "/v1/chat/completions", 200},
		{http.Header{"Authorization": {"Bearer sk-wrong"}}, "/v1/chat/completions", 401},
		{nil, "/v1/chat/completions", 401},
		{http.Header{"Api-Key": {"sk-right"}}, "/v1/chat/completions", 401},
		{http.Header{"Api-Key": {"sk-right"}}, "/openai/deployments/fake-ok/chat/completions?api-version=2024-06-01", 200},
		{http.Header{"Api-Key": {"sk-wrong"}}, "/openai/deployments/fake-ok/chat/completions?api-version=2024-06-01", 401},
	}
	for _, tt := range tests {
		r := post(t, s.AzureURL()+tt.path, tt.header, chatBody("fake-ok", article))
		if r.status != tt.want {
			t.Errorf("POST %s with %v: status %d, want %d", tt.path, tt.header, r.status, tt.want)
		}
	}
	r := post(t, s.URL()+"/chat/completions", http.Header{"Authorization": {"Bearer sk-wrong"}}, chatBody("fake-ok", article))
	if e := apiError(t, r); e.Code != "invalid_api_key" {
		t.Errorf("wrong key: code %v, want invalid_api_key", e.Code)
	}
}

func TestAzure(t *testing.T) {
	s := NewServer(t)
	// The deployment picks the scenario, whatever the body's model says.
	r := post(t, s.AzureURL()+"/openai/deployments/fake-numbered/chat/completions?api-version=2024-06-01", nil, chatBody("gpt-4o", article))
	if r.status != 200 || !strings.HasPrefix(content(t, r), "1. ") {
		t.Errorf("azure fake-numbered = %d %s, want numbered bullets", r.status, r.body)
	}
	got := s.Requests()[0]
	if got.Deployment != "fake-numbered" || got.Query.Get("api-version") != "2024-06-01" {
		t.Errorf("recorded deployment %q, api-version %q", got.Deployment, got.Query.Get("api-version"))
	}
	if r := post(t, s.AzureURL()+"/openai/deployments/fake-ok/chat/completions", nil, chatBody("x", article)); r.status != 404 {
		t.Errorf("azure without api-version: status %d, want 404", r.status)
	}
}

func TestContextWindow(t *testing.T) {
	s := NewServer(t)
	s.ContextWindow("fake-ok", 20)
	small := post(t, s.URL()+"/chat/completions", nil, chatBody("fake-ok", "Short."))
	big := post(t, s.URL()+"/chat/completions", nil, chatBody("fake-ok", article))
	if small.status != 200 || big.status != 400 {
		t.Fatalf("statuses %d, %d; want 200, 400", small.status, big.status)
	}
	e := apiError(t, big)
	n := CountTokens([]ChatMessage{{"system", "You are terse."}, {"user", article}})
	want := "This model's maximum context length is 20 tokens. However, your messages resulted in " +
		strconv.Itoa(n) + " tokens. Please reduce the length of the messages."
	if e.Code != "context_length_exceeded" || e.Message != want || e.Type != "invalid_request_error" || e.Param == nil || *e.Param != "messages" {
		t.Errorf("error = %+v, want code context_length_exceeded, message %q", e, want)
	}
	s.ContextWindow("fake-ok", 0)
	if r := post(t, s.URL()+"/chat/completions", nil, chatBody("fake-ok", article)); r.status != 200 {
		t.Errorf("after removing the window: status %d, want 200", r.status)
	}
}

func TestHandle(t *testing.T) {
	s := NewServer(t)
	s.Handle("my-model", func(req ChatRequest, n int) Reply {
		return Reply{Content: req.LastUser() + " #" + strconv.Itoa(n), FinishReason: "length"}
	})
	s.Handle("fake-ok", func(ChatRequest, int) Reply { return Error(418, "teapot", nil, "overridden") })
	for i := 1; i <= 2; i++ {
		r := post(t, s.URL()+"/chat/completions", nil, chatBody("my-model", "hi"))
		if got, want := content(t, r), "hi #"+strconv.Itoa(i); got != want {
			t.Errorf("custom reply %d = %q, want %q", i, got, want)
		}
	}
	if r := post(t, s.URL()+"/chat/completions", nil, chatBody("fake-ok", "hi")); r.status != 418 {
		t.Errorf("overridden fake-ok status = %d, want 418", r.status)
	}
}

// The project does not stream: a stream request is refused, not answered
// as if it had been a plain one.
func TestStreamRefused(t *testing.T) {
	s := NewServer(t)
	body := chatBody("fake-ok", article)
	body["stream"] = true
	r := post(t, s.URL()+"/chat/completions", nil, body)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "streaming is not supported") {
		t.Errorf("stream request: status %d, body %s; want 400 saying streaming is not supported", r.status, r.body)
	}
}

func TestModels(t *testing.T) {
	s := NewServer(t)
	s.Handle("custom-1", func(ChatRequest, int) Reply { return Reply{} })
	resp, err := http.Get(s.URL() + "/models")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list modelList
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range list.Data {
		ids[m.ID] = true
	}
	if list.Object != "list" || !ids["fake-ok"] || !ids["custom-1"] || !ids["fake-slow"] || len(ids) != len(Scenarios())+1 {
		t.Errorf("models = %+v: want every scenario and custom-1", list)
	}
}

func TestCut(t *testing.T) {
	s := NewServer(t)
	for _, model := range []string{"fake-cut", "fake-cut-then-ok"} {
		b, _ := json.Marshal(chatBody(model, article))
		resp, err := http.Post(s.URL()+"/chat/completions", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: POST error = %v, want the headers", model, err)
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: status %d, body read error %v; want 200 and io.ErrUnexpectedEOF", model, resp.StatusCode, err)
		}
	}
	if r := post(t, s.URL()+"/chat/completions", nil, chatBody("fake-cut-then-ok", article)); r.status != 200 || content(t, r) == "" {
		t.Errorf("fake-cut-then-ok second reply: status %d, body %s; want the bullets", r.status, r.body)
	}
}

// The local-server scenarios answer within LocalContextWindow and reject
// longer requests with their server's own body.
func TestLocalContextScenarios(t *testing.T) {
	s := NewServer(t)
	long := strings.Repeat("The council met again on Tuesday to argue. ", 120) // about 1300 tokens
	tests := []struct{ model, want string }{
		{"fake-ctx-llamacpp", `"type":"exceed_context_size_error","n_prompt_tokens":`},
		{"fake-ctx-llamacpp", `exceeds the available context size (1024 tokens)`},
		{"fake-ctx-ollama", `{"error":"request (`},
		{"fake-ctx-vllm", `{"object":"error","message":"This model's maximum context length is 1024 tokens. However, you requested`},
	}
	for _, tt := range tests {
		r := post(t, s.URL()+"/chat/completions", nil, chatBody(tt.model, long))
		if r.status != 400 || !bytes.Contains(r.body, []byte(tt.want)) {
			t.Errorf("%s: status %d, body %s; want 400 containing %s", tt.model, r.status, r.body, tt.want)
		}
		if r := post(t, s.URL()+"/chat/completions", nil, chatBody(tt.model, article)); r.status != 200 {
			t.Errorf("%s short article: status %d, want 200", tt.model, r.status)
		}
	}
}
