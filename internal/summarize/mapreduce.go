package summarize

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/budget"
	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/models"
	"github.com/summarize-dev/summarize/internal/prompt"
)

// Defaults of OverflowOptions.
const (
	DefaultMaxDepth    = 3 // merge levels of map-reduce, the final one included
	DefaultConcurrency = 4 // map requests in flight
)

var errNoReduce = errors.New("map-reduce: no reduce prompt")

// minRoom is the fewest article tokens a prompt must have room for before
// splitting an article is worth it.
const minRoom = 64

// Overflow is a Summarizer that fits articles to the model's context window
// before the one-request summarizer it wraps sends anything. Make one with
// NewOverflow.
//
// An article whose prompt plus the reply's reserved tokens fits goes through
// unchanged, in one request. One that does not is handled by the strategy;
// and when the server rejects a request as too long anyway (its window is
// smaller than configured), the whole article is planned again, once, for
// the window the server states or, when it states none, half the window.
type Overflow struct {
	llm *LLM
	opt OverflowOptions
}

// OverflowOptions configure an Overflow.
type OverflowOptions struct {
	// Strategy is config.OverflowError, OverflowTruncate or
	// OverflowMapReduce; there is no default.
	Strategy config.Overflow
	Model    models.Model // window, output limit and prices of the LLM's model
	// Counter counts tokens; share one per program (nil: a new one).
	Counter *budget.Counter
	// Reduce is the prompt that merges the parts' bullets; map-reduce
	// needs it (the built-in is config/prompts/reduce.tmpl).
	Reduce *prompt.Template
	// MaxDepth bounds the merge levels (0: DefaultMaxDepth). When the
	// parts' bullets do not fit one merge request, they are merged in
	// groups, and the groups' bullets merged again.
	MaxDepth int
	// Concurrency is how many parts of one article are summarized at once
	// (0: DefaultConcurrency). The requests of every article still count
	// against the bound of the LLM's backend (llm.WithInFlight), if any.
	Concurrency int
}

