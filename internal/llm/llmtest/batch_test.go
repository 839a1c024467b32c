package llmtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const batchArticle = "The council approved the budget on Tuesday. Critics said it ignores transport. " +
	"The mayor defended it. Taxes will not rise."

// call sends one request to the fake and decodes a JSON reply into v
// (when v is not nil and the status is 200).
func call(t *testing.T, b *BatchServer, method, path string, header http.Header, body io.Reader, v any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, b.URL()+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := b.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if v != nil && resp.StatusCode == http.StatusOK {
		if p, ok := v.(*[]byte); ok {
			*p = raw
		} else if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode
}

// inputFile builds a batch input file of one chat request per id.
func inputFile(t *testing.T, model string, ids ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, id := range ids {
		body, _ := json.Marshal(map[string]any{"model": model, "messages": []map[string]string{
			{"role": "user", "content": "Write exactly 2 bullets.\n\n" + batchArticle + " (" + id + ")"}}})
		l, _ := json.Marshal(BatchInputLine{CustomID: id, Method: "POST", URL: "/v1/chat/completions", Body: body})
		b.Write(append(l, '\n'))
	}
	return b.Bytes()
}

func upload(t *testing.T, b *BatchServer, header http.Header, data []byte) (FileObject, int) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("purpose", "batch")
	fw, _ := mw.CreateFormFile("file", "input.jsonl")
	fw.Write(data)
	mw.Close()
	h := http.Header{"Content-Type": {mw.FormDataContentType()}}
	for k, v := range header {
		h[k] = v
	}
	var f FileObject
	status := call(t, b, "POST", "/files", h, &body, &f)
	return f, status
}

func create(t *testing.T, b *BatchServer, fileID string) BatchObject {
	t.Helper()
	var o BatchObject
	body := fmt.Sprintf(`{"input_file_id":%q,"endpoint":"/v1/chat/completions","completion_window":"24h"}`, fileID)
	if st := call(t, b, "POST", "/batches", nil, strings.NewReader(body), &o); st != http.StatusOK {
		t.Fatalf("create batch: HTTP %d", st)
	}
	return o
}

func submit(t *testing.T, b *BatchServer, data []byte) BatchObject {
	t.Helper()
	f, st := upload(t, b, nil, data)
	if st != http.StatusOK {
		t.Fatalf("upload: HTTP %d", st)
	}
	return create(t, b, f.ID)
}

func retrieve(t *testing.T, b *BatchServer, id string) BatchObject {
	t.Helper()
	var o BatchObject
	if st := call(t, b, "GET", "/batches/"+id, nil, nil, &o); st != http.StatusOK {
		t.Fatalf("retrieve %s: HTTP %d", id, st)
	}
	return o
}

// pollDone retrieves the batch until it is final and returns the statuses
// it went through.
func pollDone(t *testing.T, b *BatchServer, id string) (BatchObject, []string) {
	t.Helper()
	var seen []string
	for range 1000 {
		o := retrieve(t, b, id)
		if len(seen) == 0 || seen[len(seen)-1] != o.Status {
			seen = append(seen, o.Status)
		}
		switch o.Status {
		case StatusCompleted, StatusFailed, StatusExpired, StatusCancelled:
			return o, seen
		}
	}
	t.Fatalf("batch %s never finished: %v", id, seen)
	return BatchObject{}, nil
}

func readLines(t *testing.T, b *BatchServer, id *string) []BatchOutputLine {
	t.Helper()
	if id == nil {
		return nil
	}
	var raw []byte
	if st := call(t, b, "GET", "/files/"+*id+"/content", nil, nil, &raw); st != http.StatusOK {
		t.Fatalf("file %s content: HTTP %d", *id, st)
	}
	var out []BatchOutputLine
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		var l BatchOutputLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Bytes(), err)
		}
		out = append(out, l)
	}
	return out
}

func customIDs(lines []BatchOutputLine) []string {
	var ids []string
	for _, l := range lines {
		ids = append(ids, l.CustomID)
	}
	return ids
}

