package budget

import (
	"sort"
	"unicode/utf8"
)

// Fits reports whether a prompt of promptTokens plus reservedOutput tokens
// for the reply fits a context window of window tokens. A window of zero or
// less is unknown and fits everything.
func Fits(promptTokens, reservedOutput, window int) bool {
	return window <= 0 || promptTokens+reservedOutput <= window
}

// Truncate returns the longest prefix of text, ending at a sentence
// boundary, that counts at most maxTokens tokens; paragraph breaks inside
// it are kept as they were. It also returns how many tokens (count(text) −
// count(kept)) and how many sentences were dropped. When text fits, it is
// returned unchanged with zeros.
//
// When not even the first sentence fits, the first sentence is cut at the
// last word boundary that fits (or, for a single giant word, at a character
// boundary), and it counts as dropped. When maxTokens < 1, kept is empty.
func Truncate(text string, maxTokens int, count CountFunc) (kept string, droppedTokens, droppedSentences int) {
	total := count(text)
	if total <= maxTokens {
		return text, 0, 0
	}
	sents := sentences(text)
	if maxTokens < 1 || len(sents) == 0 {
		return "", total, len(sents)
	}
	k, keptTokens := sentencesThatFit(text, sents, maxTokens, count)
	if k > 0 {
		kept = text[:sents[k-1].end]
	} else {
		kept = text[:firstPiece(text, sents[0], maxTokens, count).end]
		keptTokens = count(kept)
	}
	return kept, max(total-keptTokens, 0), len(sents) - k
}

// maxExtend bounds the one-sentence-at-a-time growth Truncate tries past
// its estimate.
const maxExtend = 8

// sentencesThatFit returns the largest k such that text up to the end of
// sents[k-1] counts at most maxTokens, and that count. It estimates k from
// per-sentence counts (counting only as far as the budget reaches), then
// checks the real prefix count and corrects: a binary search down when the
// estimate was too generous, a few steps up when it was too strict.
func sentencesThatFit(text string, sents []span, maxTokens int, count CountFunc) (k, tokens int) {
	prefix := func(k int) int {
		if k == 0 {
			return 0
		}
		return count(text[:sents[k-1].end])
	}
	sum := 0
	for k < len(sents) {
		c := count(text[sents[k].start:sents[k].end])
		if sum+c > maxTokens {
			break
		}
		sum += c
		k++
	}
	if tokens = prefix(k); tokens > maxTokens {
		// Largest j < k that fits; j = 0 always does.
		k = sort.Search(k, func(j int) bool { return prefix(j+1) > maxTokens })
		return k, prefix(k)
	}
	for step := 0; step < maxExtend && k < len(sents); step++ {
		next := prefix(k + 1)
		if next > maxTokens {
			break
		}
		k, tokens = k+1, next
	}
	return k, tokens
}

// Chunk splits text into chunks of at most maxTokens tokens each, in order,
// losing nothing: every chunk is a trimmed substring of text, and joining
// the chunks with whitespace gives text back up to whitespace. Chunks end
// at paragraph breaks where paragraphs fit; a paragraph larger than the
// budget is split between sentences, a sentence larger than the budget
// between words, and a word larger than the budget between characters.
//
// A chunk may exceed maxTokens only when a single character does (an emoji
// under a budget of one token). Chunk returns nil for an empty text or
// maxTokens < 1.
func Chunk(text string, maxTokens int, count CountFunc) []string {
	if maxTokens < 1 {
		return nil
	}
	spans := chunkSpans(text, maxTokens, count)
	return substrings(text, spans)
}

// unit is a piece of text known to fit the budget on its own, with its count.
type unit struct {
	span
	tokens int
}

