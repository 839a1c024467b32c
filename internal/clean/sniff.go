package clean

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
)

// Media types Input.MediaType takes after sniffing.
const (
	MediaHTML = "text/html"
	MediaText = "text/plain"
)

// magic is a file signature that marks binary input.
type magic struct {
	offset int
	sig    string
	what   string
}

var magics = []magic{
	{0, "%PDF-", "a PDF document"},
	{0, "\x89PNG\r\n\x1a\n", "a PNG image"},
	{0, "\xff\xd8\xff", "a JPEG image"},
	{0, "GIF87a", "a GIF image"},
	{0, "GIF89a", "a GIF image"},
	{0, "PK\x03\x04", "a ZIP archive (or a DOCX, XLSX or EPUB file)"},
	{0, "PK\x05\x06", "a ZIP archive"},
	{0, "\x1f\x8b", "gzip-compressed data"},
	{0, "BZh", ""}, // needs a digit after it; checked in binaryKind
	{0, "\xfd7zXZ\x00", "xz-compressed data"},
	{0, "7z\xbc\xaf\x27\x1c", "a 7-Zip archive"},
	{0, "\x28\xb5\x2f\xfd", "zstd-compressed data"},
	{0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document"},
	{0, "\x7fELF", "an executable program"},
	{0, "{\\rtf", "an RTF document"},
	{0, "ID3", "an MP3 audio file"},
	{0, "OggS", "an Ogg media file"},
	{4, "ftyp", "an MP4 or QuickTime media file"},
	{0, "\x00\x00\x01\x00", "an icon image"},
	{0, "wOFF", "a web font"},
	{0, "wOF2", "a web font"},
	{0, "SQLite format 3\x00", "an SQLite database"},
}

// binaryKind reports what data looks like when it is not text ("a PDF
// document"), or "" when it may be text. data must not start with a UTF-16
// byte order mark (those are text).
func binaryKind(data []byte) string {
	for _, m := range magics {
		if len(data) < m.offset+len(m.sig) || string(data[m.offset:m.offset+len(m.sig)]) != m.sig {
			continue
		}
		if m.sig == "BZh" {
			if len(data) > 3 && data[3] >= '1' && data[3] <= '9' && len(data) > 4 && data[4] == '1' {
				return "bzip2-compressed data"
			}
			continue
		}
		return m.what
	}
	if len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP" {
		return "a WebP image"
	}
	head := data[:min(len(data), 8192)]
	if bytes.IndexByte(head, 0) >= 0 {
		return "binary data (it contains NUL bytes)"
	}
	// Many control characters other than whitespace: binary too.
	ctl := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b {
			ctl++
		}
	}
	if len(head) > 0 && ctl*10 > len(head) {
		return "binary data (it is full of control characters)"
	}
	return ""
}

// bomKind returns the charset named by a byte order mark and its length.
func bomKind(data []byte) (string, int) {
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		return "utf-8", 3
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		return "utf-16le", 2
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return "utf-16be", 2
	}
	return "", 0
}

// htmlStarts are prefixes (lowercase, after leading space and comments)
// that mark a document as HTML.
var htmlStarts = []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<article", "<main"}

// htmlTags are tags whose presence near the start suggests an HTML fragment.
var htmlTags = []string{"<p>", "<p ", "</p>", "<div", "</div>", "<br>", "<br/>", "<br />", "<h1", "<h2", "<span", "<a href", "<li>", "<script", "<style"}

// looksHTML reports whether text (already UTF-8) is an HTML document or
// fragment rather than plain text.
func looksHTML(text string) bool {
	head := text[:min(len(text), 4096)]
	if strings.IndexByte(head, '<') < 0 {
		return false // no tag, no comment, no declaration
	}
	head = strings.ToLower(head)
	head = strings.TrimLeftFunc(head, unicode.IsSpace)
	for strings.HasPrefix(head, "<!--") {
		end := strings.Index(head, "-->")
		if end < 0 {
			break
		}
		head = strings.TrimLeftFunc(head[end+3:], unicode.IsSpace)
	}
	if strings.HasPrefix(head, "<?xml") && strings.Contains(head, "<html") {
		return true
	}
	for _, p := range htmlStarts {
		if strings.HasPrefix(head, p) {
			return true
		}
	}
	n := 0
	for _, t := range htmlTags {
		n += strings.Count(head, t)
	}
	return n >= 3
}

// mediaFromName returns the media type suggested by a file name's
// extension, or "".
func mediaFromName(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx":
		return MediaHTML
	case ".txt", ".text", ".story", ".md":
		return MediaText
	}
	return ""
}

// isBlank reports whether data holds only whitespace (in any of the
// charsets sniffing deals with: ASCII whitespace, NUL padding of UTF-16,
// BOMs).
func isBlank(text string) bool {
	return strings.TrimFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\ufeff' || r == 0 || r == '\u200b'
	}) == ""
}

// binaryError builds the ErrBinary error for source.
func binaryError(source, what string) error {
	return newKind(ErrBinary, fmt.Sprintf("%s: looks like %s, not text or HTML", source, what))
}
