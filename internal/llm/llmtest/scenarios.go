package llmtest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Reply is what a scenario answers. The zero value is a 200 completion with
// empty content.
type Reply struct {
	// Status is the HTTP status; 0 means 200, or 400 when Error is set.
	Status int
	// Header holds extra response headers, such as Retry-After.
	Header http.Header
	// Content is the assistant message of a successful completion.
	Content string
	// FinishReason defaults to "stop".
	FinishReason string
	// NoChoices sends a completion with an empty choices array.
	NoChoices bool
	// Error, when set, is sent as OpenAI's {"error": {...}} body.
	Error *APIError
	// RawBody, when set, is sent as is (Content-Type text/plain unless
	// Header says otherwise).
	RawBody []byte
	// Drop closes the connection without any reply.
	Drop bool
	// Cut sends the status, the headers (with the full Content-Length) and
	// the first half of the body, then closes the connection: a reply
	// dropped midway.
	Cut bool
	// Refusal, when set, is sent as the message's "refusal" with null
	// content, as OpenAI does when a model declines.
	Refusal string
	// Logprobs, when set, is sent as the choice's logprobs.content if the
	// request asks for logprobs.
	Logprobs []TokenLogprob
	// Delay waits before replying; the wait ends early, with no reply, when
	// the request's context ends or the server closes.
	Delay time.Duration
}

// Handler answers the n-th request (1-based, counted per model on this
// server) for a model.
type Handler func(req ChatRequest, n int) Reply

// scenario is a Handler that may also look at the HTTP request.
type scenario func(r *http.Request, req ChatRequest, n int) Reply

