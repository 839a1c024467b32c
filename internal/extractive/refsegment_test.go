package extractive

// This file is the sentence segmenter as it was before it was made faster
// (commit 3852f13): segment.go, paragraph.go and wordCount with every name
// given a "ref" prefix, and the stock Punkt tokenizer. The tests in
// segment_equiv_test.go compare the segmenter with it.

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/english"

	"github.com/summarize-dev/summarize/internal/clean"
)

// refSegmenter splits news text into sentences. Building one loads the Punkt
// training data, which is costly, so build it once and reuse it; a
// refSegmenter is safe for concurrent use (splitting only reads it).
type refSegmenter struct {
	punkt *sentences.DefaultSentenceTokenizer
}

// refNewSegmenter builds a refSegmenter with the English Punkt model.
func refNewSegmenter() (*refSegmenter, error) {
	t, err := english.NewSentenceTokenizer(nil)
	if err != nil {
		return nil, fmt.Errorf("load english sentence model: %w", err)
	}
	return &refSegmenter{punkt: t}, nil
}

// refDefaultSegmenter is built on first use by New and LeadArticle and never
// changes afterwards.
var refDefaultSegmenter = sync.OnceValues(refNewSegmenter)

// refShared returns the shared refSegmenter.
func refShared() *refSegmenter {
	seg, err := refDefaultSegmenter()
	if err != nil {
		// The model is embedded in the module; failing to load it is a
		// build defect, not an input problem.
		panic(err)
	}
	return seg
}

// Sentences splits body into sentences. Body is cleaned text
// (clean.Clean's Article.Body): paragraphs separated by blank lines, page
// noise already removed. The dateline clean finds ("BRUSSELS –", "(CNN)")
// is cut from the first sentence. It returns nil when body holds no
// sentence.
func (g *refSegmenter) Sentences(body string) []string {
	return g.refSentences(body, clean.Dateline(body))
}

// sentences splits body, cutting the dateline dl from its start.
func (g *refSegmenter) refSentences(body, dl string) []string {
	out, _ := g.refSentencesContext(context.Background(), body, dl, -1)
	return out
}

// refSentencesContext is sentences that stops with ctx's error when ctx is
// done (it looks between paragraphs, and pieces of a long one), and after the first limit sentences when limit >= 0 (later
// paragraphs cannot change earlier sentences).
func (g *refSegmenter) refSentencesContext(ctx context.Context, body, dl string, limit int) ([]string, error) {
	var out []string
	for _, para := range refDropDateline(refParagraphs(body), dl) {
		for _, piece := range refPieces(para) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if limit >= 0 && len(out) >= limit {
				break
			}
			out = append(out, g.refSplit(piece)...)
		}
	}
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// refMaxParagraph bounds the text Punkt splits at once, so that one huge
// paragraph (no news paragraph is this long) cannot hold off a cancelled
// context for long.
const refMaxParagraph = 64 << 10

// pieces cuts a paragraph longer than refMaxParagraph after a sentence end
// (". " before a capital) near each limit, else at a space.
func refPieces(para string) []string {
	if len(para) <= refMaxParagraph {
		return []string{para}
	}
	var out []string
	for len(para) > refMaxParagraph {
		cut := strings.LastIndex(para[:refMaxParagraph], ". ")
		if cut < refMaxParagraph/2 {
			cut = strings.LastIndexByte(para[:refMaxParagraph], ' ')
		} else {
			cut++ // keep the period
		}
		if cut <= 0 {
			cut = refMaxParagraph
			for cut < len(para) && !utf8.RuneStart(para[cut]) {
				cut++
			}
		}
		out = append(out, strings.TrimSpace(para[:cut]))
		para = strings.TrimSpace(para[cut:])
	}
	if para != "" {
		out = append(out, para)
	}
	return out
}

