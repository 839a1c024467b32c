// Package redact removes secrets from text shown to people: URLs in
// messages, config listings and reports.
package redact

import (
	"net/url"
	"strings"
)

// secretParams are query parameter names whose values are redacted
// (lowercase; matched as substrings).
var secretParams = []string{"key", "token", "secret", "sig", "password", "passwd", "auth", "session", "credential"}

// URL returns raw without userinfo and with the values of secret-looking
// query parameters replaced by "REDACTED". Text that is not a URL is
// returned as it is, less anything that could be userinfo.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		if i := strings.Index(raw, "://"); i >= 0 {
			rest := raw[i+3:]
			if at := strings.LastIndex(rest, "@"); at >= 0 && !strings.ContainsAny(rest[:at], "/?#") {
				return raw[:i+3] + rest[at+1:]
			}
		}
		return raw
	}
	u.User = nil
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for name := range q {
			l := strings.ToLower(name)
			for _, s := range secretParams {
				if strings.Contains(l, s) {
					q[name] = []string{"REDACTED"}
					changed = true
					break
				}
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}