func TestBatchHappyPath(t *testing.T) {
	b := NewBatchServer(t)
	ids := []string{"a", "b", "c", "d", "e"}
	o := submit(t, b, inputFile(t, "fake-ok", ids...))
	if o.Status != StatusValidating || o.CompletionWindow != "24h" || o.ExpiresAt == nil {
		t.Fatalf("created batch = %+v, want validating with a 24h window", o)
	}
	done, seen := pollDone(t, b, o.ID)
	if want := []string{StatusInProgress, StatusFinalizing, StatusCompleted}; !slices.Equal(seen, want) {
		t.Errorf("statuses = %v, want %v", seen, want)
	}
	if want := (BatchCounts{Total: 5, Completed: 5}); done.RequestCounts != want {
		t.Errorf("request_counts = %+v, want %+v", done.RequestCounts, want)
	}
	if done.ErrorFileID != nil || done.CompletedAt == nil || done.InProgressAt == nil || done.FinalizingAt == nil {
		t.Errorf("completed batch = %+v: want timestamps and no error file", done)
	}
	out := readLines(t, b, done.OutputFileID)
	got := customIDs(out)
	if slices.Equal(got, ids) {
		t.Errorf("output custom_ids %v are in input order; the fake should shuffle them", got)
	}
	slices.Sort(got)
	if !slices.Equal(got, ids) {
		t.Errorf("output custom_ids = %v, want %v", got, ids)
	}
	// Each body is what a live call with the same body gets.
	in := map[string][]byte{}
	sc := bufio.NewScanner(bytes.NewReader(inputFile(t, "fake-ok", ids...)))
	for sc.Scan() {
		var l BatchInputLine
		json.Unmarshal(sc.Bytes(), &l)
		in[l.CustomID] = l.Body
	}
	for _, l := range out {
		if l.Response == nil || l.Response.StatusCode != 200 || l.Error != nil {
			t.Fatalf("line %s = %+v, want a 200 response", l.CustomID, l)
		}
		var live, batch completion
		var raw []byte
		call(t, b, "POST", "/chat/completions", http.Header{"Content-Type": {"application/json"}}, bytes.NewReader(in[l.CustomID]), &raw)
		json.Unmarshal(raw, &live)
		json.Unmarshal(l.Response.Body, &batch)
		if live.Choices[0].Message.Content != batch.Choices[0].Message.Content || batch.Usage == nil {
			t.Errorf("line %s: batch reply %q, live reply %q", l.CustomID, batch.Choices[0].Message.Content, live.Choices[0].Message.Content)
		}
	}
	calls := b.HTTPCalls()
	want := map[string]int{"POST /v1/files": 1, "POST /v1/batches": 1, "GET /v1/batches/{id}": 3,
		"GET /v1/files/{id}/content": 1, "POST /v1/chat/completions": 5}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Errorf("HTTPCalls() (-want +got):\n%s", diff)
	}
	batched := 0
	for _, r := range b.Requests() {
		if r.Header.Get("X-Llmtest-Batch") == o.ID {
			batched++
		}
	}
	if batched != 5 {
		t.Errorf("requests marked X-Llmtest-Batch = %d, want 5", batched)
	}
}

func TestBatchPacing(t *testing.T) {
	b := NewBatchServer(t)
	b.SetBatchFaults(BatchFaults{PollsPerStatus: 2, LinesPerPoll: 2})
	o := submit(t, b, inputFile(t, "fake-ok", "1", "2", "3", "4", "5"))
	var completed []int
	for range 20 {
		o = retrieve(t, b, o.ID)
		if o.Status == StatusInProgress {
			completed = append(completed, o.RequestCounts.Completed)
		}
	}
	if o.Status != StatusCompleted {
		t.Fatalf("status after 20 polls = %s, want completed", o.Status)
	}
	if want := []int{0, 0, 2, 2, 4, 4}; !slices.Equal(completed, want) {
		t.Errorf("completed counts while in_progress = %v, want %v", completed, want)
	}
}

func TestBatchLineFailures(t *testing.T) {
	b := NewBatchServer(t)
	b.SetBatchFaults(BatchFaults{FailCustomIDs: []string{"c"}})
	// fake-500-then-ok fails its first request: whichever line comes first.
	o := submit(t, b, inputFile(t, "fake-500-then-ok", "a", "b", "c", "d"))
	done, _ := pollDone(t, b, o.ID)
	if done.Status != StatusCompleted {
		t.Fatalf("status = %s, want completed (line failures do not fail a batch)", done.Status)
	}
	if want := (BatchCounts{Total: 4, Completed: 2, Failed: 2}); done.RequestCounts != want {
		t.Errorf("request_counts = %+v, want %+v", done.RequestCounts, want)
	}
	errs := readLines(t, b, done.ErrorFileID)
	got := customIDs(errs)
	slices.Sort(got)
	if want := []string{"a", "c"}; !slices.Equal(got, want) {
		t.Errorf("error file custom_ids = %v, want %v", got, want)
	}
	for _, l := range errs {
		var e errorBody
		if l.Response == nil || l.Response.StatusCode != 500 || json.Unmarshal(l.Response.Body, &e) != nil || e.Error.Type != "server_error" {
			t.Errorf("error line %s = %+v, want a 500 with a server_error body", l.CustomID, l)
		}
	}
	if n := len(readLines(t, b, done.OutputFileID)); n != 2 {
		t.Errorf("output lines = %d, want 2", n)
	}
}

