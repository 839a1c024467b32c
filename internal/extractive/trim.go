package extractive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// trimConfig switches the headline trims on and off; all are on in
// defaultTrim, which Summarizer uses. It exists so that each trim can be
// measured on its own.
type trimConfig struct {
	attribution bool
	parenthesis bool
	leadClause  bool
	finalPeriod bool
	asides      bool // drop relative clauses and dash asides from over-long sentences
	// clauseCut: a cut at a clause boundary must keep at least this share
	// of maxWords; otherwise the sentence is cut at maxWords.
	clauseCut float64
}

var defaultTrim = trimConfig{attribution: true, parenthesis: true, leadClause: true, finalPeriod: true, asides: true, clauseCut: 2.0 / 3}

var (
	// reAttrTail: `..., police said.`, `..., he told CNN on Tuesday.`,
	// `..., according to the BBC.`
	reAttrTail = lazyRegexp(`(?i),(["”’']?)\s+(?:(?:he|she|they|it|police|officials|authorities|the (?:police|officials|authorities|agency|company|report|court|statement|spokesman|spokeswoman|spokesperson)|a (?:spokesman|spokeswoman|spokesperson|source|statement|report))\s+(?:has |have |had )?(?:said|says|told [\w.'’ ]{1,40}?|added|explained|reported|claimed|wrote|insisted|confirmed|announced|revealed|warned|stated)|it (?:has |had )?emerged|(?:said|says|added|explained)\s+(?:he|she|police|officials))(?:\s+(?:on|last|this|in|at|earlier|late|yesterday|today)\b[^,;"”]{0,40}?)?\s*[.!]?["”’']?$`)
	// reAttrLead: "Police said (on Tuesday) that ..." at the start.
	reAttrLead = lazyRegexp(`^(?:[A-Z][\w.'’-]*(?: [\w.'’-]+){0,4}) (?:said|says|told [\w ]{1,30}?|announced|confirmed|revealed|reported)(?: (?:on|last|this|in|at|earlier|late|yesterday|today)\b[^,;"”]{0,30}?)? that `)
	// reParen: a parenthetical aside, with the space before it.
	reParen = lazyRegexp(`\s*\([^()]{0,80}\)`)
	// reLeadClause: an introductory phrase ending in a comma.
	reLeadClause = lazyRegexp(`^(?:Speaking|After|Following|Despite|While|Although|Though|As|When|Since|Earlier|Last|This|On|In|At|During|Meanwhile|However|But|And|Now|Today|Yesterday|According to|Under|With|Without|Before|Until|Once|Already|Still|Instead|Indeed|Previously|Separately|Elsewhere|Overall)\b[^,;:"“”]{0,80}?, `)
)

func trimWith(s string, maxWords int, c trimConfig) string {
	s = strings.TrimSpace(s)
	if c.parenthesis {
		s = strings.TrimSpace(reParen.ReplaceAllString(s, ""))
	}
	if c.attribution {
		if loc := reAttrTail.FindStringSubmatchIndex(s); loc != nil && wordCount(s[:loc[0]]) >= 4 {
			// keep the mark that closes the quotation the attribution follows
			s = strings.TrimRight(s[:loc[0]], " ,") + strings.Trim(s[loc[2]:loc[3]], "’'")
		}
		if loc := reAttrLead.FindStringIndex(s); loc != nil && wordCount(s[loc[1]:]) >= 6 {
			s = capitalize(s[loc[1]:])
		}
	}
	if c.leadClause {
		if loc := reLeadClause.FindStringIndex(s); loc != nil && wordCount(s[loc[1]:]) >= 6 && startsClause(s[loc[1]:]) && !appositiveNext(s[loc[1]:]) {
			s = capitalize(s[loc[1]:])
		}
	}
	if c.asides && wordCount(s) > maxWords {
		s = compress(s, maxWords)
	}
	s = capWordsAt(s, maxWords, int(float64(maxWords)*c.clauseCut))
	s = balanceQuotes(s)
	if c.finalPeriod {
		s = strings.TrimRight(s, " .")
	}
	return s
}

var (
	// reRelative: a non-restrictive relative clause ", who ... ,".
	reRelative = lazyRegexp(`, (?:who|which|whose|where) [^,;:"“”]{3,90}?, `)
	// reDashAside: an aside between dashes.
	reDashAside = lazyRegexp(` (?:--|–|—|-) [^–—;:"“”]{3,70}? (?:--|–|—|-) `)
)

// compress drops asides from a sentence longer than maxWords, one at a
// time, until it fits: relative clauses set off by commas, then asides
// between dashes.
func compress(s string, maxWords int) string {
	for _, re := range []*lazyRE{reRelative, reDashAside} {
		for wordCount(s) > maxWords {
			loc := re.FindStringIndex(s)
			if loc == nil {
				break
			}
			s = s[:loc[0]] + " " + s[loc[1]:]
		}
	}
	return s
}

