package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
)

const article = "The city council approved a new budget on Tuesday, raising school spending by 4%. " +
	"Critics said the plan ignores transport. Will taxes rise? The mayor said no."

var okBullets = "- The city council approved a new budget on\n- Critics said the plan ignores transport\n- Will taxes rise"

func request(model string) llm.Request {
	return llm.Request{Model: model, Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: "You are a news editor."},
		{Role: llm.RoleUser, Content: article},
	}}
}

func newClient(t testing.TB, o Options) *Client {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatalf("New(%+v) error = %v", o, err)
	}
	return c
}

func TestCompleteScenarios(t *testing.T) {
	s := llmtest.NewServer(t)
	c := newClient(t, Options{BaseURL: s.URL(), APIKey: "sk-test", Timeout: 5 * time.Second})
	tests := []struct {
		model      string
		kind       error // nil: success
		status     int
		content    string // on success, when not empty
		contains   string // substring of the content or the error
		retryAfter time.Duration
	}{
		{model: "fake-ok", content: okBullets},
		{model: "fake-prose", contains: "Sure! Here are the bullets:\n\n- The city council"},
		{model: "fake-numbered", contains: "1. The city council approved"},
		{model: "fake-json", contains: "```json\n{\"bullets\": [\"The city council"},
		{model: "fake-think", contains: "</think>\n\n- The city council"},
		{model: "fake-nobullets", content: "I'm sorry, but I can't help with summarizing this article."},
		{model: "fake-401", kind: llm.ErrUnauthorized, status: 401, contains: "unauthorized (HTTP 401): Incorrect API key provided"},
		{model: "fake-403", kind: llm.ErrForbidden, status: 403, contains: "forbidden (HTTP 403): You are not allowed"},
		{model: "fake-404", kind: llm.ErrNotFound, status: 404, contains: "model not found (HTTP 404): The model `fake-404` does not exist"},
		{model: "gpt-nonexistent", kind: llm.ErrNotFound, status: 404},
		{model: "fake-429-always", kind: llm.ErrRateLimited, status: 429, retryAfter: time.Second, contains: "rate limited (HTTP 429): Rate limit reached"},
		{model: "fake-quota", kind: llm.ErrQuotaExceeded, status: 429, contains: "check your plan and billing"},
		{model: "fake-503-always", kind: llm.ErrUnavailable, status: 503, contains: "overloaded"},
		{model: "fake-502-html", kind: llm.ErrUnavailable, status: 502, contains: "backend unavailable (HTTP 502): 502 Bad Gateway"},
		{model: "fake-garbage", kind: llm.ErrInvalidResponse, contains: "not a chat completion"},
		{model: "fake-empty", kind: llm.ErrInvalidResponse, status: 200, contains: "no choices"},
		{model: "fake-context-length", kind: llm.ErrContextTooLong, status: 400, contains: "maximum context length is 4096 tokens"},
		{model: "fake-ctx-llamacpp", kind: llm.ErrContextTooLong, status: 400, contains: "exceeds the available context size (1024 tokens)"},
		{model: "fake-ctx-ollama", kind: llm.ErrContextTooLong, status: 400, contains: "exceeds the available context size (1024 tokens)"},
		{model: "fake-ctx-vllm", kind: llm.ErrContextTooLong, status: 400, contains: "maximum context length is 1024 tokens"},
		{model: "fake-drop", kind: llm.ErrUnavailable, contains: "EOF"},
		{model: "fake-cut", kind: llm.ErrUnavailable, contains: "the connection closed in the middle of the reply"},
		{model: "fake-notcompletion", kind: llm.ErrInvalidResponse, status: 200, contains: "invalid response (HTTP 200): the reply has no choices"},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			req := request(tt.model)
			if strings.HasPrefix(tt.model, "fake-ctx-") {
				req.Messages[1].Content = strings.Repeat(article, 30) // over 1024 tokens
			}
			resp, err := c.Complete(t.Context(), req)
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("Complete() error = %v", err)
				}
				if tt.content != "" && resp.Content != tt.content {
					t.Errorf("Complete() content = %q, want %q", resp.Content, tt.content)
				}
				if !strings.Contains(resp.Content, tt.contains) {
					t.Errorf("Complete() content = %q, want it to contain %q", resp.Content, tt.contains)
				}
				if resp.Model != tt.model || resp.FinishReason != "stop" || resp.Usage.TotalTokens == 0 ||
					resp.Usage.TotalTokens != resp.Usage.PromptTokens+resp.Usage.CompletionTokens || resp.Latency <= 0 {
					t.Errorf("Complete() = %+v: want model, finish reason, usage and latency", resp)
				}
				return
			}
			if !errors.Is(err, tt.kind) {
				t.Fatalf("Complete() error = %v, want %v", err, tt.kind)
			}
			var e *llm.Error
			if !errors.As(err, &e) || e.Status != tt.status || e.RetryAfter != tt.retryAfter {
				t.Errorf("Complete() error = %#v, want status %d, RetryAfter %v", e, tt.status, tt.retryAfter)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("Complete() error = %q, want it to contain %q", err, tt.contains)
			}
		})
	}
}

