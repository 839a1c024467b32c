// Package prompt loads, parses and renders prompt templates.
//
// A template is one text/template file NAME.tmpl that defines two named
// templates, "system" and "user". The built-ins are embedded in the binary;
// a user folder shadows them by name. Every template is parsed once, at
// load time, so a syntax error is reported with file:line before any work.
// Article text is passed as data, never as template source: "{{" inside an
// article is printed, not executed.
package prompt

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/template"

	"github.com/summarize-dev/summarize/internal/llm"
)

// Message is one rendered chat message: the llm package's, since a
// rendered template is the messages of a request.
type Message = llm.Message

// Example is one few-shot example.
type Example struct {
	Article string   `json:"article"`
	Bullets []string `json:"bullets"`
}

// Data is what a template sees.
type Data struct {
	Title    string
	Text     string
	Bullets  int
	MaxWords int
	Language string
	Source   string
	Date     string
	Site     string
	Examples []Example
}

// Template is one parsed prompt.
type Template struct {
	Name    string // file name without .tmpl
	Origin  string // "builtin" or the file's path
	Version string // first 12 hex digits of the file's SHA-256
	Source  string // the file's text
	tmpl    *template.Template
}

// ID is NAME@VERSION, carried into results.
func (t *Template) ID() string { return t.Name + "@" + t.Version }

// Set is the templates available by name.
type Set struct {
	byName map[string]*Template
}

// Load parses the built-in templates (*.tmpl at the root of builtin) and,
// when dir is not empty, the user's *.tmpl files in dir, which shadow
// built-ins of the same name.
func Load(builtin fs.FS, dir string) (*Set, error) {
	s := &Set{byName: map[string]*Template{}}
	if err := s.addFS(builtin, "builtin", func(name string) string { return name }); err != nil {
		return nil, err
	}
	if dir != "" {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("prompt dir: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("prompt dir %s: not a directory", dir)
		}
		if err := s.addFS(os.DirFS(dir), dir, func(name string) string { return filepath.Join(dir, name) }); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Set) addFS(fsys fs.FS, origin string, display func(string) string) error {
	names, err := fs.Glob(fsys, "*.tmpl")
	if err != nil {
		return err
	}
	for _, file := range names {
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			return fmt.Errorf("read %s: %w", display(file), err)
		}
		t, err := Parse(display(file), string(b))
		if err != nil {
			return err
		}
		if origin != "builtin" {
			t.Origin = display(file)
		}
		s.byName[t.Name] = t
	}
	return nil
}

// Parse parses one template file's text. file names it in errors and gives
// the template its name (base name without .tmpl). Parse also executes the
// template once with sample data, so a field the data does not have
// ({{.Txt}}) is an error here, with file:line, not at the first article.
func Parse(file, text string) (*Template, error) {
	name := strings.TrimSuffix(path.Base(filepath.ToSlash(file)), ".tmpl")
	tm, err := template.New(file).Option("missingkey=error").Funcs(funcs).Parse(text)
	if err != nil {
		return nil, cleanErr(err)
	}
	for _, part := range []string{"system", "user"} {
		if tm.Lookup(part) == nil {
			return nil, &MissingBlockError{File: file, Block: part}
		}
	}
	if err := check(file, tm); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(text))
	return &Template{Name: name, Origin: "builtin", Version: hex.EncodeToString(sum[:])[:12], Source: text, tmpl: tm}, nil
}

// cleanErr turns "template: FILE:4: msg" into "FILE:4: msg".
func cleanErr(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), "template: "))
}

// Funcs are the functions templates may call: the prompt templates and
// the judge's rubrics, which users edit alike.
func Funcs() template.FuncMap { return maps.Clone(funcs) }

var funcs = template.FuncMap{
	"join":  strings.Join,
	"upper": strings.ToUpper,
	"lower": strings.ToLower,
	"trim":  strings.TrimSpace,
	"add":   func(a, b int) int { return a + b },
}

// Names lists the available templates, sorted.
func (s *Set) Names() []string {
	names := make([]string, 0, len(s.byName))
	for n := range s.byName {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Get returns the template called name.
func (s *Set) Get(name string) (*Template, error) {
	t, ok := s.byName[name]
	if !ok {
		return nil, fmt.Errorf("unknown prompt %q (have: %s)", name, strings.Join(s.Names(), ", "))
	}
	return t, nil
}

// MaxRendered bounds what a template may add to its data: a rendered
// prompt (both parts) is at most MaxRendered bytes plus twice the size of
// the data's text, so a template that loops cannot render gigabytes.
const MaxRendered = 4 << 20

// ErrTooLarge is the error of Render for a prompt over its limit.
var ErrTooLarge = errors.New("rendered prompt too large")

// limitWriter is a strings.Builder that fails once it would pass max bytes.
type limitWriter struct {
	b       *strings.Builder
	max     *int // bytes left, shared by the parts of one rendering
	discard bool // count only: b is nil
}

func (w limitWriter) Write(p []byte) (int, error) {
	if len(p) > *w.max {
		return 0, ErrTooLarge
	}
	*w.max -= len(p)
	if w.discard {
		return len(p), nil
	}
	return w.b.Write(p)
}

// size is the number of bytes of text in d.
func (d Data) size() int {
	n := len(d.Title) + len(d.Text) + len(d.Language) + len(d.Source) + len(d.Date) + len(d.Site)
	for _, e := range d.Examples {
		n += len(e.Article)
		for _, b := range e.Bullets {
			n += len(b)
		}
	}
	return n
}

// Render executes the template's system and user parts with d. A prompt
// longer than MaxRendered plus twice d's text is an error wrapping
// ErrTooLarge.
func (t *Template) Render(d Data) ([]Message, error) {
	var msgs []Message
	limit := MaxRendered + 2*d.size()
	left := limit
	for _, part := range []string{"system", "user"} {
		// A builder's string is its buffer, not a copy; the user part gets
		// room for the article's text and the template's words around it.
		var b strings.Builder
		if part == "user" {
			b.Grow(d.size() + 2048)
		}
		if err := t.tmpl.ExecuteTemplate(limitWriter{b: &b, max: &left}, part, d); err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, fmt.Errorf("render prompt %s: %w: over %d bytes (%d of data)", t.Name, ErrTooLarge, limit, d.size())
			}
			return nil, fmt.Errorf("render prompt %s: %w", t.Name, cleanErr(err))
		}
		if c := strings.TrimSpace(b.String()); c != "" {
			msgs = append(msgs, Message{Role: part, Content: c})
		}
	}
	if len(msgs) == 0 || msgs[len(msgs)-1].Role != "user" {
		return nil, fmt.Errorf("render prompt %s: the user message is empty", t.Name)
	}
	return msgs, nil
}

// Dump writes every template's source into dir as NAME.tmpl and returns
// the files written. A file that exists is kept as it is, not overwritten.
func (s *Set) Dump(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, n := range s.Names() {
		p := filepath.Join(dir, n+".tmpl")
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return written, fmt.Errorf("dump %s: %w", p, err)
		}
		_, err = f.WriteString(s.byName[n].Source)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, fmt.Errorf("dump %s: %w", p, err)
		}
		written = append(written, p)
	}
	return written, nil
}
