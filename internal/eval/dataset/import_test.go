package dataset

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func importFixture(t *testing.T, format, name string) []Case {
	t.Helper()
	var cases []Case
	path := filepath.Join(repoRoot(t), "testdata", "eval", "import", name)
	if err := Import(t.Context(), format, path, ImportOptions{Page: fakePage}, func(c Case) error { cases = append(cases, c); return nil }); err != nil {
		t.Fatalf("Import(%q, %s): %v", format, name, err)
	}
	return cases
}

func TestImportStory(t *testing.T) {
	cases := importFixture(t, "", "stories")
	if len(cases) != 2 {
		t.Fatalf("Import(stories) = %d cases, want 2", len(cases))
	}
	c := cases[0]
	if c.ID != "ferry-fares" || !strings.HasPrefix(c.Article, "(Coastal Post) -- Ferry fares") || strings.Contains(c.Article, "@highlight") {
		t.Errorf("first story = %q: %.60q", c.ID, c.Article)
	}
	want := []string{"Ferry fares to the outer islands will double for visitors this summer", "Residents keep the old price; the money pays for a second boat"}
	if diff := cmp.Diff(want, c.Reference); diff != "" {
		t.Errorf("highlights (-want +got):\n%s", diff)
	}
	if got := strings.Count(c.Article, "\n\n"); got != 2 {
		t.Errorf("article paragraphs separated %d times, want 2", got)
	}
	if got := len(cases[1].Reference); got != 3 {
		t.Errorf("orchard-frost highlights = %d, want 3", got)
	}
}

func TestImportHF(t *testing.T) {
	for _, name := range []string{"hf.jsonl", "hf.csv"} {
		t.Run(name, func(t *testing.T) {
			cases := importFixture(t, "", name)
			if len(cases) != 2 {
				t.Fatalf("%d cases, want 2", len(cases))
			}
			for _, c := range cases {
				if len(c.Reference) != 2 || c.Article == "" {
					t.Errorf("case %s: %d reference bullets, article %q", c.ID, len(c.Reference), c.Article)
				}
			}
			if cases[0].Reference[0] != "The city zoo welcomed its first baby giraffe in 20 years" {
				t.Errorf("first highlight = %q", cases[0].Reference[0])
			}
		})
	}
	jl := importFixture(t, FormatJSONL, "hf.jsonl")
	if jl[0].ID != "hf-1" || jl[1].ID != "hf-2" {
		t.Errorf("ids = %q, %q; want the record's id, then file name and line", jl[0].ID, jl[1].ID)
	}
	if string(jl[0].Meta["split"]) != `"test"` {
		t.Errorf("meta = %v, want split kept", jl[0].Meta)
	}
}

// fakePage stands in for the cleaner (cmd/summarize passes clean.Clean;
// its own tests cover the cleaning): leading "- " lines are the
// reference, lines after "RELATED TOPICS:" are dropped.
func fakePage(ctx context.Context, path string) (Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Case{}, err
	}
	var c Case
	var body []string
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "RELATED TOPICS"):
			return Case{Article: strings.Join(body, "\n\n"), Reference: c.Reference}, nil
		case strings.HasPrefix(line, "- "):
			c.Reference = append(c.Reference, strings.TrimPrefix(line, "- "))
		case len(strings.Fields(line)) > 8:
			body = append(body, line)
		}
	}
	return Case{Article: strings.Join(body, "\n\n"), Reference: c.Reference}, nil
}

func TestImportPage(t *testing.T) {
	cases := importFixture(t, "", "page-dump.txt")
	c := cases[0]
	if c.ID != "page-dump" || len(c.Reference) != 3 {
		t.Fatalf("page dump: id %q, references %q", c.ID, c.Reference)
	}
	if !strings.HasPrefix(c.Reference[0], "A fire destroyed a warehouse") {
		t.Errorf("first reference = %q", c.Reference[0])
	}
	for _, noise := range []string{"Share", "RELATED TOPICS", "- A fire destroyed"} {
		if strings.Contains(c.Article, noise) {
			t.Errorf("article keeps %q:\n%s", noise, c.Article)
		}
	}
	if !strings.Contains(c.Article, "fire chief Maria Santos") {
		t.Errorf("article lost its text:\n%s", c.Article)
	}
}

func TestImportRoundTrip(t *testing.T) {
	cases := importFixture(t, "", "hf.jsonl")
	var buf bytes.Buffer
	cw := NewWriter(&buf)
	for _, c := range cases {
		if err := cw.Write(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := cw.Write(cases[0]); err == nil {
		t.Errorf("writing a duplicate id: no error")
	}
	cw.Flush()
	path := filepath.Join(t.TempDir(), "data.jsonl")
	writeFile(t, path, buf.String())
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open(imported): %v", err)
	}
	if d.Len() != 2 {
		t.Errorf("imported dataset has %d cases, want 2", d.Len())
	}
}

func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bad.jsonl"), `{"id":"a","article":"x"}`+"\n")
	err := Import(t.Context(), "", filepath.Join(dir, "bad.jsonl"), ImportOptions{}, func(Case) error { return nil })
	if err == nil || !strings.Contains(err.Error(), `bad.jsonl:1: no "highlights" field`) {
		t.Errorf("Import(no highlights) = %v", err)
	}
	if _, err := DetectFormat(filepath.Join(dir, "bad.xml")); err == nil {
		t.Errorf("DetectFormat(.xml): no error")
	}
}
