// Package bullet turns a language model's reply into headline bullets and
// checks them against the bullet contract.
//
// Models rarely answer with bullets alone. Parse accepts the shapes seen in
// practice — "- ", "* ", "• ", "– " and "1. " / "1) " lists, JSON arrays and
// {"bullets": [...]} objects (fenced or not), preambles such as "Sure! Here
// are the bullets:", trailing commentary such as "Let me know if...",
// <think>...</think> reasoning blocks, markdown emphasis and surrounding
// quotes — and keeps what it dropped in Parsed.Leftovers, so that Check can
// report that the model did not follow the format even when the bullets
// could be recovered.
package bullet

import (
	"strings"
	"unicode"
)

// Formats reported in Parsed.Format.
const (
	FormatDash     = "dash"     // "- ", "* ", "• ", "– " ... markers
	FormatNumbered = "numbered" // "1. " or "1) " markers
	FormatMixed    = "mixed"    // both of the above
	FormatJSON     = "json"     // a JSON array of strings or an object holding one
	FormatLines    = "lines"    // short plain lines, one bullet each
	FormatProse    = "prose"    // running text: no bullets recovered
	FormatEmpty    = "empty"    // nothing but whitespace, reasoning or special tokens
)

// Parsed is a model reply split into bullets and the text that was dropped.
type Parsed struct {
	// Bullets are single-line, trimmed bullet texts without markers,
	// emphasis or surrounding quotes. None is empty.
	Bullets []string `json:"bullets"`
	// Leftovers is the dropped text, verbatim and trimmed, one entry per
	// contiguous chunk: preambles, commentary, headings, reasoning blocks
	// (tags included), or the whole reply when it is prose.
	Leftovers []string `json:"leftovers,omitempty"`
	// Format names the shape the bullets were found in (see the Format
	// constants).
	Format string `json:"format"`
}

// Parse extracts bullets from a model reply. It never fails: a reply with no
// recognisable bullets gives no Bullets, Format FormatProse or FormatEmpty,
// and the text in Leftovers.
//
// Plain lines with no markers are taken as bullets only when the whole reply
// (after any preamble and closing commentary) is short lines of at most
// maxLineWords words and two sentences each; otherwise the reply is prose.
func Parse(reply string) Parsed {
	text := normalize(reply)
	text, leftovers := splitReasoning(text)
	text = dropFences(text)

	p := Parsed{Leftovers: leftovers}
	var bullets, left []string
	var format string
	if b, l, ok := parseJSON(text); ok {
		bullets, left, format = b, l, FormatJSON
	} else {
		bullets, left, format = parseLines(text)
	}
	p.Leftovers = append(p.Leftovers, left...)
	for _, b := range bullets {
		if c := cleanBullet(b); Words(c) > 0 {
			p.Bullets = append(p.Bullets, c)
		}
	}
	switch {
	case len(p.Bullets) > 0:
		p.Format = format
	case strings.TrimSpace(text) == "":
		p.Format = FormatEmpty
	default:
		p.Format = FormatProse
	}
	if len(p.Bullets) == 0 && format != FormatProse && strings.TrimSpace(text) != "" {
		// Markers or JSON with nothing usable inside: keep the text.
		p.Leftovers = appendChunk(p.Leftovers, text)
	}
	return p
}

// Words counts the words of s: whitespace-separated tokens holding at least
// one letter or digit, so a lone "–" or "&" is not a word.
func Words(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, isAlnum) >= 0 {
			n++
		}
	}
	return n
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// appendChunk appends the trimmed chunk when it is not blank.
func appendChunk(dst []string, chunk string) []string {
	if c := strings.TrimSpace(chunk); c != "" {
		return append(dst, c)
	}
	return dst
}
