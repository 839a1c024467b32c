package clean

import (
	"bytes"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// patterns holds the compiled regexps for datelines, bylines, markers of
// related-article blocks and time stamps.
type patterns struct {
	dateline      *regexp.Regexp
	datelineWire  *regexp.Regexp
	datelineParen *regexp.Regexp
	byline        *lineRx
	forOutlet     *regexp.Regexp
	role          *lineRx
	related       *lineRx
	relatedInline *lineRx
	mailHeader    *lineRx
	comments      *lineRx
	clock         *lineRx
	isoDate       *lineRx
	ordinal       *lineRx
	relative      *lineRx
	scroll        *regexp.Regexp // rule scroll; see stripInline
	glued         *regexp.Regexp // a Daily Mail byline and stamp glued to the text
}

func newPatterns() *patterns {
	return &patterns{
		// BRUSSELS –, WASHINGTON (Reuters) -, LONDON, June 3 (Reuters) -,
		// ATLANTA, Georgia (CNN) --, NEW YORK (AP) —
		dateline: regexp.MustCompile(`^((?:\p{Lu}[\p{Lu}.'’-]+(?:\s+\p{Lu}[\p{Lu}.'’-]+){0,3})` +
			`(?:,\s+\p{Lu}[\p{L}.]+(?:\s+\p{Lu}[\p{L}.]+){0,2})?` +
			`(?:,\s+\p{Lu}\p{Ll}{2,8}\.?\s+\d{1,2})?` +
			`(?:\s*\(\p{Lu}[\p{L} .&'’-]{0,30}\))?)\s*(?:–|—|--|-|:)\s+\S`),
		// Washington (CNN), New Delhi, India (CNN) --: a place in mixed
		// case only before a wire's tag.
		datelineWire: regexp.MustCompile(`^((?:\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){0,3})` +
			`(?:,\s+\p{Lu}[\p{L}.]+(?:\s+\p{Lu}[\p{L}.]+){0,2})?` +
			`\s?\((?:CNN|CNN Money|CNNMoney|Reuters|AP|AFP)\))\s*(?:–|—|--|-|:)?\s*\S`),
		// (CNN) —, (CNN)The …, (Reuters) -, (The Hollywood Reporter), (EW.com)
		datelineParen: regexp.MustCompile(`^(\((?:\p{Lu}{2,}[\p{L} ]{0,20}|The \p{Lu}[\p{L}.&'’ ]{1,30}|\p{Lu}[\p{L}\d.&'’+]{1,20}(?: \p{Lu}[\p{L}\d.&'’+]{1,20}){0,2})\))\s*(?:–|—|--|-|:)?\s*\S`),
		// "By Jane Doe", "By . Daily Mail Reporter ." (Daily Mail's dots)
		byline:        newLineRx(`^(?:By|BY|Written by|Words by|Story by)\s+(?:\.\s+)?(\p{Lu}.{1,118})$`),
		forOutlet:     regexp.MustCompile(`\s+for\s+(?:the\s+)?\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3}(?:\s+\.)?$`),
		role:          newLineRx(`(?i)^[\p{L}&'’.,\- ]{2,80}\b(correspondent|reporter|editor|writer|staff writer|contributor|columnist|journalist|producer|analyst)s?$`),
		related:       newLineRx(`(?i)^(read more|related( topics| articles?| stories| coverage| content| news| links| reading| videos?| posts)?|more (from|on|about) .{1,60}|more (stories|news|articles|like this|to explore|top stories)|trending( now| stories| news| topics)?|most (read|viewed|popular|shared|watched|commented)|popular( now| stories| articles)?|you (may|might) (also )?(like|be interested in|have missed)|recommended( for you| stories| reading| articles)?|top stories|latest( news| stories| headlines| articles)?|(what to )?read next|up next|watch next|(also|must) read|see also|don'?t miss|explore more|around the web|editor'?s picks|in case you missed it|keep reading|from around the web|other stories|more headlines)$`),
		relatedInline: newLineRx(`(?i)^(read more|also read|read also|related|see also|more|watch|listen|must read|recommended|don'?t miss)\s*[:|»›>]\s*\S.{0,200}$`),
		comments:      newLineRx(`(?i)^((\d+\s*)?comments?(\s*\(?\d+\)?)?|\d+ (thoughts|responses|replies) on .*|leave a (reply|comment)|(show|view|load|read|see) (all )?(\d+ )?comments|join the (conversation|discussion|debate)\b.*)$`),
		mailHeader:    newLineRx(`^(Subject|From|To|Cc|Bcc|Date|Sent|Reply-To):\s*(.*)$`),
		clock:         newLineRx(`^\d{1,2}([:.]\d{2}){1,2}(am|pm|a\.m|p\.m)?$`),
		isoDate:       newLineRx(`^\d{4}-\d{2}-\d{2}(t[\d:.]+(z|[+-]\d{2}:?\d{2})?)?$`),
		ordinal:       newLineRx(`^\d{1,2}(st|nd|rd|th)$`),
		relative:      newLineRx(`(?i)^((updated|published|posted|modified|last updated|first published)\s*:?\s*)?((about|over|nearly|almost|just|less than)\s+)?(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|few|a few)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|hr|h|days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?|y)\s+ago$`),
		// "Scroll down for video", "SCROLL DOWN FOR VIDEOS", "Scroll down
		// for more", with the punctuation that may close it.
		scroll: regexp.MustCompile(`^(?i)scroll (?:down |up )?for (?:the )?(?:videos?|more(?: pictures| photos| images| videos?)?)\b( ?(?:\.\.\.|…|\.|:))?`),
		// A Daily Mail header glued to the start of the text:
		// an optional byline ("By . Tom Roe .", "By Jane Doe and John Roe for
		// MailOnline .") and one or more publishing stamps ("PUBLISHED: 09:53
		// EST, 1 May 2013 . | . UPDATED: 10:01 EST, 1 May 2013 .", "Last
		// updated at 5:09 PM on 22nd June 2011"). Group 1 is the byline part,
		// group 2 the names, group 3 the stamps.
		glued: regexp.MustCompile(`^((?:By|BY)\s+[.\s]*` +
			`((?:\p{Lu}[\p{L}'’-]*\.?\s+){0,4}\p{Lu}[\p{L}'’-]*(?:\s*[.,]?\s*(?:and|&)\s+[.\s]*(?:\p{Lu}[\p{L}'’-]*\.?\s+){0,3}\p{Lu}[\p{L}'’-]*)*)` +
			`[.\s]*(?:for\s+(?:the\s+)?(?:\p{Lu}[\p{L}.'’-]*\s*){1,3}[.\s]*)?)?` +
			`((?:(?:PUBLISHED|UPDATED|Published|Updated|Last [Uu]pdated|LAST UPDATED)\s*:?\s*(?:at\s+)?` +
			`\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*\p{Lu}{2,4})?,?\s*(?:on\s+)?` +
			`\d{1,2}(?:st|nd|rd|th)?\s+\p{Lu}\p{Ll}+\.?,?\s+\d{4}[\s.|]*)+)`),
	}
}

// months, weekdays and other words of a time-stamp line.
var (
	monthWords = map[string]bool{
		"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
		"august": true, "september": true, "october": true, "november": true, "december": true,
		"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
		"sept": true, "oct": true, "nov": true, "dec": true,
	}
	stampWords = map[string]bool{
		"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
		"mon": true, "tue": true, "tues": true, "wed": true, "thu": true, "thur": true, "thurs": true, "fri": true, "sat": true, "sun": true,
		"am": true, "pm": true, "a.m": true, "p.m": true, "et": true, "edt": true, "est": true, "ct": true, "cdt": true, "cst": true,
		"mt": true, "mdt": true, "mst": true, "pt": true, "pdt": true, "pst": true, "gmt": true, "bst": true, "utc": true, "cet": true,
		"cest": true, "eet": true, "eest": true, "ist": true, "aest": true, "aedt": true, "jst": true, "hkt": true, "sgt": true,
		"at": true, "on": true, "updated": true, "published": true, "posted": true, "created": true, "last": true, "first": true, "modified": true,
		"date": true, "min": true, "mins": true, "minute": true, "minutes": true, "read": true, "of": true, "time": true,
		"reading": true, "today": true, "yesterday": true, "ago": true, "hours": true, "hour": true, "hr": true, "hrs": true,
		"just": true, "now": true,
		// reading time in Portuguese, Spanish, French and German:
		// "Tempo de leitura: 2 minutos", "Lesezeit: 4 Minuten"
		"tempo": true, "tiempo": true, "temps": true, "de": true, "minutos": true, "minuto": true, "minuten": true,
	}
	stampAnchors = map[string]bool{"read": true, "ago": true, "today": true, "yesterday": true, "now": true,
		"leitura": true, "lectura": true, "lecture": true, "lesezeit": true}
)

// stamp reports whether line is only a time stamp; absolute is true when
// it names a calendar date (worth keeping as Article.Date).
func (p *patterns) stamp(line string) (ok, absolute bool) {
	if len(line) > 120 {
		return false, false
	}
	if p.relative.MatchString(line) {
		return true, false
	}
	// The line's tokens one at a time, lowered as they come: most lines
	// are turned down at their first word.
	anchor, n, rest := false, 0, line
	for {
		i := strings.IndexFunc(rest, notStampSep)
		if i < 0 {
			break
		}
		rest = rest[i:]
		j := strings.IndexFunc(rest, stampSep)
		if j < 0 {
			j = len(rest)
		}
		if !noQuickTest && notStampToken(rest[:j]) {
			return false, false
		}
		t := strings.TrimRight(toLower(rest[:j]), ".:")
		rest = rest[j:]
		if n++; n > 20 {
			return false, false
		}
		switch {
		case t == "":
		case monthWords[t], p.isoDate.MatchString(t):
			anchor, absolute = true, true
		case p.clock.MatchString(t):
			anchor = true
		case stampAnchors[t]:
			anchor = true
		case stampWords[t], isDigits(t) && len(t) <= 4, p.ordinal.MatchString(t):
		case strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+"):
			// time-zone offsets like +01:00
		default:
			return false, false
		}
	}
	if n == 0 {
		return false, false
	}
	return anchor, absolute && anchor
}

// notStampToken reports, without making a lowered copy, that stamp's
// switch turns tok down (the default case): tok is ASCII, and lowered and
// without its trailing ".:" it is not empty, starts with no digit, "-"
// or "+" (isoDate, clock, ordinal and isDigits need a digit) and is no
// word of monthWords, stampAnchors or stampWords. False when it cannot
// tell.
func notStampToken(tok string) bool {
	var buf [32]byte
	if len(tok) > len(buf) {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] >= utf8.RuneSelf {
			return false
		}
		buf[i] = lowerASCII(tok[i])
	}
	t := bytes.TrimRight(buf[:len(tok)], ".:")
	if len(t) == 0 || '0' <= t[0] && t[0] <= '9' || t[0] == '-' || t[0] == '+' {
		return false
	}
	return !monthWords[string(t)] && !stampAnchors[string(t)] && !stampWords[string(t)]
}

