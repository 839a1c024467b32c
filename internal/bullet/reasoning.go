package bullet

import (
	"regexp"
	"strings"
)

// reasoningTags are the tag names of reasoning blocks, matched without
// regard to case.
var reasoningTags = [...]string{"think", "thinking", "reasoning"}

// specialTokens matches chat-template tokens that leak into replies from
// some local servers: <|im_end|>, <|eot_id|>, </s>, [/INST], <end_of_turn>.
var specialTokens = regexp.MustCompile(`<\|[A-Za-z0-9_ .:-]{1,40}\|>|</?s>|\[/?INST\]|<(?:start|end)_of_turn>|<eos>`)

// harmonyFinal starts the final answer in OpenAI's harmony format
// (gpt-oss): everything before it is analysis.
const harmonyFinal = "<|channel|>final<|message|>"

// normalize unifies line endings and drops a byte-order mark.
func normalize(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// splitReasoning removes reasoning from s and returns what is left and the
// removed blocks, verbatim. It handles complete <think>...</think> blocks, a
// closing tag with no opening one (the template opened it: everything before
// it is reasoning), an opening tag with no closing one (everything after it
// is reasoning), and harmony's analysis channel. Chat-template special tokens
// are dropped silently.
func splitReasoning(s string) (rest string, blocks []string) {
	if i := strings.LastIndex(s, harmonyFinal); i >= 0 {
		blocks = appendChunk(blocks, strings.Join(strings.Fields(specialTokens.ReplaceAllString(s[:i], " ")), " "))
		s = s[i+len(harmonyFinal):]
	}
	for {
		c, clen := indexTag(s, true)
		if c < 0 {
			break
		}
		o, _ := lastIndexTag(s[:c])
		if o < 0 {
			blocks = appendChunk(blocks, s[:c+clen])
			s = s[c+clen:]
			continue
		}
		blocks = appendChunk(blocks, s[o:c+clen])
		s = s[:o] + "\n" + s[c+clen:]
	}
	if o, _ := indexTag(s, false); o >= 0 {
		blocks = appendChunk(blocks, s[o:])
		s = s[:o]
	}
	return specialTokens.ReplaceAllString(s, ""), blocks
}

// indexTag returns the position and length of the first opening (closing
// false) or closing reasoning tag in s, or -1.
func indexTag(s string, closing bool) (int, int) {
	best, blen := -1, 0
	for _, name := range reasoningTags {
		tag := "<" + name + ">"
		if closing {
			tag = "</" + name + ">"
		}
		if i := indexFold(s, tag); i >= 0 && (best < 0 || i < best) {
			best, blen = i, len(tag)
		}
	}
	return best, blen
}

// lastIndexTag returns the position of the last opening reasoning tag in s,
// or -1.
func lastIndexTag(s string) (int, int) {
	best, blen := -1, 0
	for _, name := range reasoningTags {
		tag := "<" + name + ">"
		for i := 0; ; {
			j := indexFold(s[i:], tag)
			if j < 0 {
				break
			}
			if i+j > best {
				best, blen = i+j, len(tag)
			}
			i += j + 1
		}
	}
	return best, blen
}

// indexFold is strings.Index with ASCII case folding. Unlike lowering the
// whole string first, it keeps byte offsets valid for any input.
func indexFold(s, sub string) int {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if asciiEqualFold(s[i:i+n], sub) {
			return i
		}
	}
	return -1
}

func asciiEqualFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// dropFences removes markdown code-fence lines (``` or ~~~, with or without
// a language) and keeps what they enclose.
func dropFences(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			rest := strings.TrimSpace(strings.Trim(t, "`~"))
			if rest == "" || isFenceLang(rest) {
				continue
			}
			// Content on the fence line: ```["a", "b"]``` or ```json {...}```.
			if lang, body, ok := strings.Cut(rest, " "); ok && isFenceLang(lang) && strings.ContainsAny(body[:min(len(body), 2)], "[{") {
				rest = strings.TrimSpace(body)
			}
			l = rest
		case strings.HasSuffix(t, "```"):
			l = strings.TrimRight(t, "`")
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// isFenceLang reports whether rest (what follows ``` on a line) is just a
// language tag such as "json" or "markdown".
func isFenceLang(rest string) bool {
	return strings.IndexFunc(rest, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '+' || r == '_')
	}) < 0
}
