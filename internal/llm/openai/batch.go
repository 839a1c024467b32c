package openai

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/llm/batch"
)

// This file is the batch.API of Client: OpenAI's Files and Batches calls
// through go-openai, with the request bodies Complete would send.

var _ batch.API = (*Client)(nil)

// BatchLine encodes one line of a batch input file: the body is the one
// Complete sends for req (reasoning-model fixes, temperature 0 kept).
func (c *Client) BatchLine(customID string, req llm.Request) ([]byte, error) {
	w, _, err := c.prepare(req)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	if w.Temperature == zeroTemperatureMark {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			return nil, err
		}
		fields["temperature"] = json.RawMessage("0")
		if body, err = json.Marshal(fields); err != nil {
			return nil, err
		}
	}
	return json.Marshal(struct {
		CustomID string                 `json:"custom_id"`
		Method   string                 `json:"method"`
		URL      goopenai.BatchEndpoint `json:"url"`
		Body     json.RawMessage        `json:"body"`
	}{customID, http.MethodPost, goopenai.BatchEndpointChatCompletions, body})
}

// UploadBatchFile uploads a batch input file.
func (c *Client) UploadBatchFile(ctx context.Context, name string, jsonl []byte) (string, error) {
	ex := &exchange{}
	f, err := c.api.CreateFileBytes(withExchange(ctx, ex), goopenai.FileBytesRequest{
		Name: name, Bytes: jsonl, Purpose: goopenai.PurposeBatch})
	if err != nil {
		return "", c.redact(classify(err, ex.seen(c.endpoint)))
	}
	return f.ID, nil
}

// CreateBatch starts a batch of chat completions over an uploaded file.
func (c *Client) CreateBatch(ctx context.Context, inputFileID string, metadata map[string]string) (batch.Status, error) {
	meta := make(map[string]any, len(metadata))
	for k, v := range metadata {
		meta[k] = v
	}
	ex := &exchange{}
	resp, err := c.api.CreateBatch(withExchange(ctx, ex), goopenai.CreateBatchRequest{
		InputFileID: inputFileID, Endpoint: goopenai.BatchEndpointChatCompletions,
		CompletionWindow: "24h", Metadata: meta})
	if err != nil {
		return batch.Status{}, c.redact(classify(err, ex.seen(c.endpoint)))
	}
	return batchStatus(resp.Batch), nil
}

// RetrieveBatch returns a batch's status.
func (c *Client) RetrieveBatch(ctx context.Context, id string) (batch.Status, error) {
	ex := &exchange{}
	resp, err := c.api.RetrieveBatch(withExchange(ctx, ex), id)
	if err != nil {
		return batch.Status{}, c.redact(classify(err, ex.seen(c.endpoint)))
	}
	return batchStatus(resp.Batch), nil
}

// CancelBatch asks for a batch to be cancelled.
func (c *Client) CancelBatch(ctx context.Context, id string) (batch.Status, error) {
	ex := &exchange{}
	resp, err := c.api.CancelBatch(withExchange(ctx, ex), id)
	if err != nil {
		return batch.Status{}, c.redact(classify(err, ex.seen(c.endpoint)))
	}
	return batchStatus(resp.Batch), nil
}

// BatchFileContent streams a file's content.
func (c *Client) BatchFileContent(ctx context.Context, fileID string) (io.ReadCloser, error) {
	ex := &exchange{}
	raw, err := c.api.GetFileContent(withExchange(ctx, ex), fileID)
	if err != nil {
		return nil, c.redact(classify(err, ex.seen(c.endpoint)))
	}
	return raw.ReadCloser, nil
}

// BatchResponse decodes the reply a batch line got as Complete would.
func (c *Client) BatchResponse(req llm.Request, status int, body []byte) (llm.Response, error) {
	_, warnings := wireRequest(req)
	if status != http.StatusOK {
		reqErr := &goopenai.RequestError{HTTPStatus: http.StatusText(status), HTTPStatusCode: status, Body: body}
		var eb goopenai.ErrorResponse
		if json.Unmarshal(body, &eb) == nil && eb.Error != nil {
			eb.Error.HTTPStatusCode = status
			reqErr.Err = eb.Error
		} else {
			reqErr.Err = errors.New(snippet(body))
		}
		return llm.Response{}, c.redact(classify(reqErr, seen{body: body, base: c.endpoint}))
	}
	var resp goopenai.ChatCompletionResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return llm.Response{}, c.redact(classify(err, seen{base: c.endpoint}))
	}
	return fromWire(resp, status, warnings)
}

// batchStatus converts go-openai's batch object.
func batchStatus(b goopenai.Batch) batch.Status {
	s := batch.Status{
		ID: b.ID, State: b.Status, InputFileID: b.InputFileID,
		Counts:    batch.Counts{Total: b.RequestCounts.Total, Completed: b.RequestCounts.Completed, Failed: b.RequestCounts.Failed},
		CreatedAt: time.Unix(int64(b.CreatedAt), 0).UTC(),
	}
	if b.OutputFileID != nil {
		s.OutputFileID = *b.OutputFileID
	}
	if b.ErrorFileID != nil {
		s.ErrorFileID = *b.ErrorFileID
	}
	if b.ExpiresAt != nil {
		s.ExpiresAt = time.Unix(int64(*b.ExpiresAt), 0).UTC()
	}
	if b.Errors != nil {
		for _, d := range b.Errors.Data {
			p := batch.Problem{Code: d.Code, Message: d.Message}
			if d.Param != nil {
				p.Param = *d.Param
			}
			if d.Line != nil {
				p.Line = *d.Line
			}
			s.Problems = append(s.Problems, p)
		}
	}
	if len(b.Metadata) > 0 {
		s.Metadata = make(map[string]string, len(b.Metadata))
		for k, v := range b.Metadata {
			if str, ok := v.(string); ok {
				s.Metadata[k] = str
			}
		}
	}
	return s
}
