package llmtest

import (
	"embed"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
)

//go:embed prompts/*.tmpl
var promptFiles embed.FS

// Prompts holds the fake's own prompt templates, headline.tmpl and
// reduce.tmpl, for prompt.Load: tests that render prompts for the fake use
// them instead of the shipped ones (config/prompts), so that editing the
// shipped wording breaks no test of the summarizer. Each user message
// starts with a request line the fake reads (see Meta):
//
//	fake-request: task=headline bullets=3 max_words=20
//	Title: ...
//	fake-text:
//	the article, or the parts' bullets for task=reduce
func Prompts() fs.FS {
	sub, err := fs.Sub(promptFiles, "prompts")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}

// RequestMeta is what a request rendered from Prompts says about itself.
type RequestMeta struct {
	Task     string // "headline" or "reduce"
	Bullets  int
	MaxWords int
	Text     string // the article, or the part summaries of a reduce
}

var requestLine = regexp.MustCompile(`(?m)^fake-request:((?: [a-z_]+=\S+)+)$`)

// Meta reads the request line and text of the last user message that has
// one (a repair turn has none: the first turn's is read); ok is false for a
// request not rendered from Prompts.
func Meta(req ChatRequest) (m RequestMeta, ok bool) {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		msg := req.Messages[i]
		if msg.Role != "user" {
			continue
		}
		line := requestLine.FindStringSubmatch(msg.Content)
		if line == nil {
			continue
		}
		for _, kv := range strings.Fields(line[1]) {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "task":
				m.Task = v
			case "bullets":
				m.Bullets, _ = strconv.Atoi(v)
			case "max_words":
				m.MaxWords, _ = strconv.Atoi(v)
			}
		}
		if _, text, found := strings.Cut(msg.Content, "\nfake-text:\n"); found {
			m.Text = text
		}
		return m, true
	}
	return RequestMeta{}, false
}