func TestCompleteTimeout(t *testing.T) {
	s := llmtest.NewServer(t)
	c := newClient(t, Options{BaseURL: s.URL(), Timeout: 100 * time.Millisecond})
	_, err := c.Complete(t.Context(), request("fake-slow"))
	if !errors.Is(err, llm.ErrTimeout) || !llm.Retryable(err) {
		t.Errorf("Complete(fake-slow) error = %v, want a retryable ErrTimeout", err)
	}
	// The caller's deadline is a timeout too; its cancellation is not.
	c = newClient(t, Options{BaseURL: s.URL()})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.Complete(ctx, request("fake-slow")); !errors.Is(err, llm.ErrTimeout) {
		t.Errorf("Complete(fake-slow) with a deadline: error = %v, want ErrTimeout", err)
	}
	ctx, cancel = context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = c.Complete(ctx, request("fake-slow"))
	if !errors.Is(err, context.Canceled) || llm.Retryable(err) {
		t.Errorf("Complete(fake-slow) cancelled: error = %v, want context.Canceled, not retryable", err)
	}
}

func TestCompleteWithRetry(t *testing.T) {
	tests := []struct {
		model     string
		policy    llm.RetryPolicy
		kind      error // nil: success
		attempts  int   // Response.Attempts, or server requests on failure
		inErr     string
		minServer time.Duration // smallest Retry-After the retrier must have seen
	}{
		{model: "fake-429-then-ok", policy: llm.RetryPolicy{MaxRetries: 3}, attempts: 2, minServer: time.Second},
		{model: "fake-429-date", policy: llm.RetryPolicy{MaxRetries: 3}, attempts: 2, minServer: time.Millisecond},
		{model: "fake-500-then-ok", policy: llm.RetryPolicy{MaxRetries: 3}, attempts: 2},
		{model: "fake-drop-then-ok", policy: llm.RetryPolicy{MaxRetries: 3}, attempts: 2},
		{model: "fake-429-always", policy: llm.RetryPolicy{MaxRetries: 2}, kind: llm.ErrRateLimited, attempts: 3, inErr: "rate limited (HTTP 429) after 3 attempts"},
		{model: "fake-503-always", policy: llm.RetryPolicy{MaxRetries: 3}, kind: llm.ErrUnavailable, attempts: 4, inErr: "backend unavailable (HTTP 503) after 4 attempts"},
		{model: "fake-drop", policy: llm.RetryPolicy{MaxRetries: 1}, kind: llm.ErrUnavailable, attempts: 2, inErr: "after 2 attempts: "},
		{model: "fake-slow", policy: llm.RetryPolicy{MaxRetries: 1, AttemptTimeout: 50 * time.Millisecond}, kind: llm.ErrTimeout, attempts: 2, inErr: "after 2 attempts"},
		{model: "fake-401", kind: llm.ErrUnauthorized, attempts: 1},
		{model: "fake-404", kind: llm.ErrNotFound, attempts: 1},
		{model: "fake-context-length", kind: llm.ErrContextTooLong, attempts: 1},
		{model: "fake-garbage", policy: llm.RetryPolicy{MaxRetries: 2}, kind: llm.ErrInvalidResponse, attempts: 3,
			inErr: "invalid response after 3 attempts: the reply is not a chat completion"},
		{model: "fake-garbage-then-ok", policy: llm.RetryPolicy{MaxRetries: 3}, attempts: 2},
		{model: "fake-cut-then-ok", policy: llm.RetryPolicy{MaxRetries: 3}, attempts: 2},
		{model: "fake-cut", policy: llm.RetryPolicy{MaxRetries: 1}, kind: llm.ErrUnavailable, attempts: 2,
			inErr: "backend unavailable after 2 attempts: the connection closed in the middle of the reply"},
		{model: "fake-notcompletion", kind: llm.ErrInvalidResponse, attempts: 1, inErr: "no choices"},
		{model: "fake-quota", kind: llm.ErrQuotaExceeded, attempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			s := llmtest.NewServer(t)
			var serverWait time.Duration
			p := tt.policy
			// Waits are not slept: the test checks what the server asked
			// for, not the clock.
			p.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
			p.OnRetry = func(attempt int, err error, wait time.Duration) {
				var e *llm.Error
				if errors.As(err, &e) {
					serverWait = e.RetryAfter
				}
				if e != nil && e.RetryAfter > 0 && wait != e.RetryAfter {
					t.Errorf("retry wait %v, want the server's %v", wait, e.RetryAfter)
				}
			}
			b := llm.WithRetry(newClient(t, Options{BaseURL: s.URL()}), p)
			resp, err := b.Complete(t.Context(), request(tt.model))
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("Complete() error = %v", err)
				}
				if resp.Attempts != tt.attempts || resp.Content != okBullets {
					t.Errorf("Complete() = %+v, want %d attempts and the bullets", resp, tt.attempts)
				}
				if serverWait < tt.minServer || serverWait > 2*time.Second {
					t.Errorf("Retry-After seen = %v, want in [%v, 2s]", serverWait, tt.minServer)
				}
				return
			}
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.inErr) {
				t.Errorf("Complete() error = %v, want %v containing %q", err, tt.kind, tt.inErr)
			}
			if got := s.Count(tt.model); got != tt.attempts {
				t.Errorf("server saw %d requests, want %d", got, tt.attempts)
			}
		})
	}
}

