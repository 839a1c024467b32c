package dataset

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/shareddata"
)

// refFindLeaks and refNormalizeLeak are FindLeaks as it was written first,
// rune by rune through a strings.Builder: the reference the faster one must
// agree with.
func refFindLeaks(index int, c Case) []Leak {
	var leaks []Leak
	var text string
	for i, ref := range c.Reference {
		n := refNormalizeLeak(ref)
		if len(strings.Fields(n)) < minLeakWords {
			continue
		}
		if text == "" {
			text = refNormalizeLeak(c.Title + "\n" + c.Article)
		}
		if strings.Contains(text, n) {
			leaks = append(leaks, Leak{Case: c.ID, Index: index, Bullet: i + 1, Text: ref})
		}
	}
	return leaks
}

func refNormalizeLeak(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch r {
		case '\u2018', '\u2019', '\u201b', '\u2032':
			r = '\''
		case '\u201c', '\u201d', '\u201f', '\u2033':
			r = '"'
		case '\u2013', '\u2014', '\u2212':
			r = '-'
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRightFunc(b.String(), func(r rune) bool {
		return unicode.IsPunct(r) && r != '"' && r != '\'' && r != ')'
	})
}

// leakAlphabet are the pieces random texts are made of: ASCII of every
// class, the white space, quotes and dashes the check folds, letters whose
// lower case is ASCII (İ, the Kelvin sign) or longer or shorter in UTF-8,
// punctuation the trim keeps or drops, and invalid UTF-8.
var leakAlphabet = []string{
	"a", "b", "Z", "Q", "x", "7", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u0085", "\u00a0", "\u2028", "\u3000",
	".", ",", "!", "?", ";", "…", "\"", "'", ")", "(", "-", "—", "–", "\u2212", "‘", "’", "‛", "′", "“", "”", "‟", "″",
	"İ", "K", "ẞ", "Σ", "ς", "Ω", "É", "é", "ǅ", "ⅷ", "Ⓐ", "\xff", "\xe2\x80", "\xc3", "@", "#", "%", "_", "~", "\x00", "\x7f",
	"the ", "The ", "STORM ", "storm ", "hit ", "coast ", "on Monday", " Monday.", "said ", "«", "»", "¿", "¡",
}

func randomLeakText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(leakAlphabet[rng.IntN(len(leakAlphabet))])
	}
	return b.String()
}

// TestNormalizeLeakMatchesReference compares normalizeLeak with the
// reference on random texts and on the alphabet's pieces alone.
func TestNormalizeLeakMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var f leakFinder
	check := func(s string) {
		t.Helper()
		want := refNormalizeLeak(s)
		if got := normalizeLeak(s); got != want {
			t.Fatalf("normalizeLeak(%q) = %q, want %q", s, got, want)
		}
		if got := string(f.normalize(s)); got != want {
			t.Fatalf("leakFinder.normalize(%q) = %q, want %q", s, got, want)
		}
	}
	for _, p := range leakAlphabet {
		check(p)
		check(p + p + "x" + p)
	}
	for i := range 20000 {
		check(randomLeakText(rng, 1+i%40))
	}
}

// TestFindLeaksMatchesReference compares FindLeaks with the reference on
// random cases whose bullets are often cut from their article, with the
// case and spacing changed, and on news-like cases.
func TestFindLeaksMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	found := 0
	for i := range 5000 {
		c := Case{ID: fmt.Sprint(i), Article: randomLeakText(rng, 20+rng.IntN(200))}
		if i%3 == 0 {
			c.Title = randomLeakText(rng, rng.IntN(10))
		}
		for range 1 + rng.IntN(4) {
			var ref string
			switch rng.IntN(4) {
			case 0:
				ref = randomLeakText(rng, 1+rng.IntN(30))
			default:
				text := c.Title + "\n" + c.Article
				a := rng.IntN(len(text))
				ref = text[a:min(len(text), a+1+rng.IntN(120))]
				if rng.IntN(2) == 0 {
					ref = strings.ToUpper(ref)
				}
				if rng.IntN(3) == 0 {
					ref = strings.ReplaceAll(ref, " ", "  \t") + "."
				}
			}
			c.Reference = append(c.Reference, ref)
		}
		want := refFindLeaks(i, c)
		found += len(want)
		if diff := cmp.Diff(want, FindLeaks(i, c)); diff != "" {
			t.Fatalf("FindLeaks(%#v) (-want +got):\n%s", c, diff)
		}
	}
	if found < 1000 {
		t.Errorf("the random cases have %d leaks in all; the test needs many more", found)
	}
	for i, c := range newsCases(t, 200) {
		want := refFindLeaks(i, c)
		if len(want) != 2 {
			t.Fatalf("news case %d: %d leaks by the reference, want 2", i, len(want))
		}
		if diff := cmp.Diff(want, FindLeaks(i, c)); diff != "" {
			t.Fatalf("FindLeaks(news case %d) (-want +got):\n%s", i, diff)
		}
	}
}

