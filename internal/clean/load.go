package clean

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/summarize-dev/summarize/internal/redact"
)

// Defaults for LoadOptions fields left zero.
const (
	DefaultMaxBytes     = 8 << 20
	DefaultTimeout      = 30 * time.Second
	DefaultMaxRedirects = 5
	DefaultUserAgent    = "summarize/dev"
)

// LoadOptions controls how Load reads an input.
type LoadOptions struct {
	Stdin        io.Reader     // read for src "-"
	MaxBytes     int64         // size limit; 0 = DefaultMaxBytes (8 MiB)
	HTTPClient   *http.Client  // nil = a client with Timeout
	Timeout      time.Duration // URL fetch timeout; 0 = DefaultTimeout (30s)
	MaxRedirects int           // 0 = DefaultMaxRedirects (5)
	UserAgent    string        // "" = DefaultUserAgent
}

func (o LoadOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// Input is a loaded, sniffed input: raw bytes plus what Load learned about
// them. Clean decodes Data with Charset and parses it as MediaType.
type Input struct {
	Source    string // path, "-" or URL (without userinfo or secret query values)
	Data      []byte // raw bytes as read
	MediaType string // MediaHTML or MediaText after sniffing
	Charset   string // declared or detected charset, e.g. "utf-8", "windows-1252"
}

// stdinName names "-" in messages.
const stdinName = "standard input"

// Load reads src — a file path, "-" for opts.Stdin, or an http(s) URL — up
// to opts.MaxBytes, and sniffs what it holds. It refuses empty input
// (ErrEmpty), binary files (ErrBinary), input over the size limit
// (ErrTooLarge) and failed fetches (ErrFetch), with messages that name src.
func Load(ctx context.Context, src string, opts LoadOptions) (Input, error) {
	switch {
	case src == "-":
		if opts.Stdin == nil {
			return Input{}, errors.New("no standard input to read")
		}
		data, err := readLimited(opts.Stdin, opts.maxBytes())
		if err != nil {
			return Input{}, loadError(stdinName, opts.maxBytes(), err)
		}
		in, err := sniff(stdinName, data, "", "")
		in.Source = "-"
		return in, err
	case isURL(src):
		return fetch(ctx, src, opts)
	case strings.Contains(src, "://"):
		return Input{}, fmt.Errorf("%s: unsupported URL scheme (want http or https, or a file path)", redact.URL(src))
	}
	return loadFile(src, opts)
}

func loadFile(path string, opts LoadOptions) (Input, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Input{}, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
		}
		return Input{}, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	if fi.IsDir() {
		return Input{}, fmt.Errorf("%s: is a directory, not a file", path)
	}
	limit := opts.maxBytes()
	if fi.Mode().IsRegular() && fi.Size() > limit {
		return Input{}, tooLarge(path, "file is", fi.Size(), limit)
	}
	f, err := os.Open(path)
	if err != nil {
		return Input{}, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	data, err := readLimited(f, limit)
	if err != nil {
		return Input{}, loadError(path, limit, err)
	}
	return sniff(path, data, mediaFromName(path), "")
}

// unwrapPathError drops the *fs.PathError wrapper (whose message repeats
// the path) but keeps its cause.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// errOverLimit is returned by readLimited when the input is too long.
var errOverLimit = errors.New("over the size limit")

// readLimited reads r up to limit bytes, reading one byte more to tell an
// input of exactly limit bytes from a longer one.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errOverLimit
	}
	return data, nil
}

func loadError(source string, limit int64, err error) error {
	if errors.Is(err, errOverLimit) {
		return newKind(ErrTooLarge, fmt.Sprintf("%s: input exceeds %s (the size limit)", source, formatBytes(limit)))
	}
	return fmt.Errorf("%s: read: %w", source, err)
}

func tooLarge(source, what string, size, limit int64) error {
	return newKind(ErrTooLarge, fmt.Sprintf("%s: %s %s, over the %s size limit", source, what, formatBytes(size), formatBytes(limit)))
}

// formatBytes renders n as "8 MiB", "1.5 KiB", "12 bytes".
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	v := float64(n) / unit
	i := 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// sniff checks data and builds the Input: byte order marks and charsets,
// binary signatures, blank input, HTML or text. mediaHint and charsetHint
// come from a file extension or HTTP headers and may be "".
func sniff(source string, data []byte, mediaHint, charsetHint string) (Input, error) {
	in, _, err := sniffText(source, data, mediaHint, charsetHint)
	return in, err
}

// sniffText is sniff that also returns the text it decoded, when that is
// data decoded in the returned Input's charset (text, not blank), and ""
// when an HTML declaration changed the charset after it.
func sniffText(source string, data []byte, mediaHint, charsetHint string) (Input, string, error) {
	bom, _ := bomKind(data)
	if bom == "" && utf16NoBOM(data) == "" {
		if what := binaryKind(data); what != "" {
			return Input{}, "", binaryError(source, what)
		}
	}
	cs := detectCharset(data, charsetHint, false)
	text := decode(data, cs)
	if isBlank(text) {
		if len(data) == 0 {
			return Input{}, "", newKind(ErrEmpty, source+": input is empty")
		}
		return Input{}, "", newKind(ErrEmpty, source+": input holds only whitespace")
	}
	media := mediaHint
	if media == "" {
		media = MediaText
		if looksHTML(text) {
			media = MediaHTML
		}
	}
	if media == MediaHTML {
		// A <meta charset> declaration counts for HTML.
		if html := detectCharset(data, charsetHint, true); html != cs {
			cs, text = html, ""
		}
	}
	return Input{Source: source, Data: data, MediaType: media, Charset: cs}, text, nil
}
