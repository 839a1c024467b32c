package clean

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// linkSet holds the texts of a page that look like links to other pages,
// by their key (headlineKey): every link's text, and blocks whose letters
// are mostly link text, links with a time stamp ("Festival lineup leaks 2
// hours ago"), and blocks linking off-site. Line rules that drop lists in HTML
// (navigation runs, trailing headlines, related lists) drop only these:
// a list of short items that are not links is content.
type linkSet map[string]bool

// linkBlocks finds the link-like blocks of doc; host is the page's host
// when known (for off-site links).
func linkBlocks(doc *html.Node, host string, p *patterns) linkSet {
	if host == "" {
		host = pageHost(doc)
	}
	set := linkSet{}
	var sb, plain strings.Builder // all text; text outside links
	var walk func(n *html.Node, inLink, offsite bool) blockStats
	walk = func(n *html.Node, inLink, offsite bool) blockStats {
		var st blockStats
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			if !inLink {
				plain.WriteString(n.Data)
			}
			letters := countLetters(n.Data)
			st.letters = letters
			if inLink {
				st.linked = letters
				if offsite {
					st.offsite = letters
				}
			}
			return st
		case html.ElementNode:
			switch {
			case skipped[n.DataAtom] && n.DataAtom != atom.Nav:
				return st
			case n.DataAtom == atom.A && !inLink:
				start := sb.Len()
				defer func() { set[headlineKey(sb.String()[start:])] = true }()
				inLink = true
				offsite = isOffsite(attr(n, "href"), host)
			case n.DataAtom == atom.Time:
				st.stamped = true
			}
		}
		start, pstart := sb.Len(), plain.Len()
		hasBlock := false
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			cs := walk(ch, inLink, offsite)
			st.add(cs)
			hasBlock = hasBlock || cs.block
		}
		if n.Type != html.ElementNode || !blocks[n.DataAtom] {
			st.block = hasBlock
			return st
		}
		if !hasBlock && st.letters > 0 && st.linkLike(p, plain.String()[pstart:]) {
			set[headlineKey(sb.String()[start:])] = true
		}
		sb.WriteByte(' ')
		plain.WriteByte(' ')
		return blockStats{block: true}
	}
	walk(doc, false, false)
	return set
}

// blockStats counts the letters of a block: all, inside links, inside
// off-site links; stamped is set when it holds a <time>, block when it
// holds a block element.
type blockStats struct {
	letters, linked, offsite int
	stamped, block           bool
}

func (s *blockStats) add(o blockStats) {
	if o.block {
		s.block = true
		return
	}
	s.letters += o.letters
	s.linked += o.linked
	s.offsite += o.offsite
	s.stamped = s.stamped || o.stamped
}

// linkLike reports whether a block is a link to another page: mostly
// link text, a link with a time stamp (a <time>, or plain, its text
// outside links, a stamp: "Published 2 February", "2 hours ago"), or
// mostly off-site links.
func (s blockStats) linkLike(p *patterns, plain string) bool {
	switch {
	case s.linked == 0:
		return false
	case s.linked*10 >= s.letters*7, s.stamped:
		return true
	case s.offsite*2 >= s.letters:
		return true
	}
	ok, _ := p.stamp(strings.Join(strings.Fields(plain), " "))
	return ok
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// isOffsite reports whether href is an absolute link to a host other than
// host ("www." aside). Without a known host no link is off-site.
func isOffsite(href, host string) bool {
	if host == "" || !strings.HasPrefix(href, "http") {
		return false
	}
	u, err := url.Parse(href)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.TrimPrefix(u.Hostname(), "www.") != host
}

// pageHost returns the host named by the page's canonical link or
// og:url, without "www.", or "".
func pageHost(doc *html.Node) string {
	var host string
	var find func(n *html.Node) bool
	find = func(n *html.Node) bool {
		if n.Type == html.ElementNode {
			var href string
			switch {
			case n.DataAtom == atom.Link && strings.EqualFold(attr(n, "rel"), "canonical"):
				href = attr(n, "href")
			case n.DataAtom == atom.Meta && attr(n, "property") == "og:url":
				href = attr(n, "content")
			case n.DataAtom == atom.Body:
				return true
			}
			if u, err := url.Parse(href); href != "" && err == nil && u.Host != "" {
				host = strings.TrimPrefix(u.Hostname(), "www.")
				return true
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if find(ch) {
				return true
			}
		}
		return false
	}
	find(doc)
	return host
}

// linkish reports whether a line of extracted text is a link-like block
// of the page.
func (c *cleaner) linkish(text string) bool {
	if len(c.links) == 0 {
		return false
	}
	return c.links[headlineKey(strings.TrimPrefix(text, string(aloneMark)))]
}