// startsClause reports whether s plausibly opens a main clause (a name, a
// pronoun or a determiner) rather than continuing a list.
func startsClause(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if unicode.IsUpper(r) {
		return true
	}
	w, _, _ := strings.Cut(s, " ")
	switch strings.ToLower(w) {
	case "he", "she", "it", "they", "we", "i", "you", "the", "a", "an", "his", "her", "their", "its", "this", "that", "there", "police", "officials":
		return true
	}
	return false
}

// appositiveNext reports whether s opens with a short phrase set off by a
// comma ("Wil, had Down syndrome"), a sign that the comma before it was
// inside a phrase rather than after an introductory clause.
func appositiveNext(s string) bool {
	for i, w := range strings.Fields(s) {
		if i >= 3 {
			return false
		}
		if strings.HasSuffix(w, ",") {
			return true
		}
	}
	return false
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// capWords cuts s to at most max words, at a clause boundary when one
// keeps at least two thirds of the budget.
func capWords(s string, max int) string { return capWordsAt(s, max, max*2/3) }

// opensAside reports whether words end inside an aside opened by the
// comma before: "Domenico Rancadore, who has lived in Britain," would cut
// off the verb of the sentence.
func opensAside(words []string) bool {
	for j := len(words) - 2; j >= 0; j-- {
		if strings.HasSuffix(words[j], ",") {
			switch strings.ToLower(words[j+1]) {
			case "who", "which", "whose", "where", "a", "an", "the", "aged", "now", "then", "also", "both":
				return true
			}
			r, _ := utf8.DecodeRuneInString(words[j+1])
			return unicode.IsDigit(r)
		}
	}
	// the first comma of the sentence: a subject with an appositive
	// ("Klopp, 47,") leaves no verb behind.
	return len(words) < 4
}

// danglers are words a cut must not end on.
var danglers = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "in": true, "on": true, "at": true, "for": true,
	"and": true, "or": true, "but": true, "with": true, "by": true, "from": true, "as": true, "that": true,
	"which": true, "who": true, "his": true, "her": true, "their": true, "its": true, "is": true, "was": true,
	"were": true, "are": true, "be": true, "had": true, "has": true, "have": true, "into": true, "after": true,
	"before": true, "than": true, "said": true, "says": true, "when": true, "while": true, "if": true, "about": true,
	"this": true, "these": true, "those": true, "my": true, "our": true, "your": true, "not": true, "--": true,
	"-": true, "–": true, "—": true, "because": true, "where": true, "over": true, "up": true, "so": true,
}

// clauseBoundary reports whether a cut after words[:i] falls at the end of
// a clause: after a semicolon, a colon or a comma that opens no aside, or
// before a dash.
func clauseBoundary(words []string, i int) bool {
	w := words[i-1]
	if strings.HasSuffix(w, ";") || strings.HasSuffix(w, ":") ||
		(strings.HasSuffix(w, ",") && !opensAside(words[:i])) {
		return true
	}
	return i < len(words) && (words[i] == "--" || words[i] == "–" || words[i] == "—")
}

// insideQuote reports for each i in 0..len(words) whether a cut after
// words[:i] falls inside a quotation.
func insideQuote(words []string) []bool {
	out := make([]bool, len(words)+1)
	joined := strings.Join(words, " ")
	marks := quoteMarks(joined)
	depth, m, off := 0, 0, 0
	for i, w := range words {
		off += len(w)
		for m < len(marks) && marks[m].pos < off {
			if marks[m].open {
				depth++
			} else if depth > 0 {
				depth--
			}
			m++
		}
		out[i+1] = depth > 0
		off++ // the space
	}
	return out
}

// capWordsAt cuts s to at most max words. It prefers the last clause
// boundary (a comma, semicolon, colon or dash) that keeps at least min
// words; otherwise it cuts at max and drops dangling function words.
func capWordsAt(s string, max, min int) string {
	words := strings.Fields(s)
	if len(words) <= max {
		return s
	}
	// A boundary outside quotation marks is taken before one inside a
	// quotation, which would leave a quotation cut short.
	inside := insideQuote(words)
	cut := -1
	for pass := 0; pass < 2 && cut < 0; pass++ {
		for i := max; i >= min && i > 0; i-- {
			if pass == 0 && inside[i] {
				continue
			}
			if clauseBoundary(words, i) {
				cut = i
				break
			}
		}
	}
	if cut < 0 {
		cut = max
	}
	words = words[:cut]
	for len(words) > 1 && danglers[strings.ToLower(strings.Trim(words[len(words)-1], ",;:\"“”'’"))] {
		words = words[:len(words)-1]
	}
	return balanceQuotes(strings.TrimRight(strings.Join(words, " "), ",;:–—- "))
}
