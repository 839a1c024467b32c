package report

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval"
)

func TestJSONReportManifest(t *testing.T) {
	r := goldenResult(t)
	r.Manifest.Variants[1].Config["llm.temperature"] = math.NaN()
	r.Manifest.Variants[1].Config["llm.stop"] = []any{"\n\n", math.Inf(1)}
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatalf("WriteJSON with a NaN in a variant's config: %v", err)
	}
	var doc struct {
		Manifest eval.Manifest `json:"manifest"`
		Variants []struct {
			Name      string          `json:"name"`
			Live      int             `json:"live"`
			Cached    int             `json:"cached"`
			LatencyMS json.RawMessage `json:"latency_ms"`
		} `json:"variants"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JSON report does not parse: %v", err)
	}
	m := doc.Manifest
	if m.Commit != r.Manifest.Commit || m.Settings.CacheMode != "rw" || len(m.Settings.Overrides) != 1 {
		t.Errorf("manifest commit %q, cache mode %q, overrides %v; want the run's", m.Commit, m.Settings.CacheMode, m.Settings.Overrides)
	}
	oracle := m.Variants[1]
	if oracle.Prompt != "oracle@0123abcd" || oracle.Endpoint != "llm.example.test" || oracle.Cached != 12 || oracle.Live != 0 {
		t.Errorf("oracle manifest = %+v", oracle)
	}
	if got := oracle.Config["llm.temperature"]; got != "NaN" {
		t.Errorf("config llm.temperature = %#v, want \"NaN\"", got)
	}
	if got := oracle.Config["llm.model"]; got != "fake-ok" {
		t.Errorf("config llm.model = %#v, want fake-ok", got)
	}
	if !math.IsNaN(r.Manifest.Variants[1].Config["llm.temperature"].(float64)) {
		t.Errorf("WriteJSON changed the result's own config")
	}
	if v := doc.Variants[1]; v.Name != "oracle" || v.Cached != 12 || string(v.LatencyMS) != "null" {
		t.Errorf("oracle aggregates: cached %d, latency %s; want 12 cached, null latency", v.Cached, v.LatencyMS)
	}
}