func TestWireRequest(t *testing.T) {
	s := llmtest.NewServer(t)
	s.Handle("o3-mini", func(req llmtest.ChatRequest, n int) llmtest.Reply { return llmtest.Reply{Content: "- ok"} })
	c := newClient(t, Options{BaseURL: s.URL(), APIKey: "sk-test", Organization: "org-1", UserAgent: "summarize/test"})
	type wire struct {
		temperature *float64
		maxTokens   *int
		maxCompl    *int
		seed        *int
	}
	ptr := func(n int) *int { return &n }
	tests := []struct {
		name string
		req  llm.Request
		want wire
	}{
		{"temperature 0 is sent", llm.Request{Model: "fake-ok"}, wire{temperature: new(float64)}},
		{"temperature 0.7", llm.Request{Model: "fake-ok", Temperature: 0.7}, wire{temperature: func() *float64 { f := 0.7; return &f }()}},
		{"max tokens and seed", llm.Request{Model: "fake-ok", Temperature: 1, MaxTokens: 100, Seed: 42}, wire{temperature: func() *float64 { f := 1.0; return &f }(), maxTokens: ptr(100), seed: ptr(42)}},
		{"reasoning model", llm.Request{Model: "o3-mini", MaxTokens: 100}, wire{maxCompl: ptr(100)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Messages = []llm.Message{{Role: llm.RoleUser, Content: "Hello. World."}}
			if _, err := c.Complete(t.Context(), tt.req); err != nil {
				t.Fatal(err)
			}
			reqs := s.Requests()
			got := reqs[len(reqs)-1]
			b := got.Body
			switch {
			case (b.Temperature == nil) != (tt.want.temperature == nil):
				t.Errorf("temperature = %v, want %v (raw %s)", fderef(b.Temperature), fderef(tt.want.temperature), got.RawBody)
			case b.Temperature != nil && (*b.Temperature-*tt.want.temperature > 1e-6 || *tt.want.temperature-*b.Temperature > 1e-6):
				t.Errorf("temperature = %v, want ~%v", *b.Temperature, *tt.want.temperature)
			}
			if tt.want.temperature != nil && *tt.want.temperature == 0 && !strings.Contains(string(got.RawBody), `"temperature":`) {
				t.Errorf("raw body %s: want a temperature field", got.RawBody)
			}
			for _, f := range []struct {
				name      string
				got, want *int
			}{{"max_tokens", b.MaxTokens, tt.want.maxTokens}, {"max_completion_tokens", b.MaxCompletionTokens, tt.want.maxCompl}, {"seed", b.Seed, tt.want.seed}} {
				if (f.got == nil) != (f.want == nil) || f.got != nil && *f.got != *f.want {
					t.Errorf("%s = %v, want %v (raw %s)", f.name, deref(f.got), deref(f.want), got.RawBody)
				}
			}
			if got.Header.Get("Authorization") != "Bearer sk-test" || got.Header.Get("OpenAI-Organization") != "org-1" ||
				got.Header.Get("User-Agent") != "summarize/test" {
				t.Errorf("headers %v: want bearer key, organization and user agent", got.Header)
			}
			if diff := fmt.Sprint(b.Messages); diff != "[{user Hello. World.}]" {
				t.Errorf("messages = %v", b.Messages)
			}
		})
	}
}

