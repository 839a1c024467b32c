package prompt

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// LoadExamples reads few-shot examples from a JSONL file, one
// {"article": "...", "bullets": [...]} object a line. Blank lines are
// skipped; a bad line is an error with its number.
func LoadExamples(file string) ([]Example, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("examples: %w", err)
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var ex Example
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ex); err != nil {
			return nil, fmt.Errorf("examples %s:%d: %w", file, n, err)
		}
		if strings.TrimSpace(ex.Article) == "" || len(ex.Bullets) == 0 {
			return nil, fmt.Errorf("examples %s:%d: needs a non-empty \"article\" and \"bullets\"", file, n)
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("examples %s: %w", file, err)
	}
	return out, nil
}
