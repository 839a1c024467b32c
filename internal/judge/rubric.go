package judge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/summarize-dev/summarize/internal/llm"
	"github.com/summarize-dev/summarize/internal/prompt"
)

// Data is what a rubric template sees. The article and the bullets are
// data: "{{" inside them is printed, never executed.
type Data struct {
	Dimension string   // the rubric's name: "coherence", ...
	Title     string   // the article's title, when known
	Article   string   // the article text, closing delimiters defused
	Bullets   []string // the bullets to judge, closing delimiters defused
	Summary   string   // the bullets as "- " lines
}

// Rubric is one parsed judging template: a text/template file NAME.tmpl
// defining "system" and "user", as summary prompts do.
type Rubric struct {
	Name    string // the dimension: the file name without .tmpl
	Origin  string // "builtin" or the file's path
	Version string // first 12 hex digits of the file's SHA-256
	Source  string
	tmpl    *template.Template
}

// Rubrics are the rubric templates available by dimension name.
type Rubrics struct {
	byName map[string]*Rubric
}

// LoadRubrics parses the built-in rubrics (*.tmpl at the root of builtin)
// and, when dir is not empty, the user's *.tmpl files in dir, which shadow
// built-ins of the same name and add dimensions of their own.
func LoadRubrics(builtin fs.FS, dir string) (*Rubrics, error) {
	rs := &Rubrics{byName: map[string]*Rubric{}}
	if err := rs.addFS(builtin, func(name string) string { return name }, false); err != nil {
		return nil, err
	}
	if dir != "" {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("rubric dir: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("rubric dir %s: not a directory", dir)
		}
		if err := rs.addFS(os.DirFS(dir), func(name string) string { return filepath.Join(dir, name) }, true); err != nil {
			return nil, err
		}
	}
	return rs, nil
}

func (rs *Rubrics) addFS(fsys fs.FS, display func(string) string, user bool) error {
	names, err := fs.Glob(fsys, "*.tmpl")
	if err != nil {
		return err
	}
	for _, file := range names {
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return fmt.Errorf("read %s: %w", display(file), err)
		}
		r, err := ParseRubric(display(file), string(b))
		if err != nil {
			return err
		}
		if user {
			r.Origin = display(file)
		}
		rs.byName[r.Name] = r
	}
	return nil
}

// ParseRubric parses one rubric file's text; file names it in errors
// (file:line) and gives the rubric its name.
func ParseRubric(file, text string) (*Rubric, error) {
	name := strings.TrimSuffix(path.Base(filepath.ToSlash(file)), ".tmpl")
	tm, err := template.New(file).Option("missingkey=error").Funcs(funcs).Parse(text)
	if err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "template: "))
	}
	for _, part := range []string{"system", "user"} {
		if tm.Lookup(part) == nil {
			return nil, fmt.Errorf("%s: no {{define %q}} block", file, part)
		}
	}
	sum := sha256.Sum256([]byte(text))
	return &Rubric{Name: name, Origin: "builtin", Version: hex.EncodeToString(sum[:])[:12], Source: text, tmpl: tm}, nil
}

// funcs are the prompt templates' functions: a rubric is edited like a prompt.
var funcs = prompt.Funcs()

// Names lists the dimensions there are rubrics for, sorted.
func (rs *Rubrics) Names() []string {
	names := make([]string, 0, len(rs.byName))
	for n := range rs.byName {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Get returns the rubric of a dimension.
func (rs *Rubrics) Get(name string) (*Rubric, error) {
	r, ok := rs.byName[name]
	if !ok {
		return nil, fmt.Errorf("unknown judge dimension %q (have: %s)", name, strings.Join(rs.Names(), ", "))
	}
	return r, nil
}

// closing matches the closing tags the built-in rubrics delimit the
// article and the summary with.
var closing = regexp.MustCompile(`(?i)</\s*(article|summary)\s*>`)

// defuse keeps text from closing the block it is quoted in.
func defuse(s string) string {
	return closing.ReplaceAllString(s, "<\\/$1>")
}

// NewData builds a rubric's data from an article and its bullets.
func NewData(dimension, title, article string, bullets []string) Data {
	d := Data{Dimension: dimension, Title: defuse(title), Article: defuse(article)}
	var b strings.Builder
	for i, s := range bullets {
		s = defuse(s)
		d.Bullets = append(d.Bullets, s)
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- " + s)
	}
	d.Summary = b.String()
	return d
}

// Render executes the rubric with d.
func (r *Rubric) Render(d Data) ([]llm.Message, error) {
	var msgs []llm.Message
	for _, part := range []string{"system", "user"} {
		var b bytes.Buffer
		if err := r.tmpl.ExecuteTemplate(&b, part, d); err != nil {
			return nil, fmt.Errorf("render rubric %s: %s", r.Name, strings.TrimPrefix(err.Error(), "template: "))
		}
		if c := strings.TrimSpace(b.String()); c != "" {
			msgs = append(msgs, llm.Message{Role: part, Content: c})
		}
	}
	if len(msgs) == 0 || msgs[len(msgs)-1].Role != llm.RoleUser {
		return nil, fmt.Errorf("render rubric %s: the user message is empty", r.Name)
	}
	return msgs, nil
}