// NewOverflow wraps s, which summarizes an article in one request, in the
// strategy of o for articles that do not fit.
func NewOverflow(s *LLM, o OverflowOptions) (*Overflow, error) {
	if !slices.Contains(config.Overflows, o.Strategy) {
		return nil, fmt.Errorf("overflow strategy %q: want one of %v", o.Strategy, config.Overflows)
	}
	if o.Strategy == config.OverflowMapReduce && o.Reduce == nil {
		return nil, errNoReduce
	}
	if o.Counter == nil {
		o.Counter = budget.NewCounter()
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	return &Overflow{llm: s, opt: o}, nil
}

// LLM is the one-request summarizer o wraps (what --dry-run renders).
func (o *Overflow) LLM() *LLM { return o.llm }

// TooLongError is an article that does not fit and may not be split or cut
// (strategy error), or whose prompt leaves no room for any text. It
// matches llm.ErrContextTooLong with errors.Is.
type TooLongError struct {
	Model          string
	PromptTokens   int // the prompt as it would be sent
	ReservedTokens int // kept for the reply (llm.max_tokens)
	Window         int
	// Server is the server's own rejection that made the window tighter,
	// if any.
	Server error
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("%v: the prompt counts %d tokens and the reply needs %d, over the %d-token window of %s",
		llm.ErrContextTooLong, e.PromptTokens, e.ReservedTokens, e.Window, e.Model)
}

// Unwrap returns llm.ErrContextTooLong and the server's error, if any.
func (e *TooLongError) Unwrap() []error {
	if e.Server != nil {
		return []error{llm.ErrContextTooLong, e.Server}
	}
	return []error{llm.ErrContextTooLong}
}

// Summarize fits a to the window and summarizes it with the wrapped LLM:
// as it is, truncated, or in parts whose bullets are merged. It fills
// Summary.Chunks, Calls, Usage and Cost.
func (o *Overflow) Summarize(ctx context.Context, a Article) (Summary, error) {
	window := o.opt.Model.ContextWindow
	sum, err := o.run(o.withFit(ctx, window), a, window, nil)
	if tighter, ok := o.tighter(err, window); ok && ctx.Err() == nil {
		o.warn(fmt.Sprintf("%s: the server rejected a request as too long for its window (%s): planning again for %d tokens",
			a.Source, serverWindow(err), tighter))
		spent := sum
		sum, err = o.run(o.withFit(ctx, tighter), a, tighter, err)
		sum.Calls += spent.Calls
		sum.Usage.Add(spent.Usage)
	}
	sum.Cost = models.Cost(o.opt.Model, sum.Usage)
	return sum, err
}

// run is one attempt of Summarize for a window.
func (o *Overflow) run(ctx context.Context, a Article, window int, serverErr error) (Summary, error) {
	if o.fitsUncounted(a, window) {
		return o.llm.Summarize(ctx, a)
	}
	p, err := o.plan(a, window)
	if err != nil {
		return Summary{}, err
	}
	if p.fits {
		return o.llm.Summarize(ctx, a)
	}
	switch {
	case p.room < minRoom || o.opt.Strategy == config.OverflowError:
		return Summary{}, p.tooLong(serverErr)
	case o.opt.Strategy == config.OverflowTruncate:
		return o.truncate(ctx, a, p)
	}
	return o.mapReduce(ctx, a, p)
}

func (o *Overflow) warn(msg string) {
	if o.llm.Opts.Warn != nil {
		o.llm.Opts.Warn(msg)
	}
}

// tighter returns the window for a second attempt when err is the server's
// rejection of a request as too long: 90% of the window it states (our
// counts may differ from its), or half of ours when it states none smaller.
func (o *Overflow) tighter(err error, window int) (int, bool) {
	var ours *TooLongError
	if err == nil || !errors.Is(err, llm.ErrContextTooLong) || errors.As(err, &ours) {
		return 0, false
	}
	if n := statedWindow(err); n > 0 && (window <= 0 || n < window) {
		return n * 9 / 10, true
	}
	if window <= 0 {
		window = models.DefaultContextWindow
	}
	return window / 2, true
}

// statedWindow is the window the server stated in its rejection: the
// adapter's reading of it (llama.cpp's n_ctx), else a number in the
// message ("maximum context length is 4096 tokens", "context size (1024
// tokens)"); 0 when it stated none.
func statedWindow(err error) int {
	var e *llm.Error
	if errors.As(err, &e) && e.ContextWindow > 0 {
		return e.ContextWindow
	}
	return llm.ContextWindowIn(err.Error())
}

func serverWindow(err error) string {
	if n := statedWindow(err); n > 0 {
		return strconv.Itoa(n) + " tokens"
	}
	return "not stated"
}

// plan is what counting tells about an article before anything is sent.
type plan struct {
	model    string
	count    budget.CountFunc
	window   int
	reserved int // reply tokens kept free
	prompt   int // tokens of the whole prompt for the article as it is
	overhead int // tokens of the prompt with an empty article
	body     int // tokens of the article text
	room     int // article tokens that fit one prompt
	fits     bool
}

// fitsUncounted reports whether a's prompt fits window even at one token
// per byte, the most any text can count, so that the usual article in a
// large window is sent without tokenizing it.
func (o *Overflow) fitsUncounted(a Article, window int) bool {
	if window <= 0 {
		return true
	}
	msgs, err := o.llm.Messages(a)
	if err != nil {
		return false // plan reports it
	}
	bound := budget.MessagesTokens(o.opt.Counter.Bound(o.llm.Opts.Model), msgs)
	return budget.Fits(bound, o.reserved(window), window)
}

// plan counts a's prompt for window.
func (o *Overflow) plan(a Article, window int) (plan, error) {
	p := plan{model: o.llm.Opts.Model, count: o.opt.Counter.For(o.llm.Opts.Model), window: window}
	p.reserved = o.reserved(window)
	var err error
	if p.prompt, err = o.promptTokens(a, a.Body, p.count); err != nil {
		return p, err
	}
	if p.fits = budget.Fits(p.prompt, p.reserved, window); p.fits {
		return p, nil
	}
	if p.overhead, err = o.promptTokens(a, "", p.count); err != nil {
		return p, err
	}
	// A template may show the text more than once: each copy takes room.
	copies, err := o.copies(a)
	if err != nil {
		return p, err
	}
	p.body = (p.prompt - p.overhead) / copies
	p.room = (window - p.reserved - p.overhead) / copies
	return p, nil
}

// copies is how many times the prompt template shows the article text.
func (o *Overflow) copies(a Article) (int, error) {
	const mark = "\u2063article-text\u2063"
	a.Body = mark
	msgs, err := o.llm.Messages(a)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range msgs {
		n += strings.Count(m.Content, mark)
	}
	return max(n, 1), nil
}

func (p plan) tooLong(serverErr error) error {
	return &TooLongError{Model: p.model, PromptTokens: p.prompt, ReservedTokens: p.reserved, Window: p.window, Server: serverErr}
}

// reserved is the reply's share of the window: llm.max_tokens when set,
// else the model's output limit, at most a quarter of the window.
func (o *Overflow) reserved(window int) int {
	if o.llm.Opts.MaxTokens > 0 {
		return o.llm.Opts.MaxTokens
	}
	r := o.opt.Model.MaxOutput
	if r <= 0 {
		r = models.DefaultMaxOutput
	}
	if window > 0 {
		r = min(r, window/4)
	}
	return r
}

// promptTokens counts the normal prompt for a with body as its text.
func (o *Overflow) promptTokens(a Article, body string, count budget.CountFunc) (int, error) {
	a.Body = body
	msgs, err := o.llm.Messages(a)
	if err != nil {
		return 0, err
	}
	return budget.MessagesTokens(count, msgs), nil
}

// fitText shrinks room until every prompt cut(room) returns fits: the
// article's count inside a prompt may differ by a few tokens from its count
// alone. It returns the pieces and their prompts' token counts.
func (o *Overflow) fitText(a Article, p plan, cut func(room int) []string) (pieces []string, prompts []int, err error) {
	room := p.room
	for range 4 {
		pieces = cut(room)
		prompts = make([]int, len(pieces))
		excess := 0
		for i, piece := range pieces {
			if prompts[i], err = o.promptTokens(a, piece, p.count); err != nil {
				return nil, nil, err
			}
			excess = max(excess, prompts[i]+p.reserved-p.window)
		}
		if excess <= 0 {
			return pieces, prompts, nil
		}
		room -= excess + 1
		if room < minRoom {
			break
		}
	}
	return nil, nil, p.tooLong(nil)
}

// truncate cuts a at the last sentence boundary that fits and says so.
func (o *Overflow) truncate(ctx context.Context, a Article, p plan) (Summary, error) {
	var dropped, droppedSents int
	pieces, _, err := o.fitText(a, p, func(room int) []string {
		var kept string
		kept, dropped, droppedSents = budget.Truncate(a.Body, room, p.count)
		return []string{kept}
	})
	if err != nil {
		return Summary{}, err
	}
	cut := a
	cut.Body = pieces[0]
	sum, err := o.llm.Summarize(ctx, cut)
	w := fmt.Sprintf("%s: the article (%d tokens) is over the %d-token window of %s: truncated at a sentence boundary, dropping the last %d sentences (%d tokens, %.0f%% of the text)",
		a.Source, p.body, p.window, p.model, droppedSents, dropped, 100*float64(dropped)/float64(max(p.body, 1)))
	if err == nil {
		sum.Warnings = append(sum.Warnings, w)
		o.warn(w)
	}
	return sum, err
}

// mapReduce summarizes each chunk of a with the normal prompt, then merges
// the chunks' bullets with the reduce prompt.
func (o *Overflow) mapReduce(ctx context.Context, a Article, p plan) (Summary, error) {
	chunks, _, err := o.fitText(a, p, func(room int) []string { return budget.Chunk(a.Body, room, p.count) })
	if err != nil {
		return Summary{}, err
	}
	var acc Summary
	parts, err := o.mapChunks(ctx, a, chunks, &acc)
	if err != nil {
		return acc, err
	}
	sum, err := o.reduce(ctx, a, p, parts, 1, &acc)
	sum.Calls, sum.Usage, sum.Chunks = acc.Calls, acc.Usage, len(chunks)
	sum.Prompt = o.llm.Opts.Template.ID() + "+" + o.opt.Reduce.ID()
	if err != nil {
		return sum, err
	}
	w := fmt.Sprintf("%s: the article (%d tokens) is over the %d-token window of %s: summarized in %d parts, then merged; %d requests",
		a.Source, p.body, p.window, p.model, len(chunks), sum.Calls)
	sum.Warnings = append(sum.Warnings, w)
	o.warn(w)
	return sum, nil
}

// mapChunks summarizes the chunks, a few at a time, and returns their
// bullets in order. A chunk whose reply holds no bullets is skipped with a
// warning; any other error stops the lot.
func (o *Overflow) mapChunks(ctx context.Context, a Article, chunks []string, acc *Summary) ([][]string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sums := make([]Summary, len(chunks))
	errs := make([]error, len(chunks))
	sem := make(chan struct{}, o.opt.Concurrency)
	var wg sync.WaitGroup
	for i, c := range chunks {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			part := a
			part.Body = c
			sums[i], errs[i] = o.llm.Summarize(ctx, part)
			if errs[i] != nil && !errors.Is(errs[i], ErrNoBullets) && !deferred(errs[i]) {
				cancel()
			}
		})
	}
	wg.Wait()
	var parts [][]string
	var firstErr error
	for i := range chunks {
		s := sums[i]
		var re *ReplyError
		if errors.As(errs[i], &re) {
			s = re.Sum
		}
		acc.Calls += s.Calls
		acc.Usage.Add(s.Usage)
		switch err := errs[i]; {
		case err == nil:
			parts = append(parts, s.Bullets)
		case errors.Is(err, ErrNoBullets):
			o.warn(fmt.Sprintf("%s: part %d of %d: %v; skipped", a.Source, i+1, len(chunks), err))
		case firstErr == nil || errors.Is(firstErr, context.Canceled) && !errors.Is(err, context.Canceled):
			firstErr = fmt.Errorf("part %d of %d: %w", i+1, len(chunks), err)
		}
	}
	if firstErr == nil {
		firstErr = ctx.Err() // the caller's context, since ours is still live
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if len(parts) == 0 {
		return nil, &ReplyError{Err: fmt.Errorf("map-reduce: %w in any of %d parts", ErrNoBullets, len(chunks)), Sum: *acc}
	}
	return parts, nil
}

