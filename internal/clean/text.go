package clean

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// textResult is what cleaning text yields.
type textResult struct {
	title, byline, date, dateline string
	paragraphs                    []string
	refs                          []string
	notes                         []string // what the cleaner wants the user to know (-v)
}

func (r textResult) body() string { return strings.Join(r.paragraphs, "\n\n") }

// cleaner applies a rule set to text.
type cleaner struct {
	rs    *ruleSet
	p     *patterns
	links linkSet // link-like blocks of the HTML page, if any
}

// cleanText cleans page text. A rule that judges lines by their shape
// (standDown) and would leave nothing that reads like an article stands
// down for the page: the text is cleaned again without it, and a note
// says so. Rules that match what noise says ("We use cookies…") never
// stand down: a page made only of them has no article. fromHTML turns off title detection
// (HTML has metadata for that) and reference bullets (list items are body
// text there).
func (c *cleaner) cleanText(text string, fromHTML bool) textResult {
	// Copied text comes from decode, in NFC; text rendered from HTML may
	// hold decomposed characters from entities.
	text = normalizeLines(text, !fromHTML)
	res := c.pass(text, fromHTML)
	if meaningfulParas(res.paragraphs) || !meaningful(strings.ReplaceAll(text, string(aloneMark), "")) {
		return c.finish(res)
	}
	// Each rule stands down in turn, the earlier ones staying down, until
	// an article is left.
	alt, down := c, []string(nil)
	for _, name := range standDown {
		if !c.rs.on[name] {
			continue
		}
		alt, down = alt.without(name), append(down, name)
		if r := alt.pass(text, fromHTML); meaningfulParas(r.paragraphs) {
			for _, n := range down {
				r.notes = append(r.notes, fmt.Sprintf("rule %s stood down: it would have removed all of the article's text", n))
			}
			return alt.finish(r)
		}
	}
	return c.finish(res)
}

// standDown are the rules that judge lines by their shape (short lines,
// headline-like lines) rather than by what they say, in the order they
// are tried without.
var standDown = []string{ruleNavigation, ruleRelated, ruleSubheading}

// without returns the cleaner with the rule name switched off.
func (c *cleaner) without(name string) *cleaner {
	rs := *c.rs
	rs.on = maps.Clone(c.rs.on)
	delete(rs.on, name)
	rs.lines = slices.DeleteFunc(slices.Clone(rs.lines), func(r noiseRule) bool { return r.info.Name == name })
	rs.table = nil
	rs.table = rs.activeTable()
	return &cleaner{rs: &rs, p: c.p, links: c.links}
}

// finish removes the marks of list items and headings from the
// paragraphs of a pass and finds the dateline.
func (c *cleaner) finish(res textResult) textResult {
	for i, p := range res.paragraphs {
		res.paragraphs[i] = strings.TrimPrefix(p, string(aloneMark))
	}
	res.dateline = c.datelineOf(res.paragraphs)
	return res
}

// aloneMark starts a line that must stay a paragraph of its own: a list
// item or a heading of an HTML page (see blockText). Passes keep it on
// their output so that the next pass sees it; cleanText removes it.
const aloneMark = '\uE000'

// cutAlone returns line without its aloneMark, and whether it had one.
func cutAlone(line string) (string, bool) {
	return strings.CutPrefix(line, string(aloneMark))
}

// datelineOf finds the dateline at the start of the first paragraph, or of
// the second when the first is a headline left in the body.
func (c *cleaner) datelineOf(paras []string) string {
	for i, p := range paras {
		if dl := c.p.datelineOf(p); dl != "" {
			return dl
		}
		if i == 1 || isProse(p) {
			break
		}
	}
	return ""
}

// keptLine is a line that survived the noise rules.
type keptLine struct {
	text    string
	gap     bool   // a blank line separated it from the previous kept line
	removed bool   // a removed line or refs separated it from the previous kept line
	alone   bool   // a list item or heading: never joined to the lines around it
	region  region // the region the line was in when it was kept
}

