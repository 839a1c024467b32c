package extractive

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/clean"
)

// hugeArticle is about 8 MiB of news-like text: the CLI's input cap.
func hugeArticle(paragraphs bool) string {
	para := strings.Repeat("The council voted on Tuesday to close the old bridge to traffic. Officials said repairs would take two years and cost $40 million. ", 4)
	sep := "\n\n"
	if !paragraphs {
		sep = " "
	}
	var b strings.Builder
	for b.Len() < 8<<20 {
		b.WriteString(para)
		b.WriteString(sep)
	}
	return b.String()
}

// cancelAfter is a context whose Err turns Canceled after n calls: it
// proves the work looks at its context while it runs, with no timer.
type cancelAfter struct {
	context.Context
	n atomic.Int64
}

func newCancelAfter(n int64) *cancelAfter {
	c := &cancelAfter{Context: context.Background()}
	c.n.Store(n)
	return c
}

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func (c *cancelAfter) Done() <-chan struct{} { return nil }
func (c *cancelAfter) Deadline() (time.Time, bool) {
	return time.Time{}, false
}

func TestSummarizeContextCancelled(t *testing.T) {
	s, err := New(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, paras := range []bool{true, false} {
		body := hugeArticle(paras)
		if b, err := s.SummarizeContext(ctx, "Bridge", body); !errors.Is(err, context.Canceled) || b != nil {
			t.Errorf("SummarizeContext(cancelled, paragraphs %v) = %d bullets, %v; want context.Canceled", paras, len(b), err)
		}
		// Cancelled mid-way: after a few checks, far fewer than the
		// article's pieces and sentences.
		c := newCancelAfter(20)
		if _, err := s.SummarizeArticleContext(c, clean.Article{Title: "Bridge", Body: body}); !errors.Is(err, context.Canceled) {
			t.Errorf("SummarizeArticleContext(cancelled mid-way, paragraphs %v) error = %v, want context.Canceled", paras, err)
		}
		if _, err := LeadArticleContext(ctx, clean.Article{Body: body}, 3); !errors.Is(err, context.Canceled) {
			t.Errorf("LeadArticleContext(cancelled) error = %v, want context.Canceled", err)
		}
	}
}

func TestContextEntryPointsMatch(t *testing.T) {
	s, err := New(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	body := "BRUSSELS – The council voted on Tuesday to close the old bridge to traffic.\n\nOfficials said repairs would take two years and cost $40 million. Drivers will use the ring road instead, the mayor said.\n\nThe bridge opened in 1931."
	want := s.Summarize("Bridge closes", body)
	got, err := s.SummarizeContext(t.Context(), "Bridge closes", body)
	if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("SummarizeContext = %q, %v; want Summarize's %q", got, err, want)
	}
	a := clean.Article{Body: body, Dateline: clean.Dateline(body)}
	if got, want := LeadArticle(a, 2), segmenter().Sentences(body)[:2]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("LeadArticle(body, 2) = %q, want %q", got, want)
	}
}

func TestPieces(t *testing.T) {
	long := strings.Repeat("Word after word. ", maxParagraph/8)
	ps := pieces(long)
	if len(ps) < 2 {
		t.Fatalf("pieces(%d bytes) = %d pieces, want several", len(long), len(ps))
	}
	for _, p := range ps {
		if len(p) > maxParagraph || !strings.HasSuffix(p, ".") {
			t.Errorf("piece of %d bytes ends %q: want at most %d, cut after a period", len(p), p[max(0, len(p)-10):], maxParagraph)
		}
	}
	if strings.Join(ps, " ") != strings.TrimSpace(long) {
		t.Errorf("pieces lose or change text")
	}
}

func BenchmarkSummarizeHugeCancelled(b *testing.B) {
	s, err := New(DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	body := hugeArticle(false)
	b.ResetTimer()
	for b.Loop() {
		s.SummarizeContext(newCancelAfter(3), "Bridge", body)
	}
}
