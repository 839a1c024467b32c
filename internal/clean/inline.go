package clean

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// reScroll: "Scroll down for video", "SCROLL DOWN FOR VIDEOS",
	// "Scroll down for more", with the punctuation that may close it.
	reScroll = regexp.MustCompile(`(?i)\bscroll (?:down |up )?for (?:the )?(?:videos?|more(?: pictures| photos| images| videos?)?)\b( ?(?:\.\.\.|…|\.|:))?`)

	// reMailHeader: a Daily Mail header glued to the start of the text:
	// an optional byline ("By . Tom Roe .", "By Jane Doe and John Roe for
	// MailOnline .") and one or more publishing stamps ("PUBLISHED: 09:53
	// EST, 1 May 2013 . | . UPDATED: 10:01 EST, 1 May 2013 .", "Last
	// updated at 5:09 PM on 22nd June 2011"). Group 1 is the byline part,
	// group 2 the names, group 3 the stamps.
	reMailHeader = regexp.MustCompile(`^((?:By|BY)\s+[.\s]*` +
		`((?:\p{Lu}[\p{L}'’-]*\.?\s+){0,4}\p{Lu}[\p{L}'’-]*(?:\s*[.,]?\s*(?:and|&)\s+[.\s]*(?:\p{Lu}[\p{L}'’-]*\.?\s+){0,3}\p{Lu}[\p{L}'’-]*)*)` +
		`[.\s]*(?:for\s+(?:the\s+)?(?:\p{Lu}[\p{L}.'’-]*\s*){1,3}[.\s]*)?)?` +
		`((?:(?:PUBLISHED|UPDATED|Published|Updated|Last [Uu]pdated|LAST UPDATED)\s*:?\s*(?:at\s+)?` +
		`\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*\p{Lu}{2,4})?,?\s*(?:on\s+)?` +
		`\d{1,2}(?:st|nd|rd|th)?\s+\p{Lu}\p{Ll}+\.?,?\s+\d{4}[\s.|]*)+)`)
)

// stripInline removes noise glued into the text of a line, which line
// rules cannot see: "Scroll down for video" prompts anywhere in it (rule
// scroll) and a Daily Mail byline and publishing stamp at its start (rules
// byline and timestamp; the names and the date are recorded in res). It
// returns the line left, "" when nothing is.
func (c *cleaner) stripInline(line string, res *textResult, bodyStarted bool) string {
	on := c.rs.on
	if on[ruleScroll] {
		line = stripScroll(line)
	}
	if on[ruleTimestamp] && line != "" && strings.IndexByte("BPUL", line[0]) >= 0 {
		line = stripMailHeader(line, res, on[ruleByline], bodyStarted)
	}
	return line
}

// stripScroll removes video prompts from line. A prompt without closing
// punctuation must be followed by the end of the line or by something
// other than a lowercase word, so that "scroll down for more details"
// stays.
func stripScroll(line string) string {
	if !containsFold(line, "scroll") {
		return line
	}
	var b strings.Builder
	last := 0
	for _, m := range reScroll.FindAllStringSubmatchIndex(line, -1) {
		if m[2] < 0 {
			r, _ := utf8.DecodeRuneInString(strings.TrimLeft(line[m[1]:], " "))
			if unicode.IsLower(r) {
				continue
			}
		}
		b.WriteString(line[last:m[0]])
		last = m[1]
	}
	if last == 0 {
		return line
	}
	b.WriteString(line[last:])
	return strings.Join(strings.Fields(b.String()), " ")
}

// stripMailHeader removes a Daily Mail byline-and-stamp header from the
// start of line. With byline false the byline part stays in the text.
func stripMailHeader(line string, res *textResult, byline, bodyStarted bool) string {
	m := reMailHeader.FindStringSubmatchIndex(line)
	if m == nil {
		return line
	}
	stamps := line[m[6]:m[7]]
	if res.date == "" && !bodyStarted {
		res.date = isoDate(stamps)
	}
	rest := strings.TrimSpace(line[m[1]:])
	if m[2] < 0 {
		return rest
	}
	if !byline {
		return strings.TrimSpace(line[m[2]:m[3]]) + " " + rest
	}
	if res.byline == "" {
		res.byline = strings.Join(strings.Fields(line[m[4]:m[5]]), " ")
	}
	return rest
}

// containsFold reports whether s contains the lowercase ASCII word sub in
// any case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
