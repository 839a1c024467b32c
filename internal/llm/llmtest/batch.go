package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// BatchServer is a Server that also speaks OpenAI's Files and Batches API,
// so that batch mode is tested offline:
//
//	POST /v1/files                  multipart upload (purpose=batch), returns a file object
//	GET  /v1/files/{id}             the file object
//	GET  /v1/files/{id}/content     the file's bytes
//	POST /v1/batches                {input_file_id, endpoint: /v1/chat/completions, completion_window: 24h}
//	GET  /v1/batches                the batches, newest first (limit, after)
//	GET  /v1/batches/{id}           the batch object; each retrieve is a tick of the fake's clock
//	POST /v1/batches/{id}/cancel    cancelling, then cancelled on the next tick
//
// A batch moves through OpenAI's statuses as it is retrieved, one status
// per tick by default (see BatchFaults.PollsPerStatus): validating, then
// in_progress (the lines are answered), finalizing, completed; or failed
// when the input does not validate (the reasons in errors.data), expired
// when the fault says so, cancelling and cancelled after a cancel. Nothing
// moves on a timer, so tests never sleep.
//
// Each input line's body is answered by the same scenarios as live
// /v1/chat/completions requests (the model name picks the scenario, counts
// are shared with live calls), with the batch creator's credentials. A 200
// goes to the output file; any other status goes to the error file with its
// status and error body, as OpenAI does; lines a batch never reached
// (expired, cancelled) go to the error file with the codes batch_expired and
// batch_cancelled. Replies with a Delay (fake-slow) are not waited for: such
// a line fails with request_timeout. Both files list their lines in a
// shuffled order, never the input's, so clients must map them by custom_id.
//
// The chat requests a batch answers are recorded in Requests with the
// header X-Llmtest-Batch set to the batch id; HTTPCalls counts the HTTP
// requests the server received, which tells batch calls from live ones.
type BatchServer struct {
	*Server
	ts *httptest.Server

	mu      sync.Mutex
	files   map[string]*storedFile
	batches map[string]*batchJob
	order   []string // batch ids, oldest first
	faults  BatchFaults
	calls   map[string]int
	nextID  int
	tick    int64
}

// BatchFaults are the faults and pacing of the batches created after
// SetBatchFaults; each batch keeps the faults it was created with.
type BatchFaults struct {
	// PollsPerStatus is how many retrieves a batch takes to move on from
	// each status (validating, each in_progress step, finalizing,
	// cancelling); 0 means 1.
	PollsPerStatus int
	// LinesPerPoll is how many lines one in_progress step answers, so the
	// request counts grow from poll to poll; 0 answers them all in one step.
	LinesPerPoll int
	// FailValidation, when set, fails the batch at validation with this
	// error in errors.data, whatever its input.
	FailValidation *BatchError
	// ExpireAfter, when > 0, expires the batch once that many lines are
	// answered: their results are in the output and error files, and every
	// other line is in the error file with code batch_expired.
	ExpireAfter int
	// FailCustomIDs are lines answered with a 500 server_error instead of
	// their scenario's reply.
	FailCustomIDs []string
}

// SetBatchFaults sets the faults of the batches created from now on.
func (b *BatchServer) SetBatchFaults(f BatchFaults) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f.FailCustomIDs = slices.Clone(f.FailCustomIDs)
	b.faults = f
}

// NewBatchServer starts a fake with the Files and Batches endpoints on
// loopback and closes it when the test ends. Every other path behaves as
// on NewServer's fake.
func NewBatchServer(t testing.TB, opts ...Option) *BatchServer {
	t.Helper()
	b := &BatchServer{
		Server:  NewServer(t, opts...),
		files:   map[string]*storedFile{},
		batches: map[string]*batchJob{},
		calls:   map[string]int{},
	}
	chat := b.Server.ts.Config.Handler
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/files", b.uploadFile)
	mux.HandleFunc("GET /v1/files/{id}", b.getFile)
	mux.HandleFunc("GET /v1/files/{id}/content", b.fileContent)
	mux.HandleFunc("POST /v1/batches", b.createBatch)
	mux.HandleFunc("GET /v1/batches", b.listBatches)
	mux.HandleFunc("GET /v1/batches/{id}", b.retrieveBatch)
	mux.HandleFunc("POST /v1/batches/{id}/cancel", b.cancelBatch)
	mux.Handle("/", chat)
	b.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if pattern == "/" {
			pattern = r.Method + " " + r.URL.Path
		}
		b.mu.Lock()
		b.calls[pattern]++
		b.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(b.Close)
	return b
}

// URL returns the OpenAI base URL, ending in /v1.
func (b *BatchServer) URL() string { return b.ts.URL + "/v1" }

// AzureURL returns the base URL for Azure clients (chat only: the batch
// endpoints are OpenAI's /v1 paths).
func (b *BatchServer) AzureURL() string { return b.ts.URL }

// Client returns an HTTP client for the server.
func (b *BatchServer) Client() *http.Client { return b.ts.Client() }

