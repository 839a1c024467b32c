package extractive

import (
	"context"
	"iter"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"

	"github.com/summarize-dev/summarize/internal/clean"
)

// Segmenter splits news text into sentences. Building one loads the Punkt
// training data, which is costly, so build it once and reuse it; a
// Segmenter is safe for concurrent use (splitting only reads it).
type Segmenter struct {
	punkt *sentences.DefaultSentenceTokenizer
}

// NewSegmenter builds a Segmenter with the English Punkt model.
func NewSegmenter() (*Segmenter, error) {
	t, err := newPunkt()
	if err != nil {
		return nil, err
	}
	return &Segmenter{punkt: t}, nil
}

// defaultSegmenter is built on first use by New and LeadArticle and never
// changes afterwards.
var defaultSegmenter = sync.OnceValues(NewSegmenter)

// segmenter returns the shared Segmenter.
func segmenter() *Segmenter {
	seg, err := defaultSegmenter()
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
func (g *Segmenter) Sentences(body string) []string {
	return g.sentences(body, clean.Dateline(body))
}

// sentences splits body, cutting the dateline dl from its start.
func (g *Segmenter) sentences(body, dl string) []string {
	out, _ := g.sentencesContext(context.Background(), body, dl, -1)
	return out
}

// checkEvery is how many sentences (or paragraphs) CPU-bound loops go
// between looks at their context.
const checkEvery = 256

// sentencesContext is sentences that stops with ctx's error when ctx is
// done (it looks between paragraphs, and pieces of a long one), and after
// the first limit sentences when limit >= 0: later paragraphs cannot change
// earlier sentences, so it does not split them, nor even find them.
func (g *Segmenter) sentencesContext(ctx context.Context, body, dl string, limit int) ([]string, error) {
	var out []string
	i, cut := 0, dl == ""
	for para := range paragraphSeq(body) {
		// The dateline is cut from the first or the second paragraph,
		// as dropDateline does.
		if !cut && i < 2 {
			if rest, ok := cutDateline(para, dl); ok {
				cut, para = true, rest
			}
		}
		i++
		if para == "" {
			continue
		}
		for piece := range pieceSeq(para) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if limit >= 0 && len(out) >= limit {
				return out[:limit], nil
			}
			out = g.appendSplit(out, piece)
		}
	}
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// maxParagraph bounds the text Punkt splits at once, so that one huge
// paragraph (no news paragraph is this long) cannot hold off a cancelled
// context for long.
const maxParagraph = 64 << 10

// pieceSeq yields para, or its pieces when it is longer than
// maxParagraph.
func pieceSeq(para string) iter.Seq[string] {
	return func(yield func(string) bool) {
		if len(para) <= maxParagraph {
			yield(para)
			return
		}
		for _, p := range pieces(para) {
			if !yield(p) {
				return
			}
		}
	}
}

// pieces cuts a paragraph longer than maxParagraph after a sentence end
// (". " before a capital) near each limit, else at a space.
func pieces(para string) []string {
	if len(para) <= maxParagraph {
		return []string{para}
	}
	var out []string
	for len(para) > maxParagraph {
		cut := strings.LastIndex(para[:maxParagraph], ". ")
		if cut < maxParagraph/2 {
			cut = strings.LastIndexByte(para[:maxParagraph], ' ')
		} else {
			cut++ // keep the period
		}
		if cut <= 0 {
			cut = maxParagraph
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

// appendSplit appends the sentences of para to out.
func (g *Segmenter) appendSplit(out []string, para string) []string {
	return append(out, g.split(para)...)
}

// split runs Punkt on one paragraph and repairs its output.
func (g *Segmenter) split(para string) []string {
	var raw []string
	for _, s := range g.punkt.Tokenize(para) {
		if t := strings.TrimSpace(s.Text); t != "" {
			raw = append(raw, t)
		}
	}
	raw = splitGlued(raw)
	raw = splitAfterNumbers(raw)
	raw = moveStrayQuotes(raw)
	raw = splitCaptions(raw)
	var out []string
	for _, s := range raw {
		if n := len(out); n > 0 && shouldJoin(out[n-1], s) {
			out[n-1] += " " + s
			continue
		}
		out = append(out, s)
	}
	kept := out[:0]
	for _, s := range out {
		if hasLetter(s) {
			kept = append(kept, s)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

// abbreviations that end a Punkt "sentence" but almost never end a real one
// in news copy: titles, months, and a few others. Lower case, no period.
var abbreviations = map[string]bool{
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

// weakAbbreviations end a Punkt piece only wrongly when the next piece
// starts with a capital: "U.S. Army", but "in the U.S. The next day" is a
// real break. Titles and months are joined regardless.
var weakAbbreviations = map[string]bool{
	"u.s": true, "u.k": true, "u.n": true, "a.m": true, "p.m": true, "d.c": true, "l.a": true,
	"inc": true, "corp": true, "co": true, "ltd": true, "est": true, "no": true, "nos": true, "st": true,
}

// shouldJoin reports whether next is a wrong split off prev.
func shouldJoin(prev, next string) bool {
	r, _ := utf8.DecodeRuneInString(next)
	if unicode.IsLower(r) || strings.ContainsRune(",;:)]", r) {
		// `"Stop!" he said.`, `... 10 a.m. local time`, or a fragment.
		return true
	}
	if unicode.IsDigit(r) && strings.HasSuffix(lastWord(prev), ".") {
		w := strings.ToLower(strings.TrimSuffix(lastWord(prev), "."))
		if abbreviations[w] {
			return true // "No. 10", "Jan. 5"
		}
	}
	w := lastWord(prev)
	if !strings.HasSuffix(w, ".") {
		return false
	}
	w = strings.ToLower(strings.TrimLeft(strings.TrimSuffix(w, "."), "(\"'“‘"))
	if !abbreviations[w] {
		return false
	}
	if weakAbbreviations[w] {
		// "U.S. Army" joins; "in the U.S. The" stays split.
		return !startsSentence(next)
	}
	return true
}

// sentenceStarters are words that, capitalized after an ambiguous
// abbreviation such as "U.S.", usually open a new sentence.
var sentenceStarters = map[string]bool{
	"the": true, "a": true, "an": true, "he": true, "she": true, "it": true, "they": true, "we": true,
	"i": true, "but": true, "and": true, "in": true, "on": true, "at": true, "this": true, "that": true,
	"his": true, "her": true, "their": true, "its": true, "there": true, "as": true, "after": true,
	"when": true, "while": true, "if": true, "for": true, "some": true, "many": true, "one": true,
	"police": true, "officials": true, "last": true, "now": true, "however": true, "those": true,
	"these": true, "more": true, "according": true, "earlier": true, "meanwhile": true, "you": true,
}

func startsSentence(s string) bool {
	s = strings.TrimLeft(s, "\"'“‘(")
	w, _, _ := strings.Cut(s, " ")
	w = strings.ToLower(strings.TrimRight(w, ",.;:!?\"'”’"))
	return sentenceStarters[w]
}

func lastWord(s string) string {
	i := strings.LastIndexAny(s, " \t\n")
	return s[i+1:]
}

// reGlued finds a missed break where a caption or sentence ends with no
// space before the next: "said.The", "night.‘We". Punkt keeps these whole.
var reGlued = lazyRegexp(`[a-z]{2}[.!?]["'”’]?[A-Z“‘"][a-z]`)

// splitGlued splits pieces at missed breaks with no space after the period.
// It returns in itself when no piece can hold one (mayBeGlued).
func splitGlued(in []string) []string {
	first := slices.IndexFunc(in, mayBeGlued)
	if first < 0 {
		return in
	}
	out := append(make([]string, 0, len(in)+2), in[:first]...)
	for _, s := range in[first:] {
		for mayBeGlued(s) {
			loc := reGlued.FindStringIndex(s)
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

// mayBeGlued reports whether s can hold a match of reGlued: two lower-case
// letters, a period, "!" or "?", then a quotation mark or a capital with no
// space between. It looks at bytes only, so that the regexp runs on the few
// pieces that can match.
func mayBeGlued(s string) bool {
	for i := 2; i+1 < len(s); i++ {
		switch s[i] {
		case '.', '!', '?':
			if isLowerASCII(s[i-1]) && isLowerASCII(s[i-2]) {
				// A capital, a straight quote, or the first byte of “ ‘ ” ’.
				if c := s[i+1]; 'A' <= c && c <= 'Z' || c == '"' || c == '\'' || c == 0xE2 {
					return true
				}
			}
		}
	}
	return false
}

func isLowerASCII(c byte) bool { return 'a' <= c && c <= 'z' }

// reNumberBreak finds a break Punkt misses after a number: "at the age of
// 66. He had", "in 2012. She". Punkt takes "66." for a possible ordinal.
var reNumberBreak = lazyRegexp(`[0-9][.!?]["'”’]?\s+["“‘']?[A-Z]`)

// splitAfterNumbers splits pieces at a period after a number followed by a
// capital, unless the number follows an abbreviation such as "No.".
// It returns in itself when no piece can hold one (mayBreakAfterNumber).
func splitAfterNumbers(in []string) []string {
	first := slices.IndexFunc(in, mayBreakAfterNumber)
	if first < 0 {
		return in
	}
	out := append(make([]string, 0, len(in)+2), in[:first]...)
	for _, s := range in[first:] {
		if !mayBreakAfterNumber(s) {
			out = append(out, s)
			continue
		}
		start := 0
		for _, loc := range reNumberBreak.FindAllStringIndex(s, -1) {
			// the break is after the punctuation and any closing quote
			cut := loc[0] + 2
			for cut < loc[1] {
				r, n := utf8.DecodeRuneInString(s[cut:])
				if r != '"' && r != '\'' && r != '”' && r != '’' {
					break
				}
				cut += n
			}
			if w := lastWord(strings.TrimSpace(s[start:loc[0]])); strings.HasSuffix(w, ".") && abbreviations[strings.ToLower(strings.TrimSuffix(w, "."))] {
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

// mayBreakAfterNumber reports whether s can hold a match of reNumberBreak:
// a digit, a period, "!" or "?", maybe a closing quotation mark, then white
// space. It looks at bytes only, like mayBeGlued.
func mayBreakAfterNumber(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			continue
		}
		if c := s[i+1]; c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 2
		switch {
		case s[j] == '"' || s[j] == '\'':
			j++
		case strings.HasPrefix(s[j:], "”") || strings.HasPrefix(s[j:], "’"):
			j += len("”")
		}
		if j < len(s) && isSpaceRE(s[j]) {
			return true
		}
	}
	return false
}

// isSpaceRE reports whether c is white space as \s means it in a regexp.
func isSpaceRE(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// moveStrayQuotes gives a closing quotation mark that Punkt left at the
// start of the next piece back to the piece it closes:
// "‘Mind that locker, Stokesey." + "’ It was here" .
func moveStrayQuotes(in []string) []string {
	for i := 1; i < len(in); i++ {
		for _, q := range [][2]string{{"’", "‘"}, {"”", "“"}, {"'", ""}, {`"`, ""}} {
			if !strings.HasPrefix(in[i], q[0]+" ") || !isOpen(in[i-1], q[0], q[1]) {
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

// reCaptionBreak finds a lower-case word followed by a capitalized word
// that usually opens a sentence: where a photo caption without a period
// runs into the text ("... in Las Vegas on Saturday The two boxers have").
var reCaptionBreak = lazyRegexp(`\b([a-z0-9%]+) (The|He|She|They|His|Her|Their|This|These|It|But|Pictured|Police|Mr|Mrs|Ms|After|When|While|There) (\S)`)

// notBeforeBreak are words after which a capitalized "The" or "He" is part
// of the same sentence: "in The Hague", "told The Times", "said He".
var notBeforeBreak = map[string]bool{
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

// mayRunIntoCaption reports whether s can hold a match of reCaptionBreak:
// a byte of [a-z0-9%], a space, one of its opening words, a space and a
// byte that is not white space. It compares bytes only, like mayBeGlued.
func mayRunIntoCaption(s string) bool {
	for i := 1; i+4 < len(s); i++ {
		if s[i] != ' ' || !isCaptionWordByte(s[i-1]) || s[i+1] < 'A' || s[i+1] > 'Z' {
			continue
		}
		w := s[i+1:]
		end := strings.IndexByte(w, ' ')
		if end < 0 || end+1 >= len(w) || isSpaceRE(w[end+1]) {
			continue
		}
		if captionOpener(w[:end]) {
			return true
		}
	}
	return false
}

func isCaptionWordByte(c byte) bool { return isLowerASCII(c) || '0' <= c && c <= '9' || c == '%' }

// captionOpener reports whether w is one of reCaptionBreak's opening words.
func captionOpener(w string) bool {
	switch w {
	case "The", "He", "She", "They", "His", "Her", "Their", "This", "These", "It", "But",
		"Pictured", "Police", "Mr", "Mrs", "Ms", "After", "When", "While", "There":
		return true
	}
	return false
}

// splitCaptions splits pieces where a caption with no final period runs
// into the next sentence.
// It returns in itself when no piece can hold one (mayRunIntoCaption).
func splitCaptions(in []string) []string {
	first := slices.IndexFunc(in, mayRunIntoCaption)
	if first < 0 {
		return in
	}
	out := append(make([]string, 0, len(in)+2), in[:first]...)
	for _, s := range in[first:] {
		if !mayRunIntoCaption(s) {
			out = append(out, s)
			continue
		}
		start := 0
		for _, m := range reCaptionBreak.FindAllStringSubmatchIndex(s, -1) {
			prev, opener := s[m[2]:m[3]], s[m[4]:m[5]]
			if notBeforeBreak[prev] || m[3]-start < 20 || wordCount(s[start:m[3]]) < 5 {
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

// isOpen reports whether s leaves a quotation open: more opening than
// closing curly quotes, or an odd number of straight ones.
func isOpen(s, closing, opening string) bool {
	if opening == "" {
		return strings.Count(s, closing)%2 == 1
	}
	return strings.Count(s, opening) > strings.Count(s, closing)
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