// stampSep separates the tokens of a time stamp line.
func stampSep(r rune) bool {
	switch r {
	case ',', '|', '·', '•', '/', '–', '—', '(', ')':
		return true
	}
	return unicode.IsSpace(r)
}

func notStampSep(r rune) bool { return !stampSep(r) }

// nameParticles may appear lowercase inside a person's name.
var nameParticles = map[string]bool{
	"and": true, "&": true, "de": true, "van": true, "von": true, "der": true, "den": true, "la": true, "le": true,
	"da": true, "di": true, "du": true, "bin": true, "al": true, "el": true, "y": true, "ibn": true, "dos": true,
	"das": true, "del": true, "ter": true, "st.": true,
}

// bylineOf returns the author part of a "By Jane Doe" line, or "".
func (p *patterns) bylineOf(line string) string {
	if !p.byline.mayStart(line) {
		return ""
	}
	m := p.byline.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	names := strings.TrimSuffix(m[1], " .")
	// "Jane Doe and John Roe for MailOnline": the outlet is not a name.
	if loc := p.forOutlet.FindStringIndex(names); loc != nil {
		names = names[:loc[0]]
	}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " · "} {
		if i := strings.Index(names, sep); i > 0 {
			names = names[:i]
		}
	}
	names = strings.TrimRight(names, " ,")
	words := strings.Fields(names)
	if len(words) == 0 || len(words) > 12 {
		return ""
	}
	for _, w := range words {
		w = strings.Trim(w, ",")
		if w == "" || nameParticles[strings.ToLower(w)] {
			continue
		}
		r := []rune(w)[0]
		if !unicode.IsUpper(r) {
			return ""
		}
	}
	if endsPeriod(names) && !strings.HasSuffix(names, ".") {
		return ""
	}
	return names
}

