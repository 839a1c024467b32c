// Package meta measures how well an automatic metric agrees with human
// judgments of the same summaries: the meta-evaluation statistics of the
// summarization papers, computed the way they compute them.
//
// The input is a list of Items, each a summary of one article (its Group)
// produced by one System, with the metric's score and the human judgment.
// Measure reports four levels:
//
//   - summary level: for each article, Spearman's rho and Kendall's tau-b
//     across the summaries of it, then the mean over articles. Articles
//     with fewer than two summaries, or where the metric or the judgment is
//     constant, are skipped and counted. This is the figure UniEval (Zhong
//     et al. 2022) and G-Eval (Liu et al. 2023) report on SummEval.
//   - system level: Kendall's tau-b across systems of their mean metric
//     against their mean judgment, as in SummEval (Fabbri et al. 2021).
//   - pooled: the Pearson correlation over all summaries at once.
//   - partial: the Pearson correlation of the residuals left once each
//     system's mean is subtracted from both the metric and the judgment,
//     the system as control variable, as in FRANK (Pagnoni et al. 2021).
//
// Ties follow scipy.stats: average ranks for Spearman (spearmanr), and for
// kendalltau(variant='b') tau-b = (P - Q) / sqrt((P+Q+Tx)(P+Q+Ty)), with P
// and Q the concordant and discordant pairs and Tx, Ty the pairs tied on
// one side only.
//
// Each figure carries a percentile bootstrap interval (95% by default)
// that resamples articles with replacement, so that the summaries of one
// article stay together: an article drawn twice brings its summaries
// twice. The resampling is seeded, so intervals are the same on every run.
//
// Levels that need what the items do not carry (no Group for the summary
// level, no System for the system and partial levels) are reported as not
// computable: a NaN value, N = 0 and a Reason the caller can show.
//
// The package does no I/O and knows nothing of metrics or models: numbers
// in, numbers out.
package meta