func TestBatchTimeoutAndDrop(t *testing.T) {
	for _, tc := range []struct {
		model string
		check func(BatchOutputLine) bool
	}{
		{"fake-slow", func(l BatchOutputLine) bool { return l.Response == nil && l.Error.Code == CodeRequestTimeout }},
		{"fake-drop", func(l BatchOutputLine) bool { return l.Response != nil && l.Response.StatusCode == 500 }},
		{"fake-404", func(l BatchOutputLine) bool { return l.Response != nil && l.Response.StatusCode == 404 }},
	} {
		b := NewBatchServer(t)
		done, _ := pollDone(t, b, submit(t, b, inputFile(t, tc.model, "x")).ID)
		errs := readLines(t, b, done.ErrorFileID)
		if len(errs) != 1 || !tc.check(errs[0]) || done.OutputFileID != nil {
			t.Errorf("%s: error file %+v, output %v: unexpected", tc.model, errs, done.OutputFileID)
		}
	}
}

func TestBatchValidation(t *testing.T) {
	dup := append(inputFile(t, "fake-ok", "a"), inputFile(t, "fake-ok", "a")...)
	mixed := append(inputFile(t, "fake-ok", "a"), inputFile(t, "fake-json", "b")...)
	wrongURL := bytes.Replace(inputFile(t, "fake-ok", "a"), []byte(`"/v1/chat/completions"`), []byte(`"/v1/embeddings"`), 1)
	for _, tc := range []struct {
		name   string
		input  []byte
		faults BatchFaults
		code   string
		line   int
	}{
		{"duplicate", dup, BatchFaults{}, CodeDuplicateCustomID, 2},
		{"model mismatch", mixed, BatchFaults{}, CodeModelMismatch, 2},
		{"url mismatch", wrongURL, BatchFaults{}, CodeURLMismatch, 1},
		{"not json", []byte("{\"custom_id\": \n"), BatchFaults{}, CodeInvalidJSONLine, 1},
		{"empty", []byte("\n"), BatchFaults{}, CodeEmptyFile, 0},
		{"knob", inputFile(t, "fake-ok", "a"), BatchFaults{FailValidation: &BatchError{Code: "quota", Message: "enqueued token limit reached"}}, "quota", 0},
	} {
		b := NewBatchServer(t)
		b.SetBatchFaults(tc.faults)
		done, seen := pollDone(t, b, submit(t, b, tc.input).ID)
		if done.Status != StatusFailed || !slices.Equal(seen, []string{StatusFailed}) || done.Errors == nil || len(done.Errors.Data) == 0 {
			t.Errorf("%s: batch %+v (statuses %v), want failed with errors", tc.name, done, seen)
			continue
		}
		e := done.Errors.Data[0]
		line := 0
		if e.Line != nil {
			line = *e.Line
		}
		if e.Code != tc.code || line != tc.line || e.Message == "" {
			t.Errorf("%s: errors.data[0] = %s line %d %q, want %s line %d", tc.name, e.Code, line, e.Message, tc.code, tc.line)
		}
		if done.OutputFileID != nil || done.ErrorFileID != nil || done.FailedAt == nil {
			t.Errorf("%s: failed batch has files or no failed_at: %+v", tc.name, done)
		}
	}
}

func TestBatchExpiry(t *testing.T) {
	b := NewBatchServer(t)
	b.SetBatchFaults(BatchFaults{ExpireAfter: 2})
	done, seen := pollDone(t, b, submit(t, b, inputFile(t, "fake-ok", "a", "b", "c", "d", "e")).ID)
	if want := []string{StatusInProgress, StatusExpired}; !slices.Equal(seen, want) {
		t.Errorf("statuses = %v, want %v", seen, want)
	}
	out, errs := readLines(t, b, done.OutputFileID), readLines(t, b, done.ErrorFileID)
	if len(out) != 2 || len(errs) != 3 || done.ExpiredAt == nil {
		t.Fatalf("expired batch: %d output lines, %d error lines, want 2 and 3", len(out), len(errs))
	}
	for _, l := range errs {
		if l.Response != nil || l.Error == nil || l.Error.Code != CodeBatchExpired {
			t.Errorf("error line %+v, want code %s", l, CodeBatchExpired)
		}
	}
	all := append(customIDs(out), customIDs(errs)...)
	slices.Sort(all)
	if want := []string{"a", "b", "c", "d", "e"}; !slices.Equal(all, want) {
		t.Errorf("custom_ids over both files = %v, want each line once", all)
	}
}

