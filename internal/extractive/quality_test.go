package extractive

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/eval/rouge"
	"github.com/summarize-dev/summarize/internal/shareddata"
)

// devRecord is one line of news-dev.jsonl.
type devRecord struct {
	ID        string   `json:"id"`
	Article   string   `json:"article"`
	Reference []string `json:"reference"`
}

// dataDir returns ../shared/data beside the repository root, or skips tb
// when its dev file is absent.
func dataDir(tb testing.TB) string {
	return filepath.Dir(shareddata.File(tb, "news-dev.jsonl"))
}

func loadDev(tb testing.TB) []devRecord {
	tb.Helper()
	path := filepath.Join(dataDir(tb), "news-dev.jsonl")
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<26)
	var out []devRecord
	for sc.Scan() {
		var r devRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(out) == 0 {
		tb.Fatalf("%s: no records", path)
	}
	return out
}

// cleanedDev runs every record's article through clean.Clean as the eval
// harness and the summarize command do (plain text, media type sniffed),
// and returns the articles in order and how many Clean rejected: those
// keep their raw text as the body.
func cleanedDev(recs []devRecord) (arts []clean.Article, rejected int) {
	arts = make([]clean.Article, len(recs))
	for i, r := range recs {
		a, err := clean.Clean(clean.Input{Source: r.ID, Data: []byte(r.Article)}, clean.Options{})
		if err != nil {
			rejected++
			a = clean.Article{Source: r.ID, Body: r.Article}
		}
		arts[i] = a
	}
	return arts, rejected
}

// meanF returns the mean rouge1, rouge2 and rougeLsum F1 of summarize over
// recs; summarize gets the index of a record.
func meanF(sc *rouge.Scorer, recs []devRecord, summarize func(int) []string) [3]float64 {
	var m [3]float64
	for i, r := range recs {
		s := sc.ScoreBullets(r.Reference, summarize(i))
		m[0] += s["rouge1"].F
		m[1] += s["rouge2"].F
		m[2] += s["rougeLsum"].F
	}
	for i := range m {
		m[i] = 100 * m[i] / float64(len(recs))
	}
	return m
}

// publishedLead3 returns the published Lead-3 bullets of news-lead3.jsonl
// for recs, in order (split with a regular expression by the data set's
// authors), or nil when the file is absent or lacks one of them.
func publishedLead3(tb testing.TB, recs []devRecord) [][]string {
	tb.Helper()
	f, err := os.Open(filepath.Join(dataDir(tb), "news-lead3.jsonl"))
	if err != nil {
		return nil
	}
	defer f.Close()
	all := map[string][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<26)
	for sc.Scan() {
		var r struct {
			ID      string   `json:"id"`
			Bullets []string `json:"bullets"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatalf("news-lead3.jsonl: %v", err)
		}
		all[r.ID] = r.Bullets
	}
	out := make([][]string, len(recs))
	for i, r := range recs {
		b, ok := all[r.ID]
		if !ok {
			return nil
		}
		out[i] = b
	}
	return out
}

// TestQualityBeatsLead3 checks that the default summarizer scores at least
// as well as Lead-3 on every ROUGE F1 over news-dev, both run on the
// articles as clean.Clean returns them (what users and the eval harness
// summarize): Lead-3 split by our segmenter, and the published Lead-3
// bullets when present.
func TestQualityBeatsLead3(t *testing.T) {
	if testing.Short() {
		t.Skip("quality run in -short mode")
	}
	recs := loadDev(t)
	arts, rejected := cleanedDev(recs)
	t.Logf("clean.Clean rejected %d of %d dev articles (scored on their raw text)", rejected, len(recs))
	sc, err := rouge.NewScorer([]string{"rouge1", "rouge2", "rougeLsum"}, rouge.Options{Stemmer: true})
	if err != nil {
		t.Fatal(err)
	}
	s := newDefault(t)
	lead := meanF(sc, recs, func(i int) []string { return LeadArticle(arts[i], 3) })
	ours := meanF(sc, recs, func(i int) []string { return s.SummarizeArticle(arts[i]) })
	baselines := []struct {
		name   string
		scores [3]float64
	}{{"lead3", lead}}
	if pub := publishedLead3(t, recs); pub != nil {
		baselines = append(baselines, struct {
			name   string
			scores [3]float64
		}{"published lead3", meanF(sc, recs, func(i int) []string { return pub[i] })})
	}
	names := []string{"ROUGE-1", "ROUGE-2", "ROUGE-Lsum"}
	for _, b := range baselines {
		for i, name := range names {
			t.Logf("%-10s %-15s %.2f  extractive %.2f", name, b.name, b.scores[i], ours[i])
			if ours[i] < b.scores[i] {
				t.Errorf("%s F1 on news-dev: extractive %.2f < %s %.2f", name, ours[i], b.name, b.scores[i])
			}
		}
	}
}

// TestSummarizeArticleMatchesBody checks, on every cleaned dev article,
// that Summarize given only the title and body (the dateline found again)
// returns what SummarizeArticle returns with the dateline Clean recorded.
func TestSummarizeArticleMatchesBody(t *testing.T) {
	recs := loadDev(t)
	arts, _ := cleanedDev(recs)
	s := newDefault(t)
	for i, a := range arts {
		if diff := cmp.Diff(s.SummarizeArticle(a), s.Summarize(a.Title, a.Body)); diff != "" {
			t.Errorf("%s: Summarize(title, body) differs from SummarizeArticle (-article +body):\n%s", recs[i].ID, diff)
		}
	}
}

// BenchmarkSummarizeDev summarizes every cleaned news-dev article per
// iteration and reports articles/s (cleaning excluded).
func BenchmarkSummarizeDev(b *testing.B) {
	recs := loadDev(b)
	arts, _ := cleanedDev(recs)
	s := newDefault(b)
	b.ResetTimer()
	for b.Loop() {
		for _, a := range arts {
			s.SummarizeArticle(a)
		}
	}
	b.ReportMetric(float64(b.N*len(recs))/b.Elapsed().Seconds(), "articles/s")
}
