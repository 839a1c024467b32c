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
// are dropped silently. It runs in time linear in len(s).
func splitReasoning(s string) (rest string, blocks []string) {
	if i := strings.LastIndex(s, harmonyFinal); i >= 0 {
		blocks = appendChunk(blocks, strings.Join(strings.Fields(specialTokens.ReplaceAllString(s[:i], " ")), " "))
		s = s[i+len(harmonyFinal):]
	}
	low := asciiLower(s) // same byte offsets as s
	var kept strings.Builder
	pos := 0
	for {
		c, clen := nextTag(low, pos, "</")
		if c < 0 {
			break
		}
		o, _ := lastTag(low[pos:c], "<")
		if o < 0 {
			blocks = appendChunk(blocks, s[pos:c+clen])
		} else {
			kept.WriteString(s[pos : pos+o])
			kept.WriteString("\n")
			blocks = appendChunk(blocks, s[pos+o:c+clen])
		}
		pos = c + clen
	}
	if o, _ := nextTag(low, pos, "<"); o >= 0 {
		kept.WriteString(s[pos:o])
		blocks = appendChunk(blocks, s[o:])
	} else {
		kept.WriteString(s[pos:])
	}
	return dropSpecialTokens(kept.String()), blocks
}

// dropSpecialTokens removes chat-template tokens. The cheap checks first
// spare the regular expression a pass over replies that have none.
func dropSpecialTokens(s string) string {
	for _, hint := range [...]string{"<|", "<s>", "</s>", "INST]", "_of_turn>", "<eos>"} {
		if strings.Contains(s, hint) {
			return specialTokens.ReplaceAllString(s, "")
		}
	}
	return s
}

// nextTag returns the offset and length of the first reasoning tag opened
// by prefix ("<" or "</") in low at or after from, or -1.
func nextTag(low string, from int, prefix string) (int, int) {
	for from < len(low) {
		i := strings.Index(low[from:], prefix)
		if i < 0 {
			return -1, 0
		}
		i += from
		for _, name := range reasoningTags {
			if tag := prefix + name + ">"; strings.HasPrefix(low[i:], tag) {
				return i, len(tag)
			}
		}
		from = i + 1
	}
	return -1, 0
}

// lastTag returns the offset and length of the last reasoning tag opened by
// prefix in low, or -1.
func lastTag(low, prefix string) (int, int) {
	best, blen := -1, 0
	for _, name := range reasoningTags {
		tag := prefix + name + ">"
		if i := strings.LastIndex(low, tag); i > best {
			best, blen = i, len(tag)
		}
	}
	return best, blen
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay valid for
// any input (strings.ToLower may change the length of invalid or special
// UTF-8).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
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
