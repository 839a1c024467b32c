package dataset

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/summarize-dev/summarize/internal/jsonl"
)

// FormatJudged is human judgments of system outputs, as in
// ../shared/data: a JSONL file of {"id","system","human":{name: number}}
// records, joined with the outputs they judge (ImportOptions.Systems:
// {"id","system","bullets"}) and the articles (ImportOptions.Pairs: a
// dataset). Each judged output becomes one case: the article and its
// reference, the output as "candidate", the article id as "group", the
// system, and the judgments.
const FormatJudged = "judged"

// importJudged reads the judgments at path and calls fn with a case per
// judged output, in the judgments' order.
func importJudged(ctx context.Context, path string, opt ImportOptions, fn func(Case) error) error {
	if opt.Pairs == "" || opt.Systems == "" {
		return errors.New("the judged format needs the articles (--pairs FILE) and the judged outputs (--systems FILE)")
	}
	pairs, err := Open(opt.Pairs)
	if err != nil {
		return err
	}
	articles := map[string]Case{}
	idx := make([]int, pairs.Len())
	for i := range idx {
		idx[i] = i
	}
	if err := pairs.Each(ctx, idx, func(_ int, c Case) error { articles[c.ID] = c; return nil }); err != nil {
		return err
	}
	type output struct {
		ID      string   `json:"id"`
		System  string   `json:"system"`
		Bullets []string `json:"bullets"`
	}
	outputs := map[[2]string][]string{}
	if err := eachJSON(opt.Systems, func(line int, o output) error {
		outputs[[2]string{o.ID, o.System}] = o.Bullets
		return nil
	}); err != nil {
		return err
	}
	type judged struct {
		ID     string             `json:"id"`
		System string             `json:"system"`
		Human  map[string]float64 `json:"human"`
	}
	return eachJSON(path, func(line int, j judged) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		art, ok := articles[j.ID]
		if !ok {
			return fmt.Errorf("%s:%d: article %q is not in %s", path, line, j.ID, opt.Pairs)
		}
		bullets, ok := outputs[[2]string{j.ID, j.System}]
		if !ok || len(bullets) == 0 {
			return fmt.Errorf("%s:%d: no output of %q for %q in %s", path, line, j.System, j.ID, opt.Systems)
		}
		return fn(Case{ID: j.ID + "/" + j.System, Article: art.Article, Reference: art.Reference,
			Candidate: bullets, Group: j.ID, System: j.System, Human: j.Human})
	})
}

// eachJSON decodes every line of the JSONL file at path into a T.
func eachJSON[T any](path string, fn func(line int, v T) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, notFound(err))
	}
	defer f.Close()
	return lineErr(path, jsonl.ScanMax(f, MaxLine, func(line int, _ int64, b []byte) error {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, jsonl.Err(err))
		}
		return fn(line, v)
	}))
}
