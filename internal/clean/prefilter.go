package clean

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lineRx is a regexp anchored at the start or the end of the text with
// a quick test in front: the lowercased first (or last) bytes every match
// must start (or end) with, worked out from the regexp itself. Most lines
// of an article start and end with none of them, and the regexp never
// runs on those. A regexp whose alternatives are anchored some at the
// start and some at the end gets both tests; a line passes when it passes
// either.
type lineRx struct {
	*regexp.Regexp
	starts *affixSet // prefixes of the start-anchored matches; nil: no quick test
	ends   *affixSet // suffixes (reversed) of the end-anchored matches

	// Lines longer than longAt bytes are tested against longStarts, the
	// prefixes of the alternatives without a longest match (longTest);
	// longAt is 0 when there is no such test.
	longAt     int
	longStarts *affixSet
}

// affixSet is a set of lowercased ASCII prefixes (or reversed suffixes)
// of at most prefixLen bytes.
type affixSet struct {
	lens  []int           // the lengths of the prefixes, ascending
	first [4]uint64       // the first bytes of the prefixes, a bit each
	keys  map[uint32]bool // the prefixes, each as prefixKey
}

// prefixKey packs a prefix of at most prefixLen bytes and its length into
// a map key that is quicker to look up than a string.
func prefixKey(p []byte) uint32 {
	k := uint32(len(p)) << 24
	for i, c := range p {
		k |= uint32(c) << (16 - 8*i)
	}
	return k
}

// newAffixSet returns the set of ps, or nil when one of them is empty
// (some match may start with anything).
func newAffixSet(ps []prefix) *affixSet {
	a := &affixSet{keys: map[uint32]bool{}}
	seen := map[int]bool{}
	for _, p := range ps {
		if p.s == "" {
			return nil
		}
		a.keys[prefixKey([]byte(p.s))] = true
		a.first[p.s[0]/64] |= 1 << (p.s[0] % 64)
		if !seen[len(p.s)] {
			seen[len(p.s)] = true
			a.lens = append(a.lens, len(p.s))
		}
	}
	slices.Sort(a.lens)
	return a
}

// has reports whether some prefix of buf (lowercased bytes, at most
// prefixLen) is in the set.
func (a *affixSet) has(buf []byte) bool {
	if len(buf) == 0 || a.first[buf[0]/64]&(1<<(buf[0]%64)) == 0 {
		// Most lines are turned down at their first byte.
		return false
	}
	for _, l := range a.lens {
		if l > len(buf) {
			break
		}
		if a.keys[prefixKey(buf[:l])] {
			return true
		}
	}
	return false
}

// noQuickTest switches the quick test off, for tests that compare.
var noQuickTest bool

// prefixLen is how many bytes the quick test looks at.
const prefixLen = 3

// maxPrefixes bounds the prefixes worked out for one regexp; a regexp
// that needs more gets no quick test.
const maxPrefixes = 512

// newLineRx compiles expr and works out its quick test.
func newLineRx(expr string) *lineRx {
	r := &lineRx{Regexp: regexp.MustCompile(expr)}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return r
	}
	starts, ends, ok := anchoredAffixes(re)
	if !ok {
		return r
	}
	var s, e *affixSet
	if len(starts) > 0 {
		if s = newAffixSet(starts); s == nil {
			return r
		}
	}
	if len(ends) > 0 {
		if e = newAffixSet(ends); e == nil {
			return r
		}
	}
	if s == nil {
		// Only end-anchored matches: no line passes at its start.
		s = &affixSet{}
	}
	r.starts, r.ends = s, e
	if at, ls, _, ok := longTest(re); ok && at > 0 {
		r.longAt, r.longStarts = at, ls
	}
	return r
}

// anchoredAffixes splits the alternatives of re into those anchored at
// the start and those anchored at the end, and returns the prefixes of
// the first and the reversed suffixes of the second; false when some
// alternative is anchored at neither.
func anchoredAffixes(re *syntax.Regexp) (starts, ends []prefix, ok bool) {
	switch re.Op {
	case syntax.OpCapture:
		return anchoredAffixes(re.Sub[0])
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			s, e, ok := anchoredAffixes(sub)
			if !ok {
				return nil, nil, false
			}
			starts, ends = append(starts, s...), append(ends, e...)
		}
		return starts, ends, len(starts) <= maxPrefixes && len(ends) <= maxPrefixes
	}
	// A regexp anchored at both ends is tested at the end when its start
	// may be anything: "^[\p{L} ]{2,80}\b(editor|reporter)$".
	p, atStart := anchoredPrefixes(re)
	if atStart && usable(p) {
		return p, nil, true
	}
	if q, ok := anchoredPrefixes(reversed(re)); ok && usable(q) {
		return nil, q, true
	}
	if atStart {
		return anything, nil, true
	}
	return nil, nil, false
}

