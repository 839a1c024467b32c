// Package llmtest is an OpenAI-compatible fake server for tests. It speaks
// the chat completions wire format with its own small structs (it does not
// import any SDK), records what it receives, and picks its behaviour from the
// request's model name:
//
//	fake-ok              "- " bullets: the first words of the article's first sentences
//	fake-401, -403, -404 auth and model errors in OpenAI's shape
//	fake-429-then-ok     429 with Retry-After: 1, then ok (counters are per server and model)
//	fake-429-date        429 with Retry-After as an HTTP-date, then ok
//	fake-429-always      429 with Retry-After: 1, always
//	fake-quota           429 insufficient_quota, always
//	fake-500-then-ok     500, then ok
//	fake-503-always      503, always
//	fake-502-html        502 with an HTML body (a proxy's error page)
//	fake-drop            closes the connection without a reply
//	fake-drop-then-ok    drops the first request, then ok
//	fake-slow            replies after SlowDelay (an hour) unless the client gives up first
//	fake-garbage         200 with a body that is not JSON
//	fake-garbage-then-ok that once, then ok
//	fake-cut             200 whose body stops halfway: the connection closes mid-reply
//	fake-cut-then-ok     that once, then ok
//	fake-notcompletion   200 with valid JSON that is not a chat completion
//	fake-empty           200 with no choices
//	fake-length          bullets cut mid-way, finish_reason "length"
//	fake-refusal         a refusal (message.refusal, null content)
//	fake-content-filter  finish_reason "content_filter", no content
//	fake-ctx-llamacpp    ok up to LocalContextWindow (1024) tokens, then llama.cpp's exceed_context_size_error
//	fake-ctx-ollama      the same with Ollama's {"error": "..."} string
//	fake-ctx-vllm        the same with vLLM's {"object": "error", ...} body
//	fake-context-length  400 context_length_exceeded
//	fake-prose           bullets between "Sure! Here are the bullets:" and a closing remark
//	fake-numbered        "1. ..." lines
//	fake-json            {"bullets": [...]} in a ```json fence
//	fake-think           a <think>...</think> block, then bullets
//	fake-nobullets       a refusal, no bullets
//	fake-badcontract     six bullets with one duplicated, then the right number
//	fake-judge           a judge's reply: "Score: N", N from the prompt (see JudgeScore)
//	fake-judge-logprobs  the same, with logprobs whose top_logprobs spread over "1".."5"
//	                     (see JudgeLogprobs) when the request asks for logprobs
//
// Any other model is a 404 model_not_found, unless a test registers it with
// Handle. A ":tag" suffix picks the same scenario with its own request
// counter, so one server can replay a "-then-ok" scenario from the start:
// fake-500-then-ok:again fails once more. Azure paths
// (/openai/deployments/{d}/chat/completions?api-version=...) pick the scenario
// by deployment name. The project does not stream, so a request with
// "stream": true is a 400 invalid_request_error.
package llmtest

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is one request the server received.
type Request struct {
	Method     string
	Path       string
	Query      url.Values
	Header     http.Header
	Deployment string // Azure deployment from the path, "" on /v1 paths
	Body       ChatRequest
	RawBody    []byte
}

// Option configures a Server.
type Option func(*Server)

// WithAPIKey makes the server require the key: "Authorization: Bearer KEY"
// on /v1 paths, "api-key: KEY" (or the bearer form) on Azure (/openai/) paths. Other
// requests get OpenAI's 401.
func WithAPIKey(key string) Option {
	return func(s *Server) { s.key = key }
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	ts      *httptest.Server
	key     string
	done    chan struct{}
	closeMu sync.Once

	mu       sync.Mutex
	requests []Request
	counts   map[string]int
	custom   map[string]Handler
	windows  map[string]int
}

