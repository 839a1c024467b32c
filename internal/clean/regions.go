package clean

import "strings"

// region is the part of a page a line is in. It is the text cleaner's
// state between lines: each line rule says in which regions it is tried,
// and its verdict may move the cleaner to another region.
type region uint8

const (
	regionHeader   region = iota // before the body: headline, bylines, stamps, menus
	regionRefs                   // a run of reference bullets before the body (copied text)
	regionBody                   // the article
	regionRelated                // a list of links to other articles, after a marker
	regionComments               // readers' comments, to the end of the page
	numRegions
)

var regionNames = [numRegions]string{"header", "references", "body", "related", "comments"}

func (r region) String() string { return regionNames[r] }

// regions is a set of regions.
type regions uint8

func in(rs ...region) regions {
	var s regions
	for _, r := range rs {
		s |= 1 << r
	}
	return s
}

func (s regions) has(r region) bool { return s&(1<<r) != 0 }

// String lists the regions of s, or "anywhere".
func (s regions) String() string {
	if s == everywhere {
		return "anywhere"
	}
	var names []string
	for r := range numRegions {
		if s.has(r) {
			names = append(names, r.String())
		}
	}
	return strings.Join(names, ", ")
}

var (
	everywhere = in(regionHeader, regionRefs, regionBody, regionRelated, regionComments)
	// outside are the regions of lines that are not dropped wholesale.
	outside = in(regionHeader, regionRefs, regionBody)
)

// action is what a line rule does with a line.
type action uint8

const (
	next     action = iota // the rule does not apply: try the next one
	keep                   // keep the line; no later rule is tried
	drop                   // drop the line
	dropNext               // drop the line and the line after it
)

// verdict is a line rule's answer: an action and, when move is set, the
// region the cleaner is in from this line on.
type verdict struct {
	act   action
	move  bool
	enter region
}

var (
	pass    = verdict{}
	dropped = verdict{act: drop}
)

func enter(r region, act action) verdict { return verdict{act: act, move: true, enter: r} }

// line is a line under the line rules.
type line struct {
	text  string
	alone bool   // an HTML list item or heading
	noise string // the one-line noise rule (or "pattern") that matches it, or ""
	ref   bool   // a reference bullet kept in the body (Options.KeepRefs)

	core     string // coreOf(text), once haveCore is set (coreText)
	haveCore bool
	lower    *coreArena // where the core is lowered (scan.lower); nil: a builder of its own
}

// coreText returns coreOf(l.text), made once per line.
func (l *line) coreText() string {
	if !l.haveCore {
		if l.lower != nil {
			l.core = l.lower.core(l.text)
		} else {
			l.core = coreOf(l.text)
		}
		l.haveCore = true
	}
	return l.core
}

// scan is the state of one cleaning pass: the region, what was kept so
// far and what was recorded.
type scan struct {
	c        *cleaner
	res      *textResult
	fromHTML bool
	story    bool // a .story file: its bullets are @highlight lines

	region     region
	back       region // the region related lists and comments interrupted
	refsClosed bool   // a run of reference bullets ended; the next kept line starts the body
	skip       bool   // a rule asked to drop the next line too
	inlineCut  bool   // the inline table cut text out of a line
	kept       []keptLine
	gap        bool // a blank line since the last kept line
	removed    bool // a dropped line since the last kept line

	lower coreArena // the cores of the pass's lines (line.coreText)
}

// coreArena is one builder the cores of a pass's lines are lowered into
// (lowerInto): made room for size bytes when the first core is lowered,
// so that a pass whose rules read no core (long paragraphs) makes none.
type coreArena struct {
	b    strings.Builder
	size int
}

// core returns coreOf(text), lowered into the arena.
func (a *coreArena) core(text string) string {
	if a.b.Cap() == 0 {
		a.b.Grow(a.size)
	}
	return coreInto(&a.b, text)
}

// bodyStarted reports whether the article body has started (lines in a
// related list or comments after the body count as after its start).
func (s *scan) bodyStarted() bool {
	return s.region == regionBody || s.region >= regionRelated && s.back == regionBody
}

// move enters region r, remembering where related lists and comments
// interrupted.
func (s *scan) move(r region) {
	if r >= regionRelated && s.region < regionRelated {
		s.back = s.region
	}
	s.region = r
}

// lineRule is one entry of the line table: a rule tried on each line in
// the regions where, when the named option rules are on.
type lineRule struct {
	id    string   // unique name of the entry
	rules []string // option rules that must be on (none: always tried)
	where regions
	doc   string
	apply func(s *scan, l *line) verdict
}

// on reports whether every option rule of r is switched on.
func (r *lineRule) on(rs *ruleSet) bool { return onAll(rs, r.rules) }

// onAll reports whether every rule named is switched on.
func onAll(rs *ruleSet, names []string) bool {
	for _, n := range names {
		if !rs.on[n] {
			return false
		}
	}
	return true
}

// step runs the line table (the entries that are on) on one line and
// keeps or drops it.
func (s *scan) step(table []lineRule, l *line) {
	switch s.decide(table, l) {
	case drop:
		s.removed = true
	case dropNext:
		s.skip, s.removed = true, true
	default:
		s.keepLine(l)
	}
}

// decide runs the line table on one line, moving the scan to the region
// a verdict enters, and returns keep, drop or dropNext. table holds the
// entries that are on (ruleSet.activeTable).
func (s *scan) decide(table []lineRule, l *line) action {
	for i := range table {
		r := &table[i]
		if !r.where.has(s.region) {
			continue
		}
		v := r.apply(s, l)
		if v.move {
			s.move(v.enter)
		}
		if v.act != next {
			return v.act
		}
	}
	return keep
}

// keepLine keeps l; a line that reads as prose starts the body, and so
// does the first line after the reference bullets.
func (s *scan) keepLine(l *line) {
	s.kept = append(s.kept, keptLine{text: l.text, gap: s.gap, removed: s.removed, alone: l.alone, region: s.region})
	s.gap, s.removed = false, false
	if s.region < regionBody && !l.ref && (s.refsClosed || isProse(l.text)) {
		s.region = regionBody
	}
}
