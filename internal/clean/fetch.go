package clean

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/summarize-dev/summarize/internal/redact"
)

// isURL reports whether src is an http or https URL.
func isURL(src string) bool {
	l := strings.ToLower(src)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// errTooManyRedirects marks the redirect limit in the client's error chain.
var errTooManyRedirects = errors.New("too many redirects")

// allowedTypes are the Content-Types fetch accepts, mapped to media types.
var allowedTypes = map[string]string{
	"text/html":             MediaHTML,
	"application/xhtml+xml": MediaHTML,
	"text/plain":            MediaText,
}

// fetch downloads an http(s) URL under the limits of opts.
func fetch(ctx context.Context, raw string, opts LoadOptions) (Input, error) {
	shown := redact.URL(raw)
	fail := func(why string, cause error) error {
		return wrapKind(ErrFetch, "fetch "+shown+": "+why, cause)
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	maxRedirects := opts.MaxRedirects
	if maxRedirects <= 0 {
		maxRedirects = DefaultMaxRedirects
	}
	ua := opts.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	limit := opts.maxBytes()

	var client http.Client
	if opts.HTTPClient != nil {
		client = *opts.HTTPClient
	} else {
		client.Timeout = timeout
	}
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return errTooManyRedirects
		}
		req.Header.Set("User-Agent", ua)
		return nil
	}

	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return Input{}, fail("bad URL", nil)
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1")

	netFail := func(err error) error {
		switch {
		case errors.Is(err, errTooManyRedirects):
			return fail(fmt.Sprintf("more than %d redirects", maxRedirects), nil)
		case parent.Err() != nil:
			return fail("canceled: "+parent.Err().Error(), parent.Err())
		case ctx.Err() != nil, isTimeout(err):
			return fail("timed out after "+timeout.String(), context.DeadlineExceeded)
		}
		return fail(describeNetError(err), nil)
	}

	resp, err := client.Do(req)
	if err != nil {
		return Input{}, netFail(err)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Input{}, fail("HTTP "+resp.Status, nil)
	}
	ctype := resp.Header.Get("Content-Type")
	media, params, perr := mime.ParseMediaType(ctype)
	mediaHint := ""
	if ctype != "" {
		if perr != nil && media == "" {
			return Input{}, fail(fmt.Sprintf("content type %q is not valid", ctype), nil)
		}
		var ok bool
		if mediaHint, ok = allowedTypes[media]; !ok {
			return Input{}, fail("content type "+media+" is not text or HTML", nil)
		}
	}
	if resp.ContentLength > limit {
		return Input{}, wrapKind(ErrTooLarge, fmt.Sprintf("fetch %s: body of %s exceeds %s", shown, formatBytes(resp.ContentLength), formatBytes(limit)), ErrFetch)
	}
	data, err := readLimited(resp.Body, limit)
	if errors.Is(err, errOverLimit) {
		return Input{}, wrapKind(ErrTooLarge, fmt.Sprintf("fetch %s: body exceeds %s", shown, formatBytes(limit)), ErrFetch)
	}
	if err != nil {
		return Input{}, netFail(err)
	}
	in, err := sniff(shown, data, mediaHint, params["charset"])
	if err != nil {
		return Input{}, err
	}
	return in, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// describeNetError returns the cause of a client error without the
// "Get \"URL\":" prefix of *url.Error (which would repeat the unredacted
// URL).
func describeNetError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return "cannot resolve host " + dnsErr.Name
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return "cannot connect: " + opErr.Err.Error()
	}
	return err.Error()
}
