package rouge

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDefaultTokenizer(t *testing.T) {
	tests := []struct {
		name string
		in   string
		stem bool
		want []string
	}{
		{"empty", "", false, nil},
		{"punctuation only", " ,.;—!? ", false, nil},
		{"lower-cases", "The Quick BROWN fox", false, []string{"the", "quick", "brown", "fox"}},
		{"digits kept", "In 2015, 3.5% of 10,000", false, []string{"in", "2015", "3", "5", "of", "10", "000"}},
		{"hyphens split", "well-known U.S.-led", false, []string{"well", "known", "u", "s", "led"}},
		{"apostrophes split", "don't it's O'Neil's", false, []string{"don", "t", "it", "s", "o", "neil", "s"}},
		{"non-ASCII letters separate", "café naïve Zürich", false, []string{"caf", "na", "ve", "z", "rich"}},
		{"non-ASCII digits separate", "٣ ①2", false, []string{"2"}},
		{"dotted capital I lowers to i plus a combining dot", "İstanbul KİM", false, []string{"i", "stanbul", "ki", "m"}},
		{"Kelvin sign lowers to k", "5\u212a run \u212aing", false, []string{"5k", "run", "king"}},
		{"fullwidth letters are not ASCII", "ＡＢＣ abc", false, []string{"abc"}},
		{"newlines and tabs separate", "one\ntwo\tthree\r\nfour", false, []string{"one", "two", "three", "four"}},
		{"stems only longer than 3", "cats dogs running ties flies", true, []string{"cat", "dog", "run", "tie", "fli"}},
		{"short words unstemmed", "was has its", true, []string{"was", "has", "its"}},
		{"digits stemmed too", "1990s", true, []string{"1990"}},
		{"invalid UTF-8 separates", "ab\xffcd", false, []string{"ab", "cd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DefaultTokenizer{Stemmer: tt.stem}.Tokenize(tt.in)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("DefaultTokenizer{%v}.Tokenize(%q) mismatch (-want +got):\n%s", tt.stem, tt.in, diff)
			}
		})
	}
}

func TestUnicodeTokenizer(t *testing.T) {
	tests := []struct {
		in   string
		stem bool
		want []string
	}{
		{"Café naïve Zürich", false, []string{"café", "naïve", "zürich"}},
		{"ＡＢＣ ｆｕｌｌ", false, []string{"abc", "full"}},
		{"Москва́ — столица", false, []string{"москва́", "столица"}},
		{"東京タワー", false, []string{"東", "京", "タ", "ワ", "ー"}},
		{"running cafés", true, []string{"run", "cafés"}},
		{"٣ ①", false, []string{"٣", "1"}},
	}
	for _, tt := range tests {
		got := UnicodeTokenizer{Stemmer: tt.stem}.Tokenize(tt.in)
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("UnicodeTokenizer{%v}.Tokenize(%q) mismatch (-want +got):\n%s", tt.stem, tt.in, diff)
		}
	}
}
