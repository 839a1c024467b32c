package rouge

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/shareddata"
)

type goldenPair struct {
	ID        string           `json:"id"`
	Kind      string           `json:"candidate_kind"`
	Candidate []string         `json:"candidate"`
	Reference []string         `json:"reference"`
	Scores    map[string]Score `json:"scores"`
}

func loadGolden(tb testing.TB) []goldenPair {
	tb.Helper()
	f, err := os.Open(shareddata.File(tb, "rouge-golden-dev.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var pairs []goldenPair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var p goldenPair
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			tb.Fatalf("golden line %d: %v", len(pairs)+1, err)
		}
		pairs = append(pairs, p)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return pairs
}

// TestParityGolden compares every pair of the reference scores computed by
// Google's rouge-score (use_stemmer=True) within 1e-9.
func TestParityGolden(t *testing.T) {
	pairs := loadGolden(t)
	if len(pairs) < 3000 {
		t.Fatalf("read %d golden pairs, want the whole file (3,844)", len(pairs))
	}
	s, err := NewScorer(DefaultTypes(), Options{Stemmer: true})
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for i, p := range pairs {
		got := s.Score(strings.Join(p.Reference, "\n"), strings.Join(p.Candidate, "\n"))
		for _, typ := range DefaultTypes() {
			want, ok := p.Scores[typ]
			if !ok {
				t.Fatalf("pair %d (%s): golden has no %s", i, p.ID, typ)
			}
			g := got[typ]
			if !close9(g.Precision, want.Precision) || !close9(g.Recall, want.Recall) || !close9(g.F, want.F) {
				bad++
				if bad <= 20 {
					t.Errorf("pair %d (%s, %s) %s = %+v, want %+v", i, p.ID, p.Kind, typ, g, want)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d scores differ from rouge-score", bad, 4*len(pairs))
	}
}

func close9(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }

// TestScoreStreamGolden streams the golden file itself (its extra fields
// are ignored) and checks every output line against its scores.
func TestScoreStreamGolden(t *testing.T) {
	pairs := loadGolden(t)
	f, err := os.Open(shareddata.File(t, "rouge-golden-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	sum, err := ScoreStream(t.Context(), f, &out, StreamOptions{Samples: 200, Seed: 7})
	if err != nil {
		t.Fatalf("ScoreStream: %v", err)
	}
	// One worker gives the same output and summary as several.
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	var out1 strings.Builder
	sum1, err := ScoreStream(t.Context(), f, &out1, StreamOptions{Samples: 200, Seed: 7, Workers: 1})
	if err != nil {
		t.Fatalf("ScoreStream with one worker: %v", err)
	}
	if out1.String() != out.String() {
		t.Errorf("ScoreStream output with one worker differs from the default")
	}
	if diff := cmp.Diff(sum, sum1); diff != "" {
		t.Errorf("Summary with one worker differs (-default +one):\n%s", diff)
	}
	if sum.Count != len(pairs) {
		t.Fatalf("Summary.Count = %d, want %d", sum.Count, len(pairs))
	}
	lines := decodeLines(t, out.String())
	var meanF float64
	for i, l := range lines {
		if l.ID != pairs[i].ID {
			t.Fatalf("output line %d has id %v, want %s", i+1, l.ID, pairs[i].ID)
		}
		for typ, want := range pairs[i].Scores {
			g := l.Scores[typ]
			if !close9(g.Precision, want.Precision) || !close9(g.Recall, want.Recall) || !close9(g.F, want.F) {
				t.Errorf("line %d %s = %+v, want %+v", i+1, typ, g, want)
			}
		}
		meanF += pairs[i].Scores["rougeLsum"].F
	}
	meanF /= float64(len(pairs))
	if got := sum.Mean["rougeLsum"].F; math.Abs(got-meanF) > 1e-9 {
		t.Errorf("Summary.Mean[rougeLsum].F = %v, want %v", got, meanF)
	}
	ci := sum.CI["rougeLsum"]
	if !(ci.Low.F < meanF && meanF < ci.High.F) {
		t.Errorf("Summary.CI[rougeLsum] = %+v does not contain the mean F %v", ci, meanF)
	}
}
