package clean

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// proseLines returns the paragraphs of the sample article that the eval
// client benchmark builds its cases from: prose of 60 to 240 bytes.
func proseLines(tb testing.TB) []string {
	data, err := os.ReadFile(samplePath)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, p := range strings.Split(string(data), "\n") {
		if p = strings.TrimSpace(p); len(p) > 60 && !strings.HasPrefix(p, "- ") {
			out = append(out, p)
		}
	}
	return out
}

// toLower is strings.ToLower: on every line of the fixtures, and on
// letters whose lower case is shorter or longer in UTF-8, U+FFFD and
// invalid UTF-8.
func TestToLower(t *testing.T) {
	ins := []string{"", "abc", "ABC", "Ab’C", "İSTANBUL", "ȺȾ", "ΣΑΣ", "x\uFFFDY", "X\xffY", "\xe2\x80", "É\xc3", "日本語 ABC"}
	files, _ := filepath.Glob("testdata/text/*.txt")
	for _, f := range append(files, samplePath) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, strings.Split(string(b), "\n")...)
	}
	for _, s := range ins {
		if got, want := toLower(s), strings.ToLower(s); got != want {
			t.Errorf("toLower(%q) = %q, want %q", s, got, want)
		}
	}
}

// BenchmarkNoise runs the default one-line noise rules over the sample's
// paragraphs, the cost every body line pays.
func BenchmarkNoise(b *testing.B) {
	lines := proseLines(b)
	rs, err := compileOptions(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			rs.noise(l)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
}

// BenchmarkCleanEvalArticles cleans articles shaped like the cases of the
// eval client benchmark (cmd/summarize, benchDataset): a "Day N of the
// talks." line, then the sample's prose paragraphs in rotated order, one
// article per paragraph of the sample; ns/op is per article.
func BenchmarkCleanEvalArticles(b *testing.B) {
	inputs := evalInputs(b, MediaText)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := Clean(inputs[i%len(inputs)], Options{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCleanEvalArticlesSniffed is BenchmarkCleanEvalArticles with
// the input as the eval hands it over (cmd/summarize, cleanMemo): no media
// type, so Clean sniffs it first.
func BenchmarkCleanEvalArticlesSniffed(b *testing.B) {
	inputs := evalInputs(b, "")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := Clean(inputs[i%len(inputs)], Options{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkDecodeEvalArticles decodes the eval-shaped articles as UTF-8.
func BenchmarkDecodeEvalArticles(b *testing.B) {
	inputs := evalInputs(b, MediaText)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		decode(inputs[i%len(inputs)].Data, charsetUTF8)
		i++
	}
}

// evalInputs builds the eval-shaped articles, one per paragraph of the
// sample, with media type media.
func evalInputs(tb testing.TB, media string) []Input {
	paras := proseLines(tb)
	inputs := make([]Input, len(paras))
	for i := range paras {
		order := append(slices.Clone(paras[i:]), paras[:i]...)
		art := fmt.Sprintf("Day %d of the talks.\n\n%s", i, strings.Join(order, "\n\n"))
		inputs[i] = Input{Data: []byte(art), MediaType: media}
	}
	return inputs
}

// TestLowerIntoShared lowers every line of the fixtures into one builder,
// as a pass does: each result is toLower of its line, and stays so after
// the lines lowered after it (the builder grows past its first buffer).
func TestLowerIntoShared(t *testing.T) {
	ins := []string{"ABC", "İSTANBUL", "ȺȾ", "X\xffY", "already lower", "“Quoted” Text"}
	files, _ := filepath.Glob("testdata/text/*.txt")
	for _, f := range append(files, samplePath) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, strings.Split(string(b), "\n")...)
	}
	var b strings.Builder
	b.Grow(64)
	got := make([]string, len(ins))
	for i, s := range ins {
		got[i] = coreInto(&b, s)
	}
	if b.Len() <= 64 {
		t.Fatalf("the builder holds %d bytes: the test does not make it grow", b.Len())
	}
	for i, s := range ins {
		if want := coreOf(s); got[i] != want {
			t.Errorf("coreInto(shared, %q) = %q, want %q", s, got[i], want)
		}
	}
}
