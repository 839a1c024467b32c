package llm

import "context"

// ModelLister is an optional interface: a Backend that can list the models
// its server offers. "summarize models" uses it.
type ModelLister interface {
	Models(ctx context.Context) ([]string, error)
}
