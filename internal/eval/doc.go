// Package eval runs eval suites: it loads a suite (a YAML file naming a
// dataset, the variants to compare, the metrics and the quality gates),
// runs every variant over every case with a bounded worker pool, scores the
// bullets, aggregates the scores with bootstrap confidence intervals and
// paired significance tests, and checks the gates (Run does, so no caller
// can report a result without its verdict). The parts that are ideas of
// their own live beside it: datasets and importers in eval/dataset, the
// report writers (terminal table, JSON, JSONL, JUnit, Markdown, HTML) in
// eval/report, metrics in eval/metrics, ROUGE in eval/rouge, statistics in
// eval/stats.
//
// The package scores strings and knows no LLM types: a variant is run
// through a Generator, a function that cmd/summarize builds from the
// variant's settings (an LLM summarizer behind a response cache, the
// extractive summarizer, the lead-3 baseline). A Generator takes one
// dataset.Case and a repeat index and returns the bullets with their usage.
//
// The path of one run:
//
//	LoadSuite → dataset.Open → Run(Generators) → Result
//	                 │            │ workers: generate → score → record
//	                 │            │ collector: JSONL stream, aggregates, progress
//	                 │            └ Ctrl-C: stop dispatching, grace, cancel
//	                 └ leakage check (reference bullets found in the article)
//	Result: means, CIs, pairwise and baseline tests, gates → report.Write*
//
// Memory stays flat in the number of cases: results stream to a JSONL file
// as they finish, and only per-case score vectors (float64 slices for the
// paired statistics) are kept; reports that show cases read the stream back.
package eval