// datelineOf returns the dateline that starts paragraph, or "".
func (p *patterns) datelineOf(paragraph string) string {
	var dl string
	tag := false // the dateline is a source tag alone: "(CNN)"
	// Quick tests in front of the regexps, which cost more to start than
	// most paragraphs take to turn down: dateline starts with a capital
	// and a capital or one of ".'’-", datelineWire with a capital and
	// names a wire in brackets, datelineParen starts with "(".
	first, size := utf8.DecodeRuneInString(paragraph)
	second, _ := utf8.DecodeRuneInString(paragraph[size:])
	upper := unicode.Is(unicode.Upper, first)
	find := func(ok bool, re *regexp.Regexp) []string {
		if !ok && !noQuickTest {
			return nil
		}
		return re.FindStringSubmatch(paragraph)
	}
	if m := find(upper && (unicode.Is(unicode.Upper, second) || strings.ContainsRune(".'’-", second)), p.dateline); m != nil {
		dl = m[1]
	} else if m := find(upper && (strings.Contains(paragraph, "(CNN") || strings.Contains(paragraph, "(Reuters)") || strings.Contains(paragraph, "(AP)") || strings.Contains(paragraph, "(AFP)")), p.datelineWire); m != nil {
		dl = m[1]
	} else if m := find(first == '(', p.datelineParen); m != nil {
		dl, tag = m[1], true
	} else {
		return ""
	}
	dl = strings.TrimSpace(dl)
	rest := datelineRest(paragraph, dl)
	if wordsUpTo(rest, 3) < 3 || !hasLetter(dl) {
		return ""
	}
	if r, _ := utf8.DecodeRuneInString(rest); tag && unicode.IsLower(r) {
		// "(Mostly sunny) with showers later" is no source tag.
		return ""
	}
	return dl
}

