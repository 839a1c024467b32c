package clean

import "strings"

// Why one pass is a fixed point.
//
// Cleaning the output again sees each paragraph as one line, with a blank
// line before it. The line rules judged every line of the pass in the
// region it was in, and every rule that looks at the lines around one
// (the byline or headline above a time stamp, the title of copied text,
// hard-wrapped blocks) needs lines with no blank line between them, which
// output never has. The run rules look at the kept lines and paragraphs
// the pass ends with, so they see what cleaning again sees: runs of short
// lines already dropped are gone, shorter runs stay shorter, and a
// paragraph joined from several lines is longer than each of them.
// Joining is stable too: two paragraphs the pass left apart are left
// apart again, because joining across a blank line asks more than joining
// within a block.
//
// What no rule has seen is the text of a paragraph joined from several
// lines: "Sign up to The Week in Gardening" and "after newsletter
// promotion" are kept one by one, and once joined they are a newsletter
// prompt. settle judges those paragraphs by the line table, in the region
// of their first line, as cleaning again would; a paragraph it drops can
// let the paragraphs on either side join, and the joined paragraph is
// judged in turn. This is the one local re-check: it looks only at joined
// paragraphs, and at the paragraphs after one that starts a related list
// or the comments.
//
// Not covered, and known from fuzzing (both as they were when the
// cleaner repeated its pass):
//   - A rule that stood down (cleanText) stands down for the whole page;
//     the output cleaned again may have enough text with the rule on, and
//     then loses what the rule drops ("Home" above a six-word article
//     whose first line became the title).
//   - A .story file's bullet lines before the body stay in it (its
//     references are the @highlight lines); cleaned again as plain text
//     they are reference bullets.
//   - When settle drops a paragraph between short lines, the navigation
//     runs are not counted again across it.

// settle drops the joined paragraphs the line table would drop, with what
// their verdict drops after them, and joins the paragraphs around a
// dropped one when cleaning again would join them.
func (s *scan) settle(table []lineRule, paras []*para) []*para {
	// A scan like that of cleaning the output again: a blank line before
	// every line, lines already kept.
	sc := &scan{c: s.c, res: s.res, fromHTML: s.fromHTML, story: s.story, refsClosed: s.refsClosed, kept: s.kept}
	defer func() { s.inlineCut = s.inlineCut || sc.inlineCut }()
	out := make([]*para, 0, len(paras))
	inside, cut := false, false // in a related list or comments entered here; a paragraph dropped since the last kept
	for i := 0; i < len(paras); i++ {
		p := paras[i]
		p.cut = cut
		for {
			if inside || len(p.parts) > 1 {
				if !inside {
					sc.region = p.region
				}
				q, act := sc.judge(table, p)
				inside = sc.region >= regionRelated
				if act != keep {
					cut = true
					if act == dropNext {
						i++
					}
					break
				}
				p = q
			}
			if !p.cut || len(out) == 0 || p.alone || !joinable(out[len(out)-1:], p.text(), true) {
				out = append(out, p)
				cut = false
				break
			}
			// The paragraphs around the dropped one join: judge the
			// joined one.
			prev := out[len(out)-1]
			out = out[:len(out)-1]
			p = joinParas(prev, p)
		}
	}
	return out
}

// judge runs the inline and line tables on paragraph p as on one line and
// returns p (cut by the inline table) and the action.
func (s *scan) judge(table []lineRule, p *para) (*para, action) {
	s.gap, s.removed, s.skip = true, false, false
	text := p.text()
	text, alone := cutAlone(text)
	if cut := s.c.stripInline(text, s.res, s.bodyStarted()); cut != text {
		if cut == "" {
			return p, drop
		}
		text, s.inlineCut = cut, true
		p = &para{parts: []string{cut}, size: len(cut), alone: p.alone, region: p.region, cut: p.cut}
	}
	l := line{text: text, alone: alone, lower: &s.lower}
	if s.region < regionRelated {
		s.c.rs.judge(&l)
	}
	refs := len(s.res.refs)
	act := s.decide(table, &l)
	if s.c.rs.keepRef {
		// Kept reference bullets are in Refs already.
		s.res.refs = s.res.refs[:refs]
	}
	return p, act
}

// joinParas returns a joined to b, the way assemble joins lines.
func joinParas(a, b *para) *para {
	j := &para{parts: append([]string(nil), a.parts...), size: a.size, region: a.region, cut: a.cut}
	j = appendJoined([]*para{j}, strings.Join(b.parts, ""), true)[0]
	return j
}
