package clean

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// cleanHTML extracts the main content of an HTML page (already decoded to
// UTF-8) with go-trafilatura and its fallback extractors, rebuilds
// paragraphs from the extracted tree, and applies the text noise rules.
// A page the parser refuses (nested deeper than its 512 elements) is read
// token by token instead (tokenExtract).
func (c *cleaner) cleanHTML(page, source string) (Article, error) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		// The reader is a string: the error is the parser giving up.
		text, art := tokenExtract(page)
		return c.finishHTML(titleDoc(art.Title), art, text), nil
	}
	opts := trafilatura.Options{
		EnableFallback:  true,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Fast,
		PruneSelector:   pruneSelector,
	}
	if u, err := url.Parse(source); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		opts.OriginalURL = u
	}
	host := ""
	if opts.OriginalURL != nil {
		host = strings.TrimPrefix(opts.OriginalURL.Hostname(), "www.")
	}
	c.links = linkBlocks(doc, host, c.p)
	var art Article
	var text string
	if countParagraphs(doc, maxTrafilaturaParagraphs) > maxTrafilaturaParagraphs {
		text, art = simpleExtract(doc)
	} else {
		res, err := extract(doc, opts)
		if errors.Is(err, errExtractPanic) {
			text, art = simpleExtract(doc)
			return c.finishHTML(doc, art, text), nil
		}
		if err != nil || res == nil || res.ContentNode == nil {
			// Nothing extracted: Clean reports ErrNoContent for the empty body.
			return art, nil
		}
		md := res.Metadata
		art.Title = oneLine(md.Title)
		art.Byline = oneLine(md.Author)
		art.SiteName = oneLine(md.Sitename)
		art.Language = md.Language
		if !md.Date.IsZero() {
			art.Date = formatDate(md.Date)
		}
		visible := visibleText(doc)
		text = unglue(blockText(res.ContentNode, visible), visible)
		art.Title = unglue(art.Title, visible)
		if flat(res.ContentNode) {
			// go-trafilatura's last resort joins the text of a whole
			// <article> into one paragraph, with no space where one block
			// ends and the next starts ("HeadlineFirst sentence"). The
			// same text laid out block by block replaces it.
			if blocksText, _ := simpleExtract(doc); sameLetters(blocksText, text) {
				text = blocksText
			}
		}
	}

	return c.finishHTML(doc, art, text), nil
}

// finishHTML cleans the text extracted from a page and completes art.
func (c *cleaner) finishHTML(doc *html.Node, art Article, text string) Article {
	tr := c.cleanText(text, true)
	paras := tr.paragraphs
	// The headline sometimes comes along with the content, with or
	// without the site name the title carries ("… - VG247") and with
	// other dashes or quotes. The line in the body, without the site
	// name, is the better title.
	art.Title = withoutSiteName(art.Title, art.SiteName)
	if len(paras) > 0 {
		if title, ok := headlineOf(paras[0], art.Title); ok {
			art.Title = title
			paras = paras[1:]
		}
	}
	// A page without a headline in its metadata often has it as the first
	// short line of the content, also found in <title>.
	if len(paras) > 1 && headlineLike(paras[0]) && !isProse(paras[0]) && inTitle(paras[0], docTitle(doc)) {
		art.Title = paras[0]
		paras = paras[1:]
	}
	// So does the author's name on a line of its own.
	for len(paras) > 0 && art.Byline != "" && sameText(paras[0], art.Byline) {
		paras = paras[1:]
	}
	if art.Byline == "" {
		art.Byline = tr.byline
	}
	if art.Date == "" {
		art.Date = tr.date
	}
	art.Body = strings.Join(paras, "\n\n")
	art.Dateline = c.datelineOf(paras)
	art.Notes = tr.notes
	return art
}

// flat reports whether an extracted tree is a single paragraph of text
// without markup.
func flat(root *html.Node) bool {
	p := root.FirstChild
	return p != nil && p.NextSibling == nil && p.Type == html.ElementNode && p.Data == "p" &&
		p.FirstChild != nil && p.FirstChild.NextSibling == nil && p.FirstChild.Type == html.TextNode
}

// sameLetters reports whether a and b are the same text but for whitespace
// (and the aloneMark of list items and headings).
func sameLetters(a, b string) bool {
	noSpace := func(s string) string {
		return strings.Map(func(r rune) rune {
			if isSpace(r) || r == aloneMark {
				return -1
			}
			return r
		}, s)
	}
	return noSpace(a) == noSpace(b)
}

// errExtractPanic marks a panic inside go-trafilatura.
var errExtractPanic = errors.New("main-content extractor panicked")

// extract runs go-trafilatura, turning a panic inside it into an error so
// that one odd page cannot take the whole program down.
func extract(doc *html.Node, opts trafilatura.Options) (res *trafilatura.ExtractResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%w: %v", errExtractPanic, r)
		}
	}()
	return trafilatura.ExtractDocument(doc, opts)
}

// pruneSelector names containers that hold comments, share bars,
// newsletter boxes and captions on common CMSs; they are removed before
// extraction.
const pruneSelector = "#comments, .comments, .comments-section, .comments-area, .comment-list, #respond, " +
	".sharedaddy, .jp-relatedposts, .newsletter-signup, .subscription-widget, .social-share, .share-bar, figcaption"

// oneLine collapses the whitespace of a metadata value.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// formatDate renders a date as ISO 8601: a date alone when there is no
// time of day.
func formatDate(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

// skipped are elements whose text never belongs to the article.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Figcaption: true, atom.Button: true, atom.Select: true, atom.Option: true, atom.Nav: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Head: true, atom.Form: true,
}

// blocks are elements that start and end a paragraph.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Li: true, atom.Blockquote: true, atom.Pre: true, atom.Dd: true, atom.Dt: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Table: true, atom.Tr: true, atom.Section: true,
	atom.Article: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Main: true,
	atom.Figure: true, atom.Hr: true, atom.Summary: true, atom.Details: true, atom.Address: true,
	atom.Caption: true, atom.Center: true,
}

// docTitle returns the text of the document's <title>, or "".
func docTitle(doc *html.Node) string {
	var title string
	var find func(n *html.Node) bool
	find = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Title {
			if n.FirstChild != nil {
				title = n.FirstChild.Data
			}
			return true
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			return false
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if find(c) {
				return true
			}
		}
		return false
	}
	find(doc)
	return oneLine(title)
}
