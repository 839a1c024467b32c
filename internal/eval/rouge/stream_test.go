package rouge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type streamLine struct {
	ID     any              `json:"id"`
	Scores map[string]Score `json:"scores"`
}

func decodeLines(t *testing.T, out string) []streamLine {
	t.Helper()
	var lines []streamLine
	for l := range strings.Lines(out) {
		var sl streamLine
		if err := json.Unmarshal([]byte(l), &sl); err != nil {
			t.Fatalf("output line %q is not JSON: %v", l, err)
		}
		lines = append(lines, sl)
	}
	return lines
}

func TestScoreStream(t *testing.T) {
	in := `{"id":"a","candidate":["The cat sat.","On the mat."],"reference":["The cat sat on the mat."]}

{"id":7,"candidate":"the cat","reference":"the cat sat"}
   
{"reference":["x y"],"candidate":[]}
`
	var out bytes.Buffer
	sum, err := ScoreStream(context.Background(), strings.NewReader(in), &out, StreamOptions{Seed: 1, Samples: 100})
	if err != nil {
		t.Fatalf("ScoreStream: %v", err)
	}
	s, _ := NewScorer(DefaultTypes(), Options{Stemmer: true})
	want := []streamLine{
		{ID: "a", Scores: s.ScoreBullets([]string{"The cat sat on the mat."}, []string{"The cat sat.", "On the mat."})},
		{ID: 7.0, Scores: s.Score("the cat sat", "the cat")},
		{ID: nil, Scores: s.Score("x y", "")},
	}
	if diff := cmp.Diff(want, decodeLines(t, out.String())); diff != "" {
		t.Errorf("ScoreStream output mismatch (-want +got):\n%s", diff)
	}
	// Keys appear in type order.
	first, _, _ := strings.Cut(out.String(), "\n")
	if !strings.HasPrefix(first, `{"id":"a","scores":{"rouge1":{"p":`) || strings.Index(first, "rougeLsum") < strings.Index(first, `"rougeL"`) {
		t.Errorf("first line %q: want id, then scores in type order", first)
	}
	if sum.Count != 3 {
		t.Errorf("Summary.Count = %d, want 3", sum.Count)
	}
	if diff := cmp.Diff(DefaultTypes(), sum.Types); diff != "" {
		t.Errorf("Summary.Types mismatch (-want +got):\n%s", diff)
	}
	wantMean := (want[0].Scores["rouge1"].F + want[1].Scores["rouge1"].F + want[2].Scores["rouge1"].F) / 3
	if got := sum.Mean["rouge1"].F; got != wantMean {
		t.Errorf("Summary.Mean[rouge1].F = %v, want %v", got, wantMean)
	}
	ci, ok := sum.CI["rougeLsum"]
	if !ok || ci.Low.F > ci.Mid.F || ci.Mid.F > ci.High.F {
		t.Errorf("Summary.CI[rougeLsum] = %+v (present %v), want low <= mid <= high", ci, ok)
	}
}

func TestScoreStreamErrors(t *testing.T) {
	good := `{"id":1,"candidate":["a"],"reference":["a"]}` + "\n"
	tests := []struct {
		name  string
		in    string
		want  string
		lines int // output lines written before the error
	}{
		{"invalid JSON", good + "{not json}\n", "line 2: invalid JSON", 1},
		{"not an object", good + "\n[1,2]\n", "line 3: want a JSON object", 1},
		{"missing candidate", `{"id":1,"reference":["a"]}`, `line 1: missing "candidate"`, 0},
		{"null reference", good + good + `{"candidate":"a","reference":null}`, `line 3: missing "reference"`, 2},
		{"number field", `{"candidate":3,"reference":"a"}`, `line 1: "candidate": want a string or a list of strings`, 0},
		{"list of numbers", `{"candidate":"a","reference":[1,2]}`, `line 1: "reference": want a string or a list of strings`, 0},
		{"line too long", good + `{"candidate":"` + strings.Repeat("a", MaxLineBytes) + `"}`, "line 2: line longer than", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := ScoreStream(context.Background(), strings.NewReader(tt.in), &out, StreamOptions{Samples: -1})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("ScoreStream error = %v, want prefix %q", err, tt.want)
			}
			if got := strings.Count(out.String(), "\n"); got != tt.lines {
				t.Errorf("ScoreStream wrote %d lines before the error, want %d", got, tt.lines)
			}
		})
	}
}

func TestScoreStreamCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := `{"candidate":"a","reference":"a"}`
	_, err := ScoreStream(ctx, strings.NewReader(in), &bytes.Buffer{}, StreamOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("ScoreStream with a canceled context: error = %v, want context.Canceled", err)
	}
}

func TestScoreStreamEmpty(t *testing.T) {
	var out bytes.Buffer
	sum, err := ScoreStream(context.Background(), strings.NewReader("\n\n"), &out, StreamOptions{})
	if err != nil || sum.Count != 0 || out.Len() != 0 || sum.Mean != nil {
		t.Errorf("ScoreStream(blank lines) = %+v, %v, output %q; want no pairs, no error, no output", sum, err, out.String())
	}
}

func TestScoreStreamCustomScorer(t *testing.T) {
	s, err := NewScorer([]string{"rouge3"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	in := `{"id":"x","candidate":"a b c d","reference":"a b c"}`
	if _, err := ScoreStream(context.Background(), strings.NewReader(in), &out, StreamOptions{Scorer: s, Samples: -1}); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"x","scores":{"rouge3":{"p":0.5,"r":1,"f":0.6666666666666666}}}` + "\n"
	if out.String() != want {
		t.Errorf("ScoreStream output = %q, want %q", out.String(), want)
	}
}

// TestScoreStreamBatches checks line numbers, order and partial output
// across many batches and workers.
func TestScoreStreamBatches(t *testing.T) {
	var in strings.Builder
	for i := range 300 {
		if i%7 == 0 {
			in.WriteString("\n") // blank lines still count
		}
		fmt.Fprintf(&in, `{"id":%d,"candidate":["w%d x"],"reference":["w%d y"]}`+"\n", i, i, i%5)
	}
	lineOfRecord := func(k int) int { return k + k/7 + 2 } // 1-based line of record k
	good := in.String()
	for _, workers := range []int{1, 2, 5} {
		var out bytes.Buffer
		sum, err := ScoreStream(context.Background(), strings.NewReader(good), &out, StreamOptions{Workers: workers, Samples: 20})
		if err != nil {
			t.Fatalf("workers=%d: ScoreStream: %v", workers, err)
		}
		lines := decodeLines(t, out.String())
		if len(lines) != 300 || sum.Count != 300 {
			t.Fatalf("workers=%d: %d lines, count %d; want 300", workers, len(lines), sum.Count)
		}
		for i, l := range lines {
			if l.ID != float64(i) {
				t.Fatalf("workers=%d: line %d has id %v, want %d", workers, i, l.ID, i)
			}
		}
	}
	// Break record 200.
	bad := strings.Replace(good, `{"id":200,"candidate"`, `{"id":200,"candidat"`, 1)
	var out bytes.Buffer
	sum, err := ScoreStream(context.Background(), strings.NewReader(bad), &out, StreamOptions{Workers: 3})
	want := fmt.Sprintf(`line %d: missing "candidate"`, lineOfRecord(200))
	if err == nil || err.Error() != want {
		t.Fatalf("ScoreStream error = %v, want %q", err, want)
	}
	if got := strings.Count(out.String(), "\n"); got != 200 || sum.Count != 200 {
		t.Errorf("ScoreStream wrote %d lines (count %d) before the error, want 200", got, sum.Count)
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestScoreStreamWriteError(t *testing.T) {
	in := strings.Repeat(`{"candidate":"a","reference":"a"}`+"\n", 5000)
	_, err := ScoreStream(context.Background(), strings.NewReader(in), errWriter{}, StreamOptions{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("ScoreStream to a failing writer: error = %v, want one naming the write failure", err)
	}
}