func TestBatchCancel(t *testing.T) {
	b := NewBatchServer(t)
	b.SetBatchFaults(BatchFaults{LinesPerPoll: 1})
	o := submit(t, b, inputFile(t, "fake-ok", "a", "b", "c", "d"))
	retrieve(t, b, o.ID) // in_progress
	retrieve(t, b, o.ID) // one line answered
	var c BatchObject
	if st := call(t, b, "POST", "/batches/"+o.ID+"/cancel", nil, nil, &c); st != 200 || c.Status != StatusCancelling || c.CancellingAt == nil {
		t.Fatalf("cancel: HTTP %d, %+v, want cancelling", st, c)
	}
	done, seen := pollDone(t, b, o.ID)
	if want := []string{StatusCancelled}; !slices.Equal(seen, want) {
		t.Errorf("statuses after cancel = %v, want %v", seen, want)
	}
	out, errs := readLines(t, b, done.OutputFileID), readLines(t, b, done.ErrorFileID)
	if len(out) != 1 || len(errs) != 3 || errs[0].Error == nil || errs[0].Error.Code != CodeBatchCancelled {
		t.Errorf("cancelled batch: output %v, errors %+v; want 1 answered, 3 batch_cancelled", customIDs(out), errs)
	}
	if st := call(t, b, "POST", "/batches/"+o.ID+"/cancel", nil, nil, nil); st != http.StatusConflict {
		t.Errorf("cancel of a cancelled batch: HTTP %d, want 409", st)
	}
}

func TestBatchBadRequests(t *testing.T) {
	b := NewBatchServer(t, WithAPIKey("sk-test"))
	auth := http.Header{"Authorization": {"Bearer sk-test"}}
	if _, st := upload(t, b, http.Header{"Authorization": {"Bearer wrong"}}, inputFile(t, "fake-ok", "a")); st != 401 {
		t.Errorf("upload with a wrong key: HTTP %d, want 401", st)
	}
	f, st := upload(t, b, auth, inputFile(t, "fake-ok", "a"))
	if st != 200 || f.Purpose != "batch" || f.Bytes == 0 || !strings.HasPrefix(f.ID, "file-") {
		t.Fatalf("upload: HTTP %d, %+v", st, f)
	}
	for _, tc := range []struct {
		body string
		want int
	}{
		{`{"input_file_id":"` + f.ID + `","endpoint":"/v1/chat/completions","completion_window":"1h"}`, 400},
		{`{"input_file_id":"` + f.ID + `","endpoint":"/v1/embeddings","completion_window":"24h"}`, 400},
		{`{"input_file_id":"file-nope","endpoint":"/v1/chat/completions","completion_window":"24h"}`, 404},
		{`{"endpoint":"/v1/chat/completions","completion_window":"24h"}`, 400},
		{`not json`, 400},
	} {
		if st := call(t, b, "POST", "/batches", auth, strings.NewReader(tc.body), nil); st != tc.want {
			t.Errorf("create %s: HTTP %d, want %d", tc.body, st, tc.want)
		}
	}
	if st := call(t, b, "GET", "/batches/batch_nope", auth, nil, nil); st != 404 {
		t.Errorf("retrieve of an unknown batch: HTTP %d, want 404", st)
	}
	if n := len(b.Batches()); n != 0 {
		t.Errorf("batches created by bad requests = %d, want 0", n)
	}
}

func TestBatchList(t *testing.T) {
	b := NewBatchServer(t)
	first := submit(t, b, inputFile(t, "fake-ok", "a"))
	second := submit(t, b, inputFile(t, "fake-ok", "a"))
	var list batchList
	call(t, b, "GET", "/batches?limit=1", nil, nil, &list)
	if len(list.Data) != 1 || list.Data[0].ID != second.ID || !list.HasMore {
		t.Errorf("list limit=1 = %+v, want the newest batch and has_more", list)
	}
	call(t, b, "GET", "/batches?after="+second.ID, nil, nil, &list)
	if len(list.Data) != 1 || list.Data[0].ID != first.ID || list.HasMore {
		t.Errorf("list after the newest = %+v, want the oldest only", list)
	}
}
