package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	evalreport "github.com/summarize-dev/summarize/internal/eval/report"
	"github.com/summarize-dev/summarize/internal/llm"
)

// parseShardFlag parses --shard K/N; "" is no shard.
func parseShardFlag(s string) (eval.Shard, error) {
	if s == "" {
		return eval.Shard{}, nil
	}
	sh, err := eval.ParseShard(s)
	if err != nil {
		return eval.Shard{}, withHint(fmt.Errorf("--%w", err), exitUsage, "--shard K/N runs the K-th of N shards, 1 ≤ K ≤ N: --shard 1/3, 2/3 and 3/3 run every case once")
	}
	return sh, nil
}

// fileSHA256 is the hex SHA-256 of a file's bytes.
func fileSHA256(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", unwrapPath(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// shardVerdict is the exit status of a --shard run. Its gates are of a
// share of the cases, so a failed gate or an error budget spent is said,
// not the exit status: the verdict is the merge's. An interrupted shard
// and a --max-cost stop end as they do unsharded.
func (a *app) shardVerdict(res *eval.Result, name string, sh eval.Shard) error {
	switch {
	case res.Interrupted:
		return &cliError{err: fmt.Errorf("eval %s: shard %s: interrupted: reports cover the %s that finished", name, sh, plural(finishedRuns(res), "run")), code: exitInterrupted}
	case res.StopReason == eval.StopMaxCost:
		return fmt.Errorf("eval %s: shard %s: stopped at --max-cost: reports cover the %s that finished", name, sh, plural(finishedRuns(res), "run"))
	}
	var what []string
	if n := len(res.FailedGates()); n > 0 {
		what = append(what, fmt.Sprintf("%d of %d gates fail", n, len(res.Gates)))
	}
	if res.TooManyErrors() {
		what = append(what, plural(res.Errors(), "run")+" failed with errors")
	}
	if len(what) > 0 {
		a.warnf(fmt.Sprintf("note: shard %s: on this share of the cases %s; 'summarize eval merge' of every shard's --json report gives the run's verdict", sh, joinAnd(what)))
	}
	return nil
}

func joinAnd(parts []string) string {
	if len(parts) == 2 {
		return parts[0] + " and " + parts[1]
	}
	return parts[0]
}

// mergeFlags are the merge command's flags.
type mergeFlags struct {
	suite      string
	baseline   string
	noBaseline bool
	reports    evalFlags // the report flags, as eval's
}

func (a *app) evalMergeCmd() *cobra.Command {
	var f mergeFlags
	c := &cobra.Command{
		Use:   "merge SHARD.json... [--json FILE] [--junit FILE] [--markdown FILE] [--html FILE]",
		Short: "Join the --json reports of shards 1/N to N/N into one run with one verdict",
		Long: `merge reads the JSON reports (--json) of 'summarize eval SUITE --shard K/N'
runs, one for each K from 1 to N, checks that they ran the same suite file,
dataset, tool version and settings and together cover every case once, and
writes the reports of the whole run: the same cases, statistics, gates and
exit status as one unsharded run.

The suite file is read again for its gates (the manifest's suite_path, or
--suite FILE) and must be the file the shards ran. The regression baseline
is the one the shards ran with, unless --baseline or --no-baseline says
otherwise.

Exit codes: 0 every gate passed; 1 cases failed with errors or a report
could not be written; 2 usage error, or shards that do not make one run
(another suite, a shard missing or given twice); 3 a quality gate failed;
130 a shard was interrupted.`,
		Example: `  summarize eval merge shard-1.json shard-2.json shard-3.json --json all.json
  summarize eval merge shards/*.json --junit junit.xml --html report.html --markdown summary.md`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return withHint(errors.New("eval merge: want the --json reports of the shards, got none"), exitUsage,
					"run 'summarize eval merge --help' for usage")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runMerge(cmd.Context(), args, f)
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.suite, "suite", "", "the suite file the shards ran (default: the suite_path in their manifest)")
	fl.StringVar(&f.baseline, "baseline", "", "JSON report of an earlier run to compare with (default: the shards' baseline)")
	fl.BoolVar(&f.noBaseline, "no-baseline", false, "merge without the regression gate")
	r := &f.reports
	fl.StringVar(&r.json, "json", "", "write the whole run as JSON to FILE (usable as --baseline)")
	fl.StringVar(&r.jsonl, "jsonl", "", "write one JSON line per case × variant × repeat to FILE")
	fl.StringVar(&r.junit, "junit", "", "write a JUnit XML report to FILE")
	fl.StringVar(&r.md, "markdown", "", "write a Markdown summary to FILE (also appended to $GITHUB_STEP_SUMMARY when set)")
	fl.StringVar(&r.html, "html", "", "write a self-contained HTML report to FILE")
	fl.IntVar(&r.htmlCases, "html-cases", 100, "cases shown with their bullets in the HTML report")
	fl.StringVar(&r.htmlSort, "html-sort", evalreport.SortWorst, "order of the HTML report's cases, which also picks the --html-cases shown: "+strings.Join(evalreport.HTMLSorts, ", "))
	fl.BoolVar(&r.wide, "wide", false, "the whole table whatever the terminal's width")
	return c
}

func (a *app) runMerge(ctx context.Context, paths []string, f mergeFlags) error {
	if err := checkEvalFlags(f.reports); err != nil {
		return err
	}
	reports, err := checkReportPaths(f.reports)
	if err != nil {
		return err
	}
	if f.baseline != "" && f.noBaseline {
		return usageErr("--baseline and --no-baseline: choose one")
	}
	var shards []*eval.ShardReport
	for _, p := range paths {
		sh, err := eval.LoadShard(p)
		if err != nil {
			return shardErr(err)
		}
		shards = append(shards, sh)
	}
	m := shards[0].Manifest
	suitePath := f.suite
	if suitePath == "" {
		suitePath = m.SuitePath
	}
	suite, err := a.mergeSuite(suitePath, m)
	if err != nil {
		return err
	}
	bf := evalFlags{baseline: f.baseline, noBaseline: f.noBaseline}
	if f.baseline == "" && !f.noBaseline {
		bf.baseline, bf.noBaseline = m.Settings.Baseline, m.Settings.Baseline == ""
	}
	baseline, err := loadEvalBaseline(suite, suitePath, bf)
	if err != nil {
		return err
	}
	resultsPath := f.reports.jsonl
	if resultsPath == "-" {
		resultsPath = ""
	}
	res, err := eval.Merge(suite, shards, eval.MergeOptions{Baseline: baseline, ResultsPath: resultsPath})
	if err != nil {
		return shardErr(err)
	}
	defer res.Close()
	// The HTML report shows the articles when the dataset the shards ran
	// is at hand.
	if data, err := dataset.Open(suite.Dataset); err == nil && data.SHA256 == m.DatasetSHA256 {
		reports.articles = evalArticles(ctx, suite, data)
	}
	if err := a.writeEvalReports(res, f.reports, reports); err != nil {
		return err
	}
	mode, _ := llm.ParseCacheMode(m.Settings.CacheMode)
	return a.evalVerdict(res, suite.Name, mode, m.Settings.MaxCost)
}

// mergeSuite loads the suite the shards of manifest m ran, as they ran it:
// the same file, --set overrides and leakage mode.
func (a *app) mergeSuite(path string, m eval.Manifest) (*eval.Suite, error) {
	sum, err := fileSHA256(path)
	if err != nil {
		return nil, withHint(fmt.Errorf("eval merge: suite %s: %w", path, err), exitUsage,
			"run merge where the shards ran (suite paths are as they gave them), or give the suite with --suite FILE")
	}
	if sum != m.SuiteSHA256 {
		return nil, withHint(fmt.Errorf("eval merge: suite %s is not the file the shards ran (its SHA-256 differs)", path), exitUsage,
			"merge with the suite file of the commit the shards ran, given with --suite FILE")
	}
	overrides, err := parseSets(m.Settings.Overrides)
	if err != nil {
		return nil, err
	}
	suite, err := eval.LoadSuite(path, eval.LoadOptions{
		Resolve:   a.suiteResolver(""),
		PathKeys:  suitePathKeys,
		Overrides: overrides,
	})
	if err != nil {
		return nil, &cliError{err: fmt.Errorf("suite %w", err), code: exitUsage}
	}
	suite.Leakage = m.Settings.Leakage
	if err := suite.AddSanity(); err != nil {
		return nil, &cliError{err: fmt.Errorf("suite %s: %w", path, err), code: exitUsage}
	}
	return suite, nil
}

// shardErr makes a shard that cannot be merged a usage error (exit 2).
func shardErr(err error) error {
	var se *eval.ShardError
	if errors.As(err, &se) {
		return withHint(err, exitUsage, "merge the --json reports of one run's shards 1/N to N/N, each once")
	}
	return err
}