func fderef(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestAzure(t *testing.T) {
	s := llmtest.NewServer(t, llmtest.WithAPIKey("azure-key"))
	c := newClient(t, Options{Azure: true, BaseURL: s.AzureURL(), APIKey: "azure-key",
		AzureDeployments: map[string]string{"gpt-4o": "fake-numbered"}})
	resp, err := c.Complete(t.Context(), request("gpt-4o"))
	if err != nil || !strings.HasPrefix(resp.Content, "1. The city council") {
		t.Fatalf("Complete(gpt-4o) = %q, %v; want numbered bullets from deployment fake-numbered", resp.Content, err)
	}
	if _, err := c.Complete(t.Context(), request("fake-ok")); err != nil {
		t.Errorf("Complete(fake-ok), deployment named after the model: %v", err)
	}
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(reqs))
	}
	r := reqs[0]
	if r.Path != "/openai/deployments/fake-numbered/chat/completions" || r.Query.Get("api-version") != DefaultAzureAPIVersion ||
		r.Header.Get("api-key") != "azure-key" || r.Header.Get("Authorization") != "" {
		t.Errorf("azure request %s?%s headers %v: want the deployment path, api-version and api-key", r.Path, r.Query.Encode(), r.Header)
	}
	if reqs[1].Deployment != "fake-ok" {
		t.Errorf("second deployment = %q, want fake-ok", reqs[1].Deployment)
	}
	if got := c.Endpoint(); got != "azure:"+s.AzureURL() {
		t.Errorf("Endpoint() = %q", got)
	}
	c = newClient(t, Options{Azure: true, BaseURL: s.AzureURL(), APIKey: "azure-key", AzureAPIVersion: "2025-01-01-preview"})
	if _, err := c.Complete(t.Context(), request("fake-ok")); err != nil {
		t.Fatal(err)
	}
	if v := s.Requests()[2].Query.Get("api-version"); v != "2025-01-01-preview" {
		t.Errorf("api-version = %q, want 2025-01-01-preview", v)
	}
}

