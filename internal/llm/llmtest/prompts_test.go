package llmtest

import (
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/prompt"
)

// A request rendered from Prompts tells the fake its task, bullet count and
// text on a line of its own, whatever else the prompt says; a repair turn
// keeps the first turn's.
func TestMetaFromPrompts(t *testing.T) {
	set, err := prompt.Load(Prompts(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, task string
	}{{"headline", "headline"}, {"reduce", "reduce"}} {
		tmpl, err := set.Get(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := tmpl.Render(prompt.Data{Title: "T", Text: "First one here. Second one here. Third one here. Fourth one here. Fifth.", Bullets: 4, MaxWords: 12})
		if err != nil {
			t.Fatal(err)
		}
		req := ChatRequest{}
		for _, m := range msgs {
			req.Messages = append(req.Messages, ChatMessage{Role: m.Role, Content: m.Content})
		}
		req.Messages = append(req.Messages, ChatMessage{Role: "assistant", Content: "- x"}, ChatMessage{Role: "user", Content: "Reply again with exactly 9 bullets."})
		m, ok := Meta(req)
		want := RequestMeta{Task: tc.task, Bullets: 4, MaxWords: 12, Text: "First one here. Second one here. Third one here. Fourth one here. Fifth."}
		if !ok || m != want {
			t.Errorf("Meta(%s request) = %+v, %v; want %+v", tc.name, m, ok, want)
		}
		if got := strings.Count(ok200(t, req), "- "); got != 4 {
			t.Errorf("fake-ok reply to a %s request has %d bullets, want 4", tc.name, got)
		}
	}
	if _, ok := Meta(ChatRequest{Messages: []ChatMessage{{Role: "user", Content: "Summarize in exactly 3 bullets."}}}); ok {
		t.Error("Meta(a request with no request line) ok, want not")
	}
}

func ok200(t *testing.T, req ChatRequest) string {
	t.Helper()
	return OK(req, 1).Content
}
