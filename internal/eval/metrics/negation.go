package metrics

import (
	"strings"
	"unicode"

	"github.com/summarize-dev/summarize/internal/eval/rouge"
)

// This file checks that a bullet copied from an article sentence keeps its
// polarity: "the company did not cut jobs" must not become "the company cut
// jobs", nor the other way round.

// isNegation reports whether a ROUGE token negates: "not", the "t" of
// "n't", "never", "nothing", "nobody", "neither", "nor". ("no" is left
// out: "world No 1".)
func isNegation(t string) bool {
	switch t {
	case "not", "t", "never", "noth", "nothing", "nobodi", "neither", "nor":
		return true
	}
	return false
}

// negationMismatch returns the span of bullet b that changes the polarity
// of its best sentence, or "". It looks only at bullets mostly made of
// that sentence's words (best share at least one half). A negation the
// sentence lacks is named as written ("never"); a negation the bullet drops
// is named by the bullet's word that the sentence negates ("cut" for "did
// not cut").
func negationMismatch(tk rouge.DefaultTokenizer, b, sentence string, s bulletSupport) string {
	if s.best < 0.5 {
		return ""
	}
	bt, st := tk.Tokenize(b), tk.Tokenize(sentence)
	nb, ns := countNegations(bt), countNegations(st)
	switch {
	case nb > ns:
		for _, w := range strings.Fields(b) {
			t := strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }))
			if t == "not" || t == "never" || t == "nothing" || t == "nobody" || t == "neither" || t == "nor" ||
				strings.HasSuffix(t, "n't") || strings.HasSuffix(t, "n’t") {
				return strings.Trim(w, `.,;:!?"“”()`)
			}
		}
	case nb < ns:
		inBullet := map[string]bool{}
		for _, t := range bt {
			inBullet[t] = true
		}
		for i, t := range st {
			if !isNegation(t) || inBullet[t] {
				continue
			}
			for _, u := range st[i+1 : min(len(st), i+4)] {
				if isStopword(u) || isNegation(u) {
					continue
				}
				if inBullet[u] {
					return bulletWord(tk, b, u)
				}
				break
			}
		}
	}
	return ""
}

func countNegations(ts []string) int {
	n := 0
	for _, t := range ts {
		if isNegation(t) {
			n++
		}
	}
	return n
}

// bulletWord returns the word of b whose token is t.
func bulletWord(tk rouge.DefaultTokenizer, b, t string) string {
	for _, w := range strings.Fields(b) {
		for _, u := range tk.Tokenize(w) {
			if u == t {
				return strings.Trim(w, `.,;:!?"“”()'`)
			}
		}
	}
	return t
}