func TestNoKeyInErrors(t *testing.T) {
	const key = "sk-secret-0123456789abcdef"
	s := llmtest.NewServer(t, llmtest.WithAPIKey("sk-the-right-one"))
	open := llmtest.NewServer(t)
	for _, tc := range []struct {
		name  string
		base  string
		model string
		azure bool
	}{
		{"wrong key echoed", s.URL(), "fake-ok", false},
		{"fake-401 echoes", open.URL(), "fake-401", false},
		{"azure wrong key echoed", s.AzureURL(), "fake-ok", true},
		{"dropped", open.URL(), "fake-drop", false},
		{"context length", open.URL(), "fake-context-length", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, Options{BaseURL: tc.base, APIKey: key, Azure: tc.azure})
			_, err := llm.WithRetry(c, llm.RetryPolicy{MaxRetries: -1}).Complete(t.Context(), request(tc.model))
			if err == nil {
				t.Fatal("Complete() succeeded, want an error")
			}
			for e := error(err); e != nil; e = errors.Unwrap(e) {
				for _, text := range []string{e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e)} {
					if strings.Contains(text, key) {
						t.Errorf("error text %q contains the API key", text)
					}
				}
			}
			if tc.model != "fake-drop" && tc.model != "fake-context-length" {
				if !errors.Is(err, llm.ErrUnauthorized) || !strings.Contains(err.Error(), "[REDACTED]") {
					t.Errorf("Complete() error = %v, want ErrUnauthorized with the key redacted", err)
				}
			}
		})
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		o       Options
		wantErr string
		timeout time.Duration
	}{
		{o: Options{}, timeout: DefaultTimeout},
		{o: Options{BaseURL: "http://localhost:8080/v1/", Timeout: time.Second}, timeout: time.Second},
		{o: Options{BaseURL: "http://localhost:8080/v1", Timeout: -1}, timeout: 0},
		{o: Options{BaseURL: "http://localhost:8080/v1", HTTPClient: &http.Client{Timeout: 3 * time.Second}}, timeout: 3 * time.Second},
		{o: Options{BaseURL: "http://localhost:8080/v1", HTTPClient: &http.Client{Timeout: 3 * time.Second}, Timeout: time.Second}, timeout: time.Second},
		{o: Options{Azure: true}, wantErr: "azure openai: no base URL"},
		{o: Options{BaseURL: "ftp://example.com"}, wantErr: "want http:// or https://"},
		{o: Options{BaseURL: "localhost:8080"}, wantErr: "want http:// or https://"},
		{o: Options{BaseURL: "http://[::1"}, wantErr: "base URL"},
	}
	for _, tt := range tests {
		c, err := New(tt.o)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New(%+v) error = %v, want %q", tt.o, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("New(%+v) error = %v", tt.o, err)
			continue
		}
		if c.http.Timeout != tt.timeout {
			t.Errorf("New(%+v) timeout = %v, want %v", tt.o, c.http.Timeout, tt.timeout)
		}
		if tt.o.HTTPClient != nil && tt.o.HTTPClient.Transport != nil {
			t.Errorf("New modified the given HTTPClient")
		}
	}
	if got := newClient(t, Options{}).Endpoint(); got != DefaultBaseURL {
		t.Errorf("Endpoint() = %q, want %q", got, DefaultBaseURL)
	}
	if got := newClient(t, Options{BaseURL: "http://h/v1/"}).Endpoint(); got != "http://h/v1" {
		t.Errorf("Endpoint() = %q, want http://h/v1", got)
	}
}

