package clean

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// Charset names Input.Charset takes for the encodings detected here; other
// names come from declarations and are the WHATWG canonical names.
const (
	charsetUTF8    = "utf-8"
	charsetUTF16LE = "utf-16le"
	charsetUTF16BE = "utf-16be"
	charsetCP1252  = "windows-1252"
)

// detectCharset decides how data is encoded. declared is a charset named
// outside the data (HTTP Content-Type, Input.Charset) and wins over
// everything but a byte order mark; for HTML a <meta> declaration is next;
// otherwise the bytes decide: valid UTF-8, UTF-16 without a BOM, or
// Windows-1252 when the invalid bytes look like it.
func detectCharset(data []byte, declared string, isHTML bool) string {
	if name, _ := bomKind(data); name != "" {
		return name
	}
	if declared != "" {
		if enc, name := charset.Lookup(declared); enc != nil && name != charsetUTF8 {
			return normalizeCharsetName(name)
		}
	}
	if name := utf16NoBOM(data); name != "" {
		return name
	}
	if isHTML {
		if _, name, _ := charset.DetermineEncoding(data, "text/html"); name != charsetUTF8 && name != charsetCP1252 {
			return normalizeCharsetName(name)
		}
	}
	return guessUTF8OrCP1252(data)
}

// normalizeCharsetName maps WHATWG names to the ones used here.
func normalizeCharsetName(name string) string {
	switch name {
	case "utf-16le", "utf-16":
		return charsetUTF16LE
	}
	return strings.ToLower(name)
}

// utf16NoBOM recognises UTF-16 text without a byte order mark: most of the
// high (or low) bytes of its first code units are zero, as for Latin text.
func utf16NoBOM(data []byte) string {
	n := min(len(data), 1024) &^ 1
	if n < 8 {
		return ""
	}
	var zeroEven, zeroOdd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			zeroEven++
		}
		if data[i+1] == 0 {
			zeroOdd++
		}
	}
	units := n / 2
	switch {
	case zeroOdd*10 >= units*7 && zeroEven*10 < units:
		return charsetUTF16LE
	case zeroEven*10 >= units*7 && zeroOdd*10 < units:
		return charsetUTF16BE
	}
	return ""
}

// guessUTF8OrCP1252 returns "utf-8" for valid UTF-8 and for UTF-8 with a few
// broken sequences, and "windows-1252" when the bytes above 0x7F mostly do
// not form UTF-8 sequences (smart quotes 0x91-0x94, dashes 0x96/0x97,
// accented Latin letters).
func guessUTF8OrCP1252(data []byte) string {
	if utf8.Valid(data) {
		return charsetUTF8
	}
	var valid, invalid int
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			invalid++
			i++
			continue
		}
		valid++
		i += size
	}
	if invalid > valid {
		return charsetCP1252
	}
	return charsetUTF8
}

// encodingFor returns the decoder for a charset name, or nil for UTF-8.
func encodingFor(name string) encoding.Encoding {
	switch name {
	case "", charsetUTF8:
		return nil
	case charsetUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case charsetUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	case charsetCP1252:
		return charmap.Windows1252
	}
	enc, _ := charset.Lookup(name)
	return enc
}

// decode converts data in charset name to valid UTF-8 in Unicode NFC,
// without a byte order mark. Invalid sequences become U+FFFD.
func decode(data []byte, name string) string {
	if _, n := bomKind(data); n > 0 {
		bom, _ := bomKind(data)
		if bom == name || name == "" {
			data = data[n:]
			name = bom
		}
	}
	var s string
	if enc := encodingFor(name); enc != nil {
		b, err := enc.NewDecoder().Bytes(data)
		if err != nil {
			// Decoders replace bad input rather than fail; keep the bytes.
			b = data
		}
		s = string(b)
	} else {
		s = string(data)
	}
	s = strings.TrimPrefix(s, "\ufeff")
	if !noQuickTest && plainNFC(s) {
		return s // valid UTF-8, and NFC.String would return it as it is
	}
	if !utf8.ValidString(s) { // ValidString reads ASCII 8 bytes at a time
		s = strings.ToValidUTF8(s, "\ufffd")
	}
	return norm.NFC.String(s)
}

// plainNFC reports whether s is valid UTF-8 made of ASCII, U+0080-U+00FF
// (Latin-1: accented letters, no-break space) and U+2002-U+207F (curly
// quotes, dashes, ellipsis, superscripts) alone. Each of those runes is in
// NFC by itself, has canonical combining class 0 and combines with no rune
// before it (TestPlainNFCRunes checks the ranges against the norm tables),
// so such a text is in NFC: the quick check says yes. It reads ASCII eight
// bytes at a time; any other rune, or a broken sequence, makes it answer
// false and decode take the full path.
func plainNFC(s string) bool {
	i := 0
	for i < len(s) {
		for i+8 <= len(s) && (uint64(s[i])|uint64(s[i+1])<<8|uint64(s[i+2])<<16|uint64(s[i+3])<<24|
			uint64(s[i+4])<<32|uint64(s[i+5])<<40|uint64(s[i+6])<<48|uint64(s[i+7])<<56)&0x8080808080808080 == 0 {
			i += 8
		}
		if i >= len(s) {
			break
		}
		switch c := s[i]; {
		case c < utf8.RuneSelf:
			i++
		case c == 0xc2 || c == 0xc3: // U+0080-U+00FF
			if i+1 >= len(s) || s[i+1]&0xc0 != 0x80 {
				return false
			}
			i += 2
		case c == 0xe2: // U+2000-U+207F is e2 80-81 xx
			if i+2 >= len(s) || (s[i+1] != 0x80 && s[i+1] != 0x81) || s[i+2]&0xc0 != 0x80 {
				return false
			}
			if s[i+1] == 0x80 && s[i+2] < 0x82 { // U+2000, U+2001 become U+2002, U+2003
				return false
			}
			i += 3
		default:
			return false
		}
	}
	return true
}