// deferred reports whether err puts a request off for later (a batch
// collection pass, batch.ErrDeferred): no reason to stop the other parts,
// whose requests the pass records too.
func deferred(err error) bool {
	var d interface{ Deferred() bool }
	return errors.As(err, &d) && d.Deferred()
}

// reduce merges parts into the final bullets. When the merge request does
// not fit, it merges groups of parts first, and recurses, at most MaxDepth
// levels in all.
func (o *Overflow) reduce(ctx context.Context, a Article, p plan, parts [][]string, depth int, acc *Summary) (Summary, error) {
	msgs, n, err := o.reduceMessages(a, parts, p.count)
	if err != nil {
		return Summary{}, err
	}
	if budget.Fits(n, p.reserved, p.window) {
		sum, err := o.llm.Ask(ctx, a.Source, msgs)
		o.collect(acc, sum, err)
		return sum, err
	}
	if depth >= o.opt.MaxDepth {
		return Summary{}, fmt.Errorf("map-reduce: the bullets of %d parts count %d tokens after %d merge levels, over the %d-token window of %s: %w",
			len(parts), n, depth-1, p.window, p.model, llm.ErrContextTooLong)
	}
	groups, err := o.groups(a, p, parts)
	if err != nil {
		return Summary{}, err
	}
	if len(groups) == len(parts) {
		return Summary{}, fmt.Errorf("map-reduce: no two parts' bullets fit one merge request in the %d-token window of %s: %w",
			p.window, p.model, llm.ErrContextTooLong)
	}
	next := make([][]string, 0, len(groups))
	for _, g := range groups {
		if len(g) == 1 {
			next = append(next, g[0])
			continue
		}
		gm, _, err := o.reduceMessages(a, g, p.count)
		if err != nil {
			return Summary{}, err
		}
		sum, err := o.llm.Ask(ctx, a.Source, gm)
		o.collect(acc, sum, err)
		if err != nil {
			return Summary{}, fmt.Errorf("merge level %d: %w", depth, err)
		}
		next = append(next, sum.Bullets)
	}
	return o.reduce(ctx, a, p, next, depth+1, acc)
}