// usable reports whether ps rules some text out: none of them is empty.
func usable(ps []prefix) bool {
	if len(ps) == 0 {
		return false
	}
	for _, p := range ps {
		if p.s == "" {
			return false
		}
	}
	return true
}

// reversed returns re matching the reversed texts (rune by rune): its
// concatenations and literals backwards, the start and end of the text
// swapped.
func reversed(re *syntax.Regexp) *syntax.Regexp {
	r := *re
	switch re.Op {
	case syntax.OpBeginText:
		r.Op = syntax.OpEndText
	case syntax.OpEndText:
		r.Op = syntax.OpBeginText
	case syntax.OpBeginLine:
		r.Op = syntax.OpEndLine
	case syntax.OpEndLine:
		r.Op = syntax.OpBeginLine
	case syntax.OpLiteral:
		r.Rune = slices.Clone(re.Rune)
		slices.Reverse(r.Rune)
	}
	if len(re.Sub) > 0 {
		r.Sub = make([]*syntax.Regexp, len(re.Sub))
		for i, sub := range re.Sub {
			r.Sub[i] = reversed(sub)
		}
		if re.Op == syntax.OpConcat {
			slices.Reverse(r.Sub)
		}
	}
	return &r
}

// MatchString reports whether s matches, trying the regexp only when s
// starts with one of its prefixes or ends with one of its suffixes.
func (r *lineRx) MatchString(s string) bool {
	if r.starts != nil && !noQuickTest && !r.mayMatch(s) {
		return false
	}
	return r.Regexp.MatchString(s)
}

// mayMatch is the quick test: false when s cannot match. The first (and
// last) bytes of s are looked up as the prefixes were made (runePrefixes):
// ASCII lowercased, the bytes of other runes as they are, so that a line
// in curly quotes is turned down like any other. A rune that is not ASCII
// matches a rune of the regexp only as itself: the prefixes of a (?i)
// literal hold every rune of its fold orbit, and a class is expanded rune
// by rune (or gives no quick test). Invalid UTF-8 there, which the regexp
// reads as U+FFFD, lets s through.
func (r *lineRx) mayMatch(s string) bool {
	starts, ends := r.starts, r.ends
	if r.longAt > 0 && len(s) > r.longAt {
		starts, ends = r.longStarts, nil
	}
	var buf [prefixLen + utf8.UTFMax]byte
	n := 0
	for i := 0; n < prefixLen && i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			buf[n] = lowerASCII(c)
			n, i = n+1, i+1
			continue
		}
		ru, size := utf8.DecodeRuneInString(s[i:])
		if ru == utf8.RuneError && size == 1 {
			return true
		}
		n += copy(buf[n:], s[i:i+size])
		i += size
	}
	if starts.has(buf[:min(n, prefixLen)]) {
		return true
	}
	if ends == nil {
		return false
	}
	// The suffixes are the prefixes of the reversed regexp: its runes
	// backwards, each rune's bytes in their order.
	n = 0
	for j := len(s); n < prefixLen && j > 0; {
		c := s[j-1]
		if c < utf8.RuneSelf {
			buf[n] = lowerASCII(c)
			n, j = n+1, j-1
			continue
		}
		ru, size := utf8.DecodeLastRuneInString(s[:j])
		if ru == utf8.RuneError && size == 1 {
			return true
		}
		n += copy(buf[n:], s[j-size:j])
		j -= size
	}
	return ends.has(buf[:min(n, prefixLen)])
}

// lowerASCII lowercases an ASCII letter.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// prefix is what a match of a regexp node starts with: s (at most
// prefixLen bytes, lowercased), and whether s is the whole match.
type prefix struct {
	s     string
	whole bool
}

