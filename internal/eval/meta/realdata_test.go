package meta

import (
	"bufio"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/summarize-dev/summarize/internal/eval/rouge"
	"github.com/summarize-dev/summarize/internal/shareddata"
)

// judged is one human-judged system output of the dev articles, with the
// ROUGE scores of its bullets against the article's reference.
type judged struct {
	id, system, source string
	human              map[string]float64
	rouge              []rouge.Score // in the order of rouge.DefaultTypes()
}

func readJSONL(tb testing.TB, name string, each func(line []byte) error) {
	tb.Helper()
	f, err := os.Open(shareddata.File(tb, name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		if err := each(sc.Bytes()); err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
}

// loadJudged joins news-human-dev.jsonl with the judged bullets
// (news-systems.jsonl, by id and system) and the references
// (news-dev.jsonl, by id), and scores each output with ROUGE. It skips tb
// when the shared data is absent.
func loadJudged(tb testing.TB) []judged {
	tb.Helper()
	refs := map[string][]string{}
	readJSONL(tb, "news-dev.jsonl", func(line []byte) error {
		var r struct {
			ID        string   `json:"id"`
			Reference []string `json:"reference"`
		}
		err := json.Unmarshal(line, &r)
		refs[r.ID] = r.Reference
		return err
	})
	type key struct{ id, system string }
	bullets := map[key][]string{}
	readJSONL(tb, "news-systems.jsonl", func(line []byte) error {
		var r struct {
			ID      string   `json:"id"`
			System  string   `json:"system"`
			Bullets []string `json:"bullets"`
		}
		err := json.Unmarshal(line, &r)
		bullets[key{r.ID, r.System}] = r.Bullets
		return err
	})
	scorer, err := rouge.NewScorer(rouge.DefaultTypes(), rouge.Options{Stemmer: true})
	if err != nil {
		tb.Fatal(err)
	}
	var out []judged
	readJSONL(tb, "news-human-dev.jsonl", func(line []byte) error {
		var r struct {
			ID     string             `json:"id"`
			System string             `json:"system"`
			Source string             `json:"source"`
			Human  map[string]float64 `json:"human"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		ref, ok := refs[r.ID]
		if !ok {
			tb.Fatalf("news-human-dev.jsonl: article %s not in news-dev.jsonl", r.ID)
		}
		b, ok := bullets[key{r.ID, r.System}]
		if !ok {
			tb.Fatalf("news-human-dev.jsonl: %s/%s not in news-systems.jsonl", r.ID, r.System)
		}
		scores := scorer.ScoreBullets(ref, b)
		j := judged{id: r.ID, system: r.System, source: r.Source, human: r.Human}
		for _, t := range rouge.DefaultTypes() {
			j.rouge = append(j.rouge, scores[t])
		}
		out = append(out, j)
		return nil
	})
	return out
}

// itemsFor pairs a metric with a judgment; outputs without the judgment
// get a NaN human value, which Measure leaves out.
func itemsFor(js []judged, metric func(judged) float64, judgment string) []Item {
	items := make([]Item, len(js))
	for i, j := range js {
		h, ok := j.human[judgment]
		if !ok {
			h = math.NaN()
		}
		items[i] = Item{Group: j.id, System: j.system, Metric: metric(j), Human: h}
	}
	return items
}

func rouge1F(j judged) float64 { return j.rouge[0].F }

func TestRealDataRouge1(t *testing.T) {
	js := loadJudged(t)
	got := Measure(itemsFor(js, rouge1F, "consistency"), Options{})
	// G-Eval's table has 0.160 over all 100 SummEval articles. Of the 70
	// dev articles, 4 have every summary judged fully consistent (5.0) and
	// are skipped, as scipy's NaN for them must have been.
	const want = 0.149
	if sp := got[0]; sp.N != 66 || sp.Skipped != 4 || math.Abs(sp.Value-want) > 0.002 {
		t.Errorf("ROUGE-1 F against SummEval consistency: summary-level Spearman %.4f over %d articles (%d skipped), want %.3f±0.002 over 66 (4 skipped)", sp.Value, sp.N, sp.Skipped, want)
	}
	for _, judgment := range []string{"consistency", "relevance", "coherence", "fluency", "litepyramid_recall", "factuality"} {
		for _, a := range Measure(itemsFor(js, rouge1F, judgment), Options{}) {
			t.Logf("rouge1 F vs %-18s %-7s %-8s %7.4f [%7.4f, %7.4f] n=%d skipped=%d %s",
				judgment, a.Level, a.Coef, a.Value, a.Lo, a.Hi, a.N, a.Skipped, a.Reason)
		}
	}
}

// benchColumns is 20 metric columns: the P, R and F of the four default
// ROUGE types, and eight noisy copies of ROUGE-1 F.
func benchColumns(js []judged) [][]float64 {
	var cols [][]float64
	for t := range rouge.DefaultTypes() {
		for k := range 3 {
			col := make([]float64, len(js))
			for i, j := range js {
				col[i] = [3]float64{j.rouge[t].Precision, j.rouge[t].Recall, j.rouge[t].F}[k]
			}
			cols = append(cols, col)
		}
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for len(cols) < 20 {
		col := make([]float64, len(js))
		for i, j := range js {
			col[i] = j.rouge[0].F + 0.05*rng.NormFloat64()
		}
		cols = append(cols, col)
	}
	return cols
}

// syntheticJudged has the shape of the dev judgments: 70 articles × 16
// systems (4 judgments), 67 × 24 (one) and 164 × 5 (one).
func syntheticJudged() []judged {
	rng := rand.New(rand.NewPCG(1, 1))
	var js []judged
	add := func(source string, articles, systems int, judgments ...string) {
		for a := range articles {
			for s := range systems {
				j := judged{id: source + string(rune('A'+a%26)) + string(rune('a'+a/26)), system: source + string(rune('a'+s)), source: source, human: map[string]float64{}}
				r := rng.Float64()
				sc := rouge.Score{Precision: r, Recall: r, F: r}
				j.rouge = []rouge.Score{sc, sc, sc, sc}
				for _, h := range judgments {
					j.human[h] = math.Round(5*(r+0.3*rng.NormFloat64())) / 3
				}
				js = append(js, j)
			}
		}
	}
	add("summeval", 70, 16, "consistency", "relevance", "coherence", "fluency")
	add("realsumm", 67, 24, "litepyramid_recall")
	add("frank", 164, 5, "factuality")
	return js
}

// BenchmarkMeasure is a full dev meta-evaluation: 20 metric columns ×
// 4 judgments over the ~3,500 judged outputs, with 1,000 bootstrap samples
// each. It runs on synthetic data of the same shape when the shared data
// is absent.
func BenchmarkMeasure(b *testing.B) {
	var js []judged
	if _, err := shareddata.Dir(); err == nil {
		js = loadJudged(b)
	} else {
		js = syntheticJudged()
	}
	cols := benchColumns(js)
	judgments := []string{"consistency", "relevance", "litepyramid_recall", "factuality"}
	var sets [][]Item
	for _, col := range cols {
		for _, h := range judgments {
			items := itemsFor(js, rouge1F, h)
			for i := range items {
				items[i].Metric = col[i]
			}
			sets = append(sets, items)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		for _, items := range sets {
			Measure(items, Options{})
		}
	}
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/full-eval")
}