func TestConcurrent(t *testing.T) {
	s := llmtest.NewServer(t)
	b := llm.WithRetry(newClient(t, Options{BaseURL: s.URL()}), llm.RetryPolicy{MaxRetries: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			model := "fake-ok"
			if i%2 == 1 {
				model = "fake-429-always"
			}
			resp, err := b.Complete(t.Context(), request(model))
			switch {
			case model == "fake-ok" && (err != nil || resp.Content != okBullets):
				t.Errorf("Complete(fake-ok) = %q, %v", resp.Content, err)
			case model != "fake-ok":
				var e *llm.Error
				if !errors.As(err, &e) || e.RetryAfter != time.Second || e.Attempts != 2 {
					t.Errorf("Complete(fake-429-always) error = %#v, want RetryAfter 1s after 2 attempts", err)
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkComplete(b *testing.B) {
	s := llmtest.NewServer(b)
	c := newClient(b, Options{BaseURL: s.URL(), APIKey: "sk-bench"})
	req := request("fake-ok")
	req.Messages[1].Content = strings.Repeat(article+" ", 40) // ≈ 6 KB, a typical article
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Complete(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// Local servers' overflow replies carry the window they state.
func TestCompleteContextWindow(t *testing.T) {
	s := llmtest.NewServer(t)
	c := newClient(t, Options{BaseURL: s.URL()})
	for _, model := range []string{"fake-ctx-llamacpp", "fake-ctx-ollama", "fake-ctx-vllm", "fake-context-length"} {
		req := request(model)
		req.Messages[1].Content = strings.Repeat(article, 200)
		_, err := c.Complete(t.Context(), req)
		want := llmtest.LocalContextWindow
		if model == "fake-context-length" {
			want = llmtest.DefaultContextWindow
		}
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.ErrContextTooLong || e.ContextWindow != want {
			t.Errorf("Complete(%s) error = %#v, want ErrContextTooLong with ContextWindow %d", model, e, want)
		}
	}
}

// finish_reason and refusal reach the Response.
func TestCompleteFinishAndRefusal(t *testing.T) {
	s := llmtest.NewServer(t)
	c := newClient(t, Options{BaseURL: s.URL()})
	tests := []struct{ model, finish, refusal, content string }{
		{"fake-length", llm.FinishLength, "", "- The city council approved a new budget on\n- Critics said the plan ignores transport\n- Will taxes"},
		{"fake-content-filter", llm.FinishContentFilter, "", ""},
		{"fake-refusal", llm.FinishStop, "I can't help with summarizing this article.", ""},
	}
	for _, tt := range tests {
		resp, err := c.Complete(t.Context(), request(tt.model))
		if err != nil {
			t.Fatalf("Complete(%s) error = %v", tt.model, err)
		}
		if resp.FinishReason != tt.finish || resp.Refusal != tt.refusal || resp.Content != tt.content {
			t.Errorf("Complete(%s) = {FinishReason: %q, Refusal: %q, Content: %q}, want {%q, %q, %q}",
				tt.model, resp.FinishReason, resp.Refusal, resp.Content, tt.finish, tt.refusal, tt.content)
		}
	}
}

// A base URL without /v1 gets a 404 for the path, which says so, apart
// from a model the server does not know.
func TestCompleteWrongPath(t *testing.T) {
	s := llmtest.NewServer(t)
	base := strings.TrimSuffix(s.URL(), "/v1")
	c := newClient(t, Options{BaseURL: base})
	_, err := c.Complete(t.Context(), request("fake-ok"))
	want := "no such endpoint (HTTP 404): the server has no /chat/completions at " + base + ": does the base URL need /v1?"
	if !errors.Is(err, llm.ErrNoEndpoint) || errors.Is(err, llm.ErrNotFound) || !strings.Contains(err.Error(), want) {
		t.Errorf("Complete() at %s error = %v, want ErrNoEndpoint containing %q", base, err, want)
	}
	c = newClient(t, Options{BaseURL: s.URL()})
	if _, err := c.Complete(t.Context(), request("no-such-model")); !errors.Is(err, llm.ErrNotFound) {
		t.Errorf("Complete(no-such-model) error = %v, want ErrNotFound", err)
	}
}

func TestCompleteEmptyModel(t *testing.T) {
	s := llmtest.NewServer(t)
	c := newClient(t, Options{BaseURL: s.URL()})
	_, err := c.Complete(t.Context(), request(" "))
	if !errors.Is(err, llm.ErrBadRequest) || !strings.Contains(err.Error(), "no model given") {
		t.Errorf("Complete(\"\") error = %v, want ErrBadRequest saying no model given", err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}

// Temperature 0 is on the wire as 0.
func TestTemperatureZeroOnTheWire(t *testing.T) {
	s := llmtest.NewServer(t)
	c := newClient(t, Options{BaseURL: s.URL(), UserAgent: "summarize/test"})
	if _, err := c.Complete(t.Context(), request("fake-ok")); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if len(reqs) != 1 {
		t.Fatalf("server saw %d requests, want 1", len(reqs))
	}
	for _, r := range reqs {
		if !strings.Contains(string(r.RawBody), `"temperature":0,`) && !strings.Contains(string(r.RawBody), `"temperature":0}`) {
			t.Errorf("raw body %s: want \"temperature\":0", r.RawBody)
		}
		if r.Body.Temperature == nil || *r.Body.Temperature != 0 || r.Body.Messages[1].Content != article {
			t.Errorf("decoded body %+v: want temperature 0 and the messages intact", r.Body)
		}
	}
}

// Reasoning models get developer messages, and a temperature they do not
// take is dropped with a warning.
func TestReasoningModels(t *testing.T) {
	s := llmtest.NewServer(t)
	for _, m := range []string{"o1", "o3-mini", "o4-mini", "gpt-5-mini", "gpt-4o"} {
		s.Handle(m, llmtest.OK)
	}
	c := newClient(t, Options{BaseURL: s.URL()})
	tests := []struct {
		model       string
		temperature float64
		role        string
		warning     string
	}{
		{"o3-mini", 0.7, "developer", "temperature 0.7 not sent: o3-mini, a reasoning model, takes only its default temperature"},
		{"o1", 0, "developer", "temperature 0 not sent: o1, a reasoning model, takes only its default temperature"},
		{"o4-mini", 1, "developer", ""},
		{"gpt-5-mini", 0.2, "developer", "temperature 0.2 not sent"},
		{"gpt-4o", 0.7, "system", ""},
	}
	for _, tt := range tests {
		req := request(tt.model)
		req.Temperature = tt.temperature
		resp, err := c.Complete(t.Context(), req)
		if err != nil {
			t.Fatalf("Complete(%s) error = %v", tt.model, err)
		}
		reqs := s.Requests()
		got := reqs[len(reqs)-1]
		if got.Body.Messages[0].Role != tt.role {
			t.Errorf("%s: first role %q, want %q", tt.model, got.Body.Messages[0].Role, tt.role)
		}
		if tt.warning != "" && got.Body.Temperature != nil {
			t.Errorf("%s: temperature %v sent, want none (raw %s)", tt.model, *got.Body.Temperature, got.RawBody)
		}
		w := strings.Join(resp.Warnings, "; ")
		if tt.warning == "" && w != "" || !strings.Contains(w, tt.warning) {
			t.Errorf("%s: warnings %q, want %q", tt.model, w, tt.warning)
		}
	}
}

// Azure gets no OpenAI-Organization, and an endpoint copied with its
// /openai suffix is not doubled.
func TestAzureOrganizationAndSuffix(t *testing.T) {
	s := llmtest.NewServer(t, llmtest.WithAPIKey("azure-key"))
	for _, base := range []string{s.AzureURL(), s.AzureURL() + "/openai", s.AzureURL() + "/openai/"} {
		c := newClient(t, Options{Azure: true, BaseURL: base, APIKey: "azure-key", Organization: "org-1"})
		if _, err := c.Complete(t.Context(), request("fake-ok")); err != nil {
			t.Fatalf("Complete() with base %s error = %v", base, err)
		}
		reqs := s.Requests()
		r := reqs[len(reqs)-1]
		if r.Path != "/openai/deployments/fake-ok/chat/completions" {
			t.Errorf("base %s: path %s, want /openai/deployments/fake-ok/chat/completions", base, r.Path)
		}
		if v := r.Header.Get("OpenAI-Organization"); v != "" {
			t.Errorf("base %s: OpenAI-Organization %q sent to Azure, want none", base, v)
		}
	}
}

// Concurrent requests reuse their connections: 16 workers making 5
// requests each open at most 16 connections (http.DefaultTransport keeps
// 2 idle a host, so most would be dialled again for every request).
func TestCompleteReusesConnections(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(5 * time.Millisecond) // all 16 in flight at once
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"- a"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := newClient(t, Options{BaseURL: srv.URL + "/v1", APIKey: "sk-test"})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range 5 {
				if _, err := c.Complete(t.Context(), request("m")); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := conns.Load(); n > 16 {
		t.Errorf("%d connections for 16 workers' 80 requests, want at most 16", n)
	}
}