func chunkSpans(text string, maxTokens int, count CountFunc) []span {
	var units []unit
	for _, p := range paragraphs(text) {
		units = appendUnits(units, text, p, maxTokens, count)
	}
	var chunks []span
	for i := 0; i < len(units); {
		// Greedy estimate: the sum of the unit counts plus one token per
		// join, then checked against the real count of the chunk.
		j, sum := i+1, units[i].tokens
		for j < len(units) && sum+1+units[j].tokens <= maxTokens {
			sum += 1 + units[j].tokens
			j++
		}
		for j > i+1 && count(text[units[i].start:units[j-1].end]) > maxTokens {
			j--
		}
		chunks = append(chunks, span{units[i].start, units[j-1].end})
		i = j
	}
	return chunks
}

// appendUnits appends the paragraph p as one unit when it fits, or else its
// sentences, each split further when needed.
func appendUnits(units []unit, text string, p span, maxTokens int, count CountFunc) []unit {
	if c := count(text[p.start:p.end]); c <= maxTokens {
		return append(units, unit{p, c})
	}
	for _, s := range appendSentences(nil, text, p) {
		if c := count(text[s.start:s.end]); c <= maxTokens {
			units = append(units, unit{s, c})
			continue
		}
		for _, piece := range packSpan(text, s, maxTokens, count) {
			units = append(units, unit{piece, count(text[piece.start:piece.end])})
		}
	}
	return units
}

// packSpan splits text[s.start:s.end] into consecutive pieces that each fit
// maxTokens: greedily, each piece as long as possible, cut between words,
// and between characters inside a word that is too long by itself.
func packSpan(text string, s span, maxTokens int, count CountFunc) []span {
	ws := words(text, s)
	var out []span
	for i := 0; i < len(ws); {
		if n := wordsThatFit(text, ws[i:], maxTokens, count); n > 0 {
			out = append(out, span{ws[i].start, ws[i+n-1].end})
			i += n
			continue
		}
		out = append(out, splitWord(text, ws[i], maxTokens, count)...)
		i++
	}
	return out
}

// firstPiece returns the first piece packSpan would cut from s, computing
// no more.
func firstPiece(text string, s span, maxTokens int, count CountFunc) span {
	ws := words(text, s)
	if n := wordsThatFit(text, ws, maxTokens, count); n > 0 {
		return span{ws[0].start, ws[n-1].end}
	}
	return splitWord(text, ws[0], maxTokens, count)[0]
}

// wordsThatFit returns how many of ws, from the first, fit maxTokens together.
func wordsThatFit(text string, ws []span, maxTokens int, count CountFunc) int {
	return longestFit(len(ws), func(n int) bool {
		return count(text[ws[0].start:ws[n-1].end]) <= maxTokens
	})
}

// splitWord cuts one word into pieces of at most maxTokens tokens between
// characters; a piece holds at least one character.
func splitWord(text string, w span, maxTokens int, count CountFunc) []span {
	var cuts []int // rune boundaries after w.start, up to w.end
	for i := w.start; i < w.end; {
		_, size := utf8.DecodeRuneInString(text[i:w.end])
		i += size
		cuts = append(cuts, i)
	}
	var out []span
	for start, c := w.start, 0; c < len(cuts); {
		n := longestFit(len(cuts)-c, func(n int) bool {
			return count(text[start:cuts[c+n-1]]) <= maxTokens
		})
		n = max(n, 1)
		out = append(out, span{start, cuts[c+n-1]})
		start, c = cuts[c+n-1], c+n
	}
	return out
}

// longestFit returns the largest n in [0, limit] for which fits(n) holds,
// assuming fits is true up to some n and false after (more words never
// count fewer tokens, in practice) and fits(0). It gallops (1, 2, 4, ...)
// then bisects, so the cost follows the answer, not limit: cutting a long
// sentence into pieces counts each stretch of text a few times, not the
// whole rest of the sentence per piece.
func longestFit(limit int, fits func(n int) bool) int {
	lo, hi := 0, 1 // fits(lo) holds; hi is the next probe
	for hi <= limit && fits(hi) {
		lo, hi = hi, hi*2
	}
	hi = min(hi, limit+1) // fits(hi) fails or hi is past limit
	// Bisect in (lo, hi): the answer is the last n that fits.
	return lo + sort.Search(hi-lo-1, func(i int) bool { return !fits(lo + 1 + i) })
}
