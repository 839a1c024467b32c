package clean

import (
	"math"
	"regexp/syntax"
	"unicode/utf8"
)

// Most rules match a whole short line, "^(menu|sign in|…|skip to.*)$",
// and the prefix of a long line of prose often passes their quick test
// ("All NATO members…" starts like "all news"). A line longer than every
// alternative that has a bounded length can only match one of the others:
// its quick test is the prefixes of those alone (longTest).

// unbounded is the length of a node whose matches have no longest.
const unbounded = math.MaxInt

// maxBytes returns the most bytes of text a match of re can span, or
// unbounded. An invalid byte, which matches as U+FFFD, spans one.
func maxBytes(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			w := utf8.RuneLen(r)
			if re.Flags&syntax.FoldCase != 0 {
				for _, f := range foldOrbit(r) {
					w = max(w, utf8.RuneLen(f))
				}
			}
			n += max(w, 1)
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return max(utf8.RuneLen(re.Rune[len(re.Rune)-1]), 1)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxBytes(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if maxBytes(re.Sub[0]) == 0 {
			return 0
		}
		return unbounded
	case syntax.OpRepeat:
		n := maxBytes(re.Sub[0])
		switch {
		case n == 0:
			return 0
		case n == unbounded || re.Max < 0:
			return unbounded
		}
		return n * re.Max
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			m := maxBytes(sub)
			if m == unbounded {
				return unbounded
			}
			n += m
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, sub := range re.Sub {
			n = max(n, maxBytes(sub))
		}
		return n
	}
	return unbounded
}

// longTest works out the quick test for lines longer than at: re is
// anchored at the start and the end of the text, so a match is the whole
// line; its one alternation's alternatives of bounded length (with what
// is around them) are at most at bytes long, and a longer line can only
// match the others. ok is false when re has no such shape or no such
// alternative. starts is empty when every alternative is bounded: no
// longer line matches.
func longTest(re *syntax.Regexp) (at int, starts, ends *affixSet, ok bool) {
	if re.Op != syntax.OpConcat || len(re.Sub) < 3 || re.Sub[0].Op != syntax.OpBeginText || re.Sub[len(re.Sub)-1].Op != syntax.OpEndText {
		return 0, nil, nil, false
	}
	// The one part that is an alternation (inside groups); the others
	// bounded.
	alt, around := -1, 0
	for i, sub := range re.Sub {
		if alternation(sub) != nil && alt < 0 {
			alt = i
			continue
		}
		m := maxBytes(sub)
		if m == unbounded {
			return 0, nil, nil, false
		}
		around += m
	}
	if alt < 0 {
		return 0, nil, nil, false
	}
	a := alternation(re.Sub[alt])
	var long []*syntax.Regexp
	at = -1
	for _, sub := range a.Sub {
		if m := maxBytes(sub); m == unbounded {
			long = append(long, sub)
		} else {
			at = max(at, m+around)
		}
	}
	if at < 0 {
		return 0, nil, nil, false // no bounded alternative
	}
	if len(long) == 0 {
		return at, &affixSet{}, nil, true
	}
	// re with the long alternatives only.
	pruned := *re
	pruned.Sub = append([]*syntax.Regexp(nil), re.Sub...)
	pruned.Sub[alt] = &syntax.Regexp{Op: syntax.OpAlternate, Flags: a.Flags, Sub: long}
	if len(long) == 1 {
		pruned.Sub[alt] = long[0]
	}
	ps, es, ok := anchoredAffixes(&pruned)
	if !ok || len(es) > 0 {
		return 0, nil, nil, false
	}
	if starts = newAffixSet(ps); starts == nil {
		return 0, nil, nil, false
	}
	return at, starts, nil, true
}

// alternation returns the alternation re is (inside groups), or nil.
func alternation(re *syntax.Regexp) *syntax.Regexp {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op == syntax.OpAlternate {
		return re
	}
	return nil
}