// Close stops the server and the fake behind it.
func (b *BatchServer) Close() {
	b.Server.Close()
	b.ts.CloseClientConnections()
	b.ts.Close()
}

// HTTPCalls counts the HTTP requests received, by route: "POST /v1/files",
// "GET /v1/batches/{id}", ..., and "METHOD PATH" for the others (live chat
// calls are "POST /v1/chat/completions").
func (b *BatchServer) HTTPCalls() map[string]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return maps.Clone(b.calls)
}

// Batches returns the batches created so far, oldest first, as a retrieve
// would show them now (without moving them on).
func (b *BatchServer) Batches() []BatchObject {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]BatchObject, len(b.order))
	for i, id := range b.order {
		out[i] = b.batches[id].obj
	}
	return out
}

// FileBytes returns the content of a stored file (input, output or error
// file), or nil.
func (b *BatchServer) FileBytes(id string) []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	if f, ok := b.files[id]; ok {
		return slices.Clone(f.data)
	}
	return nil
}

// storedFile is an uploaded or generated file.
type storedFile struct {
	obj  FileObject
	data []byte
}

// newID returns prefix and the next number of this server.
func (b *BatchServer) newID(prefix string) string {
	b.nextID++
	return prefix + "llmtest" + strconv.Itoa(b.nextID)
}

// now is the fake's clock: the fixed creation time plus one second per
// tick (batch retrieve).
func (b *BatchServer) now() int64 { return created + b.tick }

// maxUpload bounds an upload, as OpenAI bounds batch input files (200 MB).
const maxUpload = 200 << 20

func (b *BatchServer) uploadFile(w http.ResponseWriter, r *http.Request) {
	if !b.authorized(r) {
		writeReply(w, badKey(presentedKey(r)))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		writeReply(w, Error(http.StatusBadRequest, "invalid_request_error", nil,
			"Invalid multipart form: "+err.Error()))
		return
	}
	purpose := r.FormValue("purpose")
	if purpose == "" {
		writeReply(w, Error(http.StatusBadRequest, "invalid_request_error", nil, "Missing required parameter: 'purpose'."))
		return
	}
	if purpose != "batch" {
		writeReply(w, Error(http.StatusBadRequest, "invalid_request_error", nil,
			"llmtest: purpose "+strconv.Quote(purpose)+" is not supported (only batch)"))
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		writeReply(w, Error(http.StatusBadRequest, "invalid_request_error", nil, "Missing required parameter: 'file'."))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		writeReply(w, Error(http.StatusBadRequest, "invalid_request_error", nil, "Could not read the file: "+err.Error()))
		return
	}
	name := strings.TrimPrefix(hdr.Filename, "@")
	if !strings.HasSuffix(name, ".jsonl") {
		writeReply(w, Error(http.StatusBadRequest, "invalid_request_error", nil, "Invalid file format for Batch API. Must be .jsonl"))
		return
	}
	b.mu.Lock()
	sf := b.storeFile(name, purpose, data)
	b.mu.Unlock()
	writeJSON(w, http.StatusOK, sf.obj)
}

// storeFile keeps data as a new file. Call with b.mu held.
func (b *BatchServer) storeFile(name, purpose string, data []byte) *storedFile {
	exp := b.now() + 30*24*3600
	sf := &storedFile{
		obj: FileObject{ID: b.newID("file-"), Object: "file", Bytes: len(data), CreatedAt: b.now(),
			ExpiresAt: &exp, Filename: name, Purpose: purpose, Status: "processed"},
		data: data,
	}
	b.files[sf.obj.ID] = sf
	return sf
}

func (b *BatchServer) file(w http.ResponseWriter, r *http.Request) (*storedFile, bool) {
	if !b.authorized(r) {
		writeReply(w, badKey(presentedKey(r)))
		return nil, false
	}
	id := r.PathValue("id")
	b.mu.Lock()
	f, ok := b.files[id]
	b.mu.Unlock()
	if !ok {
		writeReply(w, Error(http.StatusNotFound, "invalid_request_error", nil, "No such File object: "+id))
		return nil, false
	}
	return f, true
}

func (b *BatchServer) getFile(w http.ResponseWriter, r *http.Request) {
	if f, ok := b.file(w, r); ok {
		writeJSON(w, http.StatusOK, f.obj)
	}
}

