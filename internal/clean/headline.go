package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// titleSeparators split a page title from the site name appended to it
// ("… - VG247", "… | CNN", "… — The Guardian").
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " • "}

// maxSiteWords bounds the site name cut from the end of a page title.
const maxSiteWords = 5

// withoutSite returns title without a site name after its last separator,
// or title when it has none.
func withoutSite(title string) string {
	best := -1
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(title, sep); i > best {
			best = i
		}
	}
	if best <= 0 {
		return title
	}
	site := strings.TrimLeft(title[best+1:], "|-–—:·• ")
	if !siteLike(site) {
		return title
	}
	return strings.TrimSpace(title[:best])
}

// withoutSiteName returns title without the site name site after a
// separator at its end ("… – Jornal do Vale"), or title.
func withoutSiteName(title, site string) string {
	if site == "" {
		return title
	}
	if t := withoutSite(title); t != title && headlineKey(strings.TrimPrefix(title, t)) == headlineKey(site) {
		return t
	}
	return title
}

// siteLike reports whether s could be a site name: a few words without
// commas or end punctuation, capitalised unless it is a domain
// ("theguardian.com").
func siteLike(s string) bool {
	if s == "" || wordCount(s) > maxSiteWords || endsTerminal(s) || strings.ContainsAny(s, ",;") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return !unicode.IsLower(r) || !strings.Contains(s, " ") && strings.Contains(s, ".")
}

// headlineKey is s as compared with a page title: lowercase words of
// letters and digits, so that dashes, quotes and spacing do not matter.
func headlineKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// headlineOf reports whether line is the page's title: the same words
// once a site name after a separator is dropped from one of them. It
// returns the title to keep: title, or line when only title names the
// site.
func headlineOf(line, title string) (string, bool) {
	l, t := headlineKey(line), headlineKey(title)
	switch {
	case l == "" || t == "":
		return title, false
	case l == t, headlineKey(withoutSite(line)) == t:
		return title, true
	case l == headlineKey(withoutSite(title)):
		return line, true
	}
	return title, false
}

// inTitle reports whether line's words appear, in order and whole, in the
// document's <title>.
func inTitle(line, docTitle string) bool {
	l := headlineKey(line)
	return l != "" && strings.Contains(" "+headlineKey(docTitle)+" ", " "+l+" ")
}
