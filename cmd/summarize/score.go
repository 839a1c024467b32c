package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/summarize-dev/summarize/internal/eval/rouge"
)

func (a *app) scoreCmd() *cobra.Command {
	var (
		summary   bool
		types     string
		unicode   bool
		noStemmer bool
		samples   int
		seed      int64
	)
	c := &cobra.Command{
		Use:   "score [FILE|-]",
		Short: "Score given bullets with ROUGE (JSONL in, JSONL out)",
		Long: `score reads JSON lines {"id", "candidate": [...], "reference": [...]} and
writes one line {"id", "scores": {"rouge1": {"p","r","f"}, ...}} for each, in
order. Bullets are joined with newlines, as rouge-score's rougeLsum expects.

The numbers equal Google's rouge-score with use_stemmer=True (its tokenizer
and NLTK's Porter stemmer), so they are comparable with published results.
--unicode keeps letters of every script instead of [a-z0-9]; its numbers are
NOT comparable with published ones.`,
		Example: `  summarize score pairs.jsonl > scores.jsonl
  summarize score --summary --types rouge1,rouge2,rougeLsum - < pairs.jsonl`,
		Args: argsRange(0, 1, "one input FILE or -"),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := "-"
			if len(args) == 1 {
				src = args[0]
			} else if a.io.inTerminal {
				return withHint(errors.New("no input: give a FILE, or - for standard input"), exitUsage, usageHint(cmd))
			}
			in := a.io.in
			if src != "-" {
				f, err := os.Open(src)
				if err != nil {
					return fmt.Errorf("score: %w", err)
				}
				defer f.Close()
				in = f
			}
			opts := rouge.Options{Stemmer: !noStemmer}
			if unicode {
				opts.Tokenizer = rouge.UnicodeTokenizer{}
			}
			scorer, err := rouge.NewScorer(strings.Split(types, ","), opts)
			if err != nil {
				return usageErr("score: %v", err)
			}
			so := rouge.StreamOptions{Scorer: scorer, Samples: samples, Seed: seed}
			if !summary {
				so.Samples = -1
			}
			sum, err := rouge.ScoreStream(cmd.Context(), in, a.io.out, so)
			if err != nil {
				return fmt.Errorf("score %s: %w", src, err)
			}
			if summary {
				printScoreSummary(a, sum)
			}
			return nil
		},
	}
	f := c.Flags()
	f.BoolVar(&summary, "summary", false, "print means and bootstrap 95% intervals on stderr")
	f.StringVar(&types, "types", "rouge1,rouge2,rougeL,rougeLsum", "comma-separated ROUGE types (rougeN for any N, rougeL, rougeLsum)")
	f.BoolVar(&unicode, "unicode", false, "tokenize letters and digits of every script (not comparable with published numbers)")
	f.BoolVar(&noStemmer, "no-stemmer", false, "do not stem (rouge-score's use_stemmer=False)")
	f.IntVar(&samples, "samples", 1000, "bootstrap samples for --summary")
	f.Int64Var(&seed, "seed", 42, "bootstrap seed for --summary")
	return c
}

func printScoreSummary(a *app, s rouge.Summary) {
	tw := tabwriter.NewWriter(a.io.err, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tP\tR\tF\tF 95%% CI\n", plural(s.Count, "pair"))
	for _, t := range s.Types {
		m := s.Mean[t]
		ci := ""
		if c, ok := s.CI[t]; ok {
			ci = fmt.Sprintf("[%.4f, %.4f]", c.Low.F, c.High.F)
		}
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%s\n", t, m.Precision, m.Recall, m.F, ci)
	}
	tw.Flush()
}