// bulletText returns the text of a "- ", "• " or "* " bullet line, or "".
func bulletText(line string) string {
	for _, m := range []string{"- ", "• ", "* ", "– ", "· ", "▪ ", "● "} {
		if rest, ok := strings.CutPrefix(line, m); ok && wordsUpTo(rest, 2) >= 2 {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// splitHighlights handles the CNN/DailyMail .story format: the article,
// then "@highlight" lines each followed by one reference bullet. It returns
// the lines without the highlights (with them as "- " bullets at the end
// when keep is set) and the bullets.
func splitHighlights(lines []string, keep bool) ([]string, []string, bool) {
	found := false
	for _, l := range lines {
		if strings.EqualFold(l, "@highlight") {
			found = true
			break
		}
	}
	if !found {
		return lines, nil, false
	}
	var rest, refs []string
	for i := 0; i < len(lines); i++ {
		if !strings.EqualFold(lines[i], "@highlight") {
			rest = append(rest, lines[i])
			continue
		}
		for i+1 < len(lines) && lines[i+1] == "" {
			i++
		}
		if i+1 < len(lines) && !strings.EqualFold(lines[i+1], "@highlight") {
			refs = append(refs, lines[i+1])
			if keep {
				rest = append(rest, "", "- "+lines[i+1])
			}
			i++
		}
	}
	return rest, refs, true
}

// pass cleans normalised text in one pass whose output is a fixed point
// (cleaning it again changes nothing): the line table (lineTable) decides
// for each line, then the run table (runTable) looks at the kept lines
// and at the paragraphs they make; settle judges the paragraphs joined
// from several lines, which no line rule has seen, before the paragraph
// rules.
func (c *cleaner) pass(text string, fromHTML bool) textResult {
	var res textResult
	lines := strings.Split(text, "\n")
	lines, highlights, story := splitHighlights(lines, c.rs.keepRef)
	res.refs = highlights

	s := &scan{c: c, res: &res, fromHTML: fromHTML, story: story}
	s.lower.size = len(text)
	table := c.rs.activeTable()
	var l line // one for every line: the rules get a pointer to it
	for _, text := range lines {
		if text == "" {
			s.gap = true
			continue
		}
		text, alone := cutAlone(text)
		if cut := c.stripInline(text, &res, s.bodyStarted()); cut != text {
			s.inlineCut, text = true, cut
			if text == "" {
				s.removed = true
				continue
			}
		}
		l = line{text: text, alone: alone, lower: &s.lower}
		if s.region < regionRelated {
			c.rs.judge(&l)
		}
		s.step(table, &l)
	}

	kept := s.kept
	var paras []string
	assembled := false
	assembleNow := func() {
		paras, assembled = texts(s.settle(table, assemble(kept, fromHTML))), true
	}
	for _, r := range runTable {
		if !r.on(c.rs) {
			continue
		}
		if r.lines != nil {
			kept = r.lines(s, kept)
			continue
		}
		if !assembled {
			assembleNow()
		}
		paras = r.paras(s, paras)
	}
	if !assembled {
		assembleNow()
	}
	if s.inlineCut {
		// Lines are in NFC, and so are lines joined with a space or after
		// a hyphen; a cut can bring a combining mark after a letter.
		for i, p := range paras {
			paras[i] = norm.NFC.String(p)
		}
	}
	res.paragraphs = paras
	return res
}

// para is a paragraph being assembled from lines; its text is built once
// at the end so that joining many lines stays linear.
type para struct {
	parts  []string  // lines, each but the first preceded by its separator
	one    [1]string // the first line: parts of one line need no allocation of their own
	size   int       // bytes so far
	alone  bool      // a list item or heading: nothing joins it
	region region    // the region its first line was kept in
	cut    bool      // settle dropped the paragraph just before it
}

// text returns the paragraph, with aloneMark in front when it stands
// alone.
func (p *para) text() string {
	s := p.joined()
	if p.alone {
		return string(aloneMark) + s
	}
	return s
}

// joined returns the paragraph's lines joined, without aloneMark; a
// paragraph of one line is not copied.
func (p *para) joined() string {
	if len(p.parts) == 1 {
		return p.parts[0]
	}
	return strings.Join(p.parts, "")
}

// last returns the last line added.
func (p *para) last() string { return p.parts[len(p.parts)-1] }

// assemble joins kept lines into paragraphs. Blocks (runs without blank
// lines) of copied text that are hard-wrapped at a fixed width are joined
// whole (in HTML a line break is a <br>, never wrapping); elsewhere a line
// joins the previous one when the previous stops mid-sentence.
func assemble(kept []keptLine, fromHTML bool) []*para {
	// A paragraph per kept line at most: one allocation for them all.
	paras := make([]*para, 0, len(kept))
	fresh := make([]para, len(kept))
	for start := 0; start < len(kept); {
		end := start + 1
		for end < len(kept) && !kept[end].gap {
			end++
		}
		block := kept[start:end]
		if !fromHTML && wrapped(block) {
			paras = appendLine(paras, block[0], joinable(paras, block[0].text, true), fresh)
			for _, k := range block[1:] {
				paras = appendLine(paras, k, true, fresh)
			}
		} else {
			for i, k := range block {
				paras = appendLine(paras, k, joinable(paras, k.text, i == 0), fresh)
			}
		}
		start = end
	}
	return paras
}

// texts returns the text of each paragraph.
func texts(paras []*para) []string {
	out := make([]string, len(paras))
	for i, p := range paras {
		out[i] = p.text()
	}
	return out
}

// joinable reports whether line continues the last paragraph.
func joinable(paras []*para, line string, afterGap bool) bool {
	if len(paras) == 0 {
		return false
	}
	prev := paras[len(paras)-1]
	end := prev.last()
	if prev.alone || endsTerminal(end) || bulletText(line) != "" {
		return false
	}
	if startsLower(line) || endsMidSentence(end) {
		return true
	}
	if afterGap || prev.size < 60 {
		return false
	}
	if prev.size > 220 {
		return true
	}
	t := prev.joined()
	return utf8.RuneCountInString(t) >= 60 && !headlineLike(t)
}

// appendLine appends a kept line like appendJoined; a line that stands
// alone starts a paragraph that stands alone. A new paragraph is
// fresh[len(paras)], which nothing else uses.
func appendLine(paras []*para, k keptLine, join bool, fresh []para) []*para {
	if !join || k.alone || len(paras) == 0 {
		p := &fresh[len(paras)]
		p.size = len(k.text)
		p.one[0] = k.text
		p.parts = p.one[:]
		p.alone = k.alone
		paras = append(paras, p)
	} else {
		paras = appendJoined(paras, k.text, true)
	}
	if p := paras[len(paras)-1]; len(p.parts) == 1 {
		p.region = k.region
	}
	return paras
}

// appendJoined appends line as a new paragraph, or joins it to the last
// one when join is set.
func appendJoined(paras []*para, line string, join bool) []*para {
	if !join || len(paras) == 0 {
		p := &para{size: len(line)}
		p.one[0] = line
		p.parts = p.one[:]
		return append(paras, p)
	}
	p := paras[len(paras)-1]
	end := p.last()
	sep := " "
	if strings.HasSuffix(end, "-") && len(end) > 1 && !strings.HasSuffix(end, " -") {
		sep = ""
	}
	p.parts = append(p.parts, sep+line)
	p.size += len(sep) + len(line)
	return paras
}

// wrapped reports whether a block of three or more lines is hard-wrapped:
// every line but the last fills most of one width of at most 100
// characters, and some line breaks mid-sentence.
func wrapped(block []keptLine) bool {
	if len(block) < 3 {
		return false
	}
	width := 0
	for _, k := range block[:len(block)-1] {
		width = max(width, utf8.RuneCountInString(k.text))
	}
	if width > 100 || width < 30 {
		return false
	}
	full, midSentence := 0, false
	for _, k := range block[:len(block)-1] {
		if utf8.RuneCountInString(k.text)*10 >= width*6 {
			full++
		}
		if !endsTerminal(k.text) {
			midSentence = true
		}
	}
	return midSentence && full*10 >= (len(block)-1)*8 && utf8.RuneCountInString(block[len(block)-1].text) <= width+2
}
