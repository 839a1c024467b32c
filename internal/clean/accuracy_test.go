package clean

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// Ground truth for the extraction benchmark: testdata/html/NAME.truth is
// the article text of NAME.html as a reader judges it (body paragraphs,
// list items, subheadings and standfirst; no headline, byline, captions
// or page furniture), written by reviewing each page.

// truthPage is an HTML fixture with its ground truth.
type truthPage struct {
	name  string
	in    Input
	truth map[string]int
}

func truthPages(tb testing.TB) []truthPage {
	files, _ := filepath.Glob("testdata/html/*.truth")
	if len(files) == 0 {
		tb.Fatal("no ground truth in testdata/html")
	}
	var pages []truthPage
	for _, f := range files {
		t, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		page := strings.TrimSuffix(f, ".truth") + ".html"
		in, err := Load(context.Background(), page, LoadOptions{})
		if err != nil {
			tb.Fatal(err)
		}
		pages = append(pages, truthPage{name: filepath.Base(strings.TrimSuffix(f, ".truth")), in: in, truth: tokenBag(string(t))})
	}
	return pages
}

// tokenBag counts the tokens of s: lowercase runs of letters and digits,
// and each character of a script written without spaces.
func tokenBag(s string) map[string]int {
	bag := map[string]int{}
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			bag[cur.String()]++
			cur.Reset()
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case isDense(r):
			flush()
			bag[string(r)]++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return bag
}

// prf returns token precision, recall and F1 of got against truth.
func prf(got, truth map[string]int) (p, r, f float64) {
	var common, ng, nt int
	for t, n := range got {
		common += min(n, truth[t])
		ng += n
	}
	for _, n := range truth {
		nt += n
	}
	if ng > 0 {
		p = float64(common) / float64(ng)
	}
	if nt > 0 {
		r = float64(common) / float64(nt)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// plainOptions are the go-trafilatura options Clean uses.
func plainOptions() trafilatura.Options {
	return trafilatura.Options{EnableFallback: true, ExcludeComments: true, HtmlDateMode: trafilatura.Fast, PruneSelector: pruneSelector}
}

// plainExtract is plain go-trafilatura on a page: its text, "" on failure.
func plainExtract(data []byte) string {
	doc, err := html.Parse(strings.NewReader(decode(data, detectCharset(data, "", true))))
	if err != nil {
		return ""
	}
	res, err := extract(doc, plainOptions())
	if err != nil || res == nil {
		return ""
	}
	return res.ContentText
}

// cleanExtract is Clean on a page: its body, "" on failure.
func cleanExtract(in Input) string {
	a, err := Clean(in, Options{})
	if err != nil {
		return ""
	}
	return a.Body
}

// TestExtractionAccuracy checks the aim of the benchmark below: on every
// page with ground truth, Clean's token F1 is at least plain
// go-trafilatura's and no page fails.
func TestExtractionAccuracy(t *testing.T) {
	for _, pg := range truthPages(t) {
		body := cleanExtract(pg.in)
		if body == "" {
			t.Errorf("Clean(%s) failed", pg.name)
			continue
		}
		_, _, f := prf(tokenBag(body), pg.truth)
		_, _, pf := prf(tokenBag(plainExtract(pg.in.Data)), pg.truth)
		if f < pf {
			t.Errorf("%s: Clean token F1 %.3f < go-trafilatura %.3f", pg.name, f, pf)
		}
	}
}

// BenchmarkExtraction cleans each page with ground truth, with Clean and
// with plain go-trafilatura (same options), and reports token precision,
// recall and F1 against the truth; ns/op is the time per page. The "all"
// runs go over every page per op and report the mean F1 and the cost of
// Clean over plain go-trafilatura.
//
//	go test ./internal/clean -run '^$' -bench Extraction -benchtime 20x
func BenchmarkExtraction(b *testing.B) {
	pages := truthPages(b)
	type extractor struct {
		name string
		run  func(Input) string
	}
	extractors := []extractor{
		{"clean", cleanExtract},
		{"trafilatura", func(in Input) string { return plainExtract(in.Data) }},
	}
	for _, pg := range pages {
		for _, ex := range extractors {
			b.Run(ex.name+"/"+pg.name, func(b *testing.B) {
				var out string
				for b.Loop() {
					out = ex.run(pg.in)
				}
				p, r, f := prf(tokenBag(out), pg.truth)
				b.ReportMetric(p, "P")
				b.ReportMetric(r, "R")
				b.ReportMetric(f, "F1")
			})
		}
	}
	for _, ex := range extractors {
		b.Run(ex.name+"/all", func(b *testing.B) {
			var sum float64
			for b.Loop() {
				sum = 0
				for _, pg := range pages {
					_, _, f := prf(tokenBag(ex.run(pg.in)), pg.truth)
					sum += f
				}
			}
			b.ReportMetric(sum/float64(len(pages)), "meanF1")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(pages)), "µs/page")
		})
	}
}

// BenchmarkExtractionCost runs plain go-trafilatura and Clean one after
// the other on every page with ground truth, so that both see the same
// machine load, and reports the time per page of each and Clean's cost
// over go-trafilatura in percent. The min- figures add up each page's
// fastest run of each, which a busy machine disturbs much less than the
// means.
func BenchmarkExtractionCost(b *testing.B) {
	pages := truthPages(b)
	var plain, cleaned time.Duration
	minPlain := make([]time.Duration, len(pages))
	minClean := make([]time.Duration, len(pages))
	for b.Loop() {
		for i, pg := range pages {
			t0 := time.Now()
			plainExtract(pg.in.Data)
			t1 := time.Now()
			cleanExtract(pg.in)
			t2 := time.Now()
			plain += t1.Sub(t0)
			cleaned += t2.Sub(t1)
			if minPlain[i] == 0 || t1.Sub(t0) < minPlain[i] {
				minPlain[i] = t1.Sub(t0)
			}
			if minClean[i] == 0 || t2.Sub(t1) < minClean[i] {
				minClean[i] = t2.Sub(t1)
			}
		}
	}
	n := float64(b.N * len(pages))
	b.ReportMetric(float64(plain.Microseconds())/n, "trafilatura-µs/page")
	b.ReportMetric(float64(cleaned.Microseconds())/n, "clean-µs/page")
	b.ReportMetric(100*(float64(cleaned)/float64(plain)-1), "cost-%")
	var sumPlain, sumClean time.Duration
	for i := range pages {
		sumPlain += minPlain[i]
		sumClean += minClean[i]
	}
	b.ReportMetric(float64(sumPlain.Microseconds())/float64(len(pages)), "trafilatura-min-µs/page")
	b.ReportMetric(float64(sumClean.Microseconds())/float64(len(pages)), "clean-min-µs/page")
	b.ReportMetric(100*(float64(sumClean)/float64(sumPlain)-1), "min-cost-%")
}
