package clean

import (
	"fmt"
	"strings"
	"testing"
)

// TestLargePage checks the linear extractor used for pages with thousands
// of paragraphs.
func TestLargePage(t *testing.T) {
	page := bigPage(1 << 20)
	paragraphs := strings.Count(string(page), "<p>")
	if paragraphs <= maxTrafilaturaParagraphs {
		t.Fatalf("bigPage has %d paragraphs, want more than %d", paragraphs, maxTrafilaturaParagraphs)
	}
	art, err := Clean(Input{Source: "big.html", Data: page, MediaType: MediaHTML}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if art.Title != "Long report" || art.SiteName != "Gazette" || art.Language != "en" {
		t.Errorf("Clean(large page) metadata = %q %q %q", art.Title, art.SiteName, art.Language)
	}
	if got := strings.Count(art.Body, "\n\n") + 1; got != paragraphs {
		t.Errorf("Clean(large page) has %d paragraphs, want %d", got, paragraphs)
	}
	for _, s := range []string{"Advertisement", "Photo: Gazette", "Home", "©"} {
		if strings.Contains(art.Body, s) {
			t.Errorf("Clean(large page) body contains %q", s)
		}
	}
	last := fmt.Sprintf("Paragraph %d of the report", paragraphs-1)
	if !strings.HasPrefix(art.Body, "Paragraph 0 of the report") || !strings.Contains(art.Body, last) {
		t.Errorf("Clean(large page) body lacks its first or last paragraph")
	}
}

// TestManyWrappedLines checks that joining a very long run of wrapped lines
// stays linear (it once concatenated strings line by line).
func TestManyWrappedLines(t *testing.T) {
	text := "The report opens here and\n" + strings.Repeat("continues on the next line and\n", 100000) + "ends here."
	art, err := Clean(Input{Data: []byte(text), MediaType: MediaText}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(art.Body, "\n") || !strings.HasSuffix(art.Body, "and ends here.") {
		t.Errorf("Clean(wrapped lines) did not join them into one paragraph")
	}
}

// TestDeeplyNestedPage: a page nested deeper than the HTML parser's 512
// open elements is read token by token rather than refused.
func TestDeeplyNestedPage(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html lang="en-GB"><head><title>Deep page</title><meta property="og:site_name" content="Gazette">` +
		`<script>var x = "<div>";</script></head><body><nav><a href="/">Home</a><div>Menu</div></nav>`)
	for range 600 {
		b.WriteString("<div>")
	}
	b.WriteString("<p>The council voted on Tuesday to close the old bridge to traffic for two years of repairs.</p>")
	b.WriteString(`<div class="social-share">Share this</div><img src="x.png">`)
	b.WriteString("<p>Officials said the work would cost $40 million and that drivers should use the ring road instead.</p>")
	for range 600 {
		b.WriteString("</div>")
	}
	b.WriteString("<footer>© Gazette</footer></body></html>")
	art, err := Clean(Input{Source: "deep.html", Data: []byte(b.String()), MediaType: MediaHTML}, Options{})
	if err != nil {
		t.Fatalf("Clean(600 nested divs) error = %v", err)
	}
	want := "The council voted on Tuesday to close the old bridge to traffic for two years of repairs.\n\n" +
		"Officials said the work would cost $40 million and that drivers should use the ring road instead."
	if art.Body != want {
		t.Errorf("Clean(600 nested divs) body = %q, want %q", art.Body, want)
	}
	if art.Title != "Deep page" || art.SiteName != "Gazette" || art.Language != "en" {
		t.Errorf("Clean(600 nested divs) metadata = %q %q %q", art.Title, art.SiteName, art.Language)
	}
}
