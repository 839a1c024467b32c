package clean

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/shareddata"
)

// TestDevArticlesKeepContent cleans the real (nearly clean) CNN/DailyMail
// dev articles: the noise rules must not eat article text, cleaning their
// cleaned text changes nothing, and Dateline finds the dateline Clean
// recorded.
func TestDevArticlesKeepContent(t *testing.T) {
	f, err := os.Open(shareddata.File(t, "news-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var n, heavy, datelines, titles int
	var in, out int
	for sc.Scan() {
		var rec struct {
			ID      string `json:"id"`
			Article string `json:"article"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		a, err := Clean(Input{Source: rec.ID, Data: []byte(rec.Article), MediaType: MediaText}, Options{})
		if err != nil {
			t.Errorf("Clean(%s): %v", rec.ID, err)
			continue
		}
		win, wout := wordCount(rec.Article), wordCount(a.Body)+wordCount(a.Title)+wordCount(a.Byline)
		if a.Dateline != "" {
			datelines++
		}
		if a.Title != "" {
			titles++
		}
		in += win
		out += wout
		n++
		if wout < win*9/10 {
			heavy++
			t.Logf("%s: kept %d of %d words", rec.ID, wout, win)
		}
		if strings.Contains(a.Body, "\n\n\n") {
			t.Errorf("Clean(%s): stray blank lines", rec.ID)
		}
		if dl := Dateline(a.Body); dl != a.Dateline {
			t.Errorf("Dateline(Clean(%s).Body) = %q, want %q as Clean found", rec.ID, dl, a.Dateline)
		}
		if again := mustClean(t, a.Body, Options{}); again.Body != a.Body {
			t.Errorf("Clean(Clean(%s).Body) changed the body", rec.ID)
		}
	}
	t.Logf("%d articles: kept %.3f%% of words; %d lost more than 10%%; datelines found in %d, titles in %d", n, 100*float64(out)/float64(in), heavy, datelines, titles)
	if n == 0 {
		t.Fatal("no articles read")
	}
	if heavy*50 > n { // at most 2% of articles may lose >10% of their words
		t.Errorf("%d of %d articles lost more than 10%% of their words", heavy, n)
	}
	if out*100 < in*98 {
		t.Errorf("kept %d of %d words, want at least 98%%", out, in)
	}
}

// BenchmarkCleanDevArticles cleans the real dev articles (plain text, as
// the eval runner feeds them); MB/s is article bytes.
func BenchmarkCleanDevArticles(b *testing.B) {
	f, err := os.Open(shareddata.File(b, "news-dev.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var inputs []Input
	var size int64
	for sc.Scan() {
		var rec struct {
			Article string `json:"article"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, Input{Data: []byte(rec.Article), MediaType: MediaText})
		size += int64(len(rec.Article))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range inputs {
			Clean(in, Options{})
		}
	}
	b.ReportMetric(float64(b.N*len(inputs))/b.Elapsed().Seconds(), "articles/s")
}
