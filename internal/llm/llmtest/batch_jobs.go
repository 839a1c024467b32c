package llmtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
)

// batchJob is one batch and its progress.
type batchJob struct {
	obj    BatchObject
	faults BatchFaults
	header http.Header // the creator's credentials, for the lines' chat requests
	input  []byte

	polls   int         // retrieves in the current status (or step)
	lines   []inputLine // parsed when validated
	next    int         // lines answered so far
	out     [][]byte    // output file lines, in answer order
	errFile [][]byte    // error file lines, in answer order
}

// inputLine is a validated line of the input file.
type inputLine struct {
	customID string
	body     []byte
}

// advance moves j on by one tick. Call with b.mu held.
func (b *BatchServer) advance(j *batchJob) {
	switch j.obj.Status {
	case StatusValidating, StatusInProgress, StatusFinalizing, StatusCancelling:
	default:
		return // final
	}
	j.polls++
	if j.polls < max(j.faults.PollsPerStatus, 1) {
		return
	}
	j.polls = 0
	now := b.now()
	switch j.obj.Status {
	case StatusValidating:
		lines, errs := validate(j.input, j.obj.Endpoint)
		if j.faults.FailValidation != nil {
			errs = []BatchError{*j.faults.FailValidation}
		}
		if len(errs) > 0 {
			j.obj.Status, j.obj.FailedAt = StatusFailed, &now
			j.obj.Errors = &BatchErrors{Object: "list", Data: errs}
			return
		}
		j.lines = lines
		j.obj.Status, j.obj.InProgressAt = StatusInProgress, &now
		j.obj.RequestCounts.Total = len(lines)
	case StatusInProgress:
		n := len(j.lines) - j.next
		if j.faults.LinesPerPoll > 0 {
			n = min(n, j.faults.LinesPerPoll)
		}
		if k := j.faults.ExpireAfter; k > 0 {
			n = min(n, max(k-j.next, 0))
		}
		for range n {
			b.answer(j, j.lines[j.next])
			j.next++
		}
		switch {
		case j.faults.ExpireAfter > 0 && j.next >= j.faults.ExpireAfter && j.next < len(j.lines):
			b.finish(j, CodeBatchExpired, "This request could not be executed before the completion window expired.")
			j.obj.Status, j.obj.ExpiredAt = StatusExpired, &now
		case j.next == len(j.lines):
			j.obj.Status, j.obj.FinalizingAt = StatusFinalizing, &now
		}
	case StatusFinalizing:
		b.finish(j, "", "")
		j.obj.Status, j.obj.CompletedAt = StatusCompleted, &now
	case StatusCancelling:
		b.finish(j, CodeBatchCancelled, "This request was not executed because the batch was cancelled.")
		j.obj.Status, j.obj.CancelledAt = StatusCancelled, &now
	}
}

// finish writes the output and error files, with the lines not answered
// yet in the error file under code. Call with b.mu held.
func (b *BatchServer) finish(j *batchJob, code, msg string) {
	for _, l := range j.lines[j.next:] {
		j.errFile = append(j.errFile, marshal(BatchOutputLine{ID: b.newID("batch_req_"), CustomID: l.customID,
			Error: &BatchLineError{Code: code, Message: msg}}))
	}
	j.next = len(j.lines)
	seed, _ := strconv.ParseUint(j.obj.ID[len("batch_llmtest"):], 10, 64)
	rng := rand.New(rand.NewPCG(seed, uint64(len(j.lines))))
	file := func(lines [][]byte, purpose string) *string {
		if len(lines) == 0 {
			return nil
		}
		shuffle(rng, lines)
		f := b.storeFile(j.obj.ID+"_"+purpose+".jsonl", purpose, bytes.Join(lines, nil))
		return &f.obj.ID
	}
	j.obj.OutputFileID = file(j.out, "batch_output")
	j.obj.ErrorFileID = file(j.errFile, "batch_output")
	j.out, j.errFile, j.lines, j.input = nil, nil, nil, nil
}

// shuffle permutes lines so that, when there are two or more, their order
// is never the one they were answered in.
func shuffle(rng *rand.Rand, lines [][]byte) {
	perm := rng.Perm(len(lines))
	if len(lines) > 1 && slices.IsSorted(perm) {
		slices.Reverse(perm)
	}
	orig := slices.Clone(lines)
	for i, k := range perm {
		lines[i] = orig[k]
	}
}

