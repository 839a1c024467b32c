package prompt

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"text/template"
)

// MissingBlockError is the error of Parse for a file that does not define
// one of the two blocks every prompt has.
type MissingBlockError struct {
	File  string
	Block string // "system" or "user"
}

func (e *MissingBlockError) Error() string {
	return fmt.Sprintf("%s: no {{define %q}} block", e.File, e.Block)
}

// FieldError is the error of Parse for a template that uses what its data
// does not have ({{.Txt}}), or uses a value the wrong way, found by
// executing it once at load time.
type FieldError struct {
	File string
	Line string
	At   string // the action, such as .Txt
	Msg  string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s:%s: {{%s}}: %s", e.File, e.Line, e.At, e.Msg)
}

// samples are the data a template is executed with at load time: one with
// every field set (so {{if}} and {{range}} bodies run) and the zero value
// (so {{else}} branches run).
var samples = []Data{
	{
		Title: "A title", Text: "The article.", Bullets: 3, MaxWords: 20, Language: "English",
		Source: "article.txt", Date: "2025-01-02", Site: "example.com",
		Examples: []Example{{Article: "An example.", Bullets: []string{"An example bullet"}}},
	},
	{},
}

// check executes both blocks of tm with each sample and reports the first
// mistake that does not depend on the data: an unknown field, a wrong
// type, a wrong number of arguments. A function that fails on the sample's
// values (index out of range) is not a mistake of the template.
func check(file string, tm *template.Template) error {
	for _, d := range samples {
		for _, part := range []string{"system", "user"} {
			left := MaxRendered
			err := tm.ExecuteTemplate(limitWriter{max: &left, discard: true}, part, d)
			var ee template.ExecError
			if err == nil || errors.Is(err, ErrTooLarge) || !errors.As(err, &ee) {
				continue
			}
			if fe := fieldError(file, ee); fe != nil {
				return fe
			}
		}
	}
	return nil
}

var execMsg = regexp.MustCompile(`^template: (.+):(\d+):\d+: executing "[^"]*" at <(.*?)>: (.*)$`)

// fieldError maps text/template's execution error to file:line, or
// returns nil for an error that depends on the data.
func fieldError(file string, ee template.ExecError) *FieldError {
	m := execMsg.FindStringSubmatch(ee.Error())
	if m == nil || strings.HasPrefix(m[4], "error calling ") {
		return nil
	}
	msg := m[4]
	var field, typ string
	if _, err := fmt.Sscanf(msg, "can't evaluate field %s in type %s", &field, &typ); err == nil {
		switch typ {
		case "prompt.Data":
			msg = fmt.Sprintf("the prompt data has no field %s (it has %s)", field, fieldList(Data{}))
		case "prompt.Example":
			msg = fmt.Sprintf("an example has no field %s (it has %s)", field, fieldList(Example{}))
		}
	}
	if m[1] != file {
		file = m[1]
	}
	return &FieldError{File: file, Line: m[2], At: m[3], Msg: msg}
}

// fieldList is ".A, .B and .C" for the fields of v's struct type.
func fieldList(v any) string {
	t := reflect.TypeOf(v)
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = "." + t.Field(i).Name
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
