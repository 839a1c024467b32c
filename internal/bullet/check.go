package bullet

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Rules is the bullet contract. A zero field means no limit.
type Rules struct {
	MinBullets int `json:"min_bullets,omitempty" yaml:"min_bullets,omitempty"`
	MaxBullets int `json:"max_bullets,omitempty" yaml:"max_bullets,omitempty"`
	MinWords   int `json:"min_words,omitempty" yaml:"min_words,omitempty"` // per bullet
	MaxWords   int `json:"max_words,omitempty" yaml:"max_words,omitempty"` // per bullet
}

// Rule names reported in Violation.Rule.
const (
	RuleCount     = "count"
	RuleWords     = "words"
	RuleDuplicate = "duplicate"
	RuleLeftover  = "leftover"
	RuleEmpty     = "empty"
)

// NearDuplicate is the token Jaccard similarity at or above which two
// bullets count as repeating each other.
const NearDuplicate = 0.8

// Violation is one broken rule of the contract.
type Violation struct {
	Rule   string `json:"rule"`
	Bullet int    `json:"bullet"` // 0-based index of the bullet, or -1 for the whole reply
	Detail string `json:"detail"` // what is wrong, phrased to follow "bullet N "
}

// String renders the violation for people, numbering bullets from 1:
// "bullet 2 has 31 words (max 20)", "5 bullets (want 3–4)".
func (v Violation) String() string {
	if v.Bullet < 0 {
		return v.Detail
	}
	return fmt.Sprintf("bullet %d %s", v.Bullet+1, v.Detail)
}

// leftoverInBullet finds chatter that leaked into a bullet itself.
var (
	leftoverStart = regexp.MustCompile(`(?i)^(?:sure|certainly|of course|okay|here(?:'s| is| are))\b[^a-z]*`)
	leftoverAny   = regexp.MustCompile(`(?i)</?think(?:ing)?>|\*\*|` + "```" + `|<\|[a-z_]+\|>|\bas an ai\b|\blet me know\b|\bi hope this\b`)
)

// findLeftoverAny is leftoverAny.FindString(b), run only when b could
// match: it has one of "<", "*", "`", or one of the phrases, or one of the
// two runes that (?i) folds onto an ASCII letter, ſ (s) and K (k). Other
// non-ASCII text, such as a news bullet's curly quotes, cannot match.
func findLeftoverAny(b string) string {
	if strings.ContainsAny(b, "<*`\u017f\u212a") {
		return leftoverAny.FindString(b)
	}
	lower := strings.ToLower(b)
	if strings.Contains(lower, "as an ai") || strings.Contains(lower, "let me know") || strings.Contains(lower, "i hope this") {
		return leftoverAny.FindString(b)
	}
	return ""
}

// Check returns the ways bullets and leftovers (from Parse) break r, in a
// stable order: count, then each bullet in turn (empty, words, duplicate,
// leftover), then text outside the bullets. No bullets at all is always a
// violation (RuleEmpty). Duplicates are bullets equal after folding case and
// punctuation, or sharing at least NearDuplicate of their word types
// (Jaccard); the later bullet is reported.
func Check(bullets []string, leftovers []string, r Rules) []Violation {
	var vs []Violation
	n := len(bullets)
	switch {
	case n == 0:
		vs = append(vs, Violation{RuleEmpty, -1, "no bullets"})
	case n < r.MinBullets || r.MaxBullets > 0 && n > r.MaxBullets:
		vs = append(vs, Violation{RuleCount, -1, fmt.Sprintf("%s (want %s)", plural(n, "bullet"), span(r.MinBullets, r.MaxBullets))})
	}
	tokens, sets := make([][]string, n), make([][]string, n)
	for i, b := range bullets {
		tokens[i] = wordTokens(b)
		sets[i] = wordSet(tokens[i])
		w := Words(b)
		switch {
		case w == 0:
			vs = append(vs, Violation{RuleEmpty, i, "is empty"})
			continue
		case r.MaxWords > 0 && w > r.MaxWords:
			vs = append(vs, Violation{RuleWords, i, fmt.Sprintf("has %s (max %d)", plural(w, "word"), r.MaxWords)})
		case w < r.MinWords:
			vs = append(vs, Violation{RuleWords, i, fmt.Sprintf("has %s (min %d)", plural(w, "word"), r.MinWords)})
		}
		if v, ok := duplicate(tokens, sets, i); ok {
			vs = append(vs, v)
		}
		if m := leftoverStart.FindString(b); m != "" {
			vs = append(vs, Violation{RuleLeftover, i, fmt.Sprintf("starts with chatter %q", strings.TrimSpace(m))})
		} else if m := findLeftoverAny(b); m != "" {
			vs = append(vs, Violation{RuleLeftover, i, fmt.Sprintf("contains %q", m)})
		}
	}
	for _, l := range leftovers {
		if strings.TrimSpace(l) != "" {
			vs = append(vs, Violation{RuleLeftover, -1, fmt.Sprintf("reply has text outside the bullets: %q", excerpt(l, 48))})
		}
	}
	return vs
}

// duplicate reports whether bullet i repeats an earlier one.
// sets[i] is tokens[i] sorted, without repeats.
func duplicate(tokens, sets [][]string, i int) (Violation, bool) {
	for j := range i {
		if len(tokens[i]) == 0 || len(tokens[j]) == 0 {
			continue
		}
		if slices.Equal(tokens[i], tokens[j]) { // tokens hold no spaces: the joined bullets are equal

			return Violation{RuleDuplicate, i, fmt.Sprintf("repeats bullet %d", j+1)}, true
		}
		if s := jaccard(sets[i], sets[j]); s >= NearDuplicate {
			return Violation{RuleDuplicate, i, fmt.Sprintf("nearly repeats bullet %d (%.0f%% of words shared)", j+1, 100*s)}, true
		}
	}
	return Violation{}, false
}

// wordTokens lower-cases s and splits it into runs of letters and digits.
func wordTokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isAlnum(r) })
}

// jaccard is |A∩B| / |A∪B| over word sets a and b, each sorted and
// without repeats (wordSet).
func jaccard(a, b []string) float64 {
	both, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch c := strings.Compare(a[i], b[j]); {
		case c == 0:
			both++
			i++
			j++
		case c < 0:
			i++
		default:
			j++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// wordSet is tokens sorted, without repeats (a new slice).
func wordSet(tokens []string) []string {
	set := slices.Clone(tokens)
	slices.Sort(set)
	return slices.Compact(set)
}

// span renders a count range: "3–4", "3", "at least 3", "at most 4".
func span(lo, hi int) string {
	switch {
	case hi <= 0:
		return fmt.Sprintf("at least %d", lo)
	case lo <= 0:
		return fmt.Sprintf("at most %d", hi)
	case lo == hi:
		return fmt.Sprint(lo)
	default:
		return fmt.Sprintf("%d–%d", lo, hi)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// excerpt shortens s to about n runes on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