// refSplit runs Punkt on one paragraph and repairs its output.
func (g *refSegmenter) refSplit(para string) []string {
	var raw []string
	for _, s := range g.punkt.Tokenize(para) {
		if t := strings.TrimSpace(s.Text); t != "" {
			raw = append(raw, t)
		}
	}
	raw = refSplitGlued(raw)
	raw = refSplitAfterNumbers(raw)
	raw = refMoveStrayQuotes(raw)
	raw = refSplitCaptions(raw)
	var out []string
	for _, s := range raw {
		if n := len(out); n > 0 && refShouldJoin(out[n-1], s) {
			out[n-1] += " " + s
			continue
		}
		out = append(out, s)
	}
	kept := out[:0]
	for _, s := range out {
		if refHasLetter(s) {
			kept = append(kept, s)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

// refAbbreviations that end a Punkt "sentence" but almost never end a real one
// in news copy: titles, months, and a few others. Lower case, no period.
var refAbbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sr": true, "jr": true, "st": true,
	"gov": true, "sen": true, "rep": true, "reps": true, "sens": true, "pres": true, "gen": true, "lt": true,
	"col": true, "capt": true, "cpl": true, "sgt": true, "maj": true, "adm": true, "cmdr": true, "insp": true,
	"supt": true, "det": true, "rev": true, "hon": true, "atty": true, "gens": true, "fr": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "aug": true, "sep": true, "sept": true,
	"oct": true, "nov": true, "dec": true,
	"no": true, "nos": true, "vs": true, "v": true, "approx": true, "est": true, "inc": true, "corp": true,
	"co": true, "ltd": true, "mt": true, "ft": true, "ave": true, "blvd": true, "rd": true,
	"u.s": true, "u.k": true, "u.n": true, "e.g": true, "i.e": true, "a.m": true, "p.m": true,
	"d.c": true, "l.a": true,
}

// refWeakAbbreviations end a Punkt piece only wrongly when the next piece
// starts with a capital: "U.S. Army", but "in the U.S. The next day" is a
// real break. Titles and months are joined regardless.
var refWeakAbbreviations = map[string]bool{
	"u.s": true, "u.k": true, "u.n": true, "a.m": true, "p.m": true, "d.c": true, "l.a": true,
	"inc": true, "corp": true, "co": true, "ltd": true, "est": true, "no": true, "nos": true, "st": true,
}

// refShouldJoin reports whether next is a wrong split off prev.
func refShouldJoin(prev, next string) bool {
	r, _ := utf8.DecodeRuneInString(next)
	if unicode.IsLower(r) || strings.ContainsRune(",;:)]", r) {
		// `"Stop!" he said.`, `... 10 a.m. local time`, or a fragment.
		return true
	}
	if unicode.IsDigit(r) && strings.HasSuffix(refLastWord(prev), ".") {
		w := strings.ToLower(strings.TrimSuffix(refLastWord(prev), "."))
		if refAbbreviations[w] {
			return true // "No. 10", "Jan. 5"
		}
	}
	w := refLastWord(prev)
	if !strings.HasSuffix(w, ".") {
		return false
	}
	w = strings.ToLower(strings.TrimLeft(strings.TrimSuffix(w, "."), "(\"'“‘"))
	if !refAbbreviations[w] {
		return false
	}
	if refWeakAbbreviations[w] {
		// "U.S. Army" joins; "in the U.S. The" stays split.
		return !refStartsSentence(next)
	}
	return true
}

// refSentenceStarters are words that, capitalized after an ambiguous
// abbreviation such as "U.S.", usually open a new sentence.
var refSentenceStarters = map[string]bool{
	"the": true, "a": true, "an": true, "he": true, "she": true, "it": true, "they": true, "we": true,
	"i": true, "but": true, "and": true, "in": true, "on": true, "at": true, "this": true, "that": true,
	"his": true, "her": true, "their": true, "its": true, "there": true, "as": true, "after": true,
	"when": true, "while": true, "if": true, "for": true, "some": true, "many": true, "one": true,
	"police": true, "officials": true, "last": true, "now": true, "however": true, "those": true,
	"these": true, "more": true, "according": true, "earlier": true, "meanwhile": true, "you": true,
}

func refStartsSentence(s string) bool {
	s = strings.TrimLeft(s, "\"'“‘(")
	w, _, _ := strings.Cut(s, " ")
	w = strings.ToLower(strings.TrimRight(w, ",.;:!?\"'”’"))
	return refSentenceStarters[w]
}

func refLastWord(s string) string {
	i := strings.LastIndexAny(s, " \t\n")
	return s[i+1:]
}

// refReGlued finds a missed break where a caption or sentence ends with no
// space before the next: "said.The", "night.‘We". Punkt keeps these whole.
var refReGlued = regexp.MustCompile(`[a-z]{2}[.!?]["'”’]?[A-Z“‘"][a-z]`)

// refSplitGlued splits pieces at missed breaks with no space after the period.
func refSplitGlued(in []string) []string {
	var out []string
	for _, s := range in {
		for {
			loc := refReGlued.FindStringIndex(s)
			if loc == nil {
				break
			}
			// cut after the punctuation (and a closing quote, if any)
			cut := loc[0] + 3
			if r, n := utf8.DecodeRuneInString(s[cut:]); r == '"' || r == '\'' || r == '”' || r == '’' {
				// only a closing quote when it is followed by an upper-case letter
				if r2, _ := utf8.DecodeRuneInString(s[cut+n:]); unicode.IsUpper(r2) {
					cut += n
				}
			}
			out = append(out, strings.TrimSpace(s[:cut]))
			s = strings.TrimSpace(s[cut:])
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// refReNumberBreak finds a break Punkt misses after a number: "at the age of
// 66. He had", "in 2012. She". Punkt takes "66." for a possible ordinal.
var refReNumberBreak = regexp.MustCompile(`[0-9][.!?]["'”’]?\s+["“‘']?[A-Z]`)

// refSplitAfterNumbers splits pieces at a period after a number followed by a
// capital, unless the number follows an abbreviation such as "No.".
func refSplitAfterNumbers(in []string) []string {
	var out []string
	for _, s := range in {
		start := 0
		for _, loc := range refReNumberBreak.FindAllStringIndex(s, -1) {
			// the break is after the punctuation and any closing quote
			cut := loc[0] + 2
			for cut < loc[1] {
				r, n := utf8.DecodeRuneInString(s[cut:])
				if r != '"' && r != '\'' && r != '”' && r != '’' {
					break
				}
				cut += n
			}
			if w := refLastWord(strings.TrimSpace(s[start:loc[0]])); strings.HasSuffix(w, ".") && refAbbreviations[strings.ToLower(strings.TrimSuffix(w, "."))] {
				continue // "No. 5. The" is rare; "Jan. 5. The" too: keep whole
			}
			if piece := strings.TrimSpace(s[start:cut]); piece != "" {
				out = append(out, piece)
			}
			start = cut
		}
		if piece := strings.TrimSpace(s[start:]); piece != "" {
			out = append(out, piece)
		}
	}
	return out
}

// refMoveStrayQuotes gives a closing quotation mark that Punkt left at the
// start of the next piece back to the piece it closes:
// "‘Mind that locker, Stokesey." + "’ It was here" .
func refMoveStrayQuotes(in []string) []string {
	for i := 1; i < len(in); i++ {
		for _, q := range [][2]string{{"’", "‘"}, {"”", "“"}, {"'", ""}, {`"`, ""}} {
			if !strings.HasPrefix(in[i], q[0]+" ") || !refIsOpen(in[i-1], q[0], q[1]) {
				continue
			}
			{
				in[i-1] += q[0]
				in[i] = strings.TrimSpace(in[i][len(q[0]):])
				break
			}
		}
	}
	return in
}

// refReCaptionBreak finds a lower-case word followed by a capitalized word
// that usually opens a sentence: where a photo caption without a period
// runs into the text ("... in Las Vegas on Saturday The two boxers have").
var refReCaptionBreak = regexp.MustCompile(`\b([a-z0-9%]+) (The|He|She|They|His|Her|Their|This|These|It|But|Pictured|Police|Mr|Mrs|Ms|After|When|While|There) (\S)`)

// refNotBeforeBreak are words after which a capitalized "The" or "He" is part
// of the same sentence: "in The Hague", "told The Times", "said He".
var refNotBeforeBreak = map[string]bool{
	"in": true, "at": true, "of": true, "to": true, "from": true, "by": true, "on": true, "for": true,
	"with": true, "and": true, "or": true, "told": true, "said": true, "says": true, "the": true, "a": true,
	"an": true, "called": true, "named": true, "titled": true, "dubbed": true, "about": true, "into": true,
	"read": true, "reads": true, "like": true, "as": true, "than": true, "that": true, "star": true,
	"newspaper": true, "magazine": true, "paper": true, "visit": true, "visited": true, "joined": true,
	"wrote": true, "reported": true, "watch": true, "see": true, "saw": true, "play": true, "played": true,
	"film": true, "song": true, "album": true, "book": true, "show": true, "series": true, "hit": true,
	"where": true, "when": true, "is": true, "was": true, "are": true, "were": true, "be": true, "been": true,
	"but": true, "if": true, "because": true, "while": true, "then": true, "so": true, "said,": true,
}

// refSplitCaptions splits pieces where a caption with no final period runs
// into the next sentence.
func refSplitCaptions(in []string) []string {
	var out []string
	for _, s := range in {
		start := 0
		for _, m := range refReCaptionBreak.FindAllStringSubmatchIndex(s, -1) {
			prev, opener := s[m[2]:m[3]], s[m[4]:m[5]]
			if refNotBeforeBreak[prev] || m[3]-start < 20 || refWordCount(s[start:m[3]]) < 5 {
				continue
			}
			if r, _ := utf8.DecodeRuneInString(s[m[6]:]); unicode.IsUpper(r) && opener != "Mr" && opener != "Mrs" && opener != "Ms" {
				continue // "raided restaurant The Royal China Club": a name
			}
			out = append(out, strings.TrimSpace(s[start:m[3]]))
			start = m[3] + 1
		}
		if piece := strings.TrimSpace(s[start:]); piece != "" {
			out = append(out, piece)
		}
	}
	return out
}

// refIsOpen reports whether s leaves a quotation open: more opening than
// closing curly quotes, or an odd number of straight ones.
func refIsOpen(s, closing, opening string) bool {
	if opening == "" {
		return strings.Count(s, closing)%2 == 1
	}
	return strings.Count(s, opening) > strings.Count(s, closing)
}

func refHasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// paragraphs splits body at blank lines and joins lines that were wrapped
// mid-sentence. A line that ends without sentence punctuation and is
// followed by a capitalized line (a subheading) becomes its own paragraph.
// Body is cleaned text: noise such as bylines and stamps is clean's to
// remove, not this package's.
func refParagraphs(body string) []string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	var out []string
	for _, block := range strings.Split(body, "\n\n") {
		var cur []string
		flush := func() {
			if len(cur) > 0 {
				out = append(out, strings.Join(cur, " "))
				cur = nil
			}
		}
		for _, line := range strings.Split(block, "\n") {
			line = strings.Join(strings.Fields(line), " ")
			if line == "" {
				flush()
				continue
			}
			if n := len(cur); n > 0 && !refContinues(cur[n-1], line) {
				flush()
			}
			cur = append(cur, line)
		}
		flush()
	}
	return out
}

// refContinues reports whether line carries on the sentence of prev (a wrapped
// line) rather than starting a new paragraph.
func refContinues(prev, line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	if unicode.IsLower(r) {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	return strings.ContainsRune(",;:–—-", last)
}

// refDropDateline removes the dateline dl ("BRUSSELS", "WASHINGTON (CNN)",
// "(CNN)"), as clean found it, and the dash after it from the start of the
// first or second paragraph, where clean looks for it: the dateline is no
// part of the lead sentence. A paragraph left empty is dropped.
func refDropDateline(paras []string, dl string) []string {
	if dl == "" {
		return paras
	}
	for i := 0; i < len(paras) && i < 2; i++ {
		rest, ok := strings.CutPrefix(paras[i], dl)
		if !ok {
			continue
		}
		rest = strings.TrimLeft(rest, " ")
		for _, dash := range []string{"--", "–", "—", "-", ":"} {
			if r, ok := strings.CutPrefix(rest, dash); ok {
				rest = r
				break
			}
		}
		if rest = strings.TrimSpace(rest); rest == "" {
			return append(paras[:i:i], paras[i+1:]...)
		}
		paras[i] = rest
		break
	}
	return paras
}

// refWordCount counts whitespace-separated words without allocating.
func refWordCount(s string) int {
	n, in := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}
