package clean

// Article is a cleaned input: what the summarizer sees, plus what was split
// off it.
type Article struct {
	Source   string   `json:"source"`             // path, URL or "-" as given by the user
	Title    string   `json:"title,omitempty"`    // from HTML metadata or the text, when known
	Byline   string   `json:"byline,omitempty"`   // author(s)
	Date     string   `json:"date,omitempty"`     // publication date as found (ISO 8601 when parsed)
	SiteName string   `json:"site,omitempty"`     // publisher
	Language string   `json:"language,omitempty"` // BCP 47 code when known
	Dateline string   `json:"dateline,omitempty"` // "BRUSSELS", "(CNN)": kept in Body too
	Body     string   `json:"body"`               // main text, paragraphs separated by "\n\n"
	Refs     []string `json:"refs,omitempty"`     // reference bullets split off the input
	Notes    []string `json:"notes,omitempty"`    // what cleaning did that a user may want to know ("rule navigation stood down: …")
}
