package summarize

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/bullet"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/prompt"
)

// Options configure the LLM summarizer.
type Options struct {
	Model       string
	Template    *prompt.Template
	Bullets     int
	MaxWords    int
	Language    string
	Examples    []prompt.Example
	Temperature float64
	MaxTokens   int
	// Seed asks the server for reproducible sampling; 0 = unset.
	Seed int
	// Strict makes a contract violation that survives the repair request an
	// error instead of a warning.
	Strict bool
	// KeepRaw copies the model's last reply into Summary.Raw.
	KeepRaw bool
	// Warn receives notices meant for stderr; nil drops them.
	Warn func(string)
}

// LLM summarizes with a language model, an article in one request (plus at
// most one repair request). It sends every article as it is: wrap it in an
// Overflow to fit long ones to the model's context window.
type LLM struct {
	Backend llm.Backend
	Opts    Options

	mu     sync.Mutex
	warned map[string]bool // adapter notices already sent to Opts.Warn
}

// Rules is the bullet contract for these options.
func (o Options) Rules() bullet.Rules {
	return bullet.Rules{MinBullets: o.Bullets, MaxBullets: o.Bullets, MaxWords: o.MaxWords, MinWords: 2}
}

// Data is the template data for a.
func (o Options) Data(a Article) prompt.Data {
	return prompt.Data{
		Title: a.Title, Text: a.Body, Bullets: o.Bullets, MaxWords: o.MaxWords,
		Language: o.Language, Source: a.Source, Date: a.Date, Site: a.SiteName,
		Examples: o.Examples,
	}
}

// Messages renders the prompt for a (what --dry-run prints).
func (s *LLM) Messages(a Article) ([]llm.Message, error) {
	return s.Opts.Template.Render(s.Opts.Data(a))
}

// Summarize renders the prompt, asks the model, parses and checks the
// bullets, and asks once more when they break the contract.
func (s *LLM) Summarize(ctx context.Context, a Article) (Summary, error) {
	msgs, err := s.Messages(a)
	if err != nil {
		return Summary{}, err
	}
	return s.Ask(ctx, a.Source, msgs)
}

// Ask sends msgs, parses the reply into bullets and checks them against the
// contract, with one repair request when they break it.
func (s *LLM) Ask(ctx context.Context, source string, msgs []llm.Message) (Summary, error) {
	start := time.Now()
	sum := Summary{Source: source, Backend: string(config.BackendOpenAI), Model: s.Opts.Model, Prompt: s.Opts.Template.ID()}
	resp, err := s.complete(ctx, msgs, &sum)
	if err != nil {
		return sum, err
	}
	// Text the parser set aside (a preamble, a closing remark) is kept in
	// Summary.Leftovers for the eval's contract metric, but is not worth a
	// second paid request: only the bullets themselves are checked here.
	rules := s.Opts.Rules()
	p := s.parse(resp, &sum)
	vs := bullet.Check(p.Bullets, nil, rules)
	notRepaired := ""
	if len(vs) > 0 && ctx.Err() == nil {
		var r2 llm.Response
		var p2 bullet.Parsed
		r2, p2, notRepaired, err = s.repair(ctx, msgs, resp, p, vs, &sum)
		if err != nil && len(p.Bullets) == 0 {
			return sum, err
		}
		if notRepaired == "" {
			vs2 := bullet.Check(p2.Bullets, nil, rules)
			if len(p2.Bullets) > 0 && len(vs2) <= len(vs) {
				resp, p, vs = r2, p2, vs2
			}
		}
	}
	sum.Duration = Millis(time.Since(start))
	sum.Bullets = p.Bullets
	sum.Leftovers = p.Leftovers
	if s.Opts.KeepRaw {
		sum.Raw = resp.Content
	}
	if len(p.Bullets) == 0 {
		return sum, &ReplyError{Err: ErrNoBullets, Raw: resp.Content, Sum: sum}
	}
	for _, v := range vs {
		sum.Violations = append(sum.Violations, v.String())
	}
	if notRepaired != "" {
		s.warn(&sum, source+": the bullets were not repaired: "+notRepaired)
	}
	if len(vs) > 0 {
		if s.Opts.Strict {
			msg := strings.Join(sum.Violations, "; ")
			if notRepaired != "" {
				msg += " (not repaired: " + notRepaired + ")"
			}
			return sum, &ReplyError{Err: fmt.Errorf("%w: %s", ErrContract, msg), Raw: resp.Content, Sum: sum}
		}
		s.warn(&sum, source+": the bullets break the contract: "+strings.Join(sum.Violations, "; "))
	}
	return sum, nil
}

