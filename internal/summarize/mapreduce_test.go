package summarize

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/budget"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/llmtest"
	"github.com/summarize-dev/summarize/internal/llm/openai"
	"github.com/summarize-dev/summarize/internal/models"
	"github.com/summarize-dev/summarize/internal/prompt"
)

// mrPrompts loads the fake server's templates (not the shipped ones, whose
// wording users edit): headline for the parts, reduce for the merge.
func mrPrompts(t testing.TB) (headline, reduce *prompt.Template) {
	t.Helper()
	set, err := prompt.Load(llmtest.Prompts(), "")
	if err != nil {
		t.Fatal(err)
	}
	if headline, err = set.Get("headline"); err != nil {
		t.Fatal(err)
	}
	if reduce, err = set.Get("reduce"); err != nil {
		t.Fatal(err)
	}
	return headline, reduce
}

// mrWords is the vocabulary of generated articles.
var mrWords = strings.Fields(`the of and to in a is that for on was with he it as at by
from his an were are which this be has have had not but they after who been
government president minister police officials country city state report
percent million company market election court vote talks deal health
hospital school children water energy climate prices workers union Smith
Garcia Nguyen Okafor Brussels Nairobi Tokyo Tuesday 2025 1.5 3,200 42
spokesperson according statement investigation parliament coalition`)