func (b *BatchServer) fileContent(w http.ResponseWriter, r *http.Request) {
	f, ok := b.file(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.WriteHeader(http.StatusOK)
	w.Write(f.data)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeReply(w, Reply{Status: status, RawBody: marshal(v), Header: http.Header{"Content-Type": {"application/json"}}})
}

// createRequest is the body of POST /v1/batches.
type createRequest struct {
	InputFileID      string            `json:"input_file_id"`
	Endpoint         string            `json:"endpoint"`
	CompletionWindow string            `json:"completion_window"`
	Metadata         map[string]string `json:"metadata"`
}

func (b *BatchServer) createBatch(w http.ResponseWriter, r *http.Request) {
	if !b.authorized(r) {
		writeReply(w, badKey(presentedKey(r)))
		return
	}
	var req createRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		writeReply(w, Error(http.StatusBadRequest, "invalid_request_error", nil,
			"We could not parse the JSON body of your request. ("+err.Error()+")"))
		return
	}
	param := func(p, msg string) {
		writeReply(w, Reply{Status: http.StatusBadRequest, Error: &APIError{Message: msg, Type: "invalid_request_error", Param: &p}})
	}
	switch {
	case req.InputFileID == "":
		param("input_file_id", "Missing required parameter: 'input_file_id'.")
		return
	case req.Endpoint != "/v1/chat/completions":
		param("endpoint", fmt.Sprintf("Invalid value: %q. llmtest supports only '/v1/chat/completions'.", req.Endpoint))
		return
	case req.CompletionWindow != "24h":
		param("completion_window", fmt.Sprintf("Invalid value: %q. Supported values are: '24h'.", req.CompletionWindow))
		return
	case len(req.Metadata) > 16:
		param("metadata", "Invalid 'metadata': too many properties. Expected an object with at most 16 properties.")
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	f, ok := b.files[req.InputFileID]
	if !ok {
		writeReply(w, Error(http.StatusNotFound, "invalid_request_error", nil, "No such File object: "+req.InputFileID))
		return
	}
	if f.obj.Purpose != "batch" {
		param("input_file_id", "The file "+req.InputFileID+" was not uploaded with purpose 'batch'.")
		return
	}
	exp := b.now() + 24*3600
	j := &batchJob{
		obj: BatchObject{ID: b.newID("batch_"), Object: "batch", Endpoint: req.Endpoint, InputFileID: req.InputFileID,
			CompletionWindow: req.CompletionWindow, Status: StatusValidating, CreatedAt: b.now(), ExpiresAt: &exp,
			Metadata: req.Metadata},
		faults: b.faults,
		header: credentials(r.Header),
		input:  f.data,
	}
	b.batches[j.obj.ID] = j
	b.order = append(b.order, j.obj.ID)
	writeJSON(w, http.StatusOK, j.obj)
}

// credentials keeps the headers a line's chat request is made with.
func credentials(h http.Header) http.Header {
	out := http.Header{}
	for _, k := range []string{"Authorization", "Api-Key", "Openai-Organization"} {
		if v := h.Values(k); len(v) > 0 {
			out[k] = slices.Clone(v)
		}
	}
	return out
}

func (b *BatchServer) job(w http.ResponseWriter, r *http.Request) (*batchJob, bool) {
	if !b.authorized(r) {
		writeReply(w, badKey(presentedKey(r)))
		return nil, false
	}
	id := r.PathValue("id")
	j, ok := b.batches[id]
	if !ok {
		writeReply(w, Error(http.StatusNotFound, "invalid_request_error", nil, "No batch found with id '"+id+"'."))
		return nil, false
	}
	return j, true
}

func (b *BatchServer) retrieveBatch(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	j, ok := b.job(w, r)
	if !ok {
		return
	}
	b.tick++
	b.advance(j)
	writeJSON(w, http.StatusOK, j.obj)
}

func (b *BatchServer) cancelBatch(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	j, ok := b.job(w, r)
	if !ok {
		return
	}
	switch j.obj.Status {
	case StatusValidating, StatusInProgress, StatusFinalizing:
		now := b.now()
		j.obj.Status, j.obj.CancellingAt, j.polls = StatusCancelling, &now, 0
	case StatusCancelling:
	default:
		writeReply(w, Error(http.StatusConflict, "invalid_request_error", nil,
			"Cannot cancel a batch with status '"+j.obj.Status+"'."))
		return
	}
	writeJSON(w, http.StatusOK, j.obj)
}

func (b *BatchServer) listBatches(w http.ResponseWriter, r *http.Request) {
	if !b.authorized(r) {
		writeReply(w, badKey(presentedKey(r)))
		return
	}
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 || limit > 100 {
		limit = 20
	}
	after := r.URL.Query().Get("after")
	b.mu.Lock()
	defer b.mu.Unlock()
	list := batchList{Object: "list", Data: []BatchObject{}}
	started := after == ""
	for i := len(b.order) - 1; i >= 0; i-- {
		id := b.order[i]
		if !started {
			started = id == after
			continue
		}
		if len(list.Data) == limit {
			list.HasMore = true
			break
		}
		list.Data = append(list.Data, b.batches[id].obj)
	}
	if n := len(list.Data); n > 0 {
		list.FirstID, list.LastID = list.Data[0].ID, list.Data[n-1].ID
	}
	writeJSON(w, http.StatusOK, list)
}

type batchList struct {
	Object  string        `json:"object"`
	Data    []BatchObject `json:"data"`
	FirstID string        `json:"first_id,omitempty"`
	LastID  string        `json:"last_id,omitempty"`
	HasMore bool          `json:"has_more"`
}
