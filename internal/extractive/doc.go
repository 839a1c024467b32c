// Package extractive is the offline summarizer: it turns a news article into
// a few short headline-style bullets without a model or a network.
//
// Its input is a cleaned article, as clean.Clean returns it: page noise
// (bylines, publishing stamps, "Scroll down for video", share bars,
// captions) is removed there and only there, so that a change to cleaning
// moves what users get and what the eval harness scores alike. This
// package detects no boilerplate; it splits text into sentences, picks
// some and shapes them into bullets. SummarizeArticle takes a
// clean.Article and cuts the dateline Clean recorded in Article.Dateline
// ("BRUSSELS –", "WASHINGTON (CNN) --", "(CNN)") from the lead sentence;
// Summarize, given only a title and body, finds that dateline with
// clean.Dateline, so both give the same bullets for a cleaned article.
//
// The path of one article is
//
//	clean.Article → Sentences (segmenter tuned for news) → scores → chosen sentences → trimmed bullets
//
// The segmenter splits the body with the Punkt tokenizer of
// github.com/neurosnap/sentences (English training data) and then repairs
// what it gets wrong on news copy: title and month abbreviations (Dr., Gov.,
// Sen., Jan.) and "U.S." before a name, splits before a lower-case
// continuation (`"Stop!" he said.`), missed breaks after a number ("at the
// age of 66. He") or with no space ("Monday.The"), and photo captions that
// run into the next sentence without a period. Lines wrapped inside a
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
// dash asides, then is cut at a clause boundary (outside a quotation when
// one falls late enough; else at the limit, without a dangling function
// word). Quotation marks stay matched: a quotation cut short is closed, an
// opening mark left at the end is dropped, and a sentence that opens
// inside a quotation begun in the sentence before (`We know how to look,"
// she said.`) is chosen only when nothing else is left, and then gets its
// opening mark back. Everything is deterministic: the same input gives the
// same bullets.
//
// The defaults were tuned on the CNN/DailyMail development articles, run
// through clean.Clean first (see cmd/extractive-report), to beat Lead-3 on
// ROUGE-1, ROUGE-2 and ROUGE-Lsum.
//
// Lead and LeadArticle return the first n sentences (the Lead-N baseline)
// with the same segmenter, so the two can be compared fairly.
package extractive