// mrArticle returns a deterministic article of n words in paragraphs of
// one to six sentences of 6 to 30 words.
func mrArticle(n int) string {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	var b strings.Builder
	for words, inPara := 0, 0; words < n; {
		k := min(6+r.IntN(25), n-words)
		for i := range k {
			w := mrWords[r.IntN(len(mrWords))]
			if i == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		b.WriteByte('.')
		words += k
		inPara++
		if words < n {
			if inPara >= 1+r.IntN(6) {
				b.WriteString("\n\n")
				inPara = 0
			} else {
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

// mrReply answers like a model: the first words of the first sentences of
// an article, or the first bullets of the part summaries of a merge.
func mrReply(req llmtest.ChatRequest, _ int) llmtest.Reply {
	m, _ := llmtest.Meta(req)
	n := m.Bullets
	if m.Task == "reduce" {
		var bs []string
		for line := range strings.Lines(m.Text) {
			if b, ok := strings.CutPrefix(strings.TrimSpace(line), "- "); ok && len(bs) < n {
				bs = append(bs, b)
			}
		}
		return llmtest.Reply{Content: "- " + strings.Join(bs, "\n- ")}
	}
	return llmtest.Reply{Content: "- " + strings.Join(llmtest.Bullets(m.Text, n), "\n- ")}
}

func mustOverflow(t testing.TB, s *LLM, o OverflowOptions) *Overflow {
	t.Helper()
	ov, err := NewOverflow(s, o)
	if err != nil {
		t.Fatal(err)
	}
	return ov
}

type mrFixture struct {
	srv      *llmtest.Server
	llm      *LLM
	overflow *Overflow
	mu       sync.Mutex
	warnings []string
}

const mrModel = "fake-mr" // unknown to the model table: counted by estimate

// newMR starts a fake server for mrModel that enforces serverWindow (0:
// none) and returns a summarizer configured for window tokens.
func newMR(t *testing.T, strategy config.Overflow, window, serverWindow int, tune ...func(*Options, *OverflowOptions)) *mrFixture {
	t.Helper()
	f := &mrFixture{srv: llmtest.NewServer(t)}
	f.srv.Handle(mrModel, mrReply)
	f.srv.ContextWindow(mrModel, serverWindow)
	client, err := openai.New(openai.Options{BaseURL: f.srv.URL(), APIKey: "sk-test", HTTPClient: f.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	headline, reduce := mrPrompts(t)
	f.llm = &LLM{Backend: client, Opts: Options{
		Model: mrModel, Template: headline, Bullets: 3, MaxWords: 20, Language: "English", MaxTokens: 256,
		Warn: func(s string) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.warnings = append(f.warnings, s)
		},
	}}
	oo := OverflowOptions{
		Strategy: strategy, Reduce: reduce, Counter: budget.NewCounter(),
		Model: models.Model{Name: mrModel, ContextWindow: window, MaxOutput: 1024, InputPrice: 0.15, OutputPrice: 0.60},
	}
	for _, fn := range tune {
		fn(&f.llm.Opts, &oo)
	}
	f.overflow = mustOverflow(t, f.llm, oo)
	return f
}

// merges counts the merge requests the server received.
func (f *mrFixture) merges() int {
	n := 0
	for _, r := range f.srv.Requests() {
		if m, _ := llmtest.Meta(r.Body); m.Task == "reduce" {
			n++
		}
	}
	return n
}

// rejected counts the requests over the server's window.
func (f *mrFixture) rejected(window int) int {
	n := 0
	for _, r := range f.srv.Requests() {
		if llmtest.CountTokens(r.Body.Messages) > window {
			n++
		}
	}
	return n
}

func (f *mrFixture) warned(sub string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, w := range f.warnings {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

func TestOverflowLongArticle(t *testing.T) {
	article := Article{Source: "long.txt", Title: "A very long report", Body: mrArticle(200_000)}
	const window = 8192

	t.Run("error", func(t *testing.T) {
		f := newMR(t, config.OverflowError, window, window)
		_, err := f.overflow.Summarize(t.Context(), article)
		var tl *TooLongError
		if !errors.Is(err, llm.ErrContextTooLong) || !errors.As(err, &tl) {
			t.Fatalf("Summarize = %v, want a *TooLongError", err)
		}
		if tl.Window != window || tl.ReservedTokens != 256 || tl.PromptTokens < 200_000 {
			t.Errorf("TooLongError = %+v, want window %d, 256 reserved, over 200000 prompt tokens", *tl, window)
		}
		if !strings.Contains(err.Error(), "8192-token window of fake-mr") {
			t.Errorf("error %q does not name the window and the model", err)
		}
		if n := len(f.srv.Requests()); n != 0 {
			t.Errorf("%d requests sent, want none", n)
		}
	})

	t.Run("truncate", func(t *testing.T) {
		f := newMR(t, config.OverflowTruncate, window, window)
		sum, err := f.overflow.Summarize(t.Context(), article)
		if err != nil {
			t.Fatal(err)
		}
		reqs := f.srv.Requests()
		if len(reqs) != 1 || sum.Calls != 1 || len(sum.Bullets) != 3 {
			t.Fatalf("%d requests, %d calls, bullets %q: want 1, 1 and 3 bullets", len(reqs), sum.Calls, sum.Bullets)
		}
		m, _ := llmtest.Meta(reqs[0].Body)
		sent := m.Text
		if !strings.HasPrefix(article.Body, sent) || !strings.HasSuffix(sent, ".") || len(sent) < len(article.Body)/100 {
			t.Errorf("sent %d bytes ending %q: want a prefix of the article ending at a sentence", len(sent), sent[max(len(sent)-20, 0):])
		}
		if !f.warned("truncated at a sentence boundary, dropping the last") || len(sum.Warnings) != 1 {
			t.Errorf("warnings %q, summary warnings %q: want the truncation reported", f.warnings, sum.Warnings)
		}
	})

	t.Run("map-reduce", func(t *testing.T) {
		f := newMR(t, config.OverflowMapReduce, window, window)
		est, err := f.overflow.Estimate(t.Context(), article)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := f.overflow.Summarize(t.Context(), article)
		if err != nil {
			t.Fatal(err)
		}
		reqs := f.srv.Requests()
		if len(sum.Bullets) != 3 || sum.Chunks < 30 || sum.Calls != len(reqs) || f.rejected(window) != 0 {
			t.Fatalf("bullets %q, %d chunks, %d calls, %d requests (%d over the window): want 3 bullets, over 30 chunks, every request counted and none rejected",
				sum.Bullets, sum.Chunks, sum.Calls, len(reqs), f.rejected(window))
		}
		if m := f.merges(); sum.Calls != sum.Chunks+m || m < 1 {
			t.Errorf("%d calls for %d chunks and %d merges", sum.Calls, sum.Chunks, m)
		}
		if !f.warned("summarized in ") {
			t.Errorf("warnings %q: want the split reported", f.warnings)
		}
		if est.Chunks != sum.Chunks || est.Calls < sum.Calls || est.Fits {
			t.Errorf("Estimate = %+v; the run made %d chunks and %d calls", est, sum.Chunks, sum.Calls)
		}
		var usage llm.Usage
		for _, r := range reqs {
			usage.PromptTokens += llmtest.CountTokens(r.Body.Messages)
		}
		if sum.Usage.PromptTokens != usage.PromptTokens {
			t.Errorf("usage %d prompt tokens, the server counted %d", sum.Usage.PromptTokens, usage.PromptTokens)
		}
	})
}

func TestOverflowReduceOverflow(t *testing.T) {
	// 30,000 words in a 1,024-token window: about 100 parts, whose bullets
	// need more than one merge request.
	article := Article{Source: "long.txt", Body: mrArticle(30_000)}
	f := newMR(t, config.OverflowMapReduce, 1024, 1024)
	sum, err := f.overflow.Summarize(t.Context(), article)
	if err != nil {
		t.Fatal(err)
	}
	if m := f.merges(); m < 3 || len(sum.Bullets) != 3 || sum.Calls != sum.Chunks+m || f.rejected(1024) != 0 {
		t.Errorf("%d chunks, %d merges, %d calls, bullets %q, %d rejected: want several merge levels", sum.Chunks, m, sum.Calls, sum.Bullets, f.rejected(1024))
	}

	f = newMR(t, config.OverflowMapReduce, 1024, 1024, func(_ *Options, o *OverflowOptions) { o.MaxDepth = 1 })
	_, err = f.overflow.Summarize(t.Context(), article)
	if !errors.Is(err, llm.ErrContextTooLong) || !strings.Contains(err.Error(), "after 0 merge levels") {
		t.Errorf("Summarize with MaxDepth 1 = %v, want the merge reported too long", err)
	}
}

func TestOverflowServerWindowSmaller(t *testing.T) {
	long := Article{Source: "long.txt", Body: mrArticle(20_000)}
	// Fits the configured 16,384 tokens, but not the server's 4,096.
	mid := Article{Source: "mid.txt", Body: mrArticle(5_000)}
	tests := []struct {
		name     string
		strategy config.Overflow
		article  Article
		wantErr  bool
	}{
		{"map-reduce", config.OverflowMapReduce, long, false},
		{"map-reduce fits locally", config.OverflowMapReduce, mid, false},
		{"truncate fits locally", config.OverflowTruncate, mid, false},
		{"error fits locally", config.OverflowError, mid, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newMR(t, tt.strategy, 16_384, 4_096, func(_ *Options, o *OverflowOptions) { o.Concurrency = 1 })
			sum, err := f.overflow.Summarize(t.Context(), tt.article)
			if tt.wantErr {
				var tl *TooLongError
				if !errors.As(err, &tl) || tl.Server == nil || tl.Window != 4096*9/10 {
					t.Fatalf("Summarize = %v, want a *TooLongError for the server's window", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := f.rejected(4096); n != 1 {
				t.Errorf("%d requests over the server's window, want exactly the first", n)
			}
			if sum.Calls != len(f.srv.Requests()) || len(sum.Bullets) != 3 {
				t.Errorf("%d calls for %d requests, bullets %q", sum.Calls, len(f.srv.Requests()), sum.Bullets)
			}
			if !f.warned("planning again for 3686 tokens") {
				t.Errorf("warnings %q: want the second plan reported", f.warnings)
			}
		})
	}
}

// fixedUsage is a backend whose every reply costs 1,000 prompt and 50
// completion tokens, and holds three bullets.
func fixedUsage(calls *int) llm.Backend {
	var mu sync.Mutex
	return llm.BackendFunc(func(ctx context.Context, req llm.Request) (llm.Response, error) {
		mu.Lock()
		*calls++
		mu.Unlock()
		return llm.Response{
			Content: "- First point of the part\n- Second point of the part\n- Third point of the part",
			Usage:   llm.Usage{PromptTokens: 1000, CompletionTokens: 50, TotalTokens: 1050},
		}, nil
	})
}

func TestOverflowCost(t *testing.T) {
	headline, reduce := mrPrompts(t)
	// Three paragraphs of 301 tokens each (o200k_base): each fits the room
	// a 700-token window leaves, no two do.
	para := "Alpha" + strings.Repeat(" word", 299) + "."
	article := Article{Source: "three.txt", Body: para + "\n\n" + para + "\n\n" + para}
	short := Article{Source: "short.txt", Body: "One short paragraph. It fits."}
	tests := []struct {
		name      string
		article   Article
		window    int
		wantCalls int
		wantCost  float64 // worked out by hand
	}{
		// 3 parts + 1 merge = 4 calls × (1,000 × $0.15 + 50 × $0.60) / 1M = 4 × $0.00018.
		{"map-reduce", article, 700, 4, 0.00072},
		// 1 call: $0.00018.
		{"fits", short, 700, 1, 0.00018},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls int
			s := &LLM{Backend: fixedUsage(&calls), Opts: Options{Model: "gpt-4o-mini", Template: headline, Bullets: 3, MaxWords: 20, Language: "English", MaxTokens: 100}}
			m, _ := models.Lookup("gpt-4o-mini", nil)
			m.ContextWindow = tt.window
			o := mustOverflow(t, s, OverflowOptions{Strategy: config.OverflowMapReduce, Model: m, Reduce: reduce})
			est, err := o.Estimate(t.Context(), tt.article)
			if err != nil {
				t.Fatal(err)
			}
			sum, err := o.Summarize(t.Context(), tt.article)
			if err != nil {
				t.Fatal(err)
			}
			if calls != tt.wantCalls || sum.Calls != tt.wantCalls || math.Abs(sum.Cost-tt.wantCost) > 1e-12 {
				t.Errorf("%d calls (summary: %d), cost $%.8f, want %d calls, $%.8f", calls, sum.Calls, sum.Cost, tt.wantCalls, tt.wantCost)
			}
			// The estimate: the counted prompts at $0.15/1M plus 100 reply
			// tokens per call at $0.60/1M.
			wantEst := (float64(est.SentTokens)*0.15 + float64(tt.wantCalls*100)*0.60) / 1e6
			if est.Calls != tt.wantCalls || est.MaxOutputTokens != tt.wantCalls*100 || math.Abs(est.Cost-wantEst) > 1e-12 {
				t.Errorf("Estimate = %+v, want %d calls, %d output tokens, $%.8f", est, tt.wantCalls, tt.wantCalls*100, wantEst)
			}
		})
	}
}

func TestEstimateStrategies(t *testing.T) {
	article := Article{Source: "long.txt", Body: mrArticle(20_000)}
	tests := []struct {
		strategy   config.Overflow
		wantCalls  int
		wantErr    bool
		wantChunks bool
	}{
		{config.OverflowError, 0, true, false},
		{config.OverflowTruncate, 1, false, false},
		{config.OverflowMapReduce, -1, false, true},
	}
	for _, tt := range tests {
		f := newMR(t, tt.strategy, 4096, 0)
		est, err := f.overflow.Estimate(t.Context(), article)
		if (err != nil) != tt.wantErr || tt.wantErr && !errors.Is(err, llm.ErrContextTooLong) {
			t.Errorf("Estimate(%s) error = %v, want error %v", tt.strategy, err, tt.wantErr)
		}
		if tt.wantCalls >= 0 && est.Calls != tt.wantCalls {
			t.Errorf("Estimate(%s).Calls = %d, want %d", tt.strategy, est.Calls, tt.wantCalls)
		}
		if tt.strategy == config.OverflowTruncate && (est.DroppedTokens <= 0 || est.SentTokens > 4096-256) {
			t.Errorf("Estimate(truncate) = %+v, want tokens dropped and the prompt within the window", est)
		}
		if tt.wantChunks && (est.Chunks < 5 || est.Calls <= est.Chunks) {
			t.Errorf("Estimate(map-reduce) = %+v, want several chunks and a merge", est)
		}
		if n := len(f.srv.Requests()); n != 0 {
			t.Errorf("Estimate(%s) sent %d requests", tt.strategy, n)
		}
	}
}

func TestPackRuns(t *testing.T) {
	tests := []struct {
		tokens []int
		room   int
		want   [][2]int
	}{
		{nil, 10, nil},
		{[]int{4, 4, 4, 4}, 10, [][2]int{{0, 2}, {2, 4}}},
		{[]int{4, 20, 4}, 10, [][2]int{{0, 1}, {1, 2}, {2, 3}}},
		{[]int{3, 3, 3}, 9, [][2]int{{0, 3}}},
	}
	for _, tt := range tests {
		got := packRuns(tt.tokens, tt.room)
		if len(got) != len(tt.want) || (len(got) > 0 && !equalRuns(got, tt.want)) {
			t.Errorf("packRuns(%v, %d) = %v, want %v", tt.tokens, tt.room, got, tt.want)
		}
	}
}

func equalRuns(a, b [][2]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFormatParts(t *testing.T) {
	got := formatParts([][]string{{"A rose", "B fell"}, {"C won"}})
	want := "Part 1 of 2:\n- A rose\n- B fell\n\nPart 2 of 2:\n- C won"
	if got != want {
		t.Errorf("formatParts = %q, want %q", got, want)
	}
}

// BenchmarkOverflow measures what fitting a 200,000-word article to a
// window costs on our side: counting, chunking, rendering and parsing, with
// a backend that answers at once.
func BenchmarkOverflow(b *testing.B) {
	headline, reduce := mrPrompts(b)
	article := Article{Source: "long.txt", Body: mrArticle(200_000)}
	counter := budget.NewCounter()
	for _, bc := range []struct {
		name   string
		model  string
		window int
	}{
		{"gpt-4o-mini/8k", "gpt-4o-mini", 8_192},
		{"gpt-4o-mini/128k", "gpt-4o-mini", 128_000},
		{"llama3/8k", "llama3", 8_192},
	} {
		var calls int
		s := &LLM{Backend: fixedUsage(&calls), Opts: Options{Model: bc.model, Template: headline, Bullets: 3, MaxWords: 20, Language: "English", MaxTokens: 256}}
		m, _ := models.Lookup(bc.model, nil)
		m.ContextWindow = bc.window
		o := mustOverflow(b, s, OverflowOptions{Strategy: config.OverflowMapReduce, Model: m, Reduce: reduce, Counter: counter})
		b.Run("run/"+bc.name, func(b *testing.B) {
			var sum Summary
			b.SetBytes(int64(len(article.Body)))
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if sum, err = o.Summarize(b.Context(), article); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(sum.Chunks), "chunks")
			b.ReportMetric(float64(sum.Calls), "calls")
		})
		b.Run("estimate/"+bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(article.Body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := o.Estimate(b.Context(), article); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestTighter(t *testing.T) {
	server := func(msg string) error {
		return &llm.Error{Kind: llm.ErrContextTooLong, Status: 400, Message: msg}
	}
	tests := []struct {
		name   string
		err    error
		window int
		want   int
		wantOK bool
	}{
		{"openai", server("This model's maximum context length is 4096 tokens. However, your messages resulted in 5000 tokens."), 8192, 3686, true},
		{"llama.cpp", server("request (1163 tokens) exceeds the available context size (1024 tokens), try increasing it"), 8192, 921, true},
		{"stated by the adapter", &llm.Error{Kind: llm.ErrContextTooLong, Status: 400, Message: "too long", ContextWindow: 2000}, 8192, 1800, true},
		{"vllm", server("This model's maximum context length is 2048 tokens. However, you requested 2100 tokens (1588 in the messages, 512 in the completion)."), 8192, 1843, true},
		{"stated window not smaller", server("This model's maximum context length is 8192 tokens."), 8192, 4096, true},
		{"not stated", server("prompt is too long"), 8192, 4096, true},
		{"unknown window", llm.ErrContextTooLong, 0, models.DefaultContextWindow / 2, true},
		{"ours", &TooLongError{Window: 8192}, 8192, 0, false},
		{"other", server("x").(*llm.Error).Kind, 8192, 4096, true},
		{"rate limit", &llm.Error{Kind: llm.ErrRateLimited}, 8192, 0, false},
		{"nil", nil, 8192, 0, false},
	}
	var o Overflow
	for _, tt := range tests {
		got, ok := o.tighter(tt.err, tt.window)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%s: tighter(%v, %d) = %d, %v, want %d, %v", tt.name, tt.err, tt.window, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestOverflowNoRoom(t *testing.T) {
	article := Article{Source: "long.txt", Body: mrArticle(2_000)}
	tests := []struct {
		name   string
		window int
		want   string
	}{
		// The prompt's instructions and the reply leave no room for text.
		{"window too small", 300, "over the 300-token window of fake-mr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newMR(t, config.OverflowMapReduce, tt.window, 0)
			_, err := f.overflow.Summarize(t.Context(), article)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Summarize = %v, want an error containing %q", err, tt.want)
			}
			if n := len(f.srv.Requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

// Local servers' overflow replies (llama.cpp, Ollama, vLLM over a
// 1024-token window) make Overflow plan again for the window they state.
func TestOverflowLocalServerWindow(t *testing.T) {
	for _, model := range []string{"fake-ctx-llamacpp", "fake-ctx-ollama", "fake-ctx-vllm"} {
		t.Run(model, func(t *testing.T) {
			f := newMR(t, config.OverflowMapReduce, 16_384, 0, func(lo *Options, o *OverflowOptions) {
				lo.Model, o.Model.Name, o.Concurrency = model, model, 1
			})
			sum, err := f.overflow.Summarize(t.Context(), Article{Source: "mid.txt", Body: mrArticle(2_000)})
			if err != nil {
				t.Fatalf("Summarize = %v, want bullets after a second plan", err)
			}
			if len(sum.Bullets) != 3 || sum.Chunks < 2 {
				t.Errorf("bullets %q in %d chunks, want 3 from several parts", sum.Bullets, sum.Chunks)
			}
			if !f.warned("(1024 tokens): planning again for 921 tokens") {
				t.Errorf("warnings %q: want the server's 1024-token window used", f.warnings)
			}
		})
	}
}
