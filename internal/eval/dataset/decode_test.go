package dataset

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/shareddata"
)

// benchLine is a dataset line like the eval client benchmark's: a 4 KB
// article with curly quotes and three reference bullets.
func benchLine(tb testing.TB) []byte {
	para := "“The whole of NATO, including the United States, is totally committed,” Rutte said at the end of a summit in The Hague. "
	b, err := json.Marshal(map[string]any{"id": "case-00042", "article": "Day 42 of the talks.\n\n" + strings.Repeat(para+"\n\n", 32),
		"reference": []string{"NATO fully committed to Ukraine", "Europeans to take on more military aid", fmt.Sprintf("Talks reach day %d", 42)}})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// BenchmarkDecodeCase reads one line of the usual shape.
func BenchmarkDecodeCase(b *testing.B) {
	line := benchLine(b)
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeCase(line); err != nil {
			b.Fatal(err)
		}
	}
}

// decodeCase reads every line as decodeFields does, the lines its one
// pass takes and those it leaves alike.
func TestDecodeCaseAsFields(t *testing.T) {
	lines := []string{
		string(benchLine(t)),
		`{"id":"a","article":"Text.","reference":["One bullet"]}`,
		`{"id":"a","title":"T","article":"Text.","reference":["One","Two"]}` + "\n",
		`{"id":"a","title":null,"article":"Text.","reference":["One"]}`,
		`{"id":"a","article":"Caf\u00e9 \ud83d\ude00 \/ \"q\"","reference":["One"]}`,
		`{"ID":"a","id":"b","article":"Text.","reference":["One"]}`,
		`{"id":"a","Article":"Other.","article":"Text.","reference":["One"]}`,
		`{"id":"a","id":"b","article":"Text.","reference":["One"]}`,
		`{"id":"a","article":"Text.","reference":["One"],"reference":["Two"]}`,
		"{\"id\":\"a\",\"article\":\"Bad \xff byte\",\"reference\":[\"One\"]}",
		`{"id":"a","article":"Lone \ud800 half","reference":["One"]}`,
		`{"id":"a","article":"Text.","reference":["One",null]}`,
		`{"id":"a","article":"Text.","reference":[]}`,
		`{"id":"a","article":"Text.","reference":null}`,
		`{"id":"a","article":"Text.","reference":"One"}`,
		`{"id":"a","article":"   ","reference":["One"]}`,
		`{"id":7,"article":"Text.","reference":["One"]}`,
		`{"id":"a","article":"Text.","reference":["One"],"source":{"x":[1, 2]},"n":1}`,
		`{"id":"a","article":"Text.","reference":["One"],"candidate":["C"],"group":"g","system":"s","human":{"fluency":4}}`,
		`{"id":"a","article":"Text.","reference":["One"],"human":null}`,
		`{"id":"a","article":"Text.","reference":["One"]} x`,
		`["id"]`,
		`{"id":"a","article":"Text.",`,
	}
	dir, err := shareddata.Dir()
	for _, f := range []string{"news-dev.jsonl", "news-systems.jsonl", "news-human-dev.jsonl"} {
		if err != nil {
			break // the shared data are not there: the lines above only
		}
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(strings.TrimSpace(string(b)), "\n")...)
	}
	for _, l := range lines {
		got, gerr := decodeCase([]byte(l))
		want, werr := decodeFields([]byte(l))
		if fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Errorf("decodeCase(%.80q): error %v, want %v", l, gerr, werr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("decodeCase(%.80q) (-fields +decodeCase):\n%s", l, diff)
		}
	}
}
