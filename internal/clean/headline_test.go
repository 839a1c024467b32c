package clean

import (
	"strings"
	"testing"
)

func TestHeadlineOf(t *testing.T) {
	tests := []struct {
		line, title string
		want        string
		ok          bool
	}{
		{"Sony confirms new handheld", "Sony confirms new handheld", "Sony confirms new handheld", true},
		{"Sony confirms new handheld - VG247", "Sony confirms new handheld", "Sony confirms new handheld", true},
		{"Sony confirms new handheld", "Sony confirms new handheld | CNN", "Sony confirms new handheld", true},
		{"Sony confirms new handheld", "Sony confirms new handheld — The Daily Planet", "Sony confirms new handheld", true},
		{"“Rain – then snow” expected", `"Rain - then snow" expected | CNN`, "“Rain – then snow” expected", true},
		{"‘Rain’ expected", "'Rain' expected", "'Rain' expected", true},
		// A dash inside the headline is no site name.
		{"Brexit - what happens next", "Brexit - what happens next", "Brexit - what happens next", true},
		{"Brexit - what happens next", "Brexit - the day after", "Brexit - the day after", false},
		{"Brexit", "Brexit - what happens next for the country and its people", "Brexit - what happens next for the country and its people", false},
		{"Rain - then snow, forecasters say", "Rain", "Rain", false},
		{"Sony confirms new handheld - theguardian.com", "Sony confirms new handheld", "Sony confirms new handheld", true},
		{"Sony confirms new handheld", "", "", false},
	}
	for _, tc := range tests {
		got, ok := headlineOf(tc.line, tc.title)
		if got != tc.want || ok != tc.ok {
			t.Errorf("headlineOf(%q, %q) = %q, %v; want %q, %v", tc.line, tc.title, got, ok, tc.want, tc.ok)
		}
	}
}

func TestWithoutSiteName(t *testing.T) {
	tests := []struct{ title, site, want string }{
		{"Prefeitura aprova nova ponte – Jornal do Vale", "Jornal do Vale", "Prefeitura aprova nova ponte"},
		{"Prefeitura aprova nova ponte | JORNAL DO VALE", "Jornal do Vale", "Prefeitura aprova nova ponte"},
		{"Rain - Then Snow", "BBC News", "Rain - Then Snow"},
		{"Rain - Then Snow", "", "Rain - Then Snow"},
	}
	for _, tc := range tests {
		if got := withoutSiteName(tc.title, tc.site); got != tc.want {
			t.Errorf("withoutSiteName(%q, %q) = %q, want %q", tc.title, tc.site, got, tc.want)
		}
	}
}

// TestCleanHeadlineInBody runs pages whose headline comes along with the
// content and differs from the page title by a site name, dashes or quotes.
func TestCleanHeadlineInBody(t *testing.T) {
	const body = "<p>Sony has confirmed that a new handheld console is in development, according to people familiar with the plans at the company.</p>" +
		"<p>The device will play games from the existing library, the company said in a statement on Tuesday morning.</p>"
	tests := []struct {
		title, headline, want string
	}{
		{"Sony confirms new handheld – VG247", "Sony confirms new handheld - VG247", "Sony confirms new handheld"},
		{"“Quoted” headline here | CNN", `"Quoted" headline here`, "“Quoted” headline here"},
		// A dash inside the headline: the whole line is the title.
		{"Rain — then snow, forecasters say", "Rain - then snow, forecasters say", "Rain - then snow, forecasters say"},
	}
	for _, tc := range tests {
		page := "<html><head><title>" + tc.title + "</title></head><body><article><h2>" + tc.headline + "</h2>" + body + "</article></body></html>"
		art, err := Clean(Input{Data: []byte(page), MediaType: MediaHTML}, Options{})
		if err != nil {
			t.Fatalf("Clean(%q): %v", tc.headline, err)
		}
		if art.Title != tc.want || !strings.HasPrefix(art.Body, "Sony has confirmed") {
			t.Errorf("Clean(title %q, headline %q) = title %q, body %q; want title %q and the body without the headline", tc.title, tc.headline, art.Title, art.Body, tc.want)
		}
	}
}