// datelineRest returns paragraph without the dateline dl at its start and
// the dash or colon after it: the text of the first sentence. It returns
// paragraph unchanged when it does not start with dl.
func datelineRest(paragraph, dl string) string {
	rest, ok := strings.CutPrefix(paragraph, dl)
	if !ok || dl == "" {
		return paragraph
	}
	rest = strings.TrimLeft(rest, " ")
	for _, dash := range []string{"--", "–", "—", "-", ":"} {
		if r, ok := strings.CutPrefix(rest, dash); ok {
			rest = r
			break
		}
	}
	return strings.TrimLeft(rest, " ")
}

// Dateline returns the dateline Clean records in Article.Dateline for a
// cleaned body (paragraphs separated by blank lines): the one at the start
// of the first paragraph, or of the second when the first is a headline.
// Summarizers that only have the body use it to find the dateline Clean
// found.
func Dateline(body string) string {
	c := &cleaner{p: builtinPatterns()}
	first, rest, _ := strings.Cut(body, "\n\n")
	second, _, _ := strings.Cut(rest, "\n\n")
	paras := []string{first}
	if second != "" {
		paras = append(paras, second)
	}
	return c.datelineOf(paras)
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

// isRelatedMarker reports whether text starts a block of links to other
// articles.
func (p *patterns) isRelatedMarker(text string) bool { return p.relatedMarker(&line{text: text}) }

// relatedMarker is isRelatedMarker on a line whose core may be made
// already.
func (p *patterns) relatedMarker(l *line) bool {
	if len(l.text) > 80 {
		return false
	}
	return p.related.MatchString(strings.TrimRight(l.coreText(), " :"))
}

// metaLine recognises a line made of a time stamp and a byline separated
// by "|" or "·" ("Posted: 14 March 2011 | By Élodie Marchetti"), or of a
// stamp followed by "by" and the names ("5:45 AM PST 11/19/2019 by
// Patrick Shanley"), and returns them.
func (p *patterns) metaLine(line string) (date, byline string, ok bool) {
	if len(line) > 200 {
		return "", "", false
	}
	if strings.IndexByte(line, '|') < 0 && !strings.Contains(line, "·") && !strings.Contains(line, "•") {
		return p.stampBy(line)
	}
	parts := strings.FieldsFunc(line, func(r rune) bool { return r == '|' || r == '·' || r == '•' })
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if st, abs := p.stamp(part); st {
			if abs && date == "" {
				date = part
			}
			continue
		}
		if by := p.bylineOf(part); by != "" && byline == "" {
			byline = by
			continue
		}
		return "", "", false
	}
	return date, byline, byline != "" || date != ""
}

