package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"gopkg.in/yaml.v3"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/suggest"
)

var durationType = reflect.TypeOf(time.Duration(0))

// decodeValue turns a value as YAML (or a --set flag) wrote it into the
// type of the config key it sets, with one rule for every key: a bare
// number for a duration is seconds, a whole-number key takes no fraction,
// and a mistake reads as a sentence ("want a whole number, got 3.5").
func decodeValue(raw any, typ reflect.Type) (any, error) {
	switch {
	case typ == durationType:
		secs := func(f float64) (any, bool) {
			if math.IsNaN(f) || math.Abs(f) > math.MaxInt64/float64(time.Second) {
				return nil, false
			}
			return time.Duration(f * float64(time.Second)), true
		}
		switch x := raw.(type) {
		case int:
			if d, ok := secs(float64(x)); ok {
				return d, nil
			}
		case float64:
			if d, ok := secs(x); ok {
				return d, nil
			}
		case string:
			x = strings.TrimSpace(x)
			if f, err := strconv.ParseFloat(x, 64); err == nil {
				if d, ok := secs(f); ok {
					return d, nil
				}
			} else if d, err := time.ParseDuration(x); err == nil {
				return d, nil
			}
		}
		return nil, fmt.Errorf("want a duration such as 30s, 2m or a number of seconds, got %s", shown(raw))
	}
	switch typ.Kind() {
	case reflect.String:
		switch x := raw.(type) {
		case nil:
			return "", nil
		case string, int, float64, bool:
			return fmt.Sprint(raw), nil
		case time.Time: // YAML reads an unquoted 2024-10-21 as a date
			return dateText(x), nil
		}
		return nil, fmt.Errorf("want text, got %s", shown(raw))
	case reflect.Int, reflect.Int64:
		switch x := raw.(type) {
		case int:
			return x, nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int(x), nil
			}
		case string:
			if n, err := strconv.Atoi(strings.TrimSpace(x)); err == nil {
				return n, nil
			}
			if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				return int(f), nil
			}
		}
		return nil, fmt.Errorf("want a whole number, got %s", shown(raw))
	case reflect.Float64:
		switch x := raw.(type) {
		case int:
			return float64(x), nil
		case float64:
			return x, nil
		case string:
			if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
				return f, nil
			}
		}
		return nil, fmt.Errorf("want a number, got %s", shown(raw))
	case reflect.Bool:
		switch x := raw.(type) {
		case bool:
			return x, nil
		case string:
			if b, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
				return b, nil
			}
		}
		return nil, fmt.Errorf("want true or false, got %s", shown(raw))
	case reflect.Slice:
		if typ.Elem().Kind() == reflect.String {
			switch x := raw.(type) {
			case nil:
				return []string{}, nil
			case string:
				return splitList(x), nil
			case []any:
				out := make([]string, 0, len(x))
				for _, e := range x {
					switch e.(type) {
					case string, int, float64, bool:
						out = append(out, fmt.Sprint(e))
					default:
						return nil, fmt.Errorf("want a list of text, got %s in it", shown(e))
					}
				}
				return out, nil
			}
			return nil, fmt.Errorf("want a list, got %s", shown(raw))
		}
		if lk, ok := listKindOf(typ); ok {
			items := reflect.New(typ)
			dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{Result: items.Interface(), ErrorUnused: true, WeaklyTypedInput: false})
			if err != nil {
				return nil, err
			}
			if err := dec.Decode(raw); err != nil {
				return nil, fmt.Errorf("want a list of %s: %s", lk.want, oneLine(err))
			}
			return raw, nil // viper decodes the list itself
		}
	}
	return nil, fmt.Errorf("cannot be set here")
}

// listKindOf is the list setting whose value has type typ.
func listKindOf(typ reflect.Type) (listKey, bool) {
	for _, lk := range listKeys {
		if reflect.SliceOf(lk.elem) == typ {
			return lk, true
		}
	}
	return listKey{}, false
}

// dateText writes a YAML timestamp back as text: 2024-10-21 for a date.
func dateText(t time.Time) string {
	if t.Equal(t.Truncate(24*time.Hour)) && t.Location() == time.UTC {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339Nano)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func shown(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case nil:
		return "nothing"
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return fmt.Sprint(v)
}

// pathKeys are the config keys whose values are paths. In a config file a
// relative path is relative to the file's folder; everywhere a leading ~
// is the home folder.
var pathKeys = map[string]bool{"prompt.dir": true, "prompt.examples": true}

// resolvePath expands a leading ~ and, when base is not "", joins a
// relative path to base.
func resolvePath(p, base string) (string, error) {
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, "~"+string(filepath.Separator)) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand ~ in %q: %v", p, err)
		}
		p = filepath.Join(home, p[1:])
	}
	if p != "" && base != "" && !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	return p, nil
}

