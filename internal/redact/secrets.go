package redact

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
)

// MinSecret is the shortest value a Secrets set accepts: shorter values
// would mask ordinary words.
const MinSecret = 8

// Secrets is a set of secret values known to a run (API keys, the
// passwords of base URLs). Its Redact replaces each of them, and its
// base64 forms at any alignment (a Basic-auth header echoed back), with
// "REDACTED". A nil *Secrets redacts nothing. It is safe for concurrent
// use and never changes once made.
type Secrets struct {
	r *strings.Replacer
}

// NewSecrets returns the set of the values given; values shorter than
// MinSecret (after trimming space) are ignored.
func NewSecrets(values ...string) *Secrets {
	var forms []string
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < MinSecret {
			continue
		}
		forms = append(forms, v)
		if q := url.QueryEscape(v); q != v {
			forms = append(forms, q)
		}
		forms = append(forms, base64Forms(v)...)
	}
	if len(forms) == 0 {
		return &Secrets{}
	}
	// Longest first, so that a value is masked whole rather than around a
	// shorter one inside it.
	slices.SortFunc(forms, func(a, b string) int { return len(b) - len(a) })
	forms = slices.Compact(forms)
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Mask)
	}
	return &Secrets{r: strings.NewReplacer(pairs...)}
}

// URLSecrets returns the credentials in the userinfo of base URLs, for
// NewSecrets: the password and "user:password", or the user name when
// there is no password (a token given as https://TOKEN@host).
func URLSecrets(rawURLs ...string) []string {
	var out []string
	for _, raw := range rawURLs {
		u, err := url.Parse(raw)
		if err != nil || u.User == nil {
			continue
		}
		if p, ok := u.User.Password(); ok {
			out = append(out, p, u.User.Username()+":"+p)
		} else {
			out = append(out, u.User.Username())
		}
	}
	return out
}

// Redact returns s with every secret of the set replaced by "REDACTED".
func (s *Secrets) Redact(text string) string {
	if s == nil || s.r == nil {
		return text
	}
	return s.r.Replace(text)
}

// base64Forms returns the parts of the base64 encodings of v that do not
// depend on the bytes around it: v may start at any of three offsets in a
// longer encoded value ("user:" + key), so for each offset the groups
// shared with neighbouring bytes are dropped. Standard and URL alphabets.
func base64Forms(v string) []string {
	var out []string
	for shift := range 3 {
		b := make([]byte, shift, shift+len(v))
		b = append(b, v...)
		enc := base64.StdEncoding.EncodeToString(b)
		start := 0
		if shift > 0 {
			start = 4 // the first group mixes in the bytes before v
		}
		end := len(enc)
		if len(b)%3 != 0 {
			end -= 4 // the last group mixes in the bytes after v, or padding
		}
		if end-start < MinSecret {
			continue
		}
		std := enc[start:end]
		out = append(out, std)
		if shift == 0 {
			out = append(out, enc) // the whole encoding, padding included
		}
		if u := strings.NewReplacer("+", "-", "/", "_").Replace(std); u != std {
			out = append(out, u)
		}
	}
	return out
}
