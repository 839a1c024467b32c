// Package clean loads articles — files, standard input, http(s) URLs; plain
// text or HTML; any common encoding — and cleans them into an Article: the
// main text as paragraphs, with page noise (captions, share bars, ads,
// related-article lists, credits, cookie banners, …) removed by named rules,
// reference bullets split off, and metadata (title, byline, date, site,
// language, dateline) when the input has it.
//
// Load reads and sniffs; Clean decodes, extracts and cleans:
//
//	in, err := clean.Load(ctx, "article.html", clean.LoadOptions{})
//	art, err := clean.Clean(in, clean.Options{})
//
// The noise rules are listed by RuleNames; Options switches them on and off
// and adds patterns. Cleaning is idempotent: cleaning an Article's Body
// again gives the same Body.
package clean

import (
	"strings"
	"unicode"
)

// Clean decodes in, extracts the article text (main content for HTML),
// removes page noise and splits off reference bullets. It returns ErrEmpty
// for blank input, ErrBinary for binary data, ErrNoContent when nothing
// that reads like an article is left, and an ErrOptions error for unknown
// rules or bad patterns.
func Clean(in Input, opts Options) (Article, error) {
	rs, err := compileOptions(opts)
	if err != nil {
		return Article{}, err
	}
	source := in.Source
	if source == "" {
		source = "input"
	}
	if in.MediaType == "" {
		sniffed, err := sniff(source, in.Data, "", in.Charset)
		if err != nil {
			return Article{}, err
		}
		in.MediaType, in.Charset = sniffed.MediaType, sniffed.Charset
	}
	isHTML := in.MediaType == MediaHTML || in.MediaType == "application/xhtml+xml"
	cs := in.Charset
	if cs == "" {
		cs = detectCharset(in.Data, "", isHTML)
	}
	text := decode(in.Data, cs)
	if isBlank(text) {
		return Article{}, newKind(ErrEmpty, source+": input is empty")
	}
	c := &cleaner{rs: rs, p: builtinPatterns()}
	var art Article
	if isHTML {
		art, err = c.cleanHTML(text, in.Source)
		if err != nil {
			return Article{}, err
		}
	} else {
		res := c.cleanText(text, false)
		art = Article{Title: res.title, Byline: res.byline, Date: res.date, Dateline: res.dateline, Body: res.body(), Refs: res.refs}
	}
	art.Source = in.Source
	if !meaningful(art.Body) {
		return Article{}, newKind(ErrNoContent, source+": no article text left after removing page noise")
	}
	return art, nil
}

// meaningful reports whether body has enough text to be an article: at
// least thirty letters and six words (in scripts written without spaces,
// two characters count as a word).
func meaningful(body string) bool {
	letters, dense := 0, 0
	for _, r := range body {
		if unicode.IsLetter(r) {
			letters++
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar) {
				dense++
			}
		}
	}
	return letters >= 30 && wordCount(body)+dense/2 >= 6
}

// sameText reports whether a and b are the same words, ignoring case,
// punctuation and spacing.
func sameText(a, b string) bool {
	f := func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}), " ")
	}
	return f(a) != "" && f(a) == f(b)
}
