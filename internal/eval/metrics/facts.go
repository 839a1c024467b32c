package metrics

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file extracts the checkable facts of a text: numbers (digits with
// separators, decimals, percentages, currency, scale words and suffixes,
// spelled-out and ordinal numbers), month and weekday names, and names
// (capitalised words and spans).

// fact is one checkable span of a bullet.
type fact struct {
	kind  string // "number", "date" or "name"
	text  string // as written in the bullet
	value string // normalised: a number key, a month or weekday, or lower-case words
	// initial marks a name at a sentence start ("Suspects John Doe"),
	// whose first word may be an ordinary word.
	initial bool
}

var (
	// digitNumber: "$19", "20,000", "1.5", "5%", "19 million", "£16million",
	// "19m", "1.5bn", "3rd".
	digitNumber = regexp.MustCompile(`(?i)^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(%|percent\b|per cent\b)|\s*(thousand|million|billion|trillion)\b|(k|m|mn|bn|tn)\b|(st|nd|rd|th)\b)?`)
)

var (
	unitWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"}
	tensWords    = []string{"thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	ordinalWords = []string{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
		"eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"}
	scaleValues = map[string]float64{"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
		"billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12}
	months = []string{"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december"}
	weekdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)

// wordValue returns the value of a spelled-out number or ordinal.
func wordValue(w string) (float64, bool) {
	w = strings.ToLower(w)
	for i, u := range unitWords {
		if w == u {
			return float64(i), true
		}
	}
	for i, o := range ordinalWords {
		if w == o {
			return float64(i + 1), true
		}
	}
	for i, t := range tensWords {
		if w == t {
			return float64(30 + 10*i), true
		}
	}
	if w == "dozen" {
		return 12, true
	}
	return 0, false
}

// numberKey renders a value so that equal numbers written differently
// ("19m", "19 million", "19,000,000") get the same key.
func numberKey(v float64) string { return strconv.FormatFloat(v, 'g', 12, 64) }

// numberMention is one number found in a text.
type numberMention struct {
	text   string
	value  float64 // with the scale applied
	raw    float64 // without it
	scaled bool
}

// findNumbers returns the numbers in s, in order of appearance.
func findNumbers(s string) []numberMention {
	var out []numberMention
	if !strings.ContainsAny(s, "0123456789") {
		return findWordNumbers(s)
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) || i > 0 && (isDigit(s[i-1]) || isASCIILetter(s[i-1]) || s[i-1] == '_') {
			continue
		}
		// The pattern is anchored and run on a short window: scanning the
		// whole text with an unanchored pattern was the slowest part.
		window := s[i:min(len(s), i+48)]
		m := digitNumber.FindStringSubmatchIndex(window)
		if m == nil {
			continue
		}
		intPart := strings.ReplaceAll(window[m[2]:m[3]], ",", "")
		num := intPart
		if m[4] >= 0 {
			num += "." + window[m[4]:m[5]]
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			continue
		}
		start := i
		if r, size := utf8.DecodeLastRuneInString(s[:i]); strings.ContainsRune("$£€", r) {
			start -= size
		}
		n := numberMention{text: strings.TrimSpace(s[start : i+m[1]]), value: v, raw: v}
		for _, g := range []int{8, 10} { // scale word, scale suffix
			if m[g] >= 0 {
				n.value *= scaleValues[strings.ToLower(window[m[g]:m[g+1]])]
				n.scaled = true
			}
		}
		out = append(out, n)
		i += m[1] - 1
	}
	return append(out, findWordNumbers(s)...)
}

// findWordNumbers returns the spelled-out numbers of s: "two",
// "twenty-five", "a dozen", "third", "two million". (A scan of letter runs;
// a regular expression with every number word was ten times slower.)
func findWordNumbers(s string) []numberMention {
	type run struct{ start, end int }
	var runs []run
	for i := 0; i < len(s); {
		if !isASCIILetter(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isASCIILetter(s[j]) {
			j++
		}
		runs = append(runs, run{i, j})
		i = j
	}
	var out []numberMention
	for k := 0; k < len(runs); k++ {
		r := runs[k]
		v, ok := wordValue(s[r.start:r.end])
		if !ok {
			continue
		}
		end := r.end
		if v >= 20 && int(v)%10 == 0 && k+1 < len(runs) && runs[k+1].start == end+1 && s[end] == '-' {
			if u, ok := wordValue(s[runs[k+1].start:runs[k+1].end]); ok && u >= 1 && u <= 9 {
				v += u
				k++
				end = runs[k].end
			}
		}
		n := numberMention{value: v, raw: v}
		if k+1 < len(runs) && strings.TrimSpace(s[end:runs[k+1].start]) == "" {
			if sc, ok := scaleValues[strings.ToLower(s[runs[k+1].start:runs[k+1].end])]; ok && sc >= 1e3 && len(s[runs[k+1].start:runs[k+1].end]) > 2 {
				n.value *= sc
				n.scaled = true
				k++
				end = runs[k].end
			}
		}
		n.text = s[r.start:end]
		out = append(out, n)
	}
	return out
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

func isASCIILetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

// calendarWord returns "month:N" or "day:N" for a month or weekday name or
// a common abbreviation of one ("Jan", "Sept"), or "".
func calendarWord(w string) string {
	w = strings.ToLower(strings.TrimSuffix(w, "."))
	for i, m := range months {
		if w == m || len(w) >= 3 && len(w) <= 4 && strings.HasPrefix(m, w) && w != "mar" && w != "may" {
			return "month:" + strconv.Itoa(i+1)
		}
	}
	if w == "mar" {
		return "month:3"
	}
	for i, d := range weekdays {
		if w == d {
			return "day:" + strconv.Itoa(i+1)
		}
	}
	return ""
}

// nameJoiners may sit inside a name: "Bank of England", "Ursula von der Leyen".
var nameJoiners = map[string]bool{"of": true, "de": true, "des": true, "du": true, "der": true, "van": true, "von": true,
	"la": true, "le": true, "del": true, "da": true, "di": true, "dos": true, "bin": true, "ibn": true, "al": true, "el": true}

// leadingFunctionWords are dropped from the start of a capitalised span at a
// sentence start: "The Hague" is checked as "Hague", "In Paris" as "Paris".
var leadingFunctionWords = map[string]bool{
	"the": true, "a": true, "an": true, "in": true, "on": true, "at": true, "for": true, "but": true, "and": true,
	"as": true, "after": true, "before": true, "when": true, "while": true, "with": true, "from": true, "by": true,
	"to": true, "of": true, "over": true, "his": true, "her": true, "their": true, "its": true, "this": true,
	"that": true, "these": true, "those": true, "if": true, "i": true, "it": true, "he": true, "she": true,
	"we": true, "they": true, "some": true, "many": true, "most": true, "former": true, "ex": true,
}

// word is a whitespace-separated token of a bullet, trimmed of punctuation.
type word struct {
	text      string // punctuation trimmed, possessive removed
	sentStart bool   // first word of a sentence
	endsSent  bool   // followed by the end of a sentence or clause (".", "!", "?", ":", ";")
	breaks    bool   // followed by punctuation that ends a name: "," ")" "—" or endsSent
	opens     bool   // preceded by punctuation that starts a new phrase: "(" or a quote
}

// splitWords returns the words of s with sentence-start flags.
func splitWords(s string) []word {
	var out []word
	start := true
	for _, f := range strings.Fields(s) {
		t := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		possessive := false
		for _, suf := range []string{"'s", "’s", "'", "’"} {
			if u, ok := strings.CutSuffix(t, suf); ok {
				t, possessive = u, true
			}
		}
		tail := strings.TrimRight(f, `"'”’)]`)
		ends := strings.HasSuffix(tail, ".") && !isAbbrev(t) || strings.HasSuffix(tail, "!") || strings.HasSuffix(tail, "?") ||
			strings.HasSuffix(tail, ":") || strings.HasSuffix(tail, ";")
		last, _ := utf8.DecodeLastRuneInString(f)
		breaks := ends || possessive || !unicode.IsLetter(last) && !unicode.IsDigit(last) && !(last == '.' && isAbbrev(t))
		if t != "" {
			first, _ := utf8.DecodeRuneInString(f)
			opens := !unicode.IsLetter(first) && !unicode.IsDigit(first)
			out = append(out, word{text: t, sentStart: start, endsSent: ends, breaks: breaks, opens: opens})
			start = false
		}
		if ends {
			start = true
		}
	}
	return out
}

// isAbbrev reports whether a word followed by "." is an abbreviation
// rather than the end of a sentence: "U.S.", "Mr.", "Jan.".
func isAbbrev(t string) bool {
	if strings.Contains(t, ".") {
		return true
	}
	switch strings.ToLower(t) {
	case "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "jr", "sr", "prof", "no", "vs":
		return true
	}
	return calendarWord(t) != "" && len(t) <= 4
}

// isCapitalised reports whether w starts with an upper-case letter.
func isCapitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// isAcronym reports whether w is two or more upper-case letters (dots
// allowed): "NATO", "U.S.".
func isAcronym(w string) bool {
	n := 0
	for _, r := range w {
		switch {
		case unicode.IsUpper(r):
			n++
		case r == '.':
		default:
			return false
		}
	}
	return n >= 2
}

// findNames returns the capitalised spans of s that look like names: runs
// of capitalised words, joined by "of", "de", "von" and the like. A single
// capitalised word at a sentence start is skipped (it is capitalised for
// grammar) unless it is an acronym; a longer span at a sentence start loses
// leading function words ("The", "In", "After" ...). Calendar words and
// numbers are left to the other checks.
func findNames(s string) []name {
	ws := splitWords(s)
	var out []name
	for i := 0; i < len(ws); {
		if !isNameWord(ws[i].text) {
			i++
			continue
		}
		j := i + 1
		for j < len(ws) && !ws[j-1].breaks && !ws[j].opens {
			if isNameWord(ws[j].text) {
				j++
				continue
			}
			if nameJoiners[ws[j].text] && j+1 < len(ws) && isNameWord(ws[j+1].text) && !ws[j].breaks && !ws[j+1].opens {
				j += 2
				continue
			}
			break
		}
		span := ws[i:j]
		if span[0].sentStart {
			for len(span) > 0 && leadingFunctionWords[strings.ToLower(span[0].text)] {
				span = span[1:]
			}
			if len(span) == 1 && ws[i].text == span[0].text && !isAcronym(span[0].text) {
				span = nil // a lone sentence-initial word
			}
		}
		if len(span) > 0 {
			texts := make([]string, len(span))
			for k, w := range span {
				texts[k] = w.text
			}
			out = append(out, name{text: strings.Join(texts, " "), initial: span[0].sentStart})
		}
		i = j
	}
	return out
}

// name is a capitalised span; initial tells whether it starts a sentence,
// so that its first word may be capitalised for grammar only.
type name struct {
	text    string
	initial bool
}

// isNameWord reports whether w can be part of a name.
func isNameWord(w string) bool {
	return isCapitalised(w) && w != "I" && w != "UNK" && calendarWord(w) == "" && strings.IndexFunc(w, unicode.IsLetter) >= 0
}
