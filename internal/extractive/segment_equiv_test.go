package extractive

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/shareddata"
)

// checkSameAsReference fails t when the segmenter and the reference (the
// segmenter before it was made faster, refsegment_test.go) split body
// differently, for all its sentences and for the first n, n = 0..4 (the
// Lead-N path, which stops early).
func checkSameAsReference(t *testing.T, name, body, dl string) {
	t.Helper()
	want, _ := refShared().refSentencesContext(t.Context(), body, dl, -1)
	got, _ := segmenter().sentencesContext(t.Context(), body, dl, -1)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: sentences(%.80q, %q) differ from the reference (-ref +new):\n%s", name, body, dl, diff)
		return
	}
	for n := range 5 {
		want, _ := refShared().refSentencesContext(t.Context(), body, dl, n)
		got, _ := segmenter().sentencesContext(t.Context(), body, dl, n)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: sentences(%.80q, %q, limit %d) differ from the reference (-ref +new):\n%s", name, body, dl, n, diff)
		}
	}
}

// TestSegmenterMatchesReferenceOnDev compares the two on every dev and
// holdout article and human-judged article, raw and as clean.Clean
// returns it.
func TestSegmenterMatchesReferenceOnDev(t *testing.T) {
	dir := filepath.Dir(shareddata.File(t, "news-dev.jsonl"))
	n := 0
	for _, file := range []string{"news-dev.jsonl", "news-holdout.jsonl", "news-human-dev.jsonl"} {
		for id, text := range articlesOf(t, filepath.Join(dir, file)) {
			n++
			checkSameAsReference(t, file+":"+id+" (raw)", text, clean.Dateline(text))
			if a, err := clean.Clean(clean.Input{Source: id, Data: []byte(text)}, clean.Options{}); err == nil {
				checkSameAsReference(t, file+":"+id, a.Body, a.Dateline)
			}
		}
	}
	if n < 100 {
		t.Errorf("compared %d shared articles, want the dev set (≥ 100)", n)
	}
}

// articlesOf returns the "article" field of each line of a JSONL file by
// "id"; a missing file gives none.
func articlesOf(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<26)
	for sc.Scan() {
		var r struct {
			ID      string `json:"id"`
			Article string `json:"article"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if r.Article != "" {
			out[r.ID] = r.Article
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSegmenterMatchesReferenceOnFixtures compares the two on the
// repository's text fixtures, the eval-like benchmark articles, the test
// articles and a paragraph long enough to be cut into pieces.
func TestSegmenterMatchesReferenceOnFixtures(t *testing.T) {
	texts := map[string]string{
		"synthetic": syntheticArticle,
		"long":      hugeArticle(false)[:3*maxParagraph+1000],
		"long-paragraphs": strings.Repeat("A council voted on Tuesday at 9 a.m. to close the bridge.The mayor said "+
			"so in the U.S. Capitol at the age of 66. He left. ", 2000),
	}
	for _, pattern := range []string{"../../testdata/*.txt", "../../testdata/eval/*.jsonl", "../../testdata/eval/import/*",
		"../clean/testdata/text/*", "../clean/testdata/html/*.golden", "../clean/testdata/*.golden"} {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			if strings.HasSuffix(p, ".jsonl") {
				for id, text := range articlesOf(t, p) {
					texts[p+":"+id] = text
				}
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				if fi, serr := os.Stat(p); serr == nil && fi.IsDir() {
					continue
				}
				t.Fatal(err)
			}
			texts[p] = string(b)
		}
	}
	if len(texts) < 20 {
		t.Fatalf("found %d fixture texts, want ≥ 20", len(texts))
	}
	for i, a := range evalLikeArticles(t) {
		texts["eval-like "+string(rune('a'+i))] = a.Body
	}
	for name, text := range texts {
		checkSameAsReference(t, name, text, clean.Dateline(text))
		if a, err := clean.Clean(clean.Input{Source: name, Data: []byte(text)}, clean.Options{}); err == nil {
			checkSameAsReference(t, name+" (cleaned)", a.Body, a.Dateline)
		}
	}
}

// segmentPieces are what random texts are made of: words and marks that
// the segmenter's repairs and Punkt look for, in news-like proportions.
var segmentPieces = []string{
	"the", "a", "said", "in", "on", "at", "police", "officials", "told", "of", "and", "but", "he", "she",
	"The", "He", "She", "They", "His", "Her", "Their", "This", "These", "It", "But", "Pictured", "Police",
	"Mr", "Mrs", "Ms", "After", "When", "While", "There", "Hague", "Times", "Obama", "NATO", "Rutte",
	"Mr.", "Dr.", "Gov.", "Sen.", "U.S.", "U.K.", "Jan.", "No.", "St.", "Inc.", "a.m.", "p.m.", "e.g.", "F.B.I.",
	"66.", "2012.", "12。", "3！", "10", "5", "$40", "3.5", "40%", "1.", "2)", "1026.253.553.", "N°.",
	"day.", "night.", "said.", "Monday.The", "night.‘We", "there!", "why?", "so...", ". . .", "end.”", "end.’",
	"end.\"", "end.'", "(CNN)", "BRUSSELS", "–", "—", "--", "-", ":", ";", ",", "(", ")", "[", "]",
	"“", "”", "‘", "’", "\"", "'", "’ It", "” he", "\" she", "é", "Zürich", "naïve", "١٢", "\u00a0",
	".", "!", "?", "%", "x", "i.e.", "L.A.", "Sept.", "vs.", "v.",
}

// randomText builds a text of up to 120 pieces from segmentPieces, joined
// by spaces, no space, newlines and blank lines.
func randomText(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(120) {
		b.WriteString(segmentPieces[r.IntN(len(segmentPieces))])
		switch k := r.IntN(40); {
		case k < 30:
			b.WriteByte(' ')
		case k < 34:
		case k < 36:
			b.WriteByte('\n')
		case k < 38:
			b.WriteString("\n\n")
		case k < 39:
			b.WriteString("  \t")
		default:
			b.WriteString("\r\n")
		}
	}
	return b.String()
}

func TestSegmenterMatchesReferenceOnRandomText(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 3))
	n := 5000
	if testing.Short() {
		n = 500
	}
	for i := range n {
		text := randomText(r)
		dl := clean.Dateline(text)
		if i%7 == 0 {
			dl = "BRUSSELS"
		}
		checkSameAsReference(t, "random", text, dl)
		if t.Failed() {
			return
		}
	}
}

func FuzzSegmenterMatchesReference(f *testing.F) {
	for _, seed := range []string{
		"", "(CNN)They may not be aliens. Water is key.", "The virus spread across the U.S. The next day, schools closed.",
		"Kayahan died at the age of 66. He had performed.", "found on Monday.The owner", "night.‘We said",
		"five years The result left Ceahlaul 16th in the standings of the league.", "‘Mind that locker, Stokesey.’ It was here",
		"No. 5. The", "Jan. 5 in most states. Critics object.", "Item 12。 Next one.", "a\n\nb\n\nc", "U.S. U.S. U.S.", syntheticArticle,
	} {
		f.Add(seed, "")
	}
	f.Add("BRUSSELS – NATO met. It agreed.", "BRUSSELS")
	f.Add("caf\xe9. The end.\xff Next", "")
	f.Fuzz(func(t *testing.T, body, dl string) {
		checkSameAsReference(t, "fuzz", body, dl)
	})
}
