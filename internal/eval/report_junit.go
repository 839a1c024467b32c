package eval

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteJUnit writes a JUnit XML report: one testsuite per variant with one
// testcase per case (its repeats folded in), failing when a case broke the
// bullet contract or leaked (leakage: fail) and erroring when the generator
// failed; plus a "gates" testsuite with one testcase per gate.
func WriteJUnit(w io.Writer, r *Result) error {
	bw := bufio.NewWriter(w)
	ew := &errWriter{w: bw}
	suite := r.Manifest.Suite
	type outcome struct {
		status  string
		reasons []string
		seconds float64
		rec     *Record // the first non-passing record, for the failure text
	}
	var body strings.Builder
	tests, failures, errs := 0, 0, 0
	for _, v := range r.Variants {
		out := make([]outcome, len(r.CaseIDs))
		err := readRecords(r.ResultsPath, func(rec *Record) error {
			if rec.Variant != v.Name || rec.Index < 0 || rec.Index >= len(out) {
				return nil
			}
			o := &out[rec.Index]
			o.seconds += rec.LatencyMS / 1000
			if rank(rec.Status) > rank(o.status) {
				o.status = rec.Status
				o.rec = rec
			}
			for _, reason := range rec.Reasons {
				if r.Manifest.Settings.Repeat > 1 {
					reason = fmt.Sprintf("repeat %d: %s", rec.Repeat, reason)
				}
				o.reasons = append(o.reasons, reason)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("write JUnit report: %w", err)
		}
		var cases strings.Builder
		n, nf, ne := 0, 0, 0
		var total float64
		for i, o := range out {
			if o.status == "" {
				continue // did not run (interrupted, limited)
			}
			n++
			total += o.seconds
			fmt.Fprintf(&cases, "    <testcase name=\"%s\" classname=\"%s\" time=\"%.3f\">",
				xmlEsc(r.CaseIDs[i]), xmlEsc(suite+"."+v.Name), o.seconds)
			switch o.status {
			case StatusError:
				ne++
				fmt.Fprintf(&cases, "\n      <error message=\"%s\" type=\"error\">%s</error>\n    ",
					xmlEsc(truncate(o.reasons[0], 200)), xmlEsc(failureText(o.reasons, o.rec)))
			case StatusFail:
				nf++
				fmt.Fprintf(&cases, "\n      <failure message=\"%s\" type=\"%s\">%s</failure>\n    ",
					xmlEsc(truncate(strings.Join(o.reasons, "; "), 200)), xmlEsc(failureType(o.reasons)),
					xmlEsc(failureText(o.reasons, o.rec)))
			}
			cases.WriteString("</testcase>\n")
		}
		tests, failures, errs = tests+n, failures+nf, errs+ne
		fmt.Fprintf(&body, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\">\n",
			xmlEsc(suite+"/"+v.Name), n, nf, ne, total)
		body.WriteString(variantProperties(r, v.Name))
		body.WriteString(cases.String())
		body.WriteString("  </testsuite>\n")
	}
	if len(r.Gates) > 0 || r.Interrupted || r.StopReason != "" {
		n, nf, ns := 0, 0, 0
		var cases strings.Builder
		if r.StopReason != "" {
			n++
			nf++
			fmt.Fprintf(&cases, "    <testcase name=\"run finished\" classname=\"%s\">\n      <failure message=\"%s\" type=\"%s\"></failure>\n    </testcase>\n",
				xmlEsc(suite+".gates"), xmlEsc(Verdict(r)), xmlEsc(r.StopReason))
		}
		for _, g := range r.Gates {
			n++
			name := g.Name()
			if g.Variant != "" {
				name += " [" + g.Variant + "]"
			}
			fmt.Fprintf(&cases, "    <testcase name=\"%s\" classname=\"%s\">", xmlEsc(name), xmlEsc(suite+".gates"))
			switch {
			case g.Skipped:
				ns++
				fmt.Fprintf(&cases, "<skipped message=\"%s\"></skipped>", xmlEsc(g.Message))
			case !g.Pass:
				nf++
				fmt.Fprintf(&cases, "\n      <failure message=\"%s\" type=\"gate\">%s</failure>\n    ", xmlEsc(g.Message), xmlEsc(g.Message))
			}
			cases.WriteString("</testcase>\n")
		}
		tests, failures = tests+n, failures+nf
		fmt.Fprintf(&body, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\" time=\"0\">\n%s  </testsuite>\n",
			xmlEsc(suite+"/gates"), n, nf, ns, cases.String())
	}
	fmt.Fprintf(ew, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	fmt.Fprintf(ew, "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n",
		xmlEsc("summarize eval "+suite), tests, failures, errs, r.Manifest.Ended.Sub(r.Manifest.Started).Seconds())
	io.WriteString(ew, body.String())
	fmt.Fprintf(ew, "</testsuites>\n")
	if ew.err != nil {
		return fmt.Errorf("write JUnit report: %w", ew.err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	return nil
}

func rank(status string) int {
	return slices.Index([]string{"", StatusPass, StatusFail, StatusError}, status)
}

func failureType(reasons []string) string {
	if len(reasons) > 0 {
		if i := strings.Index(reasons[0], ":"); i > 0 && i < 20 {
			return strings.TrimPrefix(reasons[0][:i], "repeat ")
		}
	}
	return "failure"
}

func failureText(reasons []string, rec *Record) string {
	var b strings.Builder
	for _, r := range reasons {
		b.WriteString(r)
		b.WriteByte('\n')
	}
	if rec == nil {
		return b.String()
	}
	if len(rec.Bullets) > 0 {
		b.WriteString("\nbullets:\n")
		for _, x := range rec.Bullets {
			b.WriteString("  - " + x + "\n")
		}
	}
	for _, x := range rec.Leftovers {
		b.WriteString("leftover: " + x + "\n")
	}
	b.WriteString("reference:\n")
	for _, x := range rec.Reference {
		b.WriteString("  - " + x + "\n")
	}
	if len(rec.Scores) > 0 {
		keys := make([]string, 0, len(rec.Scores))
		for k := range rec.Scores {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteString("scores:")
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%.4f", k, rec.Scores[k])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func variantProperties(r *Result, name string) string {
	for _, m := range r.Manifest.Variants {
		if m.Name != name {
			continue
		}
		var b strings.Builder
		b.WriteString("    <properties>\n")
		prop := func(k, v string) {
			if v != "" {
				fmt.Fprintf(&b, "      <property name=\"%s\" value=\"%s\"></property>\n", xmlEsc(k), xmlEsc(v))
			}
		}
		prop("backend", m.Backend)
		prop("model", m.Model)
		prop("prompt", strings.Join(m.Prompts, ","))
		if m.Prompt != "" && len(m.Prompts) == 0 {
			prop("prompt", m.Prompt)
		}
		prop("dataset_sha256", r.Manifest.DatasetSHA256)
		if v := r.Variant(name); v != nil {
			for _, metric := range r.Manifest.Metrics {
				if st := v.Metrics[metric]; st != nil && st.N > 0 {
					prop(metric, fmt.Sprintf("%.4f", st.Mean))
				}
			}
		}
		b.WriteString("    </properties>\n")
		return b.String()
	}
	return ""
}

func xmlEsc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
