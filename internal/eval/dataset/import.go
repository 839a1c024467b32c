package dataset

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/summarize-dev/summarize/internal/jsonl"
)

// Import formats.
const (
	FormatStory = "story" // CNN/DailyMail .story files: article, then @highlight lines
	FormatJSONL = "jsonl" // Hugging Face style JSONL: article, highlights (string or list)
	FormatCSV   = "csv"   // Hugging Face style CSV with article and highlights columns
	FormatPage  = "page"  // page dumps (text or HTML) whose leading "- " bullets are the reference
)

// importFormats lists the formats Import reads.
var importFormats = []string{FormatStory, FormatJSONL, FormatCSV, FormatPage, FormatJudged}

// Formats returns the formats Import reads.
func Formats() []string { return slices.Clone(importFormats) }

// DetectFormat guesses the import format of path from its extension, or
// for a directory from the files in it.
func DetectFormat(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("import %s: %w", path, notFound(err))
	}
	if st.IsDir() {
		ents, err := os.ReadDir(path)
		if err != nil {
			return "", fmt.Errorf("import %s: %w", path, err)
		}
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".story") {
				return FormatStory, nil
			}
		}
		return FormatPage, nil
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".story":
		return FormatStory, nil
	case ".jsonl", ".json", ".ndjson":
		return FormatJSONL, nil
	case ".csv":
		return FormatCSV, nil
	case ".txt", ".html", ".htm", ".md":
		return FormatPage, nil
	}
	return "", fmt.Errorf("import %s: cannot tell the format from the name (want one of %v)", path, importFormats)
}

// ImportOptions supply what the eval package does not do itself.
type ImportOptions struct {
	// Page cleans one page dump (text or HTML) into a case with its title,
	// article text and reference bullets; cmd/summarize passes the
	// cleaner. It is required for FormatPage only.
	Page func(ctx context.Context, path string) (Case, error)
	// Pairs (a dataset of articles and references) and Systems (JSONL
	// {"id","system","bullets"}) are what FormatJudged joins its
	// judgments with.
	Pairs, Systems string
}

// Import reads path in format ("" = DetectFormat) and calls fn with each
// case. Directories are read in name order (.story files, or .txt/.html
// page dumps). Ids come from the records, or from file names and line
// numbers when the records have none.
func Import(ctx context.Context, format, path string, opt ImportOptions, fn func(Case) error) error {
	if format == "" {
		f, err := DetectFormat(path)
		if err != nil {
			return err
		}
		format = f
	}
	var err error
	switch format {
	case FormatStory:
		err = eachFile(ctx, path, []string{".story"}, func(p string) error {
			c, err := readStory(p)
			if err != nil {
				return err
			}
			return fn(c)
		})
	case FormatPage:
		if opt.Page == nil {
			return errors.New("import: no page cleaner for page dumps")
		}
		err = eachFile(ctx, path, []string{".txt", ".html", ".htm", ".md"}, func(p string) error {
			c, err := readPage(ctx, p, opt.Page)
			if err != nil {
				return err
			}
			return fn(c)
		})
	case FormatJSONL:
		err = importJSONL(ctx, path, fn)
	case FormatCSV:
		err = importCSV(ctx, path, fn)
	case FormatJudged:
		err = importJudged(ctx, path, opt, fn)
	default:
		return fmt.Errorf("import: unknown format %q (want one of %v)", format, importFormats)
	}
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}

// Writer writes cases as dataset JSONL, refusing duplicate ids.
type Writer struct {
	w    *bufio.Writer
	seen map[string]bool
	N    int
}

// NewWriter returns a writer of dataset JSONL to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriter(w), seen: map[string]bool{}}
}

// Write writes one case.
func (cw *Writer) Write(c Case) error {
	if err := checkCase(c); err != nil {
		return err
	}
	if cw.seen[c.ID] {
		return fmt.Errorf("duplicate id %q", c.ID)
	}
	cw.seen[c.ID] = true
	b, err := c.MarshalJSON()
	if err != nil {
		return fmt.Errorf("case %q: %w", c.ID, err)
	}
	cw.w.Write(b)
	cw.N++
	return cw.w.WriteByte('\n')
}

// Flush flushes buffered cases.
func (cw *Writer) Flush() error { return cw.w.Flush() }

func eachFile(ctx context.Context, path string, exts []string, fn func(string) error) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, notFound(err))
	}
	if !st.IsDir() {
		return fn(path)
	}
	ents, err := os.ReadDir(path)
	if err != nil {
		return err
	}
	n := 0
	for _, e := range ents { // ReadDir sorts by name
		if e.IsDir() || !slices.Contains(exts, strings.ToLower(filepath.Ext(e.Name()))) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(filepath.Join(path, e.Name())); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("%s: no %s files", path, strings.Join(exts, " or "))
	}
	return nil
}