// collect adds what a request cost to acc.
func (o *Overflow) collect(acc *Summary, sum Summary, err error) {
	var re *ReplyError
	if errors.As(err, &re) {
		sum = re.Sum
	}
	acc.Calls += sum.Calls
	acc.Usage.Add(sum.Usage)
}

// groups packs consecutive parts into merge requests that fit.
func (o *Overflow) groups(a Article, p plan, parts [][]string) ([][][]string, error) {
	_, overhead, err := o.reduceMessages(a, nil, p.count)
	if err != nil {
		return nil, err
	}
	room := p.window - p.reserved - overhead
	tokens := make([]int, len(parts))
	for i, part := range parts {
		tokens[i] = p.count(formatPart(i, len(parts), part)) + 2 // the blank line between parts
	}
	var groups [][][]string
	for _, r := range packRuns(tokens, room) {
		g := parts[r[0]:r[1]]
		// Check the real count; drop parts from the end while over.
		for len(g) > 1 {
			_, n, err := o.reduceMessages(a, g, p.count)
			if err != nil {
				return nil, err
			}
			if budget.Fits(n, p.reserved, p.window) {
				break
			}
			g = g[:len(g)-1]
		}
		groups = append(groups, g)
		if len(g) < r[1]-r[0] {
			// What was dropped starts the next run; repack the rest.
			rest, err := o.groups(a, p, parts[r[0]+len(g):])
			if err != nil {
				return nil, err
			}
			return append(groups, rest...), nil
		}
	}
	return groups, nil
}

