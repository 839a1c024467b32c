package bullet

import (
	"encoding/json"
	"regexp"
	"strings"
)

// listKeys are the object keys, in order of preference, that hold the
// bullets in a JSON reply such as {"bullets": [...]}.
var listKeys = [...]string{"bullets", "highlights", "headlines", "summary", "points", "key_points", "items", "bullet_points"}

// itemKeys are the keys whose string value is the bullet when the list
// holds objects: [{"text": "..."}].
var itemKeys = [...]string{"bullet", "text", "headline", "point", "summary", "content"}

// jsonString matches one JSON string literal on a single line.
var jsonString = regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"`)

// jsonStart matches the opening of a JSON reply that a tolerant scan may
// read when strict decoding fails: a list of strings or an object key.
var jsonStart = regexp.MustCompile(`^(?:\[\s*"|\{\s*"[^"\n]*"\s*:\s*[\[{])`)

// parseJSON looks for a JSON value starting a line of text and returns the
// strings it holds. Text before and after the value becomes leftovers. A
// value that does not decode (a reply cut off by the token limit) is scanned
// for string literals instead, as long as it starts like a list of strings
// or an object with a list.
func parseJSON(text string) (bullets, leftovers []string, ok bool) {
	start := jsonLineStart(text)
	if start < 0 {
		return nil, nil, false
	}
	dec := json.NewDecoder(strings.NewReader(text[start:]))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil {
		bullets = stringsIn(v, 0)
		if len(bullets) == 0 {
			return nil, nil, false
		}
		end := start + int(dec.InputOffset())
		leftovers = appendChunk(leftovers, text[:start])
		leftovers = appendChunk(leftovers, text[end:])
		return bullets, leftovers, true
	}
	rest := text[start:]
	if !jsonStart.MatchString(rest) {
		return nil, nil, false
	}
	for _, loc := range jsonString.FindAllStringIndex(rest, -1) {
		after := strings.TrimLeft(rest[loc[1]:], " \t\n")
		if strings.HasPrefix(after, ":") {
			continue // an object key
		}
		var s string
		if json.Unmarshal([]byte(rest[loc[0]:loc[1]]), &s) == nil {
			bullets = append(bullets, s)
		}
	}
	if len(bullets) == 0 {
		return nil, nil, false
	}
	return bullets, appendChunk(nil, text[:start]), true
}

// jsonLineStart returns the offset of the first '[' or '{' that starts a
// line (after indentation), or -1.
func jsonLineStart(text string) int {
	off := 0
	for line := range strings.SplitAfterSeq(text, "\n") {
		t := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{") {
			return off + len(line) - len(t)
		}
		off += len(line)
	}
	return -1
}

// stringsIn returns the bullet strings held by a decoded JSON value: the
// strings of a list (or a string field of each object in it), or the list
// under the preferred key of an object, looking one level deeper for
// {"summary": {"bullets": [...]}}.
func stringsIn(v any, depth int) []string {
	switch v := v.(type) {
	case []any:
		var out []string
		for _, e := range v {
			switch e := e.(type) {
			case string:
				out = append(out, e)
			case map[string]any:
				if s, ok := itemString(e); ok {
					out = append(out, s)
				}
			}
		}
		return out
	case map[string]any:
		if depth > 1 {
			return nil
		}
		for _, k := range listKeys {
			for key, val := range v {
				if strings.EqualFold(key, k) {
					if out := stringsIn(val, depth+1); len(out) > 0 {
						return out
					}
				}
			}
		}
		// An object with exactly one list or object value: use it.
		var only any
		n := 0
		for _, val := range v {
			switch val.(type) {
			case []any, map[string]any:
				only = val
				n++
			}
		}
		if n == 1 {
			return stringsIn(only, depth+1)
		}
	}
	return nil
}

// itemString returns the bullet text of a list element that is an object.
func itemString(m map[string]any) (string, bool) {
	for _, k := range itemKeys {
		if s, ok := m[k].(string); ok {
			return s, true
		}
	}
	var only string
	n := 0
	for _, val := range m {
		if s, ok := val.(string); ok {
			only = s
			n++
		}
	}
	return only, n == 1
}
