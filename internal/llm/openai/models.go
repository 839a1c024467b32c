package openai

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/summarize-dev/summarize/internal/llm"
)

// Stream sends req with "stream": true and calls onDelta with each piece of
// content as it arrives; it returns the whole reply. A stream that ends
// without a finish reason (the connection closed early) is ErrUnavailable.
// Usage is reported only by servers that send it unasked.
func (c *Client) Stream(ctx context.Context, req llm.Request, onDelta func(string)) (llm.Response, error) {
	w, warnings, err := c.prepare(req)
	if err != nil {
		return llm.Response{}, err
	}
	start := time.Now()
	ex := &exchange{zeroTemperature: w.Temperature == zeroTemperatureMark}
	st, err := c.api.CreateChatCompletionStream(withExchange(ctx, ex), w)
	if err != nil {
		return llm.Response{Latency: time.Since(start)}, c.redact(classify(err, ex.seen(c.endpoint)))
	}
	defer st.Close()

	var (
		resp    = llm.Response{Warnings: warnings}
		content strings.Builder
		choices bool
	)
	for {
		chunk, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			resp.Content, resp.Latency = content.String(), time.Since(start)
			return resp, c.redact(classify(err, seen{base: c.endpoint}))
		}
		if chunk.Model != "" {
			resp.Model = chunk.Model
		}
		if u := chunk.Usage; u != nil {
			resp.Usage = llm.Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue
			}
			choices = true
			if d := ch.Delta.Content; d != "" {
				content.WriteString(d)
				if onDelta != nil {
					onDelta(d)
				}
			}
			if ch.FinishReason != "" {
				resp.FinishReason = string(ch.FinishReason)
			}
		}
	}
	resp.Content, resp.Latency = content.String(), time.Since(start)
	switch {
	case !choices:
		return resp, &llm.Error{Kind: llm.ErrInvalidResponse, Message: "the stream has no choices"}
	case resp.FinishReason == "":
		return resp, &llm.Error{Kind: llm.ErrUnavailable, Message: "the stream ended before the reply was complete"}
	}
	return resp, nil
}

// Models lists the IDs of the models the server offers, sorted.
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
