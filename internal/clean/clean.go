// Package clean loads articles — files, standard input, http(s) URLs; plain
// text or HTML; any common encoding — and cleans them into an Article: the
// main text as paragraphs, with page noise removed by named rules,
// reference bullets split off, and metadata (title, byline, date, site,
// language, dateline) when the input has it.
//
// Load reads and sniffs; Clean decodes, extracts and cleans:
//
//	in, err := clean.Load(ctx, "article.html", clean.LoadOptions{})
//	art, err := clean.Clean(in, clean.Options{})
//
// Text is decoded to UTF-8 (BOM, HTTP charset, <meta charset>, UTF-16,
// Windows-1252 detection, U+FFFD for broken bytes) and normalised to NFC.
// HTML goes through go-trafilatura's main-content extraction (with its
// fallback extractors); its tree is turned back into paragraphs, one per
// block element. Both paths then run the line rules listed by RuleNames,
// which Options can narrow, switch off or extend with patterns.
//
// This package is the one place where page noise is detected: the
// summarizers (the LLM path and internal/extractive) and the eval harness
// read the Article it returns and strip no boilerplate of their own. What a
// summarizer still does is shape text into bullets, such as dropping from
// its first sentence the dateline that Article.Dateline (or Dateline, given
// only a body) names.
//
// Decisions worth knowing:
//
//   - Paragraphs are separated by "\n\n". A copied line that stops
//     mid-sentence (no end punctuation, next line starts lowercase, or ends
//     with a comma or "and") is joined to the next one; blocks hard-wrapped
//     at a fixed width are joined whole.
//   - A headline left at the top of an HTML page's text is removed when it
//     is the page title once a site name ("… - VG247", "… | CNN"), dashes
//     and quotes are set aside; the line without the site name is Title.
//   - Short subheadings inside the body ("US Will Be Involved") are kept as
//     their own paragraph; the "subheading" rule (off by default) drops them.
//   - Text title: the first remaining line becomes Title only when it reads
//     like a headline (short, no full stop) and is directly followed by
//     text, or by lines that were removed (byline, time stamp, bullets,
//     share bar). A photo caption is never a title: captions are removed
//     first. A "Subject:" mail header is also a title.
//   - Reference bullets: the first run of "- " (or "•", "*") bullets before
//     the body starts, and "@highlight" bullets of .story files, go to
//     Article.Refs and leave the body (Options.KeepRefs keeps them there).
//     In HTML, list items are body text, and each list item and heading
//     stays a paragraph of its own: no line is joined to it or it to one.
//   - The dateline ("BRUSSELS –", "WASHINGTON (Reuters) -", "(CNN)",
//     "Washington (CNN)", "(The Hollywood Reporter)") stays in the body and
//     is copied into Article.Dateline.
//   - Some noise comes glued inside a line of text, where line rules cannot
//     see it: Daily Mail's "Scroll down for video" prompts (rule scroll)
//     and its "By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . | .
//     UPDATED: …" headers at the start of the text (rules byline and
//     timestamp). These are cut out of the line, and the rest is kept.
//   - A marker such as "RELATED TOPICS:", "Most viewed" or "Read more"
//     drops the headline list after it, up to the next sentence-like line;
//     a comments heading drops everything after it.
//   - The text cleaner's rules are tables (regions.go, linetable.go,
//     runtable.go, inline.go): each entry returns a verdict for a line in
//     the regions of the page it names (header, references, body,
//     related, comments). Entries lists them; RuleNames' descriptions
//     are made from them.
//   - In HTML a list is dropped only when the page has its lines as links
//     to other pages (links.go); otherwise lists are content.
//   - A rule that judges lines by their shape stands down for a page
//     rather than remove all of it; Article.Notes says so.
//   - Cleaning is idempotent: the cleaner makes one pass whose output is
//     a fixed point (settle.go says why), with one local re-check: a
//     paragraph joined from several lines is judged again by the line
//     table, as cleaning it again would.
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
	switch source {
	case "":
		source = "input"
	case "-":
		source = stdinName
	}
	// text is the decoded data when sniffing decoded it in the charset
	// used here; sniffing has then also turned blank text down.
	var text string
	if in.MediaType == "" {
		sniffed, sniffedText, err := sniffText(source, in.Data, "", in.Charset)
		if err != nil {
			return Article{}, err
		}
		in.MediaType, in.Charset = sniffed.MediaType, sniffed.Charset
		if !noQuickTest {
			text = sniffedText
		}
	}
	isHTML := in.MediaType == MediaHTML || in.MediaType == "application/xhtml+xml"
	if text == "" {
		cs := in.Charset
		if cs == "" {
			cs = detectCharset(in.Data, "", isHTML)
		}
		text = decode(in.Data, cs)
		if isBlank(text) {
			return Article{}, newKind(ErrEmpty, source+": input is empty")
		}
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
		art = Article{Title: res.title, Byline: res.byline, Date: res.date, Dateline: res.dateline, Body: res.body(), Refs: res.refs, Notes: res.notes}
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
func meaningful(body string) bool { return meaningfulParas([]string{body}) }

// meaningfulParas is meaningful of the paragraphs joined by blank lines,
// without joining them: the blank lines hold no letter and end a word.
func meaningfulParas(paras []string) bool {
	letters, words := 0, 0
	for _, p := range paras {
		for _, r := range p {
			if letters >= 30 {
				break
			}
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if words < 6 {
			words += wordsUpTo(p, 6-words)
		}
		if letters >= 30 && words >= 6 {
			return true
		}
	}
	return false
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