// repair asks once more for bullets that keep the rules. When the repair
// request does not fit the window (the first reply was long), it is sent
// with the first reply's bullets alone; when even that does not fit, or
// the request fails, it returns why the bullets were not repaired.
func (s *LLM) repair(ctx context.Context, msgs []llm.Message, resp llm.Response, p bullet.Parsed, vs []bullet.Violation, sum *Summary) (llm.Response, bullet.Parsed, string, error) {
	rules := s.Opts.Rules()
	build := func(previous string) []llm.Message {
		return append(append([]llm.Message{}, msgs...),
			llm.Message{Role: llm.RoleAssistant, Content: previous},
			llm.Message{Role: llm.RoleUser, Content: repairText(vs, rules)})
	}
	req := build(resp.Content)
	fit := fitFrom(ctx)
	if fit != nil {
		if ok, _ := fit(req); !ok && len(p.Bullets) > 0 {
			req = build("- " + strings.Join(p.Bullets, "\n- "))
		}
		if ok, why := fit(req); !ok {
			return llm.Response{}, bullet.Parsed{}, "the repair request " + why, nil
		}
	}
	r2, err := s.complete(ctx, req, sum)
	if err != nil {
		return r2, bullet.Parsed{}, "the repair request failed: " + err.Error(), err
	}
	return r2, s.parse(r2, sum), "", nil
}

// parse parses a reply's bullets. A reply cut at the token limit
// (finish_reason "length") loses its last bullet, which was cut short, and
// the summary says so.
func (s *LLM) parse(resp llm.Response, sum *Summary) bullet.Parsed {
	p := bullet.Parse(resp.Content)
	if resp.FinishReason != llm.FinishLength {
		return p
	}
	limit := "the server's limit"
	if s.Opts.MaxTokens > 0 {
		limit = fmt.Sprintf("llm.max_tokens = %d", s.Opts.MaxTokens)
	}
	sum.Truncated = true
	w := fmt.Sprintf("%s: the reply was cut at the token limit (%s)", sum.Source, limit)
	if len(p.Bullets) > 1 {
		w += fmt.Sprintf(": its last bullet, cut short, was dropped (%q)", p.Bullets[len(p.Bullets)-1])
		p.Bullets = p.Bullets[:len(p.Bullets)-1]
	} else {
		w += ": its only bullet may be cut short"
	}
	s.warn(sum, w+"; raise llm.max_tokens (--max-tokens)")
	return p
}

// warn records w in the summary and sends it to Opts.Warn.
func (s *LLM) warn(sum *Summary, w string) {
	sum.Warnings = append(sum.Warnings, w)
	if s.Opts.Warn != nil {
		s.Opts.Warn(w)
	}
}

// warnOnce sends an adapter's notice (a temperature the model does not
// take) to Opts.Warn the first time it is seen.
func (s *LLM) warnOnce(ws []string) {
	if s.Opts.Warn == nil || len(ws) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.warned == nil {
		s.warned = map[string]bool{}
	}
	for _, w := range ws {
		if !s.warned[w] {
			s.warned[w] = true
			s.Opts.Warn(w)
		}
	}
}

func (s *LLM) complete(ctx context.Context, msgs []llm.Message, sum *Summary) (llm.Response, error) {
	resp, err := s.Backend.Complete(ctx, llm.Request{
		Model: s.Opts.Model, Messages: msgs,
		Temperature: s.Opts.Temperature, MaxTokens: s.Opts.MaxTokens, Seed: s.Opts.Seed,
	})
	sum.Calls++
	if err != nil {
		return resp, err
	}
	s.warnOnce(resp.Warnings)
	sum.Usage.Add(resp.Usage)
	sum.Cached = resp.Cached
	if resp.Model != "" {
		sum.Model = resp.Model
	}
	switch {
	case resp.Refusal != "":
		return resp, &ReplyError{Err: fmt.Errorf("%w: %s", ErrRefused, resp.Refusal), Raw: resp.Refusal, Sum: *sum}
	case resp.FinishReason == llm.FinishContentFilter:
		return resp, &ReplyError{Err: ErrFiltered, Raw: resp.Content, Sum: *sum}
	case strings.TrimSpace(resp.Content) == "":
		return resp, &ReplyError{Err: errors.New("the model returned an empty reply"), Sum: *sum}
	}
	return resp, nil
}

func repairText(vs []bullet.Violation, r bullet.Rules) string {
	var b strings.Builder
	b.WriteString("Your reply broke these rules:\n")
	for _, v := range vs {
		b.WriteString("- " + v.String() + "\n")
	}
	fmt.Fprintf(&b, "Reply again with exactly %d bullets, each on its own line starting with \"- \", at most %d words each, and nothing else.", r.MaxBullets, r.MaxWords)
	return b.String()
}
