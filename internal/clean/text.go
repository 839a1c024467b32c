package clean

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// textResult is what cleaning text yields.
type textResult struct {
	title, byline, date, dateline string
	paragraphs                    []string
	refs                          []string
}

func (r textResult) body() string { return strings.Join(r.paragraphs, "\n\n") }

// cleaner applies a rule set to text.
type cleaner struct {
	rs *ruleSet
	p  *patterns
}

// maxPasses bounds the passes cleanText makes to reach a fixed point.
const maxPasses = 6

// cleanText cleans page text. It repeats the cleaning pass on its own
// output until nothing changes, so that cleaning is idempotent: lines
// joined in one pass can form a noise line the next pass removes.
// fromHTML turns off title detection (HTML has metadata for that) and
// reference bullets (list items are body text there).
func (c *cleaner) cleanText(text string, fromHTML bool) textResult {
	res := c.pass(normalizeText(text), fromHTML, true)
	for range maxPasses {
		body := res.body()
		next := c.pass(body, fromHTML, false)
		if next.body() == body {
			break
		}
		res.paragraphs = next.paragraphs
		if !c.rs.keepRef {
			res.refs = append(res.refs, next.refs...)
		}
		if res.title == "" {
			res.title = next.title
		}
		if res.byline == "" {
			res.byline = next.byline
		}
		if res.date == "" {
			res.date = next.date
		}
	}
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
	gap     bool // a blank line separated it from the previous kept line
	removed bool // a removed line or refs separated it from the previous kept line
	alone   bool // a list item or heading: never joined to the lines around it
}

