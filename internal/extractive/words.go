package extractive

import (
	"strings"
	"unicode"
)

// terms returns the content terms of s for similarity: lower-cased words of
// letters and digits, stop words dropped, lightly stemmed.
func terms(s string) []string {
	out := make([]string, 0, 16)
	lower := strings.ToLower(s)
	start := -1
	for i, r := range lower {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = appendTerm(out, lower[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = appendTerm(out, lower[start:])
	}
	return out
}

func appendTerm(out []string, w string) []string {
	if len(w) < 2 || stopWords[w] {
		return out
	}
	return append(out, stem(w))
}

// stem strips the commonest English inflections; it only needs to make
// "police"/"policeman" differ and "attack"/"attacked"/"attacks" agree.
func stem(w string) string {
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 5 && strings.HasSuffix(w, "ing"):
		return w[:len(w)-3]
	case len(w) > 4 && strings.HasSuffix(w, "ed"):
		return w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		return w[:len(w)-1]
	}
	return w
}

// wordCount counts whitespace-separated words without allocating.
func wordCount(s string) int {
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

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all also am an and any are as at be
	because been before being below between both but by can could did do does doing down during each few for
	from further had has have having he her here hers herself him himself his how i if in into is it its itself
	just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same
	she should so some such than that the their theirs them themselves then there these they this those through
	to too under until up very was we were what when where which while who whom why will with would you your
	yours yourself yourselves said says say told mr mrs ms s t don re ve ll d m one two new like get got also
	would could may might must shall us him year years last first`) {
		m[w] = true
	}
	return m
}()
