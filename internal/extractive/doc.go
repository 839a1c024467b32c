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
// Sen., Jan.), splits before a lower-case continuation (`"Stop!" he said.`),
// source tags glued to the first word ("(CNN)They"), datelines
// ("BRUSSELS –"), bylines and publishing stamps ("By X, CNN",
// "PUBLISHED: ... | UPDATED: ...", "Last updated at ...").
//
// A Summarizer scores every sentence by a position prior (news is
// front-loaded), its centrality in a TF-IDF similarity graph (LexRank-style),
// its similarity to the title when there is one, and its length, then picks
// sentences greedily with maximal marginal relevance so that bullets do not
// repeat each other. Chosen sentences are shortened to headline form:
// attributions (", police said."), parentheticals and over-long tails are
// cut at clause boundaries, within Options.MaxWords words. Everything is
// deterministic: the same input gives the same bullets.
//
// Lead returns the first n sentences (the Lead-N baseline) with the same
// segmenter, so the two can be compared fairly.
package extractive
