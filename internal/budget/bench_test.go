package budget

import (
	"testing"
)

// benchArticle returns about n words of real news when the shared data is
// present, and generated text otherwise.
func benchArticle(b *testing.B, n int) string {
	b.Helper()
	if text, ok := newsArticle(n); ok {
		return text
	}
	b.Log("shared data absent: generated text")
	return genArticle(n, 3)
}

// BenchmarkCount measures counting speed: MB/s, and tokens/s as a metric.
func BenchmarkCount(b *testing.B) {
	text := benchArticle(b, 20_000)
	c := NewCounter()
	for _, model := range []string{"gpt-4o", "gpt-4", "llama3"} {
		b.Run(EncodingFor(model), func(b *testing.B) {
			count := c.For(model)
			tokens := count(text) // also builds the codec outside the timer
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				count(text)
			}
			b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkChunk measures the planning overhead of map-reduce on a
// 200,000-word article: splitting and counting, no backend.
func BenchmarkChunk(b *testing.B) {
	text := benchArticle(b, 200_000)
	count := NewCounter().For("gpt-4o-mini")
	for _, max := range []int{2_000, 16_000} {
		b.Run(itoa(max), func(b *testing.B) {
			var chunks []string
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				chunks = Chunk(text, max, count)
			}
			b.ReportMetric(float64(len(chunks)), "chunks")
		})
	}
}

// BenchmarkTruncate measures cutting a 200,000-word article to a budget.
func BenchmarkTruncate(b *testing.B) {
	text := benchArticle(b, 200_000)
	count := NewCounter().For("gpt-4o-mini")
	b.ReportAllocs()
	for b.Loop() {
		Truncate(text, 100_000, count)
	}
}

// BenchmarkSentences measures the sentence splitter alone.
func BenchmarkSentences(b *testing.B) {
	text := benchArticle(b, 200_000)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		sentences(text)
	}
}

func itoa(n int) string {
	switch {
	case n >= 1000 && n%1000 == 0:
		return itoa(n/1000) + "k"
	case n < 10:
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
