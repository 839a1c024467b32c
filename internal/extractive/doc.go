// Package extractive is the offline summarizer: it turns a news article into
// a few short headline-style bullets without a model or a network.
//
// The path of one article is
//
//	body → Sentences (segmenter tuned for news) → scores → chosen sentences → trimmed bullets
//
// Sentences splits the body with the Punkt tokenizer of
// github.com/neurosnap/sentences (English training data) and then repairs
// what it gets wrong on news copy: title and month abbreviations (Dr., Gov.,
// Sen., Jan.) and "U.S." before a name, splits before a lower-case
// continuation (`"Stop!" he said.`), missed breaks after a number ("at the
// age of 66. He") or with no space ("Monday.The"), photo captions that run
// into the next sentence without a period, source tags glued to the first
// word ("(CNN)They"), datelines ("BRUSSELS –", "Washington (CNN)"), bylines
// and publishing stamps ("By X, CNN", "PUBLISHED: ... | UPDATED: ...",
// "Last updated at ...", "Scroll down for video"). Lines wrapped inside a
// sentence are joined; a capitalized line after a line with no final
// punctuation (a subheading) stays apart.
//
// A Summarizer scores every sentence by a position prior (news is
// front-loaded), its centrality in a TF-IDF similarity graph (LexRank-style),
// its similarity to the title when there is one, and its length, then picks
// sentences greedily with maximal marginal relevance so that bullets do not
// repeat each other. Chosen sentences are shortened to headline form:
// generic attributions (", police said.", ", he told CNN."), parentheticals
// and introductory phrases ("Speaking on Tuesday, ...") are dropped, and a
// sentence over Options.MaxWords loses its comma-set relative clauses and
// dash asides, then is cut at a clause boundary (or at the limit, without
// a dangling function word). Everything is deterministic: the same input
// gives the same bullets.
//
// The defaults were tuned on the CNN/DailyMail development articles
// (see cmd/extractive-report) to beat Lead-3 on ROUGE-1, ROUGE-2 and
// ROUGE-Lsum.
//
// Lead returns the first n sentences (the Lead-N baseline) with the same
// segmenter, so the two can be compared fairly.
package extractive
