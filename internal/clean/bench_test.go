package clean

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkCleanHTML cleans every HTML fixture once per iteration and
// reports pages per second.
func BenchmarkCleanHTML(b *testing.B) {
	files, _ := filepath.Glob("testdata/html/*.html")
	var inputs []Input
	var size int64
	for _, f := range files {
		in, err := Load(context.Background(), f, LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, in)
		size += int64(len(in.Data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, in := range inputs {
			Clean(in, Options{})
		}
	}
	b.ReportMetric(float64(b.N*len(inputs))/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkCleanText cleans the sample article; MB/s is input bytes.
func BenchmarkCleanText(b *testing.B) {
	data, err := os.ReadFile(samplePath)
	if err != nil {
		b.Fatal(err)
	}
	in := Input{Source: "sample", Data: data, MediaType: MediaText}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Clean(in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCleanTextLarge cleans 1 MB of copied-page text (the sample and
// the text fixtures repeated).
func BenchmarkCleanTextLarge(b *testing.B) {
	var parts []string
	files, _ := filepath.Glob("testdata/text/*.txt")
	for _, f := range append(files, samplePath) {
		d, _ := os.ReadFile(f)
		parts = append(parts, string(d))
	}
	unit := strings.Join(parts, "\n\n")
	data := []byte(strings.Repeat(unit, 1<<20/len(unit)+1))
	in := Input{Source: "large", Data: data, MediaType: MediaText}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Clean(in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// bigPage generates an HTML news page of about size bytes: site chrome
// around an article of many paragraphs, with ads and captions between.
func bigPage(size int) []byte {
	var sb strings.Builder
	sb.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Long report | Gazette</title>` +
		`<meta property="og:site_name" content="Gazette"></head><body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>` +
		`<main><article><h1>Long report</h1><div class="body">`)
	for i := 0; sb.Len() < size; i++ {
		fmt.Fprintf(&sb, "<p>Paragraph %d of the report says the council will review spending on roads, schools and parks before the next budget, and residents will be asked for their views in a series of meetings.</p>\n", i)
		if i%20 == 0 {
			sb.WriteString(`<div class="ad"><span>Advertisement</span></div><figure><img src="x.jpg"><figcaption>A road in the town centre. Photo: Gazette</figcaption></figure>`)
		}
	}
	sb.WriteString(`</div></article></main><footer>© 2025 Gazette</footer></body></html>`)
	return []byte(sb.String())
}

// BenchmarkCleanHTML10MB cleans a generated 10 MB page and reports the
// bytes allocated per page and the peak live heap while cleaning it.
func BenchmarkCleanHTML10MB(b *testing.B) {
	page := bigPage(10 << 20)
	in := Input{Source: "big.html", Data: page, MediaType: MediaHTML, Charset: "utf-8"}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	var peak atomic.Uint64
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
		}
	}()
	b.ResetTimer()
	for b.Loop() {
		art, err := Clean(in, Options{})
		if err != nil || len(art.Body) < 1<<20 {
			b.Fatalf("Clean(10 MB page) = %d bytes of body, %v", len(art.Body), err)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(peak.Load()-min(peak.Load(), before.HeapAlloc))/(1<<20), "peak-heap-MB")
}