// stampBy recognises a time stamp followed by " by " and a byline.
func (p *patterns) stampBy(line string) (date, byline string, ok bool) {
	i := lastBy(line)
	if i <= 0 {
		return "", "", false
	}
	stamp := strings.TrimRight(line[:i], " ,·-–—")
	st, abs := p.stamp(stamp)
	if !st {
		return "", "", false
	}
	by := p.bylineOf("By " + strings.TrimSpace(line[i+4:]))
	if by == "" {
		return "", "", false
	}
	if abs {
		date = stamp
	}
	return date, by, true
}

// lastBy returns the index of the last " by " in line, or when there is
// none of the last " By ", or -1: strings.LastIndex of each, from one
// pass that looks at the few "y"s of the line (IndexByte is vectorised,
// LastIndex hashes every byte).
func lastBy(line string) int {
	lower, upper := -1, -1
	for off := 0; ; {
		k := strings.IndexByte(line[off:], 'y')
		if k < 0 {
			break
		}
		y := off + k
		off = y + 1
		if y < 2 || y+1 >= len(line) || line[y-2] != ' ' || line[y+1] != ' ' {
			continue
		}
		switch line[y-1] {
		case 'b':
			lower = y - 2
		case 'B':
			upper = y - 2
		}
	}
	if lower >= 0 {
		return lower
	}
	return upper
}

var (
	dayMonthYear = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b`)
	monthDayYear = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	isoDay       = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
)

// isoDate returns the calendar date in a stamp line as YYYY-MM-DD, or the
// stamp as found when it holds no complete date.
func isoDate(stamp string) string {
	var d, mon, y string
	if m := isoDay.FindStringSubmatch(stamp); m != nil {
		return m[0]
	} else if m := dayMonthYear.FindStringSubmatch(stamp); m != nil {
		d, mon, y = m[1], m[2], m[3]
	} else if m := monthDayYear.FindStringSubmatch(stamp); m != nil {
		mon, d, y = m[1], m[2], m[3]
	} else {
		return strings.TrimSpace(stamp)
	}
	t, err := time.Parse("2 Jan 2006", d+" "+strings.ToUpper(mon[:1])+strings.ToLower(mon[1:3])+" "+y)
	if err != nil {
		return strings.TrimSpace(stamp)
	}
	return t.Format("2006-01-02")
}

// nameLike reports whether line looks like a person's name on its own:
// two to four capitalised words of letters.
func nameLike(line string) bool {
	words := strings.Fields(line)
	if len(words) < 2 || len(words) > 4 || len(line) > 40 {
		return false
	}
	for _, w := range words {
		r := []rune(w)
		if !unicode.IsUpper(r[0]) {
			return false
		}
		for _, c := range r {
			if !unicode.IsLetter(c) && c != '-' && c != '\'' && c != '’' && c != '.' {
				return false
			}
		}
	}
	return true
}
