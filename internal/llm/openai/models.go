package openai

import (
	"context"
	"slices"
)

// Models lists the IDs of the models the server offers, sorted. It makes
// the Client an llm.ModelLister, for "summarize models".
func (c *Client) Models(ctx context.Context) ([]string, error) {
	ex := &exchange{}
	list, err := c.api.ListModels(withExchange(ctx, ex))
	if err != nil {
		return nil, c.redact(classify(err, ex.seen(c.endpoint)))
	}
	ids := make([]string, 0, len(list.Models))
	for _, m := range list.Models {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids, nil
}
