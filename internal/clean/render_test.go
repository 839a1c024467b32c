package clean

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// parseBody parses an HTML fragment and returns its <body>.
func parseBody(t *testing.T, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<html><body>" + s + "</body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	return doc.LastChild.LastChild
}

func TestBlockText(t *testing.T) {
	tests := []struct {
		in, source, want string
	}{
		{in: "<p>You <em>can</em> get it</p>", want: "You can get it"},
		{in: "<p>un<b>break</b>able</p>", want: "unbreakable"},
		{in: "<p>  runs \n\t of   white\u00a0space  </p>", want: "runs of white space"},
		{in: "<p>You<em> can </em>get it</p>", want: "You can get it"},
		{in: "<p>A <em> </em> B</p>", want: "A B"},
		{in: "<p>(<a href=x>CNN Business</a>) A muddled</p>", want: "(CNN Business) A muddled"},
		// List items and headings start with aloneMark ("\ue000").
		{in: "<h2>Northern Ireland</h2>\n<p>Path C</p>", want: "\ue000Northern Ireland\n\nPath C"},
		{in: "<h1>Head</h1><p>Text</p>", want: "\ue000Head\n\nText"},
		{in: "<div> <p>One</p> <p>Two</p> </div>", want: "One\n\nTwo"},
		{in: "<p>One. <br> Two.</p>", want: "One.\nTwo."},
		{in: "<ul><li>first</li> <li>second</li></ul>", want: "\ue000first\n\n\ue000second"},
		{in: "<ul><li><p>first</p></li><li></li></ul><p>after</p>", want: "\ue000first\n\nafter"},
		{in: "<ul><li>You <em>can</em>get it</li></ul>", source: "You can get it", want: "\ue000You can get it"},
		{in: "<table><tr><td>a</td><td>b</td></tr></table>", want: "a b"},
		{in: "<p>Text<script>var x</script> more</p>", want: "Text more"},
		{in: "<p>東京<b>都</b>は</p>", want: "東京都は"},
		// A tree whose extractor trimmed the spaces around inline nodes
		// gets them back from the source page, and only where it had them.
		{in: "<p>You <em>can</em>get it</p>", source: "Menu\n\nYou can get it", want: "You can get it"},
		{in: "<p>Said.<a>The</a>end</p>", source: "Said. The end", want: "Said. The end"},
		{in: "<p>You <em>can</em>get it</p>", source: "You canget it", want: "You canget it"},
		{in: "<p>un<b>break</b>able</p>", source: "un break able unbreakable", want: "unbreakable"},
		{in: "<p>東京<b>都</b>は</p>", source: "東京都は", want: "東京都は"},
	}
	for _, tc := range tests {
		if got := blockText(parseBody(t, tc.in), tc.source); got != tc.want {
			t.Errorf("blockText(%q, %q) = %q, want %q", tc.in, tc.source, got, tc.want)
		}
	}
}

// TestCleanInlineSpaces runs pages where go-trafilatura drops the spaces
// around inline elements or the breaks between blocks.
func TestCleanInlineSpaces(t *testing.T) {
	const pad = " More words follow here so that the paragraph is long enough to be kept by the extractor as body text."
	tests := []struct {
		block, want string
	}{
		{"<div>You <em>can</em> get it." + pad + "</div>", "You can get it."},
		{"<div><span>You</span> <em>can</em> <span>get</span> it." + pad + "</div>", "You can get it."},
		{"<ul><li>You <b>can</b> get it." + pad + "</li></ul>", "You can get it."},
		{"<blockquote>You <em>can</em> get it." + pad + "</blockquote>", "You can get it."},
		{"<div><p>A lead.</p> <span>loose</span> <b>bold</b> text." + pad + "</div>", "loose bold text."},
	}
	for _, tc := range tests {
		page := "<html><head><title>T</title></head><body><main><h1>Head</h1>" + tc.block +
			"<p>Second paragraph with plenty of words to make the extractor happy about it all today." + pad + "</p>" +
			"<p>Third paragraph with plenty of words to make the extractor happy about it all today.</p></main></body></html>"
		art, err := Clean(Input{Data: []byte(page), MediaType: MediaHTML}, Options{})
		if err != nil || !strings.Contains(art.Body, tc.want) {
			t.Errorf("Clean(%q).Body = %q, %v; want it to contain %q", tc.block, art.Body, err, tc.want)
		}
	}
	// go-trafilatura's last resort flattens an <article> into one paragraph.
	page := "<html><head><title>T</title></head><body><article><h1>Head</h1><p>You <em>can</em> get it." + pad +
		"</p><p>Second paragraph with plenty of words to make the extractor happy about it all today.</p></article></body></html>"
	art, err := Clean(Input{Data: []byte(page), MediaType: MediaHTML}, Options{})
	if err != nil || strings.Contains(art.Body, "HeadYou") || strings.Contains(art.Body, "text.Second") {
		t.Errorf("Clean(flattened article).Body = %q, %v; want its blocks apart", art.Body, err)
	}
}

// TestUnglueLookAhead checks that looking tokens up near the last one
// found gives what looking them up in the set of all the page's words
// gives, on the text go-trafilatura extracts from every fixture page, and
// on the same text with words glued.
func TestUnglueLookAhead(t *testing.T) {
	pages, _ := filepath.Glob("testdata/html/*.html")
	checked := 0
	for _, f := range pages {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		res, err := extract(doc, plainOptions())
		if err != nil || res == nil || res.ContentNode == nil {
			continue
		}
		source := visibleText(doc)
		words := sourceWords(source)
		inSet := func(w string) bool { _, ok := words[w]; return ok }
		text := blockText(res.ContentNode, "")
		glued := strings.Replace(strings.Replace(text, "a ", "a", 20), " the ", " the", 20)
		for _, in := range []string{text, glued} {
			if got, want := unglue(in, source), ungluedBy(in, inSet); got != want {
				t.Errorf("%s: unglue differs from the lookup in all words:\n%s", f, cmp.Diff(want, got))
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("checked %d texts, want at least 20", checked)
	}
}

func TestIndexWord(t *testing.T) {
	tests := []struct {
		source, w  string
		from, want int
	}{
		{"the theme of the day", "the", 0, 0},
		{"the theme of the day", "the", 1, 13},
		{"themes and the", "the", 0, 11},
		{"a\u00a0big day", "big", 0, 3},
		{"abig day", "big", 0, -1},
		{"bigger", "big", 0, -1},
		{"day big", "big", 0, 4},
	}
	for _, tc := range tests {
		if got := indexWord(tc.source, tc.w, tc.from, 100); got != tc.want {
			t.Errorf("indexWord(%q, %q, %d) = %d, want %d", tc.source, tc.w, tc.from, got, tc.want)
		}
	}
	if got := indexWord("x "+strings.Repeat("y ", 100)+"w", "w", 0, 10); got != -1 {
		t.Errorf("indexWord found a word beyond its window at %d", got)
	}
}