// readStory parses a CNN/DailyMail .story file: article paragraphs, then
// "@highlight" markers each followed by one highlight.
func readStory(path string) (Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Case{}, err
	}
	c := Case{ID: trimExt(filepath.Base(path))}
	var paras []string
	var para []string
	inHighlight := false
	flush := func() {
		if len(para) > 0 {
			text := strings.Join(para, " ")
			if inHighlight {
				c.Reference = append(c.Reference, text)
			} else {
				paras = append(paras, text)
			}
			para = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "@highlight":
			flush()
			inHighlight = true
		case line == "":
			flush()
		default:
			para = append(para, line)
		}
	}
	flush()
	c.Article = strings.Join(paras, "\n\n")
	if err := checkCase(c); err != nil {
		return Case{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// readPage cleans a page dump with page and uses its leading bullets as
// the reference; the id is the file name.
func readPage(ctx context.Context, path string, page func(context.Context, string) (Case, error)) (Case, error) {
	c, err := page(ctx, path)
	if err != nil {
		return Case{}, err
	}
	c.ID = trimExt(filepath.Base(path))
	if len(c.Reference) == 0 {
		return Case{}, fmt.Errorf("%s: no reference bullets found (want leading \"- \" bullet lines)", path)
	}
	if err := checkCase(c); err != nil {
		return Case{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func importJSONL(ctx context.Context, path string, fn func(Case) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, notFound(err))
	}
	defer f.Close()
	base := trimExt(filepath.Base(path))
	return lineErr(path, jsonl.ScanMax(f, MaxLine, func(line int, _ int64, b []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(b, &fields); err != nil {
			return fmt.Errorf("%s:%d: not a JSON object: %w", path, line, jsonl.Err(err))
		}
		c, err := hfCase(fields, func(key string) (string, []string, bool, error) {
			raw, ok := fields[key]
			if !ok {
				return "", nil, false, nil
			}
			var s string
			if json.Unmarshal(raw, &s) == nil {
				return s, nil, true, nil
			}
			var list []string
			if json.Unmarshal(raw, &list) == nil {
				return "", list, true, nil
			}
			var n json.Number
			if json.Unmarshal(raw, &n) == nil {
				return n.String(), nil, true, nil
			}
			return "", nil, true, fmt.Errorf("%q: want a string or a list of strings", key)
		}, base, line)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
		return fn(c)
	}))
}

// lineErr names the file of a *jsonl.LineTooLongError: "data.jsonl:3: line
// longer than 16 MiB".
func lineErr(path string, err error) error {
	var long *jsonl.LineTooLongError
	if errors.As(err, &long) {
		return fmt.Errorf("%s:%d: line longer than %s", path, long.Line, jsonl.Size(int64(long.Max)))
	}
	return err
}

func importCSV(ctx context.Context, path string, fn func(Case) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, notFound(err))
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	base := trimExt(filepath.Base(path))
	for row := 1; ; row++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		fields := map[string]json.RawMessage{}
		for name, i := range col {
			if i < len(rec) {
				b, _ := json.Marshal(rec[i])
				fields[name] = b
			}
		}
		c, err := hfCase(fields, func(key string) (string, []string, bool, error) {
			i, ok := col[key]
			if !ok || i >= len(rec) {
				return "", nil, false, nil
			}
			return rec[i], nil, true, nil
		}, base, row)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
}

// hfCase builds a case from a Hugging Face style record: article (or
// document/text), highlights (or reference/summary) as a newline-joined
// string or a list, optional id and title; other fields become metadata.
func hfCase(fields map[string]json.RawMessage, get func(string) (string, []string, bool, error), base string, n int) (Case, error) {
	var c Case
	pick := func(keys ...string) (string, []string, string, error) {
		for _, k := range keys {
			s, list, ok, err := get(k)
			if err != nil || ok {
				return s, list, k, err
			}
		}
		return "", nil, "", nil
	}
	id, _, idKey, err := pick("id")
	if err != nil {
		return c, err
	}
	c.ID = strings.TrimSpace(id)
	if c.ID == "" {
		c.ID = base + "-" + strconv.Itoa(n)
	}
	title, _, titleKey, err := pick("title")
	if err != nil {
		return c, err
	}
	c.Title = title
	article, _, articleKey, err := pick("article", "document", "text")
	if err != nil {
		return c, err
	}
	if articleKey == "" {
		return c, errors.New("no \"article\" field")
	}
	c.Article = article
	hs, hl, refKey, err := pick("highlights", "reference", "summary")
	if err != nil {
		return c, err
	}
	if refKey == "" {
		return c, errors.New("no \"highlights\" field")
	}
	if hl == nil {
		hl = strings.Split(hs, "\n")
	}
	for _, h := range hl {
		if h = strings.TrimSpace(h); h != "" {
			c.Reference = append(c.Reference, h)
		}
	}
	for k, v := range fields {
		if k == idKey || k == titleKey || k == articleKey || k == refKey {
			continue
		}
		if c.Meta == nil {
			c.Meta = map[string]json.RawMessage{}
		}
		c.Meta[k] = v
	}
	return c, checkCase(c)
}

func trimExt(name string) string { return name[:len(name)-len(filepath.Ext(name))] }

func notFound(err error) error {
	if os.IsNotExist(err) {
		return fmt.Errorf("no such file")
	}
	return err
}
