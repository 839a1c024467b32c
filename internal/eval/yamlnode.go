package eval

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/summarize-dev/summarize/internal/suggest"

	"gopkg.in/yaml.v3"
)

// nodeDecoder walks a yaml.Node tree and collects errors that carry the
// file and line of the offending node, so that a suite with three typos
// reports all three at once.
type nodeDecoder struct {
	file string
	errs []error
}

func (d *nodeDecoder) errf(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, fmt.Errorf("%s:%d: %s", d.file, line, fmt.Sprintf(format, args...)))
}

func (d *nodeDecoder) err() error { return errors.Join(d.errs...) }

// fields decodes a mapping node: each key must be in handlers, each key
// may appear once. A nil or null node is an empty mapping.
func (d *nodeDecoder) fields(n *yaml.Node, what string, handlers map[string]func(*yaml.Node)) {
	if n == nil || n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errf(n, "%s: want a mapping, got %s", what, kindName(n))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		h, ok := handlers[k.Value]
		if !ok {
			keys := make([]string, 0, len(handlers))
			for name := range handlers {
				keys = append(keys, name)
			}
			if s := suggest.Closest(k.Value, keys); s != "" {
				d.errf(k, "unknown key %q in %s (did you mean %q?)", k.Value, what, s)
			} else {
				d.errf(k, "unknown key %q in %s", k.Value, what)
			}
			continue
		}
		if line, dup := seen[k.Value]; dup {
			d.errf(k, "duplicate key %q in %s (first on line %d)", k.Value, what, line)
			continue
		}
		seen[k.Value] = k.Line
		h(v)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

func (d *nodeDecoder) scalar(n *yaml.Node, key string) bool {
	if n.Kind != yaml.ScalarNode {
		d.errf(n, "%s: want a value, got %s", key, kindName(n))
		return false
	}
	return true
}

func (d *nodeDecoder) str(n *yaml.Node, key string, dst *string) {
	if d.scalar(n, key) {
		*dst = n.Value
	}
}

func (d *nodeDecoder) int(n *yaml.Node, key string, dst *int) {
	if !d.scalar(n, key) {
		return
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil {
		d.errf(n, "%s: want a whole number, got %q", key, n.Value)
		return
	}
	*dst = v
}

func (d *nodeDecoder) bool(n *yaml.Node, key string, dst *bool) {
	if !d.scalar(n, key) {
		return
	}
	v, err := strconv.ParseBool(n.Value)
	if err != nil {
		d.errf(n, "%s: want true or false, got %q", key, n.Value)
		return
	}
	*dst = v
}

func (d *nodeDecoder) float(n *yaml.Node, key string, dst *float64) {
	if !d.scalar(n, key) {
		return
	}
	v, err := strconv.ParseFloat(n.Value, 64)
	if err != nil {
		d.errf(n, "%s: want a number, got %q", key, n.Value)
		return
	}
	*dst = v
}

// duration accepts Go durations ("90s", "2m") and plain seconds.
func (d *nodeDecoder) duration(n *yaml.Node, key string, dst *time.Duration) {
	if !d.scalar(n, key) {
		return
	}
	if s, err := strconv.ParseFloat(n.Value, 64); err == nil {
		*dst = time.Duration(s * float64(time.Second))
		return
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		d.errf(n, "%s: want a duration like 90s or 2m, got %q", key, n.Value)
		return
	}
	*dst = v
}

// strs accepts a list of strings or a single string.
func (d *nodeDecoder) strs(n *yaml.Node, key string, dst *[]string) {
	if n.Kind == yaml.ScalarNode {
		*dst = []string{n.Value}
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.errf(n, "%s: want a list, got %s", key, kindName(n))
		return
	}
	var out []string
	for _, c := range n.Content {
		if d.scalar(c, key) {
			out = append(out, c.Value)
		}
	}
	*dst = out
}
