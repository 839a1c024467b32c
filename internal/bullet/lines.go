package bullet

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLineWords is the longest plain line (no marker) still taken as a bullet.
const maxLineWords = 40

// symbolMarkers start a bullet when followed by a space. The ones in
// tightMarkers also start one when followed directly by text.
var (
	symbolMarkers = [...]string{"-", "*", "+", "•", "◦", "▪", "‣", "·", "–", "—", "●", "○", "■", "□", "➢", "►", "✓", "✔"}
	tightMarkers  = "•◦▪‣●■►➢"
)

// numberMarker matches "1. ", "1) ", "(1) " and "1.\t".
var numberMarker = regexp.MustCompile(`^\(?[0-9]{1,2}[.)]\)?(?:\s+|$)`)

// preamble and commentary recognise the chatter around bullets.
var (
	preamble    = regexp.MustCompile(`(?i)^(?:sure|certainly|of course|absolutely|okay|ok|great|alright|here(?:'s| is| are)|below (?:is|are)|the following|these are|i've|i have|i'll|i will|summary|bullets?|headlines?|key points)\b`)
	commentary  = regexp.MustCompile(`(?i)^(?:let me know|note\b|notes?:|please note|i hope|hope (?:this|these|that)|feel free|if you(?:'d| would)?|would you like|do you want|these bullets|this summary|the bullets above|disclaimer|\(note|\*note|i can also|i'd be happy|happy to)`)
	sentenceEnd = regexp.MustCompile(`[.!?]["'”’)]?\s+\S`)
	// refusal recognises a model declining or asking back: such a reply
	// without markers is prose, never bullets.
	refusal = regexp.MustCompile(`(?i)^(?:i'?m sorry|i am sorry|sorry,|i (?:cannot|can't|can not|won't|am unable|'m unable)|unfortunately,? i|as an ai|i apologi[sz]e|could you (?:please )?provide|please provide)`)
)

type lineKind int

const (
	blankLine lineKind = iota
	dashLine
	numberedLine
	headingLine
	plainLine
)

// parseLines parses marker-based lists, or short plain lines when no line
// carries a marker.
func parseLines(text string) (bullets, leftovers []string, format string) {
	lines := strings.Split(text, "\n")
	kinds := make([]lineKind, len(lines))
	bodies := make([]string, len(lines))
	var dash, numbered bool
	for i, l := range lines {
		kinds[i], bodies[i] = classify(l)
		dash = dash || kinds[i] == dashLine
		numbered = numbered || kinds[i] == numberedLine
	}
	switch {
	case dash && numbered:
		format = FormatMixed
	case dash:
		format = FormatDash
	case numbered:
		format = FormatNumbered
	default:
		b, l, ok := plainLines(lines, kinds)
		if !ok {
			return nil, appendChunk(nil, text), FormatProse
		}
		return b, l, FormatLines
	}

	var chunk []string // current leftover chunk
	flush := func() {
		leftovers = appendChunk(leftovers, strings.Join(chunk, "\n"))
		chunk = chunk[:0]
	}
	inBullet := false // the previous line belongs to a bullet
	for i, l := range lines {
		switch kinds[i] {
		case blankLine:
			inBullet = false
			flush()
		case dashLine, numberedLine:
			flush()
			// "• a • b • c": several bullets run together on one line.
			bullets = append(bullets, strings.Split(bodies[i], " • ")...)
			inBullet = true
		case plainLine:
			if inBullet && isContinuation(l) && !commentary.MatchString(strings.TrimSpace(l)) {
				bullets[len(bullets)-1] += " " + strings.TrimSpace(l)
				continue
			}
			inBullet = false
			chunk = append(chunk, strings.TrimSpace(l))
		case headingLine:
			inBullet = false
			chunk = append(chunk, strings.TrimSpace(l))
		}
	}
	flush()
	return bullets, leftovers, format
}

// plainLines takes every line of a reply without markers as a bullet, after
// setting aside a preamble, closing commentary and headings, provided each
// remaining line is short. It reports false for prose.
func plainLines(lines []string, kinds []lineKind) (bullets, leftovers []string, ok bool) {
	var body []string
	for i, l := range lines {
		switch kinds[i] {
		case headingLine:
			leftovers = appendChunk(leftovers, l)
		case plainLine:
			body = append(body, strings.TrimSpace(l))
		}
	}
	var head, tail []string
	for len(body) > 0 && isPreamble(body[0]) {
		head, body = append(head, body[0]), body[1:]
	}
	for len(body) > 0 && commentary.MatchString(body[len(body)-1]) {
		tail, body = append([]string{body[len(body)-1]}, tail...), body[:len(body)-1]
	}
	if len(body) == 0 {
		return nil, nil, false
	}
	for _, l := range body {
		if refusal.MatchString(strings.Trim(l, "*_\"' ")) {
			return nil, nil, false
		}
		if Words(l) > maxLineWords || len(sentenceEnd.FindAllStringIndex(l, -1)) > 1 {
			return nil, nil, false
		}
	}
	leftovers = appendChunk(leftovers, strings.Join(head, "\n"))
	leftovers = appendChunk(leftovers, strings.Join(tail, "\n"))
	return body, leftovers, true
}

// isPreamble reports whether a plain line introduces the bullets rather
// than being one: a known opener, or a short line ending in a colon.
func isPreamble(l string) bool {
	l = strings.Trim(l, "*_ ")
	return preamble.MatchString(l) || strings.HasSuffix(l, ":") && Words(l) <= 15
}

// isContinuation reports whether a plain line directly after a bullet
// continues it: it is indented, or it starts with a lower-case letter.
func isContinuation(l string) bool {
	if l != strings.TrimLeft(l, " \t") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(l)
	return unicode.IsLower(r)
}

// classify returns a line's kind and, for a bullet line, the text after
// its marker.
func classify(l string) (lineKind, string) {
	t := strings.TrimSpace(l)
	if t == "" {
		return blankLine, ""
	}
	if strings.HasPrefix(t, "#") {
		return headingLine, ""
	}
	for _, s := range []string{t, strings.TrimLeft(t, "*_")} {
		if rest, ok := cutSymbolMarker(s); ok {
			return dashLine, rest
		}
		if rest, ok := cutNumberMarker(s); ok {
			return numberedLine, rest
		}
	}
	return plainLine, ""
}

// cutSymbolMarker removes a leading "- ", "• " ... marker.
func cutSymbolMarker(s string) (string, bool) {
	for _, m := range symbolMarkers {
		rest, ok := strings.CutPrefix(s, m)
		if !ok {
			continue
		}
		if rest == "" {
			return "", true
		}
		r, _ := utf8.DecodeRuneInString(rest)
		if unicode.IsSpace(r) || strings.Contains(tightMarkers, m) {
			return strings.TrimLeftFunc(rest, unicode.IsSpace), true
		}
	}
	return s, false
}

// cutNumberMarker removes a leading "1. " or "1) " marker.
func cutNumberMarker(s string) (string, bool) {
	loc := numberMarker.FindStringIndex(s)
	if loc == nil {
		return s, false
	}
	return s[loc[1]:], true
}
