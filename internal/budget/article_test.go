package budget

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/summarize-dev/summarize/internal/shareddata"
)

// vocabulary for generated articles: common words, names, numbers and
// punctuation-carrying words, so the tokenizer sees news-like text.
var vocabulary = strings.Fields(`the of and to in a is that for on was with he it as at by
from his an were are which this be has have had not but they after who been
its new first more than also two year years one would people said will about
government president minister police officials country city state report
percent million billion company market election court vote war talks deal
health hospital school children water energy climate prices workers union
Mr. Dr. Smith Garcia Nguyen Okafor Müller Washington Brussels Nairobi Tokyo
on Tuesday, Wednesday, 2025, 1.5 3,200 42 "very" (AP) U.S. officials' cross-border
long-term spokesperson according statement investigation parliament coalition
infrastructure supercalifragilistic unprecedented negotiations Ministry`)

// genArticle returns a deterministic article of n words: sentences of 5 to
// 35 words, paragraphs of 1 to 6 sentences separated by blank lines.
func genArticle(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var b strings.Builder
	b.Grow(n * 7)
	words, sentInPara, paraLen := 0, 0, 1+r.IntN(6)
	for words < n {
		sl := min(5+r.IntN(31), n-words)
		for i := range sl {
			w := vocabulary[r.IntN(len(vocabulary))]
			if i == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		words += sl
		b.WriteString([]string{".", ".", ".", "?", "!"}[r.IntN(5)])
		sentInPara++
		switch {
		case words >= n:
		case sentInPara == paraLen:
			b.WriteString("\n\n")
			sentInPara, paraLen = 0, 1+r.IntN(6)
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// newsArticle returns about n words of real news text: the dev articles of
// the shared data set joined as paragraphs, or ok == false when the data is
// absent. Nothing of it is copied into the repository.
func newsArticle(n int) (string, bool) {
	dir, err := shareddata.Dir()
	if err != nil {
		return "", false
	}
	data, err := os.ReadFile(filepath.Join(dir, "news-dev.jsonl"))
	if err != nil {
		return "", false
	}
	return joinArticles(data, n), true
}

// joinArticles joins the "article" fields of JSONL records with blank lines
// until about n words, cycling through the records when needed.
func joinArticles(data []byte, n int) string {
	var articles []string
	for line := range bytes.Lines(data) {
		var rec struct {
			Article string `json:"article"`
		}
		if json.Unmarshal(line, &rec) == nil && rec.Article != "" {
			articles = append(articles, rec.Article)
		}
	}
	if len(articles) == 0 {
		return ""
	}
	var parts []string
	for words := 0; words < n; {
		a := articles[len(parts)%len(articles)]
		parts = append(parts, a)
		words += len(strings.Fields(a))
	}
	return strings.Join(parts, "\n\n")
}
