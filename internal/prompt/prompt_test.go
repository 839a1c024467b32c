package prompt

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/config"
)

func builtin(t *testing.T) *Set {
	t.Helper()
	s, err := Load(sub(t), "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sub(t *testing.T) fstest.MapFS {
	t.Helper()
	b, err := config.Files.ReadFile("prompts/headline.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{"headline.tmpl": {Data: b}}
}

func TestRenderHeadline(t *testing.T) {
	tm, err := builtin(t).Get("headline")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := tm.Render(Data{Title: "T", Text: "Body {{.Secret}} text.", Bullets: 4, MaxWords: 12, Language: "English"})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].Role != "system" || msgs[1].Role != "user" {
		t.Fatalf("Render roles = %+v, want system then user", msgs)
	}
	u := msgs[1].Content
	for _, want := range []string{"exactly 4 headline bullets", "At most 12 words", "Title: T", "Body {{.Secret}} text."} {
		if !strings.Contains(u, want) {
			t.Errorf("user message lacks %q:\n%s", want, u)
		}
	}
}

func TestRenderExamples(t *testing.T) {
	tm, _ := builtin(t).Get("headline")
	msgs, err := tm.Render(Data{Text: "x", Bullets: 3, MaxWords: 20, Language: "English",
		Examples: []Example{{Article: "Ex article.", Bullets: []string{"Ex one", "Ex two"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msgs[1].Content, "Ex article.\n\nBullets:\n- Ex one\n- Ex two") {
		t.Errorf("examples not rendered:\n%s", msgs[1].Content)
	}
}

func TestUserDirShadows(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "headline.tmpl"), []byte(`{{define "system"}}S{{end}}{{define "user"}}U {{.Bullets}}{{end}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "terse.tmpl"), []byte(`{{define "system"}}{{end}}{{define "user"}}Terse: {{.Text}}{{end}}`), 0o644)
	s, err := Load(sub(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"headline", "terse"}, s.Names()); diff != "" {
		t.Errorf("Names() (-want +got):\n%s", diff)
	}
	tm, _ := s.Get("headline")
	if tm.Origin != filepath.Join(dir, "headline.tmpl") {
		t.Errorf("headline origin = %q, want the user file", tm.Origin)
	}
	msgs, err := tm.Render(Data{Bullets: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := []Message{{Role: "system", Content: "S"}, {Role: "user", Content: "U 5"}}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("Render (-want +got):\n%s", diff)
	}
	terse, _ := s.Get("terse")
	msgs, _ = terse.Render(Data{Text: "a"})
	if len(msgs) != 1 || msgs[0].Role != "user" {
		t.Errorf("empty system message kept: %+v", msgs)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"syntax with line", "{{define \"system\"}}x{{end}}\n{{define \"user\"}}\n\n{{.Text | upperr}}{{end}}", "bad.tmpl:4:"},
		{"missing user", `{{define "system"}}x{{end}}`, `bad.tmpl: no {{define "user"}} block`},
		{"unclosed", `{{define "user"}}{{.Text}`, "bad.tmpl:1:"},
	}
	for _, tt := range tests {
		_, err := Parse("/p/bad.tmpl", tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%s) = %v, want error containing %q", tt.name, err, tt.want)
		}
	}
}

func TestParseFieldErrors(t *testing.T) {
	const sys = `{{define "system"}}{{end}}`
	tests := []struct{ name, src, want string }{
		{"unknown field", sys + "{{define \"user\"}}\n\n{{.Txt}}{{end}}", "x.tmpl:3: {{.Txt}}: the prompt data has no field Txt (it has .Title, .Text, "},
		{"in system", `{{define "system"}}{{.Nope}}{{end}}{{define "user"}}{{.Text}}{{end}}`, "x.tmpl:1: {{.Nope}}: the prompt data has no field Nope"},
		{"in a range", sys + "{{define \"user\"}}{{range .Examples}}\n{{.Articel}}{{end}}{{end}}", "x.tmpl:2: {{.Articel}}: an example has no field Articel (it has .Article and .Bullets)"},
		{"in an else", sys + "{{define \"user\"}}{{if .Title}}{{.Title}}{{else}}\n{{.Titel}}{{end}}{{end}}", "x.tmpl:2: {{.Titel}}: the prompt data has no field Titel"},
		{"wrong type", sys + `{{define "user"}}{{join .Text ","}}{{end}}`, "x.tmpl:1: {{.Text}}: wrong type for value; expected []string; got string"},
	}
	for _, tt := range tests {
		_, err := Parse("x.tmpl", tt.src)
		var fe *FieldError
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || !errors.As(err, &fe) {
			t.Errorf("Parse(%s) = %v, want a FieldError starting %q", tt.name, err, tt.want)
		}
	}
	// What fails only on some data is not the template's mistake.
	if _, err := Parse("x.tmpl", sys+`{{define "user"}}{{index .Examples 3}}{{.Text}}{{end}}`); err != nil {
		t.Errorf("Parse(index out of range) = %v, want no error", err)
	}
}

func TestParseMissingBlock(t *testing.T) {
	_, err := Parse("x.tmpl", `{{define "user"}}{{.Text}}{{end}}`)
	var mb *MissingBlockError
	if !errors.As(err, &mb) || mb.Block != "system" || mb.File != "x.tmpl" {
		t.Errorf("Parse(no system block) = %v, want a MissingBlockError for system", err)
	}
}

func TestVersionChangesWithContent(t *testing.T) {
	a, _ := Parse("a.tmpl", `{{define "system"}}{{end}}{{define "user"}}A{{end}}`)
	b, _ := Parse("a.tmpl", `{{define "system"}}{{end}}{{define "user"}}B{{end}}`)
	a2, _ := Parse("other/a.tmpl", `{{define "system"}}{{end}}{{define "user"}}A{{end}}`)
	if a.Version == b.Version || a.Version != a2.Version || len(a.Version) != 12 {
		t.Errorf("versions a=%s b=%s a2=%s: want content-derived 12-hex hashes", a.Version, b.Version, a2.Version)
	}
	if a.ID() != "a@"+a.Version {
		t.Errorf("ID() = %q", a.ID())
	}
}

func TestDumpKeepsExisting(t *testing.T) {
	dir := t.TempDir()
	s := builtin(t)
	got, err := s.Dump(dir)
	if err != nil || len(got) != 1 {
		t.Fatalf("Dump = %v, %v", got, err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "headline.tmpl"))
	tm, _ := s.Get("headline")
	if string(b) != tm.Source {
		t.Error("dumped file differs from the template source")
	}
	p := filepath.Join(dir, "headline.tmpl")
	os.WriteFile(p, []byte("edited"), 0o644)
	got, err = s.Dump(dir)
	if err != nil || len(got) != 0 {
		t.Errorf("Dump into a folder that has the files = %v, %v, want nothing written and no error", got, err)
	}
	if b, _ := os.ReadFile(p); string(b) != "edited" {
		t.Errorf("Dump overwrote an existing file: %q", b)
	}
}

func TestLoadExamples(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ex.jsonl")
	os.WriteFile(good, []byte("{\"article\":\"A\",\"bullets\":[\"b\"]}\n\n{\"article\":\"C\",\"bullets\":[\"d\",\"e\"]}\n"), 0o644)
	ex, err := LoadExamples(good)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Example{{"A", []string{"b"}}, {"C", []string{"d", "e"}}}, ex); diff != "" {
		t.Errorf("LoadExamples (-want +got):\n%s", diff)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"article\":\"A\",\"bullets\":[\"b\"]}\n{\"article\":\"\",\"bullets\":[]}\n"), 0o644)
	if _, err := LoadExamples(bad); err == nil || !strings.Contains(err.Error(), "bad.jsonl:2") {
		t.Errorf("LoadExamples(bad) = %v, want error at line 2", err)
	}
}

func TestRenderTooLarge(t *testing.T) {
	// 1e9 bytes if nothing stops it.
	tm, err := Parse("loop.tmpl", `{{define "system"}}{{end}}{{define "user"}}{{range 1000000}}{{$.Text}}{{$.Text}}{{$.Text}}{{end}}{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tm.Render(Data{Text: strings.Repeat("x", 1000)})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "render prompt loop: rendered prompt too large") {
		t.Errorf("Render(looping template) error = %v, want ErrTooLarge", err)
	}
	// A big article rendered once (or twice) is fine.
	ok, err := Parse("twice.tmpl", `{{define "system"}}{{.Text}}{{end}}{{define "user"}}{{.Text}}{{end}}`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ok.Render(Data{Text: strings.Repeat("y", 8<<20)}); err != nil {
		t.Errorf("Render(8 MiB article, twice) error = %v", err)
	}
}
