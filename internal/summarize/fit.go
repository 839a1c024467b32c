package summarize

import (
	"context"
	"fmt"

	"github.com/summarize-dev/summarize/internal/budget"
	"github.com/summarize-dev/summarize/internal/llm"
)

// fitFunc reports whether a request fits the window of the run it belongs
// to and, when it does not, says by how much.
type fitFunc func(msgs []llm.Message) (ok bool, why string)

type fitKey struct{}

// withFit makes the window of this Overflow run (the configured one, or the
// tighter one after a server's rejection) known to the requests made under
// ctx, so that a repair request is checked before it is sent.
func (o *Overflow) withFit(ctx context.Context, window int) context.Context {
	if window <= 0 {
		return ctx
	}
	count := o.opt.Counter.For(o.llm.Opts.Model)
	reserved := o.reserved(window)
	model := o.llm.Opts.Model
	f := fitFunc(func(msgs []llm.Message) (bool, string) {
		n := budget.MessagesTokens(count, msgs)
		if budget.Fits(n, reserved, window) {
			return true, ""
		}
		return false, fmt.Sprintf("(%d tokens, and %d for the reply) is over the %d-token window of %s", n, reserved, window, model)
	})
	return context.WithValue(ctx, fitKey{}, f)
}

func fitFrom(ctx context.Context) fitFunc {
	f, _ := ctx.Value(fitKey{}).(fitFunc)
	return f
}
