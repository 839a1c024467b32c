// Command extractive-report compares the built-in extractive summarizer
// with the Lead-3 baseline on the CNN/DailyMail evaluation data.
//
// Usage:
//
//	go run ./cmd/extractive-report [-data DIR] [-split dev,holdout]
//
// Every article is first cleaned as the summarize command and the eval
// harness clean it: clean.Clean with the default rules, its media type
// sniffed (plain text here), the record's title used when Clean finds
// none. The figures are therefore what users and evals get. An article
// Clean rejects (ErrNoContent, say) is summarized from its raw text, and
// the rejected column counts those.
//
// For each split (news-dev.jsonl, news-holdout.jsonl in DIR) it prints one
// row per system: the mean ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (×100,
// rouge-score conventions with the Porter stemmer, bullets joined by
// newlines) and how many articles a second the system summarizes on one
// goroutine (cleaning and scoring excluded). Systems:
//
//	lead3      the first three sentences of the cleaned article, extractive.LeadArticle
//	lead3-ref  the published Lead-3 bullets of news-lead3.jsonl (regex split, raw articles), when present
//	extractive extractive.New(extractive.DefaultOptions()).SummarizeArticle
//
// DIR defaults to ../shared/data beside the repository root (the directory
// holding go.mod, searched upward from the working directory). The holdout
// split is for final reporting only: tune on dev.
//
// Exit status is 2 for a usage error and 1 when the data cannot be read.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/eval/rouge"
	"github.com/summarize-dev/summarize/internal/extractive"
	"github.com/summarize-dev/summarize/internal/shareddata"
)

const prog = "extractive-report"

func main() {
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	data := fs.String("data", "", "directory holding news-dev.jsonl and news-holdout.jsonl (default ../shared/data beside the repository root)")
	splits := fs.String("split", "dev,holdout", "comma-separated splits to report")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "%s: unexpected argument %q\n", prog, fs.Arg(0))
		os.Exit(2)
	}
	dir := *data
	if dir == "" {
		d, err := shareddata.Dir()
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\nhint: pass -data DIR\n", prog, err)
			os.Exit(1)
		}
		dir = d
	}
	if err := run(os.Stdout, dir, strings.Split(*splits, ",")); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", prog, err)
		os.Exit(1)
	}
}

// loadCases reads a pairs file through the eval harness's dataset reader.
func loadCases(path string) ([]dataset.Case, error) {
	d, err := dataset.Open(path)
	if err != nil {
		return nil, err
	}
	idx := make([]int, d.Len())
	for i := range idx {
		idx[i] = i
	}
	cases := make([]dataset.Case, 0, d.Len())
	err = d.Each(context.Background(), idx, func(_ int, c dataset.Case) error {
		cases = append(cases, c)
		return nil
	})
	return cases, err
}

func readJSONL[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<26)
	var out []T
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

// row is one system on one split.
type row struct {
	split, system string
	n             int
	rejected      int // articles clean.Clean rejected; -1 when not cleaned
	r1, r2, rls   float64
	perSec        float64 // 0 when not measured
}

// cleanAll cleans every record's article as the eval harness does and
// returns the articles in order and how many clean.Clean rejected; those
// keep their raw text as the body.
func cleanAll(recs []dataset.Case) (arts []clean.Article, rejected int) {
	arts = make([]clean.Article, len(recs))
	for i, r := range recs {
		a, err := clean.Clean(clean.Input{Source: r.ID, Data: []byte(r.Article)}, clean.Options{})
		if err != nil {
			rejected++
			a = clean.Article{Source: r.ID, Body: r.Article}
		}
		if a.Title == "" {
			a.Title = r.Title
		}
		arts[i] = a
	}
	return arts, rejected
}

func run(w io.Writer, dir string, splits []string) error {
	sum, err := extractive.New(extractive.DefaultOptions())
	if err != nil {
		return err
	}
	scorer, err := rouge.NewScorer([]string{"rouge1", "rouge2", "rougeLsum"}, rouge.Options{Stemmer: true})
	if err != nil {
		return err
	}
	refLead := map[string][]string{}
	if sys, err := readJSONL[struct {
		ID      string   `json:"id"`
		Bullets []string `json:"bullets"`
	}](filepath.Join(dir, "news-lead3.jsonl")); err == nil {
		for _, s := range sys {
			refLead[s.ID] = s.Bullets
		}
	}

	var rows []row
	for _, split := range splits {
		split = strings.TrimSpace(split)
		recs, err := loadCases(filepath.Join(dir, "news-"+split+".jsonl"))
		if err != nil {
			return fmt.Errorf("load %s split: %w", split, err)
		}
		if len(recs) == 0 {
			return fmt.Errorf("load %s split: no records", split)
		}
		arts, rejected := cleanAll(recs)
		systems := []struct {
			name string
			fn   func(clean.Article) []string
		}{
			{"lead3", func(a clean.Article) []string { return extractive.LeadArticle(a, 3) }},
			{"extractive", sum.SummarizeArticle},
		}
		for _, sys := range systems {
			outs := make([][]string, len(recs))
			start := time.Now()
			for i, a := range arts {
				outs[i] = sys.fn(a)
			}
			elapsed := time.Since(start)
			rw := score(scorer, recs, outs)
			rw.split, rw.system, rw.rejected = split, sys.name, rejected
			rw.perSec = float64(len(recs)) / elapsed.Seconds()
			rows = append(rows, rw)
		}
		if len(refLead) > 0 {
			outs := make([][]string, len(recs))
			missing := false
			for i, r := range recs {
				b, ok := refLead[r.ID]
				missing = missing || !ok
				outs[i] = b
			}
			if !missing {
				rw := score(scorer, recs, outs)
				rw.split, rw.system, rw.rejected = split, "lead3-ref", -1
				rows = append(rows, rw)
			}
		}
	}

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "split\tsystem\tarticles\trejected\tROUGE-1\tROUGE-2\tROUGE-Lsum\tarticles/s\t")
	for _, r := range rows {
		speed, rejected := "-", "-"
		if r.perSec > 0 {
			speed = fmt.Sprintf("%.0f", r.perSec)
		}
		if r.rejected >= 0 {
			rejected = fmt.Sprint(r.rejected)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%.2f\t%.2f\t%.2f\t%s\t\n", r.split, r.system, r.n, rejected, r.r1, r.r2, r.rls, speed)
	}
	return tw.Flush()
}

// score returns the mean F1 ×100 of outs against the references.
func score(s *rouge.Scorer, recs []dataset.Case, outs [][]string) row {
	var r row
	for i, rec := range recs {
		m := s.ScoreBullets(rec.Reference, outs[i])
		r.r1 += m["rouge1"].F
		r.r2 += m["rouge2"].F
		r.rls += m["rougeLsum"].F
	}
	n := float64(len(recs))
	r.n = len(recs)
	r.r1, r.r2, r.rls = 100*r.r1/n, 100*r.r2/n, 100*r.rls/n
	return r
}