// Scenarios lists the built-in scenario names, sorted.
func Scenarios() []string {
	names := make([]string, 0, len(builtins))
	for name := range builtins {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// SlowDelay is how long fake-slow waits before replying: longer than any
// test timeout, so a client must give up first.
const SlowDelay = time.Hour

// DefaultContextWindow is the window fake-context-length reports.
const DefaultContextWindow = 4096

// LocalContextWindow is the n_ctx of the local-server scenarios
// (fake-ctx-llamacpp, fake-ctx-ollama, fake-ctx-vllm): they answer like
// fake-ok below it and with their server's overflow error above it.
const LocalContextWindow = 1024

var builtins = map[string]scenario{
	"fake-ok":         func(_ *http.Request, req ChatRequest, _ int) Reply { return ok(req) },
	"fake-401":        func(r *http.Request, _ ChatRequest, _ int) Reply { return badKey(presentedKey(r)) },
	"fake-403":        fixed(Error(http.StatusForbidden, "invalid_request_error", nil, "You are not allowed to sample from this model")),
	"fake-404":        func(_ *http.Request, req ChatRequest, _ int) Reply { return modelNotFound(req.Model) },
	"fake-429-always": fixed(rateLimited(http.Header{"Retry-After": {"1"}})),
	"fake-429-then-ok": func(_ *http.Request, req ChatRequest, n int) Reply {
		if n == 1 {
			return rateLimited(http.Header{"Retry-After": {"1"}})
		}
		return ok(req)
	},
	"fake-429-date": func(_ *http.Request, req ChatRequest, n int) Reply {
		if n == 1 {
			when := time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
			return rateLimited(http.Header{"Retry-After": {when}})
		}
		return ok(req)
	},
	"fake-quota": fixed(Error(http.StatusTooManyRequests, "insufficient_quota", "insufficient_quota",
		"You exceeded your current quota, please check your plan and billing details.")),
	"fake-500-then-ok": func(_ *http.Request, req ChatRequest, n int) Reply {
		if n == 1 {
			return Error(http.StatusInternalServerError, "server_error", nil,
				"The server had an error while processing your request. Sorry about that!")
		}
		return ok(req)
	},
	"fake-503-always": fixed(Error(http.StatusServiceUnavailable, "server_error", nil,
		"The engine is currently overloaded, please try again later")),
	"fake-502-html": fixed(Reply{Status: http.StatusBadGateway, Header: http.Header{"Content-Type": {"text/html"}},
		RawBody: []byte("<html><body><h1>502 Bad Gateway</h1></body></html>\n")}),
	"fake-drop": fixed(Reply{Drop: true}),
	"fake-drop-then-ok": func(_ *http.Request, req ChatRequest, n int) Reply {
		if n == 1 {
			return Reply{Drop: true}
		}
		return ok(req)
	},
	"fake-slow": func(_ *http.Request, req ChatRequest, _ int) Reply {
		r := ok(req)
		r.Delay = SlowDelay
		return r
	},
	"fake-garbage": fixed(garbage),
	"fake-garbage-then-ok": func(_ *http.Request, req ChatRequest, n int) Reply {
		if n == 1 {
			return garbage
		}
		return ok(req)
	},
	"fake-cut": func(_ *http.Request, req ChatRequest, _ int) Reply {
		r := ok(req)
		r.Cut = true
		return r
	},
	"fake-cut-then-ok": func(_ *http.Request, req ChatRequest, n int) Reply {
		r := ok(req)
		r.Cut = n == 1
		return r
	},
	"fake-notcompletion": fixed(Reply{RawBody: []byte(`{"object":"list","data":[]}` + "\n"),
		Header: http.Header{"Content-Type": {"application/json"}}}),
	"fake-length": func(_ *http.Request, req ChatRequest, _ int) Reply {
		// The reply stops where max_tokens would cut it: in the middle of
		// the last bullet.
		c := dashed(bulletsFor(req))
		if i := strings.LastIndexByte(c, ' '); i > 0 {
			c = c[:i]
		}
		return Reply{Content: c, FinishReason: "length"}
	},
	"fake-refusal":        fixed(Reply{Refusal: "I can't help with summarizing this article."}),
	"fake-content-filter": fixed(Reply{FinishReason: "content_filter"}),
	"fake-ctx-llamacpp": localWindow(func(got int) Reply {
		// llama.cpp's server (and Ollama's runner) with n_ctx 1024.
		return Reply{Status: http.StatusBadRequest, Header: http.Header{"Content-Type": {"application/json"}},
			RawBody: fmt.Appendf(nil, `{"error":{"code":400,"message":"request (%d tokens) exceeds the available context size (%d tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":%d,"n_ctx":%d}}`+"\n",
				got, LocalContextWindow, got, LocalContextWindow)}
	}),
	"fake-ctx-ollama": localWindow(func(got int) Reply {
		// Ollama's plain {"error": "..."} string.
		return Reply{Status: http.StatusBadRequest, Header: http.Header{"Content-Type": {"application/json"}},
			RawBody: fmt.Appendf(nil, `{"error":"request (%d tokens) exceeds the available context size (%d tokens), try increasing it"}`+"\n",
				got, LocalContextWindow)}
	}),
	"fake-ctx-vllm": localWindow(func(got int) Reply {
		// vLLM's classic body, with no "error" object.
		return Reply{Status: http.StatusBadRequest, Header: http.Header{"Content-Type": {"application/json"}},
			RawBody: fmt.Appendf(nil, `{"object":"error","message":"This model's maximum context length is %d tokens. However, you requested %d tokens (%d in the messages, 63 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}`+"\n",
				LocalContextWindow, got+63, got)}
	}),
	"fake-empty": fixed(Reply{NoChoices: true}),
	"fake-context-length": func(_ *http.Request, req ChatRequest, _ int) Reply {
		return ContextLengthExceeded(DefaultContextWindow, max(CountTokens(req.Messages), DefaultContextWindow+1))
	},
	"fake-prose": func(_ *http.Request, req ChatRequest, _ int) Reply {
		return Reply{Content: "Sure! Here are the bullets:\n\n" + dashed(bulletsFor(req)) +
			"\n\nLet me know if you would like a different tone or length!"}
	},
	"fake-numbered": func(_ *http.Request, req ChatRequest, _ int) Reply {
		var b strings.Builder
		for i, s := range bulletsFor(req) {
			fmt.Fprintf(&b, "%d. %s\n", i+1, s)
		}
		return Reply{Content: strings.TrimSuffix(b.String(), "\n")}
	},
	"fake-json": func(_ *http.Request, req ChatRequest, _ int) Reply {
		var quoted []string
		for _, s := range bulletsFor(req) {
			quoted = append(quoted, strconv.Quote(s))
		}
		return Reply{Content: "```json\n{\"bullets\": [" + strings.Join(quoted, ", ") + "]}\n```"}
	},
	"fake-think": func(_ *http.Request, req ChatRequest, _ int) Reply {
		return Reply{Content: "<think>\nThe reader wants the key facts. Let me pick the lead of each paragraph.\n</think>\n\n" +
			dashed(bulletsFor(req))}
	},
	"fake-judge":          func(_ *http.Request, req ChatRequest, _ int) Reply { return judgeReply(req, false) },
	"fake-judge-logprobs": func(_ *http.Request, req ChatRequest, _ int) Reply { return judgeReply(req, true) },
	"fake-nobullets":      fixed(Reply{Content: "I'm sorry, but I can't help with summarizing this article."}),
	"fake-badcontract": func(_ *http.Request, req ChatRequest, n int) Reply {
		if n > 1 {
			return ok(req)
		}
		want := WantBullets(req)
		bs := Bullets(articleText(req), want)
		for len(bs) < 5 {
			bs = append(bs, fmt.Sprintf("Point %d of the article.", len(bs)+1))
		}
		bs = append(bs[:5], bs[1]) // six bullets, the second one twice
		return Reply{Content: dashed(bs)}
	},
}

var garbage = Reply{RawBody: []byte("this is not JSON {\"choices\": [")}

// localWindow answers like fake-ok within LocalContextWindow and with
// over(tokens) beyond it.
func localWindow(over func(tokens int) Reply) scenario {
	return func(_ *http.Request, req ChatRequest, _ int) Reply {
		if n := CountTokens(req.Messages); n > LocalContextWindow {
			return over(n)
		}
		return ok(req)
	}
}

func fixed(r Reply) scenario {
	return func(*http.Request, ChatRequest, int) Reply { return r }
}

// Error builds an error reply in OpenAI's shape. code may be nil, a string
// or a number.
func Error(status int, typ string, code any, msg string) Reply {
	return Reply{Status: status, Error: &APIError{Message: msg, Type: typ, Code: code}}
}

// ContextLengthExceeded is OpenAI's reply to a request over the window.
func ContextLengthExceeded(window, got int) Reply {
	param := "messages"
	r := Error(http.StatusBadRequest, "invalid_request_error", "context_length_exceeded",
		fmt.Sprintf("This model's maximum context length is %d tokens. However, your messages resulted in %d tokens. Please reduce the length of the messages.", window, got))
	r.Error.Param = &param
	return r
}

func rateLimited(h http.Header) Reply {
	r := Error(http.StatusTooManyRequests, "requests", "rate_limit_exceeded",
		"Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.")
	r.Header = h
	return r
}

func modelNotFound(name string) Reply {
	return Error(http.StatusNotFound, "invalid_request_error", "model_not_found",
		fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", name))
}

// badKey echoes the presented key in full, as a careless server might, so
// that clients can test they never show it.
func badKey(key string) Reply {
	if key == "" {
		return Error(http.StatusUnauthorized, "invalid_request_error", nil,
			"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
	}
	return Error(http.StatusUnauthorized, "invalid_request_error", "invalid_api_key",
		"Incorrect API key provided: "+key+". You can find your API key at https://platform.openai.com/account/api-keys.")
}

func presentedKey(r *http.Request) string {
	if k := r.Header.Get("api-key"); k != "" {
		return k
	}
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

// OK is the fake-ok scenario's reply: bullets taken from the article in the
// request, as many as the prompt asks for. A test that answers a real
// model's name (srv.Handle("gpt-4o-mini", ...)) replies with it.
func OK(req ChatRequest, _ int) Reply { return ok(req) }

func ok(req ChatRequest) Reply {
	return Reply{Content: dashed(bulletsFor(req))}
}

func bulletsFor(req ChatRequest) []string {
	return Bullets(articleText(req), WantBullets(req))
}

func dashed(bs []string) string {
	var b strings.Builder
	for i, s := range bs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- ")
		b.WriteString(s)
	}
	return b.String()
}

// DefaultBullets is how many bullets the scenarios write for a request
// not rendered from Prompts.
const DefaultBullets = 3

// WantBullets is how many bullets the scenarios write for req: the bullets
// of its request line (see Meta) when it was rendered from Prompts, else
// DefaultBullets. The fake never reads the wording of other prompts (the
// shipped ones, which users are invited to edit): a test that needs the
// count it asks for honoured renders with Prompts (the CLI scripts:
// prompt.dir $FAKE_PROMPTS).
func WantBullets(req ChatRequest) int {
	if m, ok := Meta(req); ok && m.Bullets > 0 {
		return m.Bullets
	}
	return DefaultBullets
}

// articleText finds the article in a request: the text of its request
// line (see Meta) when it was rendered from Prompts, else the whole first
// user message (so that a follow-up, "your reply broke these rules",
// still summarizes the first turn), whatever its wording.
func articleText(req ChatRequest) string {
	if m, ok := Meta(req); ok {
		return m.Text
	}
	for _, m := range req.Messages {
		if m.Role == "user" {
			return m.Content
		}
	}
	return ""
}

// BulletWords is how many words of each sentence a bullet keeps.
const BulletWords = 8

// Bullets is how the scenarios summarize: the first BulletWords words of
// each of the first n sentences of text that have at least three words,
// without list markers or trailing punctuation. Sentences end at ".", "!" or
// "?" before a space (not after a lone capital, as in "U.S."), and at blank
// lines. Text with no such sentence gives one bullet, "No content.".
func Bullets(text string, n int) []string {
	var out []string
	for _, sentence := range sentences(text) {
		if len(out) == n {
			break
		}
		words := strings.Fields(sentence)
		for len(words) > 0 && (words[0] == "-" || words[0] == "*" || words[0] == "•") {
			words = words[1:]
		}
		if len(words) < 3 || !strings.ContainsFunc(sentence, unicode.IsLetter) {
			continue
		}
		if len(words) > BulletWords {
			words = words[:BulletWords]
		}
		b := strings.TrimRightFunc(strings.Join(words, " "), func(r rune) bool {
			return unicode.IsPunct(r) && r != ')' && r != '"' && r != '%' || r == '—' || r == '–'
		})
		if b != "" {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return []string{"No content."}
	}
	return out
}

// sentences splits text into rough sentences.
func sentences(text string) []string {
	var out []string
	start := 0
	flush := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			out = append(out, s)
		}
		start = end
	}
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '\n': // a blank line ends a paragraph
			k := i + 1
			for k < len(text) && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r') {
				k++
			}
			if k < len(text) && text[k] == '\n' {
				flush(i)
			}
		case '.', '!', '?':
			j := i + 1
			for j < len(text) {
				if strings.IndexByte(`"')]`, text[j]) >= 0 {
					j++
				} else if q := closingQuote(text[j:]); q > 0 {
					j += q
				} else {
					break
				}
			}
			if j < len(text) && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' && text[j] != '\r' {
				continue
			}
			if c == '.' && i >= 1 && isUpperASCII(text[i-1]) && (i == 1 || !isLetterASCII(text[i-2])) {
				continue // an initial: "U.S.", "J. Smith"
			}
			flush(j)
			i = j - 1
		}
	}
	flush(len(text))
	return out
}

func closingQuote(s string) int {
	for _, q := range []string{"”", "’", "»"} {
		if strings.HasPrefix(s, q) {
			return len(q)
		}
	}
	return 0
}

func isUpperASCII(c byte) bool  { return 'A' <= c && c <= 'Z' }
func isLetterASCII(c byte) bool { return isUpperASCII(c) || 'a' <= c && c <= 'z' }
