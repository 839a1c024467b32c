package rouge_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/summarize-dev/summarize/internal/eval/rouge"
)

func ExampleScorer_ScoreBullets() {
	s, err := rouge.NewScorer(rouge.DefaultTypes(), rouge.Options{Stemmer: true})
	if err != nil {
		panic(err)
	}
	reference := []string{"NASA chief scientist says alien life will be found within a decade"}
	candidate := []string{"A NASA scientist says we are close to finding alien life."}
	scores := s.ScoreBullets(reference, candidate)
	for _, t := range s.Types() {
		fmt.Printf("%-9s P=%.4f R=%.4f F=%.4f\n", t, scores[t].Precision, scores[t].Recall, scores[t].F)
	}
	// Output:
	// rouge1    P=0.5455 R=0.5000 F=0.5217
	// rouge2    P=0.2000 R=0.1818 F=0.1905
	// rougeL    P=0.4545 R=0.4167 F=0.4348
	// rougeLsum P=0.4545 R=0.4167 F=0.4348
}

func ExampleScoreStream() {
	in := strings.NewReader(`{"id":"a","candidate":["The cat sat on the mat."],"reference":["A cat sat on a mat."]}` + "\n")
	sum, err := rouge.ScoreStream(context.Background(), in, os.Stdout, rouge.StreamOptions{Samples: -1})
	if err != nil {
		panic(err)
	}
	fmt.Println(sum.Count, "pair(s)")
	// Output:
	// {"id":"a","scores":{"rouge1":{"p":0.6666666666666666,"r":0.6666666666666666,"f":0.6666666666666666},"rouge2":{"p":0.4,"r":0.4,"f":0.4000000000000001},"rougeL":{"p":0.6666666666666666,"r":0.6666666666666666,"f":0.6666666666666666},"rougeLsum":{"p":0.6666666666666666,"r":0.6666666666666666,"f":0.6666666666666666}}}
	// 1 pair(s)
}
