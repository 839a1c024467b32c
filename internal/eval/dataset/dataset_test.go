package dataset

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/shareddata"
)

func repoRoot(t testing.TB) string { return shareddata.Root(t) }

func openFixture(t testing.TB) *Set {
	t.Helper()
	d, err := Open(filepath.Join(repoRoot(t), "testdata", "eval", "news.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOpenDatasetErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, data, want string
	}{
		{"not JSON", "{\"id\":\"a\",\"article\":\"x y z\",\"reference\":[\"r\"]}\n{oops}\n", "data.jsonl:2: not a JSON object"},
		{"missing article", "\n\n{\"id\":\"a\",\"reference\":[\"r\"]}\n", `data.jsonl:3: case "a": missing "article"`},
		{"reference not a list", `{"id":"a","article":"x","reference":"r"}`, `data.jsonl:1: "reference": want a list of strings`},
		{"duplicate id", "{\"id\":\"a\",\"article\":\"x\",\"reference\":[\"r\"]}\n{\"id\":\"a\",\"article\":\"y\",\"reference\":[\"r\"]}\n", `data.jsonl:2: duplicate id "a" (first on line 1)`},
		{"empty", "\n", "no cases"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "data.jsonl")
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Open(path)
			if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), dir+"/", ""), tc.want) {
				t.Errorf("Open error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDatasetMetaAndStreaming(t *testing.T) {
	d := openFixture(t)
	if d.Len() != 12 || len(d.SHA256) != 64 {
		t.Fatalf("fixture: %d cases, hash %q", d.Len(), d.SHA256)
	}
	var ids []string
	err := d.Each(t.Context(), []int{1, 5, 11}, func(i int, c Case) error {
		ids = append(ids, c.ID)
		if string(c.Meta["source"]) != `"summarize fixture"` {
			t.Errorf("case %s meta = %v, want the source field kept", c.ID, c.Meta)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"school-lunch", "museum-return", "river-cleanup"}, ids); diff != "" {
		t.Errorf("Each(1, 5, 11) ids (-want +got):\n%s", diff)
	}
}

func TestFindLeaks(t *testing.T) {
	c := Case{ID: "x", Title: "Storm hits coast",
		Article: "The storm  HIT the coast on Monday, cutting power to 20,000 homes.\nOfficials said schools would stay closed.",
		Reference: []string{
			"The storm hit the coast on Monday, cutting power to 20,000 homes.", // verbatim up to case and spaces
			"Schools stay closed",                   // too short to count
			"Power cut to 20,000 homes after storm", // paraphrase
			"Officials said schools would stay closed!",
		}}
	got := FindLeaks(3, c)
	want := []Leak{{Case: "x", Index: 3, Bullet: 1, Text: c.Reference[0]}, {Case: "x", Index: 3, Bullet: 4, Text: c.Reference[3]}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindLeaks (-want +got):\n%s", diff)
	}
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A case written and read back is the same case, meta-evaluation fields
// and other fields included.
func TestCaseRoundTrip(t *testing.T) {
	c := Case{ID: "a/sys", Title: "T", Article: "Some <b> text.", Reference: []string{"r"}, Candidate: []string{"c1", "c2"},
		Group: "a", System: "sys", Human: map[string]float64{"relevance": 3.5},
		Meta: map[string]json.RawMessage{"source": json.RawMessage(`"x"`)}}
	b, err := c.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeCase(b)
	if err != nil {
		t.Fatalf("decodeCase(%s): %v", b, err)
	}
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("round trip of %s (-want +got):\n%s", b, diff)
	}
	if !strings.Contains(string(b), "<b>") {
		t.Errorf("HTML escaped: %s", b)
	}
}