// decodeKey is decodeValue for a config key, with its path rule: base is
// the folder relative paths start from ("" for the working directory).
func decodeKey(key string, raw any, typ reflect.Type, base string) (any, error) {
	val, err := decodeValue(raw, typ)
	if err != nil || !pathKeys[key] {
		return val, err
	}
	return resolvePath(val.(string), base)
}

// didYouMean is a did-you-mean for an unknown key: the nearest known key or
// section, else the keys whose last part is near ("temprature" →
// "llm.temperature").
func didYouMean(key string, known []string) string {
	keys := suggest.Key(key, known)
	if len(keys) == 0 {
		return ""
	}
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(k)
	}
	return fmt.Sprintf(" (did you mean %s?)", strings.Join(q, " or "))
}

// keyFlag is a flag that sets a config key by the key's rule:
// --timeout 10 is ten seconds, and --bullets 3.5 is refused as
// `invalid argument "3.5" for "--bullets" flag: want a whole number, got "3.5"`.
type keyFlag struct {
	typ reflect.Type
	val any // nil until set
}

// newKeyFlag is the flag value for key, one of config.Default's keys.
func newKeyFlag(key string) *keyFlag {
	def := map[string]any{}
	flatten("", reflect.ValueOf(config.Default()), def)
	d, ok := def[key]
	if !ok {
		panic("newKeyFlag: no config key " + key)
	}
	return &keyFlag{typ: reflect.TypeOf(d)}
}

func (f *keyFlag) Set(s string) error {
	v, err := decodeValue(s, f.typ)
	if err != nil {
		return err
	}
	f.val = v
	return nil
}

func (f *keyFlag) String() string {
	if f.val == nil {
		return ""
	}
	return fmt.Sprint(f.val)
}

func (f *keyFlag) Type() string {
	switch {
	case f.typ == durationType:
		return "duration"
	case f.typ.Kind() == reflect.Int || f.typ.Kind() == reflect.Int64:
		return "int"
	case f.typ.Kind() == reflect.Float64:
		return "float"
	}
	return f.typ.Kind().String()
}

// fileValues are a config file's settings, each decoded by its key's rule.
type fileValues struct {
	vals  map[string]any // dotted key → value
	lines map[string]int // dotted key, "models[i]" and "models[i].field" → line
}

// lineOf is the line of path, or of the nearest enclosing path that has
// one ("models[0].name" → "models[0]" → "models"); 0 when none.
func (fv fileValues) lineOf(path string) int {
	for path != "" {
		if l, ok := fv.lines[path]; ok {
			return l
		}
		path = path[:max(strings.LastIndexAny(path, ".["), 0)]
	}
	return 0
}

// nested is vals as the nested mapping viper keeps.
func (fv fileValues) nested() map[string]any {
	out := map[string]any{}
	for k, v := range fv.vals {
		m := out
		parts := strings.Split(k, ".")
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[p] = sub
			}
			m = sub
		}
		m[parts[len(parts)-1]] = v
	}
	return out
}

// fileReader decodes a config file's yaml.Node tree, collecting every
// mistake with its line.
type fileReader struct {
	file     string
	def      map[string]any
	sections map[string]bool // "llm", "prompt", ...
	known    []string        // keys and sections, for suggestions
	fv       fileValues
	errs     []error
}

// readConfigFile reads a config file: each key one of def's (or a section
// of them, nested or dotted), each value decoded by decodeKey with paths
// relative to the file's folder. Errors read "config FILE:LINE: ...".
func readConfigFile(file string, def map[string]any) (fileValues, error) {
	r := &fileReader{file: file, def: def, sections: map[string]bool{},
		fv: fileValues{vals: map[string]any{}, lines: map[string]int{}}}
	for k := range def {
		r.known = append(r.known, k)
		for i, c := range k {
			if c == '.' && !r.sections[k[:i]] {
				r.sections[k[:i]] = true
				r.known = append(r.known, k[:i])
			}
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return r.fv, fmt.Errorf("config %s: %w", file, unwrapPath(err))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		msg := strings.TrimPrefix(oneLine(err), "yaml: ")
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			if n, m, ok := strings.Cut(rest, ": "); ok {
				return r.fv, fmt.Errorf("config %s:%s: %s", file, n, m)
			}
		}
		return r.fv, fmt.Errorf("config %s: %s", file, msg)
	}
	if len(doc.Content) > 0 {
		r.mapping(doc.Content[0], "")
	}
	return r.fv, errors.Join(r.errs...)
}