// answer runs one line through the chat handler and files its reply. Call
// with b.mu held.
func (b *BatchServer) answer(j *batchJob, l inputLine) {
	id := b.newID("batch_req_")
	reqID := "req_" + id
	var rec lineRecorder
	if slices.Contains(j.faults.FailCustomIDs, l.customID) {
		rec.WriteHeader(http.StatusInternalServerError)
		rec.body.Write(marshal(errorBody{Error: APIError{Type: "server_error",
			Message: "The server had an error while processing your request. Sorry about that!"}}))
	} else {
		// A cancelled context: a reply with a Delay returns at once with
		// nothing written, and the line fails with request_timeout.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r, _ := http.NewRequestWithContext(ctx, http.MethodPost, "/v1/chat/completions", bytes.NewReader(l.body)) // a fixed, valid URL
		r.Header = j.header.Clone()
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Llmtest-Batch", j.obj.ID)
		rec.serve(b.Server.chat, r)
	}
	line := BatchOutputLine{ID: id, CustomID: l.customID}
	switch {
	case !rec.wrote:
		line.Error = &BatchLineError{Code: CodeRequestTimeout, Message: "The request timed out."}
	default:
		body := bytes.TrimSpace(rec.body.Bytes())
		if !json.Valid(body) {
			body = marshal(string(body)) // a scenario's broken body, kept as a string
		}
		line.Response = &BatchLineResponse{StatusCode: rec.status, RequestID: reqID, Body: body}
	}
	if line.Response != nil && line.Response.StatusCode == http.StatusOK {
		j.out = append(j.out, marshal(line))
		j.obj.RequestCounts.Completed++
		return
	}
	j.errFile = append(j.errFile, marshal(line))
	j.obj.RequestCounts.Failed++
}

// lineRecorder is a ResponseWriter for one line. It is not a Hijacker, so
// a scenario that drops the connection aborts, which serve turns into a
// 500.
type lineRecorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (w *lineRecorder) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}

func (w *lineRecorder) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
}

func (w *lineRecorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

func (w *lineRecorder) serve(h http.HandlerFunc, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			w.status, w.wrote = http.StatusInternalServerError, true
			w.body.Reset()
			w.body.Write(marshal(errorBody{Error: APIError{Type: "server_error",
				Message: "The server had an error while processing your request. Sorry about that!"}}))
		}
	}()
	h(w, r)
}

// validate parses an input file as OpenAI's batch validation does, and
// returns its lines or what is wrong with it.
func validate(input []byte, endpoint string) ([]inputLine, []BatchError) {
	var (
		lines []inputLine
		errs  []BatchError
		seen  = map[string]bool{}
		model string
	)
	fail := func(n int, code, param, msg string) {
		e := BatchError{Code: code, Message: msg, Line: &n}
		if param != "" {
			e.Param = &param
		}
		errs = append(errs, e)
	}
	sc := bufio.NewScanner(bytes.NewReader(input))
	sc.Buffer(nil, maxUpload)
	n := 0
	for sc.Scan() {
		n++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var l BatchInputLine
		if err := json.Unmarshal(raw, &l); err != nil {
			fail(n, CodeInvalidJSONLine, "", "This line is not parseable as valid JSON.")
			continue
		}
		var body struct {
			Model string `json:"model"`
		}
		switch {
		case l.CustomID == "":
			fail(n, CodeInvalidRequest, "custom_id", "Missing required parameter: 'custom_id'.")
		case seen[l.CustomID]:
			fail(n, CodeDuplicateCustomID, "custom_id", fmt.Sprintf("The custom_id %q is a duplicate of another request. "+
				"The custom_id parameter must be unique for each request in a batch.", l.CustomID))
		case l.Method != http.MethodPost:
			fail(n, CodeInvalidRequest, "method", "Invalid value: '"+l.Method+"'. Supported values are: 'POST'.")
		case l.URL != endpoint:
			fail(n, CodeURLMismatch, "url", "The provided url '"+l.URL+"' does not match the batch endpoint '"+endpoint+"'.")
		case len(l.Body) == 0 || json.Unmarshal(l.Body, &body) != nil:
			fail(n, CodeInvalidRequest, "body", "Missing or invalid required parameter: 'body'.")
		case body.Model == "":
			fail(n, CodeInvalidRequest, "body.model", "Missing required parameter: 'body.model'.")
		case model != "" && body.Model != model:
			fail(n, CodeModelMismatch, "body.model", "The model '"+body.Model+"' does not match the model '"+model+
				"' of the other requests: a batch takes requests for one model only.")
		default:
			model = body.Model
			seen[l.CustomID] = true
			lines = append(lines, inputLine{customID: l.CustomID, body: slices.Clone(l.Body)})
		}
		if len(errs) >= 10 {
			break
		}
	}
	if err := sc.Err(); err != nil {
		fail(n+1, CodeInvalidJSONLine, "", "This line is not parseable as valid JSON. ("+err.Error()+")")
	}
	switch {
	case len(errs) > 0:
		return nil, errs
	case len(lines) == 0:
		return nil, []BatchError{{Code: CodeEmptyFile, Message: "The batch input file is empty."}}
	case len(lines) > MaxBatchLines:
		return nil, []BatchError{{Code: CodeTooManyTasks, Message: fmt.Sprintf(
			"The batch input file has %d requests; the limit is %d.", len(lines), MaxBatchLines)}}
	}
	return lines, nil
}
