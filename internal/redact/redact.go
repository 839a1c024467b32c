// Package redact removes secrets from text shown to people or written to
// disk: URLs in messages, config listings and reports (URL, Text),
// and the key values a run knows (Secrets).
package redact

import (
	"net/url"
	"strings"
)

// Mask is what a redacted secret is replaced with.
const Mask = "REDACTED"

// secretParams are query parameter names whose values are redacted
// (lowercase; matched as substrings).
var secretParams = []string{"key", "token", "secret", "sig", "password", "passwd", "auth", "session", "credential"}

// URL returns raw without userinfo and with the values of secret-looking
// query parameters replaced by "REDACTED". Text that is not a URL is
// returned as it is, less anything that could be userinfo.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return stripUserinfo(raw)
	}
	u.User = nil
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for name := range q {
			if secretParam(name) {
				q[name] = []string{Mask}
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

func secretParam(name string) bool {
	l := strings.ToLower(name)
	for _, s := range secretParams {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// stripUserinfo removes what could be userinfo from a string that
// url.Parse rejects: everything up to the last "@" of the authority (the
// text after "://", or after a leading "//", up to the first "/", "?" or
// "#"). An "@" later in the
// string is left alone, but then the authority itself cannot hide one, and
// a secret-looking query parameter is masked by hand.
func stripUserinfo(raw string) string {
	var head, rest string
	if strings.HasPrefix(raw, "//") {
		head, rest = "//", raw[2:]
	} else if i := strings.Index(raw, "://"); i >= 0 {
		head, rest = raw[:i+3], raw[i+3:]
	} else {
		return raw
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		rest = rest[at+1:]
	}
	return head + maskQuery(rest)
}

// maskQuery masks the values of secret-looking parameters in the query of
// s (the part after "?", up to "#"), without parsing or re-encoding.
func maskQuery(s string) string {
	q := strings.IndexByte(s, '?')
	if q < 0 {
		return s
	}
	query, frag := s[q+1:], ""
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, frag = query[:h], query[h:]
	}
	params := strings.Split(query, "&")
	for i, p := range params {
		name, _, ok := strings.Cut(p, "=")
		if ok && secretParam(name) {
			params[i] = name + "=" + Mask
		}
	}
	return s[:q+1] + strings.Join(params, "&") + frag
}
