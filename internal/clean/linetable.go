package clean

import "strings"

// lineTable returns the line rules in the order they are tried. Each
// returns a verdict for one line given the region it is in; a line no
// rule drops is kept. The one-line noise rules (noiseRules) sit in the
// middle, one entry each.
func lineTable(noise []noiseRule) []lineRule {
	t := []lineRule{
		{id: "comments-tail", rules: []string{ruleComments}, where: in(regionComments),
			doc:   "after a comments heading, every line (readers' comments)",
			apply: func(*scan, *line) verdict { return dropped }},
		{id: "related-list", rules: []string{ruleRelated}, where: in(regionRelated),
			doc: "after a related marker, the headline lines up to the next sentence-like line (eight words ending in a full stop, or forty words), or in HTML the next list item that is not a link",
			apply: func(s *scan, l *line) verdict {
				if sentenceLike(l.text) || s.fromHTML && l.alone && !s.c.linkish(l.text) {
					return enter(s.back, next)
				}
				return dropped
			}},
		{id: "reference-bullets", where: in(regionHeader, regionRefs),
			doc: `in copied text, the first run of "- ", "•" or "*" bullets before the body: copied into Article.Refs and dropped (kept with Options.KeepRefs)`,
			apply: func(s *scan, l *line) verdict {
				if s.fromHTML || s.story || s.refsClosed {
					return pass
				}
				if b := bulletText(l.text); b != "" {
					s.res.refs = append(s.res.refs, b)
					if s.c.rs.keepRef {
						l.ref = true
						return enter(regionRefs, next)
					}
					return enter(regionRefs, drop)
				}
				if s.region == regionRefs && l.noise == "" {
					s.refsClosed = true
					return enter(regionHeader, next)
				}
				return pass
			}},
		{id: "after-label", where: outside,
			doc: `the line after a label that announces it ("Image caption")`,
			apply: func(s *scan, _ *line) verdict {
				if s.skip {
					s.skip = false
					return dropped
				}
				return pass
			}},
		{id: "mail-header", where: in(regionHeader),
			doc: `mail headers ("From:", "Subject:") above the first kept line; "Subject:" is the title of copied text`,
			apply: func(s *scan, l *line) verdict {
				if len(s.kept) > 0 {
					return pass
				}
				m := s.c.p.mailHeader.FindStringSubmatch(l.text)
				if m == nil {
					return pass
				}
				if m[1] == "Subject" && !s.fromHTML && s.res.title == "" {
					s.res.title = strings.TrimSpace(m[2])
				}
				return dropped
			}},
	}
	for _, n := range noise {
		t = append(t, lineRule{id: n.info.Name, rules: []string{n.info.Name}, where: outside, doc: n.info.Description,
			apply: func(s *scan, l *line) verdict {
				if l.noise != n.info.Name {
					return pass
				}
				switch {
				case n.info.Name == ruleCaption && strings.HasSuffix(l.coreText(), "caption"):
					// "Image caption," on its own line labels the next line.
					return verdict{act: dropNext}
				case n.info.Name == ruleComments && s.c.p.comments.MatchString(l.coreText()):
					// A comments heading starts the readers' comments.
					return enter(regionComments, drop)
				}
				return dropped
			}})
	}
	t = append(t, lineRule{id: "pattern", where: outside, doc: "lines matching one of clean.patterns",
		apply: func(_ *scan, l *line) verdict {
			if l.noise == "pattern" {
				return dropped
			}
			return pass
		}})
	return append(t, contextTable...)
}

// contextTable are the line rules that need more than the line: markers
// that start a region, and lines whose meaning depends on what was kept.
var contextTable = []lineRule{
	{id: "related-marker", rules: []string{ruleRelated}, where: outside,
		doc: `"Read more", "Related", "RELATED TOPICS", "More from …", "Trending", "Most read/viewed", "You may also like" … markers: dropped with the headline list that follows them`,
		apply: func(s *scan, l *line) verdict {
			if s.c.p.relatedMarker(l) {
				return enter(regionRelated, drop)
			}
			return pass
		}},
	{id: "related-inline", rules: []string{ruleRelated}, where: outside,
		doc: `inline links to other articles: "Read more: …", "See also | …"`,
		apply: func(s *scan, l *line) verdict {
			if s.c.p.relatedInline.MatchString(l.text) {
				return dropped
			}
			return pass
		}},
	{id: "stamp-byline", rules: []string{ruleTimestamp, ruleByline}, where: outside,
		doc: `"Posted: 14 March 2011 | By Élodie Marchetti" and "5:45 AM PST 11/19/2019 by Patrick Shanley" lines (copied into Article.Byline and Article.Date)`,
		apply: func(s *scan, l *line) verdict {
			date, by, ok := s.c.p.metaLine(l.text)
			if !ok {
				return pass
			}
			if s.res.date == "" && !s.bodyStarted() {
				s.res.date = isoDate(date)
			}
			if s.res.byline == "" {
				s.res.byline = by
			}
			return dropped
		}},
	{id: "timestamp", rules: []string{ruleTimestamp}, where: outside,
		doc: `time stamps on their own line ("2 hours ago", "Updated 3:05 PM EDT, June 3, 2025", "5 min read", "Tempo de leitura: 2 minutos", "Lesezeit: 4 Minuten"); before the body also a name line just above (the byline), inside it the headline line each stamp labels`,
		apply: func(s *scan, l *line) verdict {
			ok, abs := s.c.p.stamp(l.text)
			if !ok {
				return pass
			}
			if abs && s.res.date == "" && !s.bodyStarted() {
				s.res.date = isoDate(l.text)
			}
			if !s.bodyStarted() {
				s.popName()
			} else if len(s.kept) > 1 && !s.gap && !s.removed && headlineLike(s.kept[len(s.kept)-1].text) {
				s.kept = s.kept[:len(s.kept)-1]
			}
			return dropped
		}},
	{id: "byline", rules: []string{ruleByline}, where: outside,
		doc: `"By Jane Doe" lines ("By . Daily Mail Reporter .", "By Jane Doe for MailOnline"), copied into Article.Byline`,
		apply: func(s *scan, l *line) verdict {
			by := s.c.p.bylineOf(l.text)
			if by == "" {
				return pass
			}
			if s.res.byline == "" {
				s.res.byline = by
			}
			return dropped
		}},
	{id: "role", rules: []string{ruleByline}, where: in(regionHeader, regionRefs),
		doc: `before the body, "BBC Scotland, Highlands and Islands correspondent"-style role lines and the name line just above (the byline)`,
		apply: func(s *scan, l *line) verdict {
			if wordsUpTo(l.text, 11) > 10 || !s.c.p.role.MatchString(l.text) {
				return pass
			}
			s.popName()
			return dropped
		}},
}

// sentenceLike reports whether a line ends a related list: eight words
// ending in a full stop, or forty words.
func sentenceLike(s string) bool {
	n := wordsUpTo(s, 40)
	return n >= 8 && endsPeriod(s) || n >= 40
}

// popName moves a name on its own line, just above a role line ("BBC Wales
// political reporter") or a time stamp, into the byline. The first kept
// line is left alone: it is more likely the headline.
func (s *scan) popName() {
	k := s.kept
	if s.gap || s.removed || len(k) < 2 || !s.c.rs.on[ruleByline] || !nameLike(k[len(k)-1].text) {
		return
	}
	if s.res.byline == "" {
		s.res.byline = k[len(k)-1].text
	}
	s.kept = k[:len(k)-1]
}