// packRuns groups consecutive items greedily so that each run's tokens sum
// to at most room; an item larger than room gets a run of its own. It
// returns [start, end) index pairs.
func packRuns(tokens []int, room int) [][2]int {
	var runs [][2]int
	for i := 0; i < len(tokens); {
		j, sum := i+1, tokens[i]
		for j < len(tokens) && sum+tokens[j] <= room {
			sum += tokens[j]
			j++
		}
		runs = append(runs, [2]int{i, j})
		i = j
	}
	return runs
}

// reduceMessages renders the reduce prompt over parts and counts it.
func (o *Overflow) reduceMessages(a Article, parts [][]string, count budget.CountFunc) ([]llm.Message, int, error) {
	d := o.llm.Opts.Data(a)
	d.Text = formatParts(parts)
	d.Examples = nil
	msgs, err := o.opt.Reduce.Render(d)
	if err != nil {
		return nil, 0, err
	}
	return msgs, budget.MessagesTokens(count, msgs), nil
}

// formatParts is the reduce prompt's text: each part's bullets under a
// "Part I of K:" line, parts separated by blank lines.
func formatParts(parts [][]string) string {
	var b strings.Builder
	for i, part := range parts {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(formatPart(i, len(parts), part))
	}
	return b.String()
}

func formatPart(i, k int, bullets []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Part %d of %d:", i+1, k)
	for _, s := range bullets {
		b.WriteString("\n- ")
		b.WriteString(s)
	}
	return b.String()
}

