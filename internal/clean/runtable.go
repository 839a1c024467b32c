package clean

import (
	"strings"
	"unicode"
)

// runRule is one entry of the run table: a rule that looks at the lines a
// pass kept (lines) or at the paragraphs they make (paras), in table
// order, when the named option rules are on.
type runRule struct {
	id    string
	rules []string
	doc   string
	lines func(s *scan, kept []keptLine) []keptLine
	paras func(s *scan, paras []string) []string
}

func (r *runRule) on(rs *ruleSet) bool { return onAll(rs, r.rules) }

// runTable are the rules over runs of kept lines and paragraphs, in the
// order they are applied; the lines are assembled into paragraphs before
// the first paras entry.
var runTable = []runRule{
	{id: "navigation-runs", rules: []string{ruleNavigation},
		doc:   "runs of one-to-three-word lines (menus, tag lists): three or more before the body, four or more after; in HTML only lines that are links",
		lines: dropLinkRuns},
	{id: "text-title",
		doc:   "in copied text, a headline-like first line directly followed by text or by dropped lines: it becomes Article.Title",
		lines: textTitle},
	{id: "subheadings", rules: []string{ruleSubheading},
		doc:   `short title-like lines between body lines ("US Will Be Involved")`,
		lines: dropSubheadings},
	{id: "trailing-headlines", rules: []string{ruleRelated},
		doc:   "headline-like paragraphs ending the article (a list of other articles): in HTML only links, with the list's heading; in copied text not lines that start with a date or number (tour dates, rankings)",
		paras: dropTrailingHeadlines},
}

// dropLinkRuns removes runs of very short lines — menus, tag lists, link
// lists: three or more before the first sentence of the body, four or more
// elsewhere. In HTML a line counts only when the page has it as a link:
// a list of short items that are not links ("Swim proof") is content.
func dropLinkRuns(s *scan, kept []keptLine) []keptLine {
	short := func(t string) bool {
		return wordsUpTo(t, 4) <= 3 && !endsTerminal(t) && bulletText(t) == "" && (!s.fromHTML || s.c.linkish(t))
	}
	out := kept[:0:0]
	bodySeen := false
	for i := 0; i < len(kept); {
		j := i
		for j < len(kept) && short(kept[j].text) {
			j++
		}
		need := 4
		if !bodySeen {
			need = 3
		}
		if j-i >= need {
			if j < len(kept) {
				kept[j].removed = true
			}
			i = j
			continue
		}
		if j == i {
			bodySeen = bodySeen || isProse(kept[i].text)
			out = append(out, kept[i])
			i++
			continue
		}
		out = append(out, kept[i:j]...)
		i = j
	}
	return out
}

// textTitle takes the title of copied text off its first line. A
// headline-like first line directly followed by more text (no blank line)
// or by removed noise, bylines or bullets is the title. One followed by a
// blank line and the body stays in the body: the same shape is a
// standfirst in cleaned text, and cleaning must be idempotent.
func textTitle(s *scan, kept []keptLine) []keptLine {
	if s.fromHTML || s.res.title != "" || len(kept) < 2 {
		return kept
	}
	k := kept[0].text
	if !headlineLike(k) || isProse(k) || bulletText(k) != "" || s.c.p.datelineOf(k) != "" || kept[1].gap && !kept[1].removed {
		return kept
	}
	s.res.title = k
	kept = kept[1:]
	kept[0].gap = true
	return kept
}

// dropSubheadings removes short title-like lines that stand between other
// lines.
func dropSubheadings(_ *scan, kept []keptLine) []keptLine {
	out := kept[:0:0]
	for i, k := range kept {
		if i > 0 && i < len(kept)-1 && wordsUpTo(k.text, 11) <= 10 && headlineLike(k.text) && !endsTerminal(k.text) && !startsLower(kept[i+1].text) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// dropTrailingHeadlines removes stray headlines of a list of other
// articles from the end of the text. In HTML they must be links on the
// page; the heading just above such links goes with them.
func dropTrailingHeadlines(s *scan, paras []string) []string {
	if s.fromHTML {
		n := len(paras)
		for len(paras) > 1 && trailingHeadline(paras[len(paras)-1]) && s.c.linkish(paras[len(paras)-1]) {
			paras = paras[:len(paras)-1]
		}
		if len(paras) < n && len(paras) > 1 && trailingHeadline(paras[len(paras)-1]) && isHeading(paras[len(paras)-1]) {
			paras = paras[:len(paras)-1]
		}
		return paras
	}
	for len(paras) > 1 && trailingHeadline(paras[len(paras)-1]) && !listData(paras[len(paras)-1]) {
		paras = paras[:len(paras)-1]
	}
	return paras
}

// trailingHeadline reports whether a last paragraph is a stray headline
// of a list of other articles (short, no end punctuation, not a bullet).
func trailingHeadline(p string) bool {
	p = strings.TrimPrefix(p, string(aloneMark))
	return headlineLike(p) && !endsTerminal(p) && wordsUpTo(p, 21) <= 20 && bulletText(p) == ""
}

// isHeading reports whether a paragraph is an HTML list item or heading.
func isHeading(p string) bool { return strings.HasPrefix(p, string(aloneMark)) }

// listData reports whether a line starts like an entry of a list of facts
// rather than a headline: with a number or a month ("June 9 -- Coral Sky
// Amphitheatre", "3. Soundcore Life Q30", "14:00 Doors open").
func listData(p string) bool {
	p = strings.TrimPrefix(p, string(aloneMark))
	first, _, _ := strings.Cut(p, " ")
	first = strings.TrimRight(strings.ToLower(first), ".,:)")
	if first == "" {
		return false
	}
	if monthWords[first] {
		return true
	}
	r := []rune(first)[0]
	return unicode.IsDigit(r)
}