// bulletText returns the text of a "- ", "• " or "* " bullet line, or "".
func bulletText(line string) string {
	for _, m := range []string{"- ", "• ", "* ", "– ", "· ", "▪ ", "● "} {
		if rest, ok := strings.CutPrefix(line, m); ok && wordCount(rest) >= 2 {
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

// pass is one cleaning pass over normalised text.
func (c *cleaner) pass(text string, fromHTML, first bool) textResult {
	var res textResult
	lines := strings.Split(text, "\n")
	lines, highlights, story := splitHighlights(lines, c.rs.keepRef)
	res.refs = highlights

	on := c.rs.on
	var kept []keptLine
	var (
		gap, removed  bool
		bodyStarted   bool
		refsDone      bool
		inRelated     bool
		inComments    bool
		dropNext      bool
		sawRefs       bool
		refsThisBlock bool
	)
	drop := func() { removed = true }
	for _, line := range lines {
		isRef := false
		if line == "" {
			gap = true
			continue
		}
		line, alone := cutAlone(line)
		if line = c.stripInline(line, &res, bodyStarted); line == "" {
			drop()
			continue
		}
		if inComments {
			drop()
			continue
		}
		if inRelated {
			if wordCount(line) >= 8 && endsPeriod(line) || wordCount(line) >= 40 {
				inRelated = false
			} else {
				drop()
				continue
			}
		}
		noise := c.rs.noise(line)
		if !fromHTML && !story && !bodyStarted && !refsDone {
			if b := bulletText(line); b != "" {
				res.refs = append(res.refs, b)
				sawRefs, refsThisBlock, isRef = true, true, true
				if !c.rs.keepRef {
					drop()
					continue
				}
			} else if refsThisBlock && noise == "" {
				refsDone = true
			}
		}
		if dropNext {
			dropNext = false
			drop()
			continue
		}
		if !bodyStarted && len(kept) == 0 {
			// Mail headers of a forwarded article; Subject is the title.
			if m := c.p.mailHeader.FindStringSubmatch(line); m != nil {
				if m[1] == "Subject" && first && !fromHTML && res.title == "" {
					res.title = strings.TrimSpace(m[2])
				}
				drop()
				continue
			}
		}
		if name := noise; name != "" {
			// "Image caption," on its own line labels the next line.
			if name == "caption" && strings.HasSuffix(coreOf(line), "caption") {
				dropNext = true
			}
			// A comments heading starts the comment section: the rest
			// of the page is readers' text.
			if name == "comments" && c.p.comments.MatchString(coreOf(line)) {
				inComments = true
			}
			drop()
			continue
		}
		if on[ruleRelated] {
			if c.p.isRelatedMarker(line) {
				inRelated = true
				drop()
				continue
			}
			if c.p.relatedInline.MatchString(line) {
				drop()
				continue
			}
		}
		if on[ruleTimestamp] && on[ruleByline] {
			// "Posted: 14 March 2011 | By Élodie Marchetti"
			if date, by, ok := c.p.metaLine(line); ok {
				if res.date == "" && !bodyStarted {
					res.date = isoDate(date)
				}
				if res.byline == "" {
					res.byline = by
				}
				drop()
				continue
			}
		}
		if on[ruleTimestamp] {
			if ok, abs := c.p.stamp(line); ok {
				if abs && res.date == "" && !bodyStarted {
					res.date = isoDate(line)
				}
				if !bodyStarted {
					c.popName(&kept, &res, gap || removed)
				}
				// Inside the body a stamp labels the headline above it.
				if bodyStarted && len(kept) > 1 && !gap && !removed && headlineLike(kept[len(kept)-1].text) {
					kept = kept[:len(kept)-1]
				}
				drop()
				continue
			}
		}
		if on[ruleByline] {
			if by := c.p.bylineOf(line); by != "" {
				if res.byline == "" {
					res.byline = by
				}
				drop()
				continue
			}
			// "BBC Scotland, Highlands and Islands correspondent"
			if !bodyStarted && wordCount(line) <= 10 && c.p.role.MatchString(line) {
				c.popName(&kept, &res, gap || removed)
				drop()
				continue
			}
		}
		kept = append(kept, keptLine{text: line, gap: gap, removed: removed, alone: alone})
		gap, removed = false, false
		if !isRef && (isProse(line) || sawRefs && refsDone) {
			bodyStarted = true
		}
	}

	if c.rs.on["navigation"] {
		kept = dropLinkRuns(kept)
	}
	// A headline-like first line directly followed by more text (no blank
	// line) or by removed noise, bylines or bullets is the title. One
	// followed by a blank line and the body stays in the body: the same
	// shape is a standfirst in cleaned text, and cleaning must be
	// idempotent.
	if !fromHTML && first && res.title == "" && len(kept) > 1 && headlineLike(kept[0].text) && !isProse(kept[0].text) &&
		bulletText(kept[0].text) == "" && c.p.datelineOf(kept[0].text) == "" &&
		(!kept[1].gap || kept[1].removed) {
		res.title = kept[0].text
		kept = kept[1:]
		kept[0].gap = true
	}
	if on[ruleSubheading] {
		kept = dropSubheadings(kept)
	}
	paras := assemble(kept)
	if on[ruleRelated] {
		for len(paras) > 1 && trailingHeadline(paras[len(paras)-1]) {
			paras = paras[:len(paras)-1]
		}
	}
	for i, p := range paras {
		paras[i] = norm.NFC.String(p)
	}
	res.paragraphs = paras
	return res
}

// popName moves a name on its own line, just above a role line ("BBC Wales
// political reporter") or a time stamp, into the byline. The first kept
// line is left alone: it is more likely the headline.
func (c *cleaner) popName(kept *[]keptLine, res *textResult, separated bool) {
	k := *kept
	if separated || len(k) < 2 || !c.rs.on[ruleByline] || !nameLike(k[len(k)-1].text) {
		return
	}
	if res.byline == "" {
		res.byline = k[len(k)-1].text
	}
	*kept = k[:len(k)-1]
}

// dropLinkRuns removes runs of very short lines — menus, tag lists, link
// lists: three or more before the first sentence of the body, four or more
// elsewhere.
func dropLinkRuns(kept []keptLine) []keptLine {
	short := func(s string) bool { return wordCount(s) <= 3 && !endsTerminal(s) && bulletText(s) == "" }
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

// trailingHeadline reports whether a last paragraph is a stray headline
// of a list of other articles (short, no end punctuation, not a bullet).
func trailingHeadline(p string) bool {
	return headlineLike(p) && !endsTerminal(p) && wordCount(p) <= 20 && bulletText(p) == ""
}

// dropSubheadings removes short title-like lines that stand between other
// lines.
func dropSubheadings(kept []keptLine) []keptLine {
	out := kept[:0:0]
	for i, k := range kept {
		if i > 0 && i < len(kept)-1 && wordCount(k.text) <= 10 && headlineLike(k.text) && !endsTerminal(k.text) && !startsLower(kept[i+1].text) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// para is a paragraph being assembled from lines; its text is built once
// at the end so that joining many lines stays linear.
type para struct {
	parts []string // lines, each but the first preceded by its separator
	size  int      // bytes so far
	alone bool     // a list item or heading: nothing joins it
}

// text returns the paragraph, with aloneMark in front when it stands
// alone.
func (p *para) text() string {
	s := strings.Join(p.parts, "")
	if p.alone {
		return string(aloneMark) + s
	}
	return s
}

// last returns the last line added.
func (p *para) last() string { return p.parts[len(p.parts)-1] }

// assemble joins kept lines into paragraphs. Blocks (runs without blank
// lines) that are hard-wrapped at a fixed width are joined whole; elsewhere
// a line joins the previous one when the previous stops mid-sentence.
func assemble(kept []keptLine) []string {
	var paras []*para
	for start := 0; start < len(kept); {
		end := start + 1
		for end < len(kept) && !kept[end].gap {
			end++
		}
		block := kept[start:end]
		if wrapped(block) {
			paras = appendLine(paras, block[0], joinable(paras, block[0].text, true))
			for _, k := range block[1:] {
				paras = appendLine(paras, k, true)
			}
		} else {
			for i, k := range block {
				paras = appendLine(paras, k, joinable(paras, k.text, i == 0))
			}
		}
		start = end
	}
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
	return prev.size > 220 || utf8.RuneCountInString(prev.text()) >= 60 && !headlineLike(prev.text())
}

// appendLine appends a kept line like appendJoined; a line that stands
// alone starts a paragraph that stands alone.
func appendLine(paras []*para, k keptLine, join bool) []*para {
	if k.alone {
		paras = appendJoined(paras, k.text, false)
		paras[len(paras)-1].alone = true
		return paras
	}
	return appendJoined(paras, k.text, join)
}

// appendJoined appends line as a new paragraph, or joins it to the last
// one when join is set.
func appendJoined(paras []*para, line string, join bool) []*para {
	if !join || len(paras) == 0 {
		return append(paras, &para{parts: []string{line}, size: len(line)})
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
