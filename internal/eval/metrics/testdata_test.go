package metrics

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval/dataset"

	"github.com/summarize-dev/summarize/internal/shareddata"
)

// sampleArticle returns the sample article without its leading "- "
// bullets, and those bullets as references.
func sampleArticle(tb testing.TB) (article string, reference []string) {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(shareddata.Root(tb), "testdata", "sample.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	var body []string
	for line := range strings.SplitSeq(string(b), "\n") {
		if r, ok := strings.CutPrefix(line, "- "); ok {
			reference = append(reference, r)
			continue
		}
		body = append(body, line)
	}
	return strings.Join(body, "\n"), reference
}

// pair is one record of the shared news data.
type pair struct {
	ID        string   `json:"id"`
	Article   string   `json:"article"`
	Reference []string `json:"reference"`
	Bullets   []string `json:"bullets"`
	System    string   `json:"system"`
}

// readJSONL reads a file of ../shared/data beside the checkout, skipping
// the test or benchmark when it is absent.
func readJSONL(tb testing.TB, name string) []pair {
	tb.Helper()
	path := shareddata.File(tb, name)
	f, err := os.Open(path)
	if err != nil {
		tb.Skipf("shared data not available: %v", err)
	}
	defer f.Close()
	var out []pair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var p pair
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return out
}

// devCases joins news-dev.jsonl with the Lead-3 bullets of news-lead3.jsonl.
func devCases(tb testing.TB) []Case {
	tb.Helper()
	lead := map[string][]string{}
	for _, p := range readJSONL(tb, "news-lead3.jsonl") {
		lead[p.ID] = p.Bullets
	}
	var cases []Case
	for _, p := range readJSONL(tb, "news-dev.jsonl") {
		if b, ok := lead[p.ID]; ok {
			cases = append(cases, Case{Article: p.Article, Reference: p.Reference, Candidate: b})
		}
	}
	if len(cases) == 0 {
		tb.Skip("no dev case has Lead-3 bullets")
	}
	return cases
}

// judgedCase is one human-judged system output of a dev article, with the
// judgment it was picked for.
type judgedCase struct {
	dataset.Case
	judgment string  // which of the names asked for it carries
	human    float64 // its value
}

// judgedCases reads the dev judgments through the dataset package's judged
// importer (the articles, the judged outputs and the judgments joined, as
// `summarize eval import --format judged` does) and keeps the outputs that
// carry one of names, skipping when the shared data is absent.
func judgedCases(tb testing.TB, names ...string) []judgedCase {
	tb.Helper()
	human := shareddata.File(tb, "news-human-dev.jsonl")
	opt := dataset.ImportOptions{Pairs: shareddata.File(tb, "news-dev.jsonl"), Systems: shareddata.File(tb, "news-systems.jsonl")}
	var out []judgedCase
	err := dataset.Import(tb.Context(), dataset.FormatJudged, human, opt, func(c dataset.Case) error {
		for _, n := range names {
			if v, ok := c.Human[n]; ok {
				out = append(out, judgedCase{Case: c, judgment: n, human: v})
				break
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
