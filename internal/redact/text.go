package redact

import (
	"regexp"
	"strings"
)

// urlPattern finds URLs in free text: a scheme, "://", and everything up to
// white space or a quote (Go's *url.Error quotes its URL with %q).
var urlPattern = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>` + "`" + `]+`)

// Text returns s with every URL in it redacted: no userinfo, secret-looking
// query values masked (see URL), and path segments that look like API keys
// masked (a proxy may take the key in the path: /sk-abc…/v1).
func Text(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlPattern.ReplaceAllStringFunc(s, func(u string) string {
		return maskKeySegments(URL(u))
	})
}

// maskKeySegments masks the path segments of u that look like API keys.
func maskKeySegments(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return u
	}
	rest := u[i+3:]
	slash := strings.IndexByte(rest, '/')
	if slash < 0 {
		return u
	}
	path, tail := rest[slash:], ""
	if j := strings.IndexAny(path, "?#"); j >= 0 {
		path, tail = path[:j], path[j:]
	}
	segs := strings.Split(path, "/")
	changed := false
	for k, seg := range segs {
		if looksLikeKey(seg) {
			segs[k] = Mask
			changed = true
		}
	}
	if !changed {
		return u
	}
	return u[:i+3] + rest[:slash] + strings.Join(segs, "/") + tail
}

// keyPrefixes start the API keys of common providers.
var keyPrefixes = []string{"sk-", "sk_", "gsk_", "xai-", "AIza", "hf_", "key-"}

// looksLikeKey reports whether a path segment is probably a credential:
// a known key prefix followed by at least 16 characters, or a token of 24
// or more letters and digits mixing upper case, lower case and digits
// (article slugs are lower case; hex ids have no upper case).
func looksLikeKey(seg string) bool {
	for _, p := range keyPrefixes {
		if strings.HasPrefix(seg, p) && len(seg) >= len(p)+16 {
			return true
		}
	}
	if len(seg) < 24 {
		return false
	}
	var upper, lower, digit bool
	for _, r := range seg {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case r == '-' || r == '_':
		default:
			return false
		}
	}
	return upper && lower && digit
}
