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
