package clean

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lineRx is a regexp anchored at the start of the text with a quick
// test in front: the lowercased first bytes every match must start with,
// worked out from the regexp itself. Most lines of an article start with
// none of them, and the regexp never runs on those.
type lineRx struct {
	*regexp.Regexp
	starts map[string]bool // lowercased ASCII prefixes; nil: no quick test
	lens   []int           // the lengths of the prefixes, ascending
	first  [4]uint64       // the first bytes of the prefixes, a bit each
	keys   map[uint32]bool // starts, each as prefixKey
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
	set, ok := anchoredPrefixes(re)
	if !ok {
		return r
	}
	seen := map[int]bool{}
	r.starts, r.keys = map[string]bool{}, map[uint32]bool{}
	for _, p := range set {
		if p.s == "" {
			// Some match may start with anything.
			r.starts, r.keys = nil, nil
			return r
		}
		r.starts[p.s] = true
		r.keys[prefixKey([]byte(p.s))] = true
		r.first[p.s[0]/64] |= 1 << (p.s[0] % 64)
		if !seen[len(p.s)] {
			seen[len(p.s)] = true
			r.lens = append(r.lens, len(p.s))
		}
	}
	for i := 1; i < len(r.lens); i++ {
		for j := i; j > 0 && r.lens[j] < r.lens[j-1]; j-- {
			r.lens[j], r.lens[j-1] = r.lens[j-1], r.lens[j]
		}
	}
	return r
}

// MatchString reports whether s matches, trying the regexp only when s
// starts with one of its prefixes (or with a byte that is not ASCII,
// which the test does not fold).
func (r *lineRx) MatchString(s string) bool {
	if r.starts != nil && !noQuickTest && !r.mayMatch(s) {
		return false
	}
	return r.Regexp.MatchString(s)
}

func (r *lineRx) mayMatch(s string) bool {
	var buf [prefixLen]byte
	n := 0
	for n < len(s) && n < prefixLen {
		c := s[n]
		if c >= utf8.RuneSelf {
			return true
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if n == 0 && r.first[c/64]&(1<<(c%64)) == 0 {
			// Most lines are turned down at their first byte.
			return false
		}
		buf[n] = c
		n++
	}
	for _, l := range r.lens {
		if l > n {
			break
		}
		if r.keys[prefixKey(buf[:l])] {
			return true
		}
	}
	return false
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