func (r *fileReader) errf(n *yaml.Node, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("config %s:%d: %s", r.file, n.Line, fmt.Sprintf(format, args...)))
}

// mapping decodes the keys of a mapping under prefix ("" at the top).
func (r *fileReader) mapping(n *yaml.Node, prefix string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		what := "the config file"
		if prefix != "" {
			what = prefix
		}
		r.errf(n, "%s: want a mapping of keys, got %s", what, nodeShown(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := strings.ToLower(k.Value)
		if prefix != "" {
			path = prefix + "." + path
		}
		if line, dup := r.fv.lines[path]; dup {
			r.errf(k, "duplicate key %q (first on line %d)", path, line)
			continue
		}
		r.fv.lines[path] = k.Line
		d, isKey := r.def[path]
		switch {
		case r.sections[path]:
			r.mapping(v, path)
		case listKeys[path].elem != nil:
			r.list(v, path, listKeys[path])
		case isKey:
			if val, err := decodeKey(path, nodeValue(v, reflect.TypeOf(d)), reflect.TypeOf(d), filepath.Dir(r.file)); err != nil {
				r.errf(v, "%s: %s", path, err)
			} else {
				r.fv.vals[path] = val
			}
		default:
			r.errf(k, "unknown key %q%s", path, didYouMean(path, r.known))
		}
	}
}

// listKey is a setting that holds a list of mappings, read field by
// field: the model table and the endpoint pool.
type listKey struct {
	elem    reflect.Type
	want    string // what the list holds, for errors
	example string // one item, for errors
}

var listKeys = map[string]listKey{
	"models":        {reflect.TypeOf(config.Model{}), "{name, context_window, max_output, input_price, output_price}", "{name: llama3.1, context_window: 131072}"},
	"llm.endpoints": {reflect.TypeOf(config.Endpoint{}), "{base_url, api_key_env, concurrency}", "{base_url: http://gpu1:8000/v1, concurrency: 8}"},
}

// list decodes the list setting at path, field by field.
func (r *fileReader) list(n *yaml.Node, path string, lk listKey) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Tag == "!!null" {
		r.fv.vals[path] = []any{}
		return
	}
	if n.Kind != yaml.SequenceNode {
		r.errf(n, "%s: want a list of %s, got %s", path, lk.want, nodeShown(n))
		return
	}
	fields := map[string]reflect.Type{}
	var names []string
	for i := range lk.elem.NumField() {
		name := lk.elem.Field(i).Tag.Get("mapstructure")
		fields[name] = lk.elem.Field(i).Type
		names = append(names, name)
	}
	list := []any{}
	for i, item := range n.Content {
		where := fmt.Sprintf("%s[%d]", path, i)
		r.fv.lines[where] = item.Line
		if item.Kind != yaml.MappingNode {
			r.errf(item, "%s: want a mapping such as %s, got %s", where, lk.example, nodeShown(item))
			continue
		}
		m := map[string]any{}
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			name := strings.ToLower(k.Value)
			typ, ok := fields[name]
			if !ok {
				r.errf(k, "unknown key %q in %s%s", name, where, didYouMean(name, names))
				continue
			}
			if line, dup := r.fv.lines[where+"."+name]; dup {
				r.errf(k, "duplicate key %q in %s (first on line %d)", name, where, line)
				continue
			}
			r.fv.lines[where+"."+name] = k.Line
			val, err := decodeValue(nodeValue(v, typ), typ)
			if err != nil {
				r.errf(v, "%s.%s: %s", where, name, err)
				continue
			}
			m[name] = val
		}
		list = append(list, m)
	}
	r.fv.vals[path] = list
}

// nodeValue is a YAML value as decodeValue takes it. A key that holds
// text gets the text as written (api_version: 2024-10-21 is not a date).
func nodeValue(n *yaml.Node, typ reflect.Type) any {
	if typ.Kind() == reflect.String && n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return n.Value
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return n.Value
	}
	return v
}

func nodeShown(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	}
	return "an alias"
}
