package extractive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// paragraphs splits body at blank lines, drops boilerplate lines (bylines,
// publishing stamps, "Scroll down for video") and joins lines that were
// wrapped mid-sentence. A line that ends without sentence punctuation and is
// followed by a capitalized line (a subheading) becomes its own paragraph.
func paragraphs(body string) []string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	var out []string
	for _, block := range strings.Split(body, "\n\n") {
		var cur []string
		flush := func() {
			if len(cur) > 0 {
				out = append(out, strings.Join(cur, " "))
				cur = nil
			}
		}
		for _, line := range strings.Split(block, "\n") {
			line = strings.Join(strings.Fields(line), " ")
			line = stripInlineBoiler(line)
			if line == "" || isBoilerLine(line) {
				flush()
				continue
			}
			if n := len(cur); n > 0 && !continues(cur[n-1], line) {
				flush()
			}
			cur = append(cur, line)
		}
		flush()
	}
	return out
}

// continues reports whether line carries on the sentence of prev (a wrapped
// line) rather than starting a new paragraph.
func continues(prev, line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	if unicode.IsLower(r) {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	return strings.ContainsRune(",;:–—-", last)
}

var (
	// reByline: "By Jane Doe, CNN", "By . Daily Mail Reporter .",
	// "By Jane Doe and John Roe for MailOnline".
	reByline = lazyRegexp(`^(?i:by)\s+[.\s]*[A-Z][\p{L}.'’\- ]{0,60}?((,| and| for| -)\s*[A-Z][\p{L}.'’\- ]{0,40}?){0,3}\s*\.?$`)
	// reStamp: Daily Mail and wire publishing stamps, whole line.
	reStamp = lazyRegexp(`^(?i)(published|updated|last updated|created|posted|last modified)\s*(at|on)?\s*:?\s*[\w\s,:|.\-/]*$`)
	// reInlineStamp: the same stamps at the start of a paragraph, glued to
	// the text: "By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . | . UPDATED: 10:01 EST, 1 May 2013 . The ...".
	reInlineStamp = lazyRegexp(`^(?:(?i:by)\s+[.\s]*(?:[A-Z][\p{L}'’\-]*\s*){1,5}[.\s]*(?:(?:and|for)\s+(?:[A-Z][\p{L}'’\-]*\s*){1,4}[.\s]*)*)?(?:(?:PUBLISHED|UPDATED|Published|Updated|Last updated)\s*:?\s*(?:at\s+)?[0-9]{1,2}:[0-9]{2}(?:\s*[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4}|GMT|BST)?,?\s*[0-9]{1,2}\s+[A-Z][a-z]+\s+[0-9]{4}\s*[.|\s]*)+`)
	// reScroll: Daily Mail's embedded-video marker.
	reScroll = lazyRegexp(`(?i)\bscroll down for (the )?video\b\.?\s*`)
)

func isBoilerLine(line string) bool {
	if len(line) > 160 {
		return false
	}
	return reByline.MatchString(line) || (reStamp.MatchString(line) && strings.ContainsAny(line, "0123456789")) ||
		strings.EqualFold(strings.Trim(line, " .|—–-"), "share") ||
		strings.Trim(line, " .|—–-_*") == ""
}

func stripInlineBoiler(line string) string {
	if loc := reInlineStamp.FindStringIndex(line); loc != nil && loc[1] > 0 {
		line = strings.TrimSpace(line[loc[1]:])
	}
	if strings.Contains(strings.ToLower(line), "scroll down for") {
		line = strings.TrimSpace(reScroll.ReplaceAllString(line, ""))
	}
	return line
}

var (
	// reSourceTag: "(CNN)", "(CNN) --", "(The Hollywood Reporter)", "(Reuters) -".
	reSourceTag = lazyRegexp(`^\((?:CNN|CNN Money|CNNMoney|EW\.com|Reuters|AP|AFP|The [A-Z][\w .&']{1,30}|[A-Z][\w.&']{1,20}(?: [A-Z][\w.&']{1,20}){0,2})\)\s*(?:--|—|–|-|:)?\s*`)
	// reDateline: "BRUSSELS –", "WASHINGTON (CNN) --", "LONDON, England (Reuters) -",
	// "NEW YORK:". The place is in capitals; an optional ", Region" and a
	// source tag may follow before the dash.
	reDateline = lazyRegexp(`^[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3}(?:, [A-Z][\p{L}.]+(?: [A-Z][\p{L}.]+){0,2})?\s*(?:\([^)]{1,30}\))?\s*(?:--|—|–|-|:)\s+`)
)

// reTaggedDateline: a mixed-case place before a wire tag, "Washington
// (CNN)", "Hong Kong, China (Reuters) --".
var reTaggedDateline = lazyRegexp(`^[A-Z][\p{L}.'’\-]+(?: [A-Z][\p{L}.'’\-]+){0,3}(?:, [A-Z][\p{L}.]+(?: [A-Z][\p{L}.]+){0,2})? ?\((?:CNN|CNN Money|CNNMoney|Reuters|AP|AFP)\)\s*(?:--|—|–|-|:)?\s*`)

// stripLead removes a dateline and a source tag from the start of the
// first paragraph.
func stripLead(para string) string {
	if loc := reDateline.FindStringIndex(para); loc != nil {
		para = para[loc[1]:]
	} else if loc := reTaggedDateline.FindStringIndex(para); loc != nil {
		para = para[loc[1]:]
	}
	return stripSourceTag(para)
}

// stripSourceTag removes "(CNN)" and the like from the start of a
// paragraph, when what follows starts like a sentence.
func stripSourceTag(para string) string {
	loc := reSourceTag.FindStringIndex(para)
	if loc == nil {
		return para
	}
	rest := para[loc[1]:]
	if strings.TrimSpace(rest) == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !strings.ContainsRune("\"'“‘", r) {
		return para
	}
	return rest
}
