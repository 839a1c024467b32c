package clean

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxTrafilaturaParagraphs is the number of <p> elements above which a page
// goes through the linear extractor below instead of go-trafilatura, whose
// main extractor concatenates paragraph texts one by one and so takes time
// and memory quadratic in the text of the page (minutes and hundreds of GB
// allocated for a 10 MB page). Real article pages have far fewer.
const maxTrafilaturaParagraphs = 2000

// countParagraphs counts <p> elements, stopping once past limit.
func countParagraphs(n *html.Node, limit int) int {
	count := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.P {
			count++
			if count > limit {
				return false
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	walk(n)
	return count
}

// boilerTokens mark class and id values of page furniture.
var boilerTokens = []string{"comment", "share", "social", "related", "newsletter", "promo", "advert", "cookie", "consent",
	"subscribe", "sidebar", "menu", "breadcrumb", "footer", "header", "navbar", "caption", "trending", "most-read", "popular"}

// isBoilerplate reports whether an element is page furniture by its tag,
// class or id.
func isBoilerplate(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Form, atom.Figure:
		return true
	}
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" && a.Key != "role" {
			continue
		}
		v := strings.ToLower(a.Val)
		if v == "ad" || strings.HasPrefix(v, "ad ") || strings.HasPrefix(v, "ad-") || v == "navigation" || v == "banner" {
			return true
		}
		for _, t := range boilerTokens {
			if strings.Contains(v, t) {
				return true
			}
		}
	}
	return false
}

// simpleExtract is the linear extractor for very large pages: it drops
// page furniture, picks <article>, <main> or the element holding most
// paragraph text, and renders it as blocks. Metadata comes from <meta>
// tags.
func simpleExtract(doc *html.Node) (string, Article) {
	var art Article
	var root, article, mainEl, body *html.Node
	parentText := map[*html.Node]int{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
				return
			case atom.Html:
				for _, a := range n.Attr {
					if a.Key == "lang" {
						art.Language = strings.ToLower(strings.SplitN(a.Val, "-", 2)[0])
					}
				}
			case atom.Meta:
				metaInto(n, &art)
			case atom.Article:
				if article == nil {
					article = n
				}
			case atom.Main:
				if mainEl == nil {
					mainEl = n
				}
			case atom.Body:
				body = n
			case atom.P:
				if n.Parent != nil {
					parentText[n.Parent] += textLen(n)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	best := 0
	for n, l := range parentText {
		if l > best {
			best, root = l, n
		}
	}
	switch {
	case article != nil:
		root = article
	case mainEl != nil:
		root = mainEl
	case root == nil:
		root = body
	}
	if art.Title == "" {
		art.Title = docTitle(doc)
	}
	if root == nil {
		return "", art
	}
	pruneBoilerplate(root)
	return blockText(root, ""), art
}

// pruneBoilerplate removes page furniture below root.
func pruneBoilerplate(root *html.Node) {
	for c := root.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && isBoilerplate(c) {
			root.RemoveChild(c)
		} else {
			pruneBoilerplate(c)
		}
		c = next
	}
}

// textLen returns the length of the text below n.
func textLen(n *html.Node) int {
	if n.Type == html.TextNode {
		return len(n.Data)
	}
	l := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		l += textLen(c)
	}
	return l
}

// metaInto copies what a <meta> tag says about the article into art.
func metaInto(n *html.Node, art *Article) {
	var key, content string
	for _, a := range n.Attr {
		switch a.Key {
		case "name", "property", "itemprop":
			key = strings.ToLower(a.Val)
		case "content":
			content = oneLine(a.Val)
		}
	}
	if content == "" {
		return
	}
	switch key {
	case "og:title", "twitter:title":
		if art.Title == "" {
			art.Title = content
		}
	case "og:site_name":
		art.SiteName = content
	case "author", "article:author":
		if art.Byline == "" && !strings.Contains(content, "://") {
			art.Byline = content
		}
	case "article:published_time", "datepublished", "date", "pubdate":
		if art.Date == "" {
			art.Date = isoDate(content)
		}
	}
}

// tokenExtract is the extractor for pages the HTML parser refuses (it
// stops at 512 nested elements): it reads the page token by token, keeps
// no tree, drops script, style and page furniture (see isBoilerplate), and
// renders the rest as blocks like blockText. Metadata comes from <title>,
// <meta> tags and <html lang>.
func tokenExtract(page string) (string, Article) {
	var art Article
	var b, title strings.Builder
	z := html.NewTokenizer(strings.NewReader(page))
	var skip atom.Atom // the element being skipped, with its nesting depth
	skipDepth := 0
	inTitle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break // io.EOF: the reader is a string
		}
		tok := z.Token()
		a := tok.DataAtom
		if skipDepth > 0 {
			switch {
			case tt == html.StartTagToken && a == skip:
				skipDepth++
			case tt == html.EndTagToken && a == skip:
				skipDepth--
			}
			continue
		}
		switch tt {
		case html.TextToken:
			if inTitle {
				title.WriteString(tok.Data)
				continue
			}
			b.WriteString(strings.Map(func(r rune) rune {
				if r == '\n' || r == '\r' || r == '\t' || r == '\f' {
					return ' '
				}
				return r
			}, tok.Data))
		case html.StartTagToken, html.SelfClosingTagToken:
			n := &html.Node{Type: html.ElementNode, DataAtom: a, Data: tok.Data, Attr: tok.Attr}
			switch a {
			case atom.Title:
				inTitle = tt == html.StartTagToken
				continue
			case atom.Meta:
				metaInto(n, &art)
				continue
			case atom.Html:
				for _, at := range tok.Attr {
					if at.Key == "lang" {
						art.Language = strings.ToLower(strings.SplitN(at.Val, "-", 2)[0])
					}
				}
				continue
			case atom.Br:
				b.WriteString("\n")
				continue
			case atom.Td, atom.Th:
				b.WriteString(" ")
			}
			if tt == html.StartTagToken && a != atom.Head && (skipped[a] || isBoilerplate(n)) && !voidElements[a] {
				skip, skipDepth = a, 1
				continue
			}
			if blocks[a] {
				b.WriteString("\n\n")
			}
		case html.EndTagToken:
			if a == atom.Title {
				inTitle = false
			} else if blocks[a] {
				b.WriteString("\n\n")
			}
		}
	}
	if art.Title == "" {
		art.Title = oneLine(title.String())
	}
	return b.String(), art
}

// voidElements have no end tag: skipping one skips nothing.
var voidElements = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true, atom.Hr: true,
	atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true, atom.Source: true,
	atom.Track: true, atom.Wbr: true,
}

// titleDoc is a document holding only a <title>, for finishHTML when no
// tree could be built.
func titleDoc(title string) *html.Node {
	doc := &html.Node{Type: html.DocumentNode}
	t := &html.Node{Type: html.ElementNode, DataAtom: atom.Title, Data: "title"}
	t.AppendChild(&html.Node{Type: html.TextNode, Data: title})
	doc.AppendChild(t)
	return doc
}
