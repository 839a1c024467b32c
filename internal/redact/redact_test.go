package redact

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://user:secret@example.com/a?id=3", "https://example.com/a?id=3"},
		{"https://example.com/a?api_key=abc&page=2", "https://example.com/a?api_key=REDACTED&page=2"},
		{"https://example.com/a?X-Amz-Signature=abc", "https://example.com/a?X-Amz-Signature=REDACTED"},
		{"https://x.openai.azure.com/?api-key=sekrit", "https://x.openai.azure.com/?api-key=REDACTED"},
		{"http://example.com/news/1", "http://example.com/news/1"},
		{"http://localhost:11434/v1", "http://localhost:11434/v1"},
		{"ftp://user:pw@exa mple.com/%zz", "ftp://exa mple.com/%zz"},
		// Unparseable, with an "@" after the authority (fuzz crasher).
		{"https://0:000000@%20/@?0=000000", "https://%20/@?0=000000"},
		{"https://u:pw@%zz/a?key=1&b=2#f", "https://%zz/a?key=REDACTED&b=2#f"},
		{"", ""},
		{"not a url", "not a url"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// hasUserinfo reports whether s, read as a URL, still carries userinfo.
func hasUserinfo(s string) bool {
	if u, err := url.Parse(s); err == nil && u.User != nil {
		return true
	}
	rest, ok := strings.CutPrefix(s, "//")
	if i := strings.Index(s, "://"); !ok && i >= 0 {
		rest, ok = s[i+3:], true
	}
	if ok {
		if end := strings.IndexAny(rest, "/?#"); end >= 0 {
			rest = rest[:end]
		}
		return strings.Contains(rest, "@")
	}
	return false
}

func FuzzURL(f *testing.F) {
	for _, s := range []string{
		"https://user:secret@example.com/a?id=3",
		"https://0:000000@%20/@?0=000000",
		"ftp://user:pw@exa mple.com/%zz",
		"http://a@b@c/d@e",
		"http://[::1]:80/x?token=1",
		"https://u:p@/path",
		"//@",
		"//user:pw@host/x",
		"not a url",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := URL(in)
		if hasUserinfo(out) {
			t.Errorf("URL(%q) = %q: userinfo survives", in, out)
		}
		if again := URL(out); hasUserinfo(again) {
			t.Errorf("URL(URL(%q)) = %q: userinfo survives", in, again)
		}
	})
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Post "https://user:sk-pass@api.example.com/v1/chat": dial tcp: refused`,
			`Post "https://api.example.com/v1/chat": dial tcp: refused`},
		{`Get "http://127.0.0.1:1/v1?api_key=sk-abc123&x=1": EOF`,
			`Get "http://127.0.0.1:1/v1?api_key=REDACTED&x=1": EOF`},
		{`Post "http://proxy.local/sk-proj-abcdefghijklmnop1234/v1/chat/completions": EOF`,
			`Post "http://proxy.local/REDACTED/v1/chat/completions": EOF`},
		{`see https://example.com/news/2024-05-01-storm-hits-coast and http://x/y`,
			`see https://example.com/news/2024-05-01-storm-hits-coast and http://x/y`},
		{"no urls here", "no urls here"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTextURLError redacts the message of a *url.Error as the CLI prints
// errors: Text(err.Error()).
func TestTextURLError(t *testing.T) {
	err := &url.Error{Op: "Post", URL: "http://127.0.0.1:9/sk-live-ABCDEFGHijklmnop1234/v1?key=sk-q-0123456789", Err: errors.New("connection refused")}
	got := Text(err.Error())
	for _, leak := range []string{"sk-live-ABCDEFGHijklmnop1234", "sk-q-0123456789"} {
		if strings.Contains(got, leak) {
			t.Errorf("Text(%q) = %q, leaks %q", err.Error(), got, leak)
		}
	}
	if want := `Post "http://127.0.0.1:9/REDACTED/v1?key=REDACTED": connection refused`; got != want {
		t.Errorf("Text(%q) = %q, want %q", err.Error(), got, want)
	}
}

func TestSecretsRedact(t *testing.T) {
	const key = "sk-test-0123456789abcdef"
	s := NewSecrets(key, "short", "", "user:"+key)
	basic := base64.StdEncoding.EncodeToString([]byte("user:" + key))
	other := base64.StdEncoding.EncodeToString([]byte("someone-else:" + key))
	tests := []struct{ in, want string }{
		{"echo: " + key + ".", "echo: REDACTED."},
		{"Authorization: Bearer " + key, "Authorization: Bearer REDACTED"},
		{"Authorization: Basic " + basic, "Authorization: Basic REDACTED"},
		{"short and sweet", "short and sweet"},
		{"nothing", "nothing"},
	}
	for _, tt := range tests {
		if got := s.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The key inside the base64 of an unknown "user:key", at any offset.
	for _, prefix := range []string{"a:", "ab:", "abc:", "someone-else:"} {
		enc := base64.StdEncoding.EncodeToString([]byte(prefix + key))
		got := s.Redact(enc)
		if !strings.Contains(got, Mask) {
			t.Errorf("Redact(base64(%q)) = %q, want the key masked", prefix+key, got)
		}
	}
	_ = other
	var none *Secrets
	if got := none.Redact(key); got != key {
		t.Errorf("nil Secrets: Redact(%q) = %q", key, got)
	}
}

func TestURLSecrets(t *testing.T) {
	got := URLSecrets("http://alice:hunter2hunter2@host/v1", "https://tok-0123456789@host", "http://host/v1", "::bad")
	want := []string{"hunter2hunter2", "alice:hunter2hunter2", "tok-0123456789"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("URLSecrets = %q, want %q", got, want)
	}
}