// NewServer starts a server on loopback and closes it when the test ends.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		done:    make(chan struct{}),
		counts:  map[string]int{},
		custom:  map[string]Handler{},
		windows: map[string]int{},
	}
	for _, o := range opts {
		o(s)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("POST /openai/deployments/{deployment}/chat/completions", s.chat)
	mux.HandleFunc("GET /v1/models", s.models)
	mux.HandleFunc("GET /openai/models", s.models)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeReply(w, Error(http.StatusNotFound, "invalid_request_error", nil, "Invalid URL ("+r.Method+" "+r.URL.Path+")"))
	})
	s.ts = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// URL returns the OpenAI base URL, ending in /v1.
func (s *Server) URL() string { return s.ts.URL + "/v1" }

// AzureURL returns the base URL for Azure clients (the resource endpoint).
func (s *Server) AzureURL() string { return s.ts.URL }

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Close ends pending slow replies and stops the server. NewServer arranges
// for it to be called when the test ends.
func (s *Server) Close() {
	s.closeMu.Do(func() {
		close(s.done)
		s.ts.CloseClientConnections()
		s.ts.Close()
	})
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count returns how many chat requests the scenario (model or Azure
// deployment) has answered.
func (s *Server) Count(model string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[model]
}

// Handle registers h for model, replacing any built-in scenario of that name.
func (s *Server) Handle(model string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.custom[model] = h
}

// ContextWindow makes the server reject requests for model whose messages
// count more than tokens (see CountTokens) with OpenAI's 400
// context_length_exceeded error. 0 removes the limit.
func (s *Server) ContextWindow(model string, tokens int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tokens <= 0 {
		delete(s.windows, model)
		return
	}
	s.windows[model] = tokens
}

func (s *Server) authorized(r *http.Request) bool {
	if s.key == "" {
		return true
	}
	if r.Header.Get("Authorization") == "Bearer "+s.key {
		return true
	}
	return strings.HasPrefix(r.URL.Path, "/openai/") && r.Header.Get("api-key") == s.key
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	var body ChatRequest
	if err == nil {
		err = json.Unmarshal(raw, &body)
	}
	dep := r.PathValue("deployment")
	name := body.Model
	if dep != "" {
		name = dep
	}
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(),
		Deployment: dep, Body: body, RawBody: raw}

	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()

	switch {
	case !s.authorized(r):
		writeReply(w, badKey(presentedKey(r)))
		return
	case dep != "" && r.URL.Query().Get("api-version") == "":
		writeReply(w, Error(http.StatusNotFound, "", "404", "Resource not found"))
		return
	case err != nil:
		writeReply(w, Error(http.StatusBadRequest, "invalid_request_error", nil,
			"We could not parse the JSON body of your request. ("+err.Error()+")"))
		return
	case name == "":
		writeReply(w, Error(http.StatusBadRequest, "invalid_request_error", nil,
			"you must provide a model parameter"))
		return
	case body.Stream:
		writeReply(w, Error(http.StatusBadRequest, "invalid_request_error", "stream",
			"llmtest: streaming is not supported (the project does not stream)"))
		return
	}

	s.mu.Lock()
	s.counts[name]++
	n := s.counts[name]
	h, custom, sc, builtin, window := s.lookup(name)
	s.mu.Unlock()

	var rep Reply
	switch {
	case window > 0 && CountTokens(body.Messages) > window:
		rep = ContextLengthExceeded(window, CountTokens(body.Messages))
	case custom:
		rep = h(body, n)
	case builtin:
		rep = sc(r, body, n)
	default:
		rep = modelNotFound(name)
	}
	s.reply(w, r, body, name, n, rep)
}

// lookup finds the handler and window for name, falling back to the part
// before a ":" tag ("fake-500-then-ok:run2" behaves as fake-500-then-ok with
// its own counter). Call with s.mu held.
func (s *Server) lookup(name string) (h Handler, custom bool, sc scenario, builtin bool, window int) {
	for _, n := range []string{name, tagless(name)} {
		h, custom = s.custom[n]
		sc, builtin = builtins[n]
		if window == 0 {
			window = s.windows[n]
		}
		if custom || builtin {
			return h, custom, sc, builtin, window
		}
	}
	return nil, false, nil, false, window
}

func tagless(name string) string {
	base, _, _ := strings.Cut(name, ":")
	return base
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request, req ChatRequest, name string, n int, rep Reply) {
	if rep.Delay > 0 {
		t := time.NewTimer(rep.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
	if rep.Drop {
		drop(w)
		return
	}
	if rep.Cut {
		body := rep.RawBody
		if body == nil {
			body = completionJSON(req, name, n, rep)
		}
		cut(w, rep, body)
		return
	}
	if rep.RawBody == nil && rep.Error == nil {
		rep.RawBody = completionJSON(req, name, n, rep)
		rep.Header = withContentType(rep.Header, "application/json")
	}
	writeReply(w, rep)
}

func withContentType(h http.Header, ct string) http.Header {
	h = h.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", ct)
	}
	return h
}

// writeReply writes an error reply or a raw body.
func writeReply(w http.ResponseWriter, rep Reply) {
	maps.Copy(w.Header(), rep.Header)
	status := rep.Status
	body := rep.RawBody
	if rep.Error != nil && body == nil {
		body = marshal(errorBody{Error: *rep.Error})
		w.Header().Set("Content-Type", "application/json")
		if status == 0 {
			status = http.StatusBadRequest
		}
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write(body)
}

func completionJSON(req ChatRequest, name string, n int, rep Reply) []byte {
	c := completion{
		ID: "chatcmpl-llmtest-" + name + "-" + strconv.Itoa(n), Object: "chat.completion", Created: created,
		Model: modelName(req, name), Choices: []choice{}, SystemFingerprint: "fp_llmtest",
	}
	if !rep.NoChoices {
		fr := finishReason(rep)
		ch := choice{Message: &ChatMessage{Role: "assistant", Content: rep.Content}, FinishReason: &fr}
		if rep.Refusal != "" {
			ch.Message = nil
			ch.Refused = &refused{Role: "assistant", Refusal: rep.Refusal}
		}
		if req.Logprobs && rep.Logprobs != nil {
			ch.Logprobs = &logprobs{Content: rep.Logprobs}
		}
		c.Choices = append(c.Choices, ch)
	}
	p, k := CountTokens(req.Messages), CountText(rep.Content)
	c.Usage = &usage{PromptTokens: p, CompletionTokens: k, TotalTokens: p + k}
	return marshal(c)
}

// created is the fixed creation time of every completion, so replies are
// deterministic.
const created = 1767225600 // 2026-01-01T00:00:00Z

func modelName(req ChatRequest, name string) string {
	if req.Model != "" {
		return req.Model
	}
	return name
}

func finishReason(rep Reply) string {
	if rep.FinishReason != "" {
		return rep.FinishReason
	}
	return "stop"
}

func (s *Server) models(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeReply(w, badKey(presentedKey(r)))
		return
	}
	s.mu.Lock()
	names := append(Scenarios(), slices.Collect(maps.Keys(s.custom))...)
	names = append(names, slices.Collect(maps.Keys(s.windows))...)
	s.mu.Unlock()
	slices.Sort(names)
	list := modelList{Object: "list", Data: []model{}}
	for _, n := range slices.Compact(names) {
		list.Data = append(list.Data, model{ID: n, Object: "model", Created: created, OwnedBy: "llmtest"})
	}
	b := marshal(list)
	writeReply(w, Reply{RawBody: b, Header: http.Header{"Content-Type": {"application/json"}}})
}

// cut writes the headers and half of body, then closes the connection.
func cut(w http.ResponseWriter, rep Reply, body []byte) {
	maps.Copy(w.Header(), rep.Header)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	status := rep.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	w.Write(body[:len(body)/2])
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	drop(w)
}

// drop closes the connection without a reply.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // the server closes the connection
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// marshal encodes v as JSON without HTML escaping, as OpenAI does, with a
// trailing newline.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("llmtest: encode reply: " + err.Error()) // our own plain structs
	}
	return b.Bytes()
}