// TestFindLeaksDevData compares FindLeaks with the reference on every case
// of the shared dev dataset, and on the same cases with the article and
// the bullets upper-cased.
func TestFindLeaksDevData(t *testing.T) {
	for _, name := range []string{"news-dev.jsonl"} {
		path := shareddata.File(t, name)
		d, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		n, leaks := 0, 0
		err = d.Each(t.Context(), seq(d.Len()), func(i int, c Case) error {
			n++
			for _, c := range []Case{c, upper(c)} {
				want := refFindLeaks(i, c)
				leaks += len(want)
				if diff := cmp.Diff(want, FindLeaks(i, c)); diff != "" {
					t.Fatalf("%s: FindLeaks(case %q) (-want +got):\n%s", name, c.ID, diff)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatalf("%s: no cases", filepath.Base(path))
		}
		t.Logf("%s: %d cases, %d leaks found alike", name, n, leaks)
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func upper(c Case) Case {
	c.Title, c.Article = strings.ToUpper(c.Title), strings.ToUpper(c.Article)
	c.Reference = slices.Clone(c.Reference)
	for i, r := range c.Reference {
		c.Reference[i] = strings.ToUpper(r)
	}
	return c
}

// FuzzNormalizeLeak compares normalizeLeak with the reference.
func FuzzNormalizeLeak(f *testing.F) {
	for _, p := range leakAlphabet {
		f.Add(p + " x")
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normalizeLeak(s), refNormalizeLeak(s); got != want {
			t.Fatalf("normalizeLeak(%q) = %q, want %q", s, got, want)
		}
	})
}

// newsCases are like the cases of cmd/summarize's BenchmarkEvalClientCPU:
// the sample article's paragraphs in another order for each case, two
// reference bullets cut from its first paragraphs and one of its own.
func newsCases(tb testing.TB, n int) []Case {
	sample, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "sample.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	var paras []string
	for _, p := range strings.Split(string(sample), "\n") {
		if p = strings.TrimSpace(p); len(p) > 60 && !strings.HasPrefix(p, "- ") {
			paras = append(paras, p)
		}
	}
	cases := make([]Case, n)
	for i := range cases {
		k := i % len(paras)
		order := append(slices.Clone(paras[k:]), paras[:k]...)
		cases[i] = Case{ID: fmt.Sprintf("case-%05d", i), Article: fmt.Sprintf("Day %d of the talks.\n\n%s", i, strings.Join(order, "\n\n")),
			Reference: []string{order[0][:min(len(order[0]), 90)], order[1][:min(len(order[1]), 90)], fmt.Sprintf("Talks reach day %d", i)}}
	}
	return cases
}

// BenchmarkFindLeaks checks 10,000 news-like cases (4 KB articles, two of
// three bullets leaked); figures are per case.
func BenchmarkFindLeaks(b *testing.B) {
	cases := newsCases(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	leaks := 0
	for b.Loop() {
		leaks = 0
		var f leakFinder
		for i, c := range cases {
			leaks += len(f.find(i, c))
		}
	}
	if leaks != 2*len(cases) {
		b.Fatalf("%d leaks, want %d", leaks, 2*len(cases))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cases)), "ns/case")
}

// FindLeaks is the leakage check of one case, as the tests call it: it
// returns the reference bullets of c that occur in its title or
// article, compared case-insensitively with runs of white space collapsed
// and the bullet's final punctuation ignored.
func FindLeaks(index int, c Case) []Leak {
	var f leakFinder
	return f.find(index, c)
}
