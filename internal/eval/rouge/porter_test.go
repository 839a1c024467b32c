package rouge

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/shareddata"
)

func TestStem(t *testing.T) {
	tests := []struct{ in, want string }{
		// irregular forms
		{"skies", "sky"}, {"dying", "die"}, {"news", "news"}, {"innings", "inning"},
		{"proceed", "proceed"}, {"howe", "howe"},
		// short words are left alone
		{"a", "a"}, {"is", "is"}, {"as", "as"},
		// step 1a, with NLTK's 'ies' rule for four-letter words
		{"caresses", "caress"}, {"ponies", "poni"}, {"ties", "tie"}, {"dies", "die"},
		{"caress", "caress"}, {"cats", "cat"},
		// step 1b
		{"feed", "feed"}, {"agreed", "agre"}, {"plastered", "plaster"}, {"bled", "bled"},
		{"motoring", "motor"}, {"sing", "sing"}, {"conflated", "conflat"}, {"troubled", "troubl"},
		{"sized", "size"}, {"hopping", "hop"}, {"tanned", "tan"}, {"falling", "fall"},
		{"hissing", "hiss"}, {"fizzed", "fizz"}, {"failing", "fail"}, {"filing", "file"},
		{"spied", "spi"}, {"died", "die"},
		// step 1c, NLTK's variant
		{"happy", "happi"}, {"enjoy", "enjoy"}, {"sky", "sky"}, {"spy", "spi"}, {"try", "tri"},
		// step 2 and 3
		{"relational", "relat"}, {"conditional", "condit"}, {"radically", "radic"},
		{"hopefully", "hope"}, {"archaeology", "archaeolog"}, {"geology", "geolog"},
		{"theology", "theolog"}, {"formalize", "formal"}, {"electrical", "electr"},
		{"goodness", "good"},
		// step 4 and 5
		{"revival", "reviv"}, {"allowance", "allow"}, {"adoption", "adopt"},
		{"controlling", "control"}, {"roll", "roll"}, {"probate", "probat"}, {"rate", "rate"},
		{"cease", "ceas"}, {"generously", "gener"},
		// digits count as consonants
		{"1990s", "1990"}, {"4x4s", "4x4"},
	}
	for _, tt := range tests {
		if got := Stem(tt.in); got != tt.want {
			t.Errorf("Stem(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestStemNLTK checks every word of the NLTK 3.8 reference list.
func TestStemNLTK(t *testing.T) {
	path := shareddata.File(t, "nltk-porter-stems.tsv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, bad := 0, 0
	for sc.Scan() {
		word, want, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("line %d: no tab in %q", n+1, sc.Text())
		}
		n++
		if got := Stem(word); got != want {
			bad++
			if bad <= 30 {
				t.Errorf("Stem(%q) = %q, want %q", word, got, want)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 60000 {
		t.Errorf("read %d words, want the whole list (67,940)", n)
	}
	if bad > 0 {
		t.Errorf("%d of %d stems differ from NLTK", bad, n)
	}
}

func BenchmarkStem(b *testing.B) {
	words := []string{"generously", "relational", "hopping", "controlling", "archaeology",
		"caresses", "electrical", "the", "summarization", "president", "announced", "yesterday"}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w := words[i%len(words)]
		buf = append(buf[:0], w...)
		stemBytes(buf)
	}
}