// anchoredPrefixes returns the prefixes of the matches of re when every
// match starts at the beginning of the text, or false.
func anchoredPrefixes(re *syntax.Regexp) ([]prefix, bool) {
	switch re.Op {
	case syntax.OpCapture:
		return anchoredPrefixes(re.Sub[0])
	case syntax.OpAlternate:
		var out []prefix
		for _, sub := range re.Sub {
			p, ok := anchoredPrefixes(sub)
			if !ok {
				return nil, false
			}
			out = append(out, p...)
		}
		return out, len(out) <= maxPrefixes
	case syntax.OpConcat:
		if len(re.Sub) > 0 && re.Sub[0].Op == syntax.OpBeginText {
			return prefixesOf(&syntax.Regexp{Op: syntax.OpConcat, Sub: re.Sub[1:]}), true
		}
		if len(re.Sub) > 0 && (re.Sub[0].Op == syntax.OpCapture || re.Sub[0].Op == syntax.OpAlternate) {
			// ^ inside a group: (^a|^b)c.
			head, ok := anchoredPrefixes(re.Sub[0])
			if !ok {
				return nil, false
			}
			return concatPrefixes(head, prefixesOf(&syntax.Regexp{Op: syntax.OpConcat, Sub: re.Sub[1:]})), true
		}
	}
	return nil, false
}

// anything is the prefix set of a node that may start with anything.
var anything = []prefix{{"", false}}

// prefixesOf returns the prefixes of the matches of re.
func prefixesOf(re *syntax.Regexp) []prefix {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []prefix{{"", true}}
	case syntax.OpLiteral:
		out := []prefix{{"", true}}
		for _, r := range re.Rune {
			var alts []rune
			if re.Flags&syntax.FoldCase != 0 {
				alts = foldOrbit(r)
			} else {
				alts = []rune{r}
			}
			out = concatPrefixes(out, runePrefixes(alts))
			if !anyWhole(out) {
				break
			}
		}
		return out
	case syntax.OpCharClass:
		var alts []rune
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 64 || len(alts) > maxPrefixes {
				return anything
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				alts = append(alts, r)
			}
		}
		return runePrefixes(alts)
	case syntax.OpCapture:
		return prefixesOf(re.Sub[0])
	case syntax.OpConcat:
		out := []prefix{{"", true}}
		for _, sub := range re.Sub {
			if !anyWhole(out) {
				break
			}
			out = concatPrefixes(out, prefixesOf(sub))
		}
		return out
	case syntax.OpAlternate:
		var out []prefix
		for _, sub := range re.Sub {
			out = append(out, prefixesOf(sub)...)
			if len(out) > maxPrefixes {
				return anything
			}
		}
		return out
	case syntax.OpQuest:
		return append([]prefix{{"", true}}, prefixesOf(re.Sub[0])...)
	case syntax.OpStar:
		return append([]prefix{{"", true}}, partial(prefixesOf(re.Sub[0]))...)
	case syntax.OpPlus:
		return partial(prefixesOf(re.Sub[0]))
	case syntax.OpRepeat:
		p := partial(prefixesOf(re.Sub[0]))
		if re.Min == 0 {
			p = append([]prefix{{"", true}}, p...)
		}
		return p
	}
	return anything
}

// partial marks every prefix as possibly followed by more.
func partial(ps []prefix) []prefix {
	out := make([]prefix, len(ps))
	for i, p := range ps {
		out[i] = prefix{p.s, false}
	}
	return out
}

func anyWhole(ps []prefix) bool {
	for _, p := range ps {
		if p.whole && len(p.s) < prefixLen {
			return true
		}
	}
	return false
}

// concatPrefixes returns the prefixes of a match of a followed by one of
// b, cut to prefixLen bytes.
func concatPrefixes(a, b []prefix) []prefix {
	var out []prefix
	seen := map[prefix]bool{}
	add := func(p prefix) {
		if len(p.s) >= prefixLen {
			p = prefix{p.s[:prefixLen], false}
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, x := range a {
		if !x.whole || len(x.s) >= prefixLen {
			add(prefix{x.s, false})
			continue
		}
		for _, y := range b {
			add(prefix{x.s + y.s, y.whole})
		}
	}
	if len(out) > maxPrefixes {
		return anything
	}
	return out
}

// runePrefixes is the prefix set of one of the runes alts: each lowercased
// when it is ASCII. A rune that is not ASCII stays as it is; the quick
// test lets every line that starts with a byte that is not ASCII through.
func runePrefixes(alts []rune) []prefix {
	var out []prefix
	seen := map[string]bool{}
	for _, r := range alts {
		s := strings.ToLower(string(r))
		if r >= utf8.RuneSelf {
			s = string(r)
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, prefix{s, true})
		}
	}
	return out
}

// foldOrbit returns r and every rune that matches it without regard to
// case (K, k and the Kelvin sign).
func foldOrbit(r rune) []rune {
	out := []rune{r}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		out = append(out, f)
	}
	return out
}
