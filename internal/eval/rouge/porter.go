package rouge

// This file ports NLTK 3.8's PorterStemmer in its default NLTK_EXTENSIONS
// mode (nltk/stem/porter.py). Each step mirrors the Python method of the
// same name; the rule lists keep NLTK's order, because NLTK applies the
// first rule whose suffix matches and stops there even when that rule's
// condition fails.
//
// The stemmer works in place on a byte slice: no step makes a word longer
// than the word it was given, so a stem always fits in its input.

// Stem returns the Porter stem of word as NLTK 3.8's PorterStemmer() gives
// it (mode NLTK_EXTENSIONS). word is expected to be lower-case ASCII, as
// rouge-score's tokenizer produces; other bytes are treated as consonants.
func Stem(word string) string {
	buf := []byte(word)
	return string(stemBytes(buf))
}

// stemBytes stems w in place and returns the stem, a prefix-aliased slice
// of w's backing array (or a constant for the irregular forms).
func stemBytes(w []byte) []byte {
	if p, ok := irregularStem(w); ok {
		return append(w[:0], p...)
	}
	if len(w) <= 2 {
		return w
	}
	w = step1a(w)
	w = step1b(w)
	w = step1c(w)
	w = step2(w)
	w = step3(w)
	w = step4(w)
	w = step5a(w)
	w = step5b(w)
	return w
}

