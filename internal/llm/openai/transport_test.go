package openai

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/summarize-dev/summarize/internal/llm"
)

// withZeroTemperature adds "temperature": 0 and keeps every other member
// as it was, whatever the body's layout; a body that already has a
// temperature gets it replaced, not duplicated.
func TestWithZeroTemperature(t *testing.T) {
	for _, body := range []string{
		`{"messages":[{"role":"user","content":"hi"}],"model":"m","temperature":1e-45}`,
		`{"model":"m","temperature":1e-45,"max_tokens":5}`,
		`{"model":"m","messages":[{"role":"user","content":"the \"temperature\": rose"}]}`,
		`{}`,
		" \n{ \"model\": \"m\" }",
		`{"model":"m","temperature":0.7}`,
		`{"response_format":{"json_schema":{"properties":{"temperature":{"type":"number"}}}}}`,
	} {
		out := withZeroTemperature([]byte(body))
		var got, want map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s → %s: %v", body, out, err)
		}
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			t.Fatal(err)
		}
		want["temperature"] = 0.0 // also in place of the client's mark
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) {
			t.Errorf("%s → %s, want the same members plus temperature 0", body, out)
		}
		if n := countKey(out, "temperature"); n != 1 {
			t.Errorf("%s → %s: %d top-level temperatures", body, out, n)
		}
	}
	if out := withZeroTemperature([]byte(`[1]`)); string(out) != `[1]` {
		t.Errorf("a body that is not an object changed: %s", out)
	}
}

// countKey counts the top-level members named key (duplicates included).
func countKey(body []byte, key string) int {
	dec := json.NewDecoder(bytesReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return -1
	}
	n := 0
	for dec.More() {
		k, _ := dec.Token()
		if k == key {
			n++
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return -1
		}
	}
	return n
}

func BenchmarkWithZeroTemperature(b *testing.B) {
	body, _ := json.Marshal(map[string]any{"model": "gpt-4o-mini", "max_tokens": 512, "temperature": float32(zeroTemperatureMark), "messages": []map[string]string{
		{"role": "system", "content": "You write headline bullets."}, {"role": "user", "content": string(make([]byte, 4000))}}})
	b.ReportAllocs()
	buf := make([]byte, len(body))
	for b.Loop() {
		copy(buf, body) // it splices in place
		if got := withZeroTemperature(buf); len(got) != len(body)-len("1e-45")+1 {
			b.Fatalf("no splice: %d bytes from %d", len(got), len(body))
		}
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// The client's mark is spliced in place, keeping the body's bytes and
// member order: the fast path, as go-openai writes the mark.
func TestWithZeroTemperatureSplicesTheMark(t *testing.T) {
	req, _ := wireRequest(llm.Request{Model: "gpt-4o-mini", Messages: []llm.Message{{Role: "user", Content: "hi"}}})
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Replace(body, []byte(`"temperature":1e-45`), []byte(`"temperature":0`), 1)
	if bytes.Equal(want, body) {
		t.Fatalf("go-openai's body has no mark to replace: %s", body)
	}
	if got := withZeroTemperature(body); !bytes.Equal(got, want) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
