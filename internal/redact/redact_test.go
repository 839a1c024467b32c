package redact

import "testing"

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://user:secret@example.com/a?id=3", "https://example.com/a?id=3"},
		{"https://example.com/a?api_key=abc&page=2", "https://example.com/a?api_key=REDACTED&page=2"},
		{"https://example.com/a?X-Amz-Signature=abc", "https://example.com/a?X-Amz-Signature=REDACTED"},
		{"https://x.openai.azure.com/?api-key=sekrit", "https://x.openai.azure.com/?api-key=REDACTED"},
		{"http://example.com/news/1", "http://example.com/news/1"},
		{"http://localhost:11434/v1", "http://localhost:11434/v1"},
		{"ftp://user:pw@exa mple.com/%zz", "ftp://exa mple.com/%zz"},
		{"", ""},
		{"not a url", "not a url"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