// irregularStem is NLTK's pool of irregular forms.
func irregularStem(w []byte) (string, bool) {
	switch string(w) {
	case "sky", "skies":
		return "sky", true
	case "dying":
		return "die", true
	case "lying":
		return "lie", true
	case "tying":
		return "tie", true
	case "news":
		return "news", true
	case "innings", "inning":
		return "inning", true
	case "outings", "outing":
		return "outing", true
	case "cannings", "canning":
		return "canning", true
	case "howe":
		return "howe", true
	case "proceed":
		return "proceed", true
	case "exceed":
		return "exceed", true
	case "succeed":
		return "succeed", true
	}
	return "", false
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// isConsonant reports whether w[i] is a consonant: not a vowel, and not a
// 'y' preceded by a consonant (a 'y' at the start is a consonant).
func isConsonant(w []byte, i int) bool {
	neg := false
	for {
		c := w[i]
		if isVowel(c) {
			return neg
		}
		if c != 'y' || i == 0 {
			return !neg
		}
		neg = !neg
		i--
	}
}

// measure is Porter's m: the number of vowel-consonant transitions.
func measure(w []byte) int {
	n := 0
	prevCons := false
	for i, c := range w {
		var cons bool
		switch {
		case isVowel(c):
			cons = false
		case c == 'y' && i > 0:
			cons = !prevCons
		default:
			cons = true
		}
		if i > 0 && !prevCons && cons {
			n++
		}
		prevCons = cons
	}
	return n
}

func containsVowel(w []byte) bool {
	for i := range w {
		if !isConsonant(w, i) {
			return true
		}
	}
	return false
}

// endsDoubleConsonant is condition *d.
func endsDoubleConsonant(w []byte) bool {
	n := len(w)
	return n >= 2 && w[n-1] == w[n-2] && isConsonant(w, n-1)
}

// endsCVC is condition *o with NLTK's extension for two-letter stems.
func endsCVC(w []byte) bool {
	n := len(w)
	if n >= 3 && isConsonant(w, n-3) && !isConsonant(w, n-2) && isConsonant(w, n-1) {
		c := w[n-1]
		if c != 'w' && c != 'x' && c != 'y' {
			return true
		}
	}
	return n == 2 && !isConsonant(w, 0) && isConsonant(w, 1)
}

func hasSuffix(w []byte, s string) bool {
	return len(w) >= len(s) && string(w[len(w)-len(s):]) == s
}

// condition says when a rule may fire, given the stem left after removing
// the rule's suffix (and, for condLogi, the whole word).
type condition uint8

const (
	condNone condition = iota
	condM0             // m(stem) > 0
	condM1             // m(stem) > 1
	condIon            // m(stem) > 1 and stem ends in s or t
	condLogi           // m(word[:-3]) > 0
)

type rule struct {
	suffix, repl string
	cond         condition
}

func (c condition) holds(stem, word []byte) bool {
	switch c {
	case condM0:
		return measure(stem) > 0
	case condM1:
		return measure(stem) > 1
	case condIon:
		if measure(stem) <= 1 {
			return false
		}
		last := stem[len(stem)-1]
		return last == 's' || last == 't'
	case condLogi:
		return measure(word[:len(word)-3]) > 0
	}
	return true
}

// applyRules is NLTK's _apply_rule_list without the "*d" rule, which the
// one caller that needs it handles itself.
func applyRules(w []byte, rules []rule) []byte {
	for _, r := range rules {
		if !hasSuffix(w, r.suffix) {
			continue
		}
		stem := w[:len(w)-len(r.suffix)]
		if r.cond.holds(stem, w) {
			return append(stem, r.repl...)
		}
		return w
	}
	return w
}

var step1aRules = []rule{
	{"sses", "ss", condNone},
	{"ies", "i", condNone},
	{"ss", "ss", condNone},
	{"s", "", condNone},
}

func step1a(w []byte) []byte {
	if len(w) == 4 && hasSuffix(w, "ies") {
		return append(w[:1], "ie"...)
	}
	return applyRules(w, step1aRules)
}

func step1b(w []byte) []byte {
	if hasSuffix(w, "ied") {
		if len(w) == 4 {
			return append(w[:1], "ie"...)
		}
		return append(w[:len(w)-3], 'i')
	}
	if hasSuffix(w, "eed") {
		stem := w[:len(w)-3]
		if measure(stem) > 0 {
			return append(stem, "ee"...)
		}
		return w
	}
	var stem []byte
	switch {
	case hasSuffix(w, "ed") && containsVowel(w[:len(w)-2]):
		stem = w[:len(w)-2]
	case hasSuffix(w, "ing") && containsVowel(w[:len(w)-3]):
		stem = w[:len(w)-3]
	default:
		return w
	}
	switch {
	case hasSuffix(stem, "at"), hasSuffix(stem, "bl"), hasSuffix(stem, "iz"):
		return append(stem, 'e')
	case endsDoubleConsonant(stem):
		if c := stem[len(stem)-1]; c != 'l' && c != 's' && c != 'z' {
			return stem[:len(stem)-1]
		}
		return stem
	case measure(stem) == 1 && endsCVC(stem):
		return append(stem, 'e')
	}
	return stem
}

func step1c(w []byte) []byte {
	n := len(w)
	if n > 0 && w[n-1] == 'y' && n-1 > 1 && isConsonant(w, n-2) {
		w[n-1] = 'i'
	}
	return w
}

var step2Rules = []rule{
	{"ational", "ate", condM0},
	{"tional", "tion", condM0},
	{"enci", "ence", condM0},
	{"anci", "ance", condM0},
	{"izer", "ize", condM0},
	{"bli", "ble", condM0},
	{"alli", "al", condM0},
	{"entli", "ent", condM0},
	{"eli", "e", condM0},
	{"ousli", "ous", condM0},
	{"ization", "ize", condM0},
	{"ation", "ate", condM0},
	{"ator", "ate", condM0},
	{"alism", "al", condM0},
	{"iveness", "ive", condM0},
	{"fulness", "ful", condM0},
	{"ousness", "ous", condM0},
	{"aliti", "al", condM0},
	{"iviti", "ive", condM0},
	{"biliti", "ble", condM0},
	{"fulli", "ful", condM0},
	{"logi", "log", condLogi},
}

func step2(w []byte) []byte {
	// NLTK applies ALLI -> AL first and, when it fires, runs step 2 again.
	for hasSuffix(w, "alli") && measure(w[:len(w)-4]) > 0 {
		w = w[:len(w)-2]
	}
	return applyRules(w, step2Rules)
}

var step3Rules = []rule{
	{"icate", "ic", condM0},
	{"ative", "", condM0},
	{"alize", "al", condM0},
	{"iciti", "ic", condM0},
	{"ical", "ic", condM0},
	{"ful", "", condM0},
	{"ness", "", condM0},
}

func step3(w []byte) []byte { return applyRules(w, step3Rules) }

var step4Rules = []rule{
	{"al", "", condM1},
	{"ance", "", condM1},
	{"ence", "", condM1},
	{"er", "", condM1},
	{"ic", "", condM1},
	{"able", "", condM1},
	{"ible", "", condM1},
	{"ant", "", condM1},
	{"ement", "", condM1},
	{"ment", "", condM1},
	{"ent", "", condM1},
	{"ion", "", condIon},
	{"ou", "", condM1},
	{"ism", "", condM1},
	{"ate", "", condM1},
	{"iti", "", condM1},
	{"ous", "", condM1},
	{"ive", "", condM1},
	{"ize", "", condM1},
}

func step4(w []byte) []byte { return applyRules(w, step4Rules) }

func step5a(w []byte) []byte {
	if !hasSuffix(w, "e") {
		return w
	}
	stem := w[:len(w)-1]
	m := measure(stem)
	if m > 1 || (m == 1 && !endsCVC(stem)) {
		return stem
	}
	return w
}

func step5b(w []byte) []byte {
	if hasSuffix(w, "ll") && measure(w[:len(w)-1]) > 1 {
		return w[:len(w)-1]
	}
	return w
}
