package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/summarize-dev/summarize/internal/eval"
)

var sortLabels = map[string]string{
	SortWorst:   "worst first",
	SortDrop:    "largest drop",
	SortScore:   "lowest score",
	SortDataset: "dataset order",
}

// answers says where the run's answers came from, over every variant:
// "24 live, 12 replayed".
func answers(r *eval.Result) string {
	var all eval.VariantResult
	for _, v := range r.Variants {
		all.Live += v.Live
		all.Cached += v.Cached
		all.Replayed += v.Replayed
	}
	return sourceCell(&all)
}

// htmlBaseline is the run the report compares with: its file and what
// its manifest says ran.
type htmlBaseline struct {
	Path        string
	HasManifest bool
	Tool        string
	Started     string
	Suite       string
	Dataset     string
	SameDataset bool
	Variants    []htmlBaselineVariant
}

// htmlBaselineVariant sets a variant of the baseline beside the same
// variant now.
type htmlBaselineVariant struct {
	Name                  string
	Model, Prompt         string // the baseline's
	NowModel, NowPrompt   string
	ModelSame, PromptSame bool
	Missing               bool // not in this run
}

func newHTMLBaseline(r *eval.Result) *htmlBaseline {
	b := r.Baseline()
	if b == nil {
		return nil
	}
	hb := &htmlBaseline{Path: b.Path}
	m := b.Manifest
	if m == nil {
		return hb
	}
	hb.HasManifest = true
	hb.Tool = "summarize " + orDash(m.Version)
	if m.Commit != "" {
		hb.Tool += " (" + shortCommit(m.Commit) + ")"
	}
	if !m.Started.IsZero() {
		hb.Started = m.Started.Format(time.RFC1123)
	}
	hb.Suite = m.Suite
	hb.Dataset = fmt.Sprintf("%s · %d cases · sha256 %.12s", m.Dataset, m.Cases, m.DatasetSHA256)
	hb.SameDataset = m.DatasetSHA256 == r.Manifest.DatasetSHA256
	for _, bv := range m.Variants {
		v := htmlBaselineVariant{Name: bv.Name, Model: modelOf(bv), Prompt: promptOf(bv)}
		if now := variantManifest(r, bv.Name); now != nil {
			v.NowModel, v.NowPrompt = modelOf(*now), promptOf(*now)
			v.ModelSame, v.PromptSame = v.NowModel == v.Model, v.NowPrompt == v.Prompt
		} else {
			v.Missing = true
		}
		hb.Variants = append(hb.Variants, v)
	}
	return hb
}

// modelOf is "backend · model", with the models seen answering when they
// differ from the configured one.
func modelOf(v eval.VariantManifest) string {
	s := v.Backend
	if v.Model != "" {
		s += " · " + v.Model
	}
	if seen := otherThan(v.Models, v.Model); len(seen) > 0 {
		s += " (answered by " + strings.Join(seen, ", ") + ")"
	}
	return s
}
