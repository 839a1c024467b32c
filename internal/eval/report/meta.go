package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/summarize-dev/summarize/internal/eval"
)

// metaColumns are the agreement table's columns, in the order the papers
// report them.
var metaColumns = []struct{ level, coef, head string }{
	{"summary", "spearman", "summary ρ"},
	{"summary", "kendall", "summary τ"},
	{"system", "kendall", "system τ"},
	{"pooled", "pearson", "pooled r"},
	{"partial", "pearson", "partial r"},
}

// metaLine is one judgment × metric of the agreement table.
type metaLine struct {
	human, metric string
	cells         []string
}

// metaTable arranges r.Meta as rows of cells "0.149 [0.09, 0.21] n=66".
func metaTable(r *eval.Result) []metaLine {
	var out []metaLine
	index := map[[2]string]int{}
	for _, m := range r.Meta {
		k := [2]string{m.Human, m.Metric}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, metaLine{human: m.Human, metric: m.Metric, cells: make([]string, len(metaColumns))})
		}
		for c, col := range metaColumns {
			if col.level == m.Level && col.coef == m.Coef {
				out[i].cells[c] = metaCell(m)
			}
		}
	}
	return out
}

func metaCell(m eval.MetaRow) string {
	if math.IsNaN(m.Value) {
		return "–"
	}
	s := fmt.Sprintf("%.3f", m.Value)
	if !math.IsNaN(m.CI[0]) {
		s += fmt.Sprintf(" [%.2f, %.2f]", m.CI[0], m.CI[1])
	}
	return s + fmt.Sprintf(" n=%d", m.N)
}

const metaNote = "summary: per article across its candidates, then the mean over articles; system: across systems' means; " +
	"partial: Pearson after removing each system's mean (FRANK). 95% intervals resample articles."

// tableMeta writes the agreement table for the terminal.
func tableMeta(w io.Writer, r *eval.Result) {
	rows := metaTable(r)
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\nagreement with human judgments:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"  judgment", "metric"}
	for _, c := range metaColumns {
		head = append(head, c.head)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, l := range rows {
		fmt.Fprintln(tw, "  "+l.human+"\t"+l.metric+"\t"+strings.Join(l.cells, "\t"))
	}
	tw.Flush()
	fmt.Fprintf(w, "  (%s)\n", metaNote)
}

// mdMeta writes the agreement table in Markdown.
func mdMeta(w io.Writer, r *eval.Result) {
	rows := metaTable(r)
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\n### Agreement with human judgments\n\n")
	head := []string{"judgment", "metric"}
	for _, c := range metaColumns {
		head = append(head, c.head)
	}
	mdRow(w, head)
	mdRule(w, len(head), 2)
	for _, l := range rows {
		mdRow(w, append([]string{mdEsc(l.human), mdCode(l.metric)}, l.cells...))
	}
	fmt.Fprintf(w, "\n%s\n", metaNote)
}

// htmlMeta is the agreement table for the HTML page.
type htmlMeta struct {
	Heads []string
	Rows  []metaLine
	Note  string
}

func (l metaLine) Human() string   { return l.human }
func (l metaLine) Metric() string  { return l.metric }
func (l metaLine) Cells() []string { return l.cells }

func newHTMLMeta(r *eval.Result) *htmlMeta {
	rows := metaTable(r)
	if len(rows) == 0 {
		return nil
	}
	m := &htmlMeta{Rows: rows, Note: metaNote}
	for _, c := range metaColumns {
		m.Heads = append(m.Heads, c.head)
	}
	return m
}