// Estimate is what Overflow.Summarize would send for an article, counted
// without calling anything (what --estimate prints).
type Estimate struct {
	Strategy     config.Overflow `json:"strategy"`
	Window       int             `json:"window"`
	PromptTokens int             `json:"prompt_tokens"` // the prompt for the whole article in one request
	Fits         bool            `json:"fits"`
	Chunks       int             `json:"chunks"` // parts the article is summarized in; 1 when it fits or is truncated
	// Calls is the planned requests, repair requests not included; 0 when
	// the article does not fit and the strategy is error.
	Calls int `json:"calls"`
	// SentTokens is the prompt tokens of all planned requests. The merge
	// requests of map-reduce are estimated from the bullet count and
	// length, since their text does not exist yet.
	SentTokens int `json:"sent_tokens"`
	// MaxOutputTokens is Calls × the tokens reserved for each reply: an
	// upper bound.
	MaxOutputTokens int `json:"max_output_tokens"`
	DroppedTokens   int `json:"dropped_tokens,omitempty"` // article tokens truncate drops
	// Cost in US dollars, an upper bound: SentTokens at the input price
	// plus MaxOutputTokens at the output price.
	Cost float64 `json:"cost_usd"`
}

// Estimate plans a like Summarize and counts what it would send. When a does not
// fit and the strategy is error, it returns the estimate (with no calls)
// and a *TooLongError.
func (o *Overflow) Estimate(ctx context.Context, a Article) (Estimate, error) {
	window := o.opt.Model.ContextWindow
	p, err := o.plan(a, window)
	if err != nil {
		return Estimate{}, err
	}
	e := Estimate{Strategy: o.opt.Strategy, Window: window, PromptTokens: p.prompt, Fits: p.fits}
	switch {
	case p.fits:
		e.Chunks, e.Calls, e.SentTokens = 1, 1, p.prompt
	case p.room < minRoom || o.opt.Strategy == config.OverflowError:
		return e, p.tooLong(nil)
	case o.opt.Strategy == config.OverflowTruncate:
		var dropped int
		_, prompts, err := o.fitText(a, p, func(room int) []string {
			var kept string
			kept, dropped, _ = budget.Truncate(a.Body, room, p.count)
			return []string{kept}
		})
		if err != nil {
			return e, err
		}
		e.Chunks, e.Calls, e.SentTokens, e.DroppedTokens = 1, 1, prompts[0], dropped
	default:
		chunks, prompts, err := o.fitText(a, p, func(room int) []string { return budget.Chunk(a.Body, room, p.count) })
		if err != nil {
			return e, err
		}
		e.Chunks, e.Calls = len(chunks), len(chunks)
		for _, n := range prompts {
			e.SentTokens += n
		}
		calls, sent, err := o.estimateReduce(a, p, len(chunks))
		if err != nil {
			return e, err
		}
		e.Calls += calls
		e.SentTokens += sent
	}
	e.MaxOutputTokens = e.Calls * p.reserved
	e.Cost = models.Cost(o.opt.Model, llm.Usage{PromptTokens: e.SentTokens, CompletionTokens: e.MaxOutputTokens})
	return e, ctx.Err()
}

// estimateReduce simulates the merge levels of k parts, each part taken as
// its bullets at their longest (MaxWords words of about 4/3 tokens each).
func (o *Overflow) estimateReduce(a Article, p plan, k int) (calls, sent int, err error) {
	_, overhead, err := o.reduceMessages(a, nil, p.count)
	if err != nil {
		return 0, 0, err
	}
	words := max(o.llm.Opts.MaxWords, 1)
	part := p.count(formatPart(k-1, k, nil)) + 2 + max(o.llm.Opts.Bullets, 1)*(words*4/3+3)
	room := p.window - p.reserved - overhead
	maxDepth := o.opt.MaxDepth
	for depth := 1; ; depth++ {
		if budget.Fits(overhead+k*part, p.reserved, p.window) {
			return calls + 1, sent + overhead + k*part, nil
		}
		perGroup := room / part
		if depth >= maxDepth || perGroup < 2 {
			return calls, sent, &TooLongError{Model: p.model, PromptTokens: overhead + k*part, ReservedTokens: p.reserved, Window: p.window}
		}
		groups := (k + perGroup - 1) / perGroup
		full := k / perGroup // groups of perGroup parts; a last group of one part needs no request
		if rest := k % perGroup; rest > 1 {
			full++
		}
		calls += full
		sent += full*overhead + min(k, full*perGroup)*part
		k = groups
	}
}
