package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/summarize-dev/summarize/internal/eval"
)

// WriteJUnit writes a JUnit XML report that mirrors the run's verdict: a
// file with a <failure> or an <error> is a run that did not pass, and a
// run that did not pass has at least one.
//
// The "gates" testsuite has one testcase per gate (and one for the error
// budget, and one for a run that stopped early), failing where the gate
// failed. Each variant has a testsuite with one testcase per case, its
// repeats folded in. A case fails only where a failing gate counted it: a
// min gate the case's score is below, a contract gate whose contract the
// case broke, a regression gate the case's score fell for against the
// baseline, the leakage gate. A case that could not be scored is an
// <error> when errors decide the verdict (more than gates.errors.max, or a
// gate on its variant failed), and <skipped> when the suite tolerated
// them. The sanity baseline never fails or errs. Problems no failing gate
// counts go to the case's system-out.
func WriteJUnit(w io.Writer, r *eval.Result) error {
	outcomes, err := readOutcomes(r)
	if err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	doc := junitSuites{Name: "summarize eval " + r.Manifest.Suite,
		Time: fmt.Sprintf("%.3f", r.Manifest.Ended.Sub(r.Manifest.Started).Seconds())}
	for _, v := range r.Variants {
		doc.Suites = append(doc.Suites, variantSuite(r, v, outcomes[v.Name]))
	}
	doc.Suites = append(doc.Suites, gatesSuite(r))
	doc.count()
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err == nil {
		_, err = fmt.Fprintf(w, "%s%s\n", xml.Header, b)
	}
	if err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	return nil
}

type junitSuites struct {
	XMLName  xml.Name      `xml:"testsuites"`
	Name     string        `xml:"name,attr"`
	Tests    int           `xml:"tests,attr"`
	Failures int           `xml:"failures,attr"`
	Errors   int           `xml:"errors,attr"`
	Skipped  int           `xml:"skipped,attr"`
	Time     string        `xml:"time,attr"`
	Suites   []*junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []*junitCase    `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr,omitempty"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitProblem `xml:"skipped"`
	SystemOut *junitText    `xml:"system-out"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

// count sets every count attribute from the elements.
func (d *junitSuites) count() {
	d.Tests, d.Failures, d.Errors, d.Skipped = 0, 0, 0, 0
	for _, s := range d.Suites {
		s.Tests, s.Failures, s.Errors, s.Skipped = len(s.Cases), 0, 0, 0
		for _, c := range s.Cases {
			s.Failures += btoi(c.Failure != nil)
			s.Errors += btoi(c.Error != nil)
			s.Skipped += btoi(c.Skipped != nil)
		}
		d.Tests, d.Failures, d.Errors, d.Skipped = d.Tests+s.Tests, d.Failures+s.Failures, d.Errors+s.Errors, d.Skipped+s.Skipped
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// caseOutcome is what one variant's repeats of one case came to.
type caseOutcome struct {
	runs, scored int
	seconds      float64
	errs         []string     // one per errored run
	broke        []string     // contract reasons of the scored runs
	leaked       []string     // leakage reasons
	scoredRec    *eval.Record // a scored record, one that broke something if any
	errRec       *eval.Record // the first errored record
}

// readOutcomes folds the results stream into outcomes per variant and case.
func readOutcomes(r *eval.Result) (map[string][]caseOutcome, error) {
	out := map[string][]caseOutcome{}
	for _, v := range r.Variants {
		out[v.Name] = make([]caseOutcome, len(r.CaseIDs))
	}
	err := r.Records(func(rec *eval.Record) error {
		outs := out[rec.Variant]
		if rec.Index < 0 || rec.Index >= len(outs) {
			return nil
		}
		o := &outs[rec.Index]
		o.runs++
		o.seconds += rec.LatencyMS / 1000
		prefix := ""
		if r.Manifest.Settings.Repeat > 1 {
			prefix = fmt.Sprintf("repeat %d: ", rec.Repeat)
		}
		if rec.Status == eval.StatusError {
			o.errs = append(o.errs, prefix+rec.Error)
			if o.errRec == nil {
				o.errRec = rec
			}
			return nil
		}
		o.scored++
		for _, reason := range rec.Reasons {
			if strings.HasPrefix(reason, "leakage:") {
				o.leaked = append(o.leaked, prefix+reason)
			} else {
				o.broke = append(o.broke, prefix+reason)
			}
		}
		if o.scoredRec == nil || (o.scoredRec.Status == eval.StatusPass && rec.Status != eval.StatusPass) {
			o.scoredRec = rec
		}
		return nil
	})
	return out, err
}

// caseCheck is a failed gate and the reasons it counts case i against
// the variant, if it does.
type caseCheck struct {
	gate  eval.GateResult
	count func(i int, o *caseOutcome) []string
}

// caseJudge decides the testcases of one variant.
type caseJudge struct {
	r      *eval.Result
	v      *eval.VariantResult
	checks []caseCheck
	// errorsCount: errors decide the verdict on this variant.
	errorsCount bool
}

func newCaseJudge(r *eval.Result, v *eval.VariantResult) *caseJudge {
	j := &caseJudge{r: r, v: v, errorsCount: r.TooManyErrors()}
	if v.Baseline {
		j.errorsCount = false // the sanity baseline never fails a report
		return j
	}
	for _, g := range r.FailedGates() {
		if g.Variant == v.Name {
			j.errorsCount = true
		}
		if g.Variant != v.Name && g.Gate != eval.GateLeakage {
			continue
		}
		if count := j.counter(g); count != nil {
			j.checks = append(j.checks, caseCheck{g, count})
		}
	}
	return j
}

// counter returns the check of a failed gate on the cases, or nil when the
// gate failed for no case's sake (too few cases scored).
func (j *caseJudge) counter(g eval.GateResult) func(int, *caseOutcome) []string {
	if !failedOnValue(g) {
		return nil
	}
	switch g.Gate {
	case eval.GateMin:
		scores := j.v.Scores(g.Metric)
		return func(i int, _ *caseOutcome) []string {
			if s := scores[i]; s < g.Threshold {
				return []string{fmt.Sprintf("%s %.4f is below the minimum %.4g", g.Metric, s, g.Threshold)}
			}
			return nil
		}
	case eval.GateContract:
		return func(_ int, o *caseOutcome) []string { return o.broke }
	case eval.GateRegression:
		scores := j.v.Scores(g.Metric)
		base, ok := j.r.BaselineScores(j.v.Name, g.Metric)
		if !ok {
			return nil
		}
		return func(i int, _ *caseOutcome) []string {
			if scores[i] < base[i] {
				return []string{fmt.Sprintf("%s fell from %.4f to %.4f against the baseline", g.Metric, base[i], scores[i])}
			}
			return nil
		}
	case eval.GateLeakage:
		return func(_ int, o *caseOutcome) []string { return o.leaked }
	}
	return nil
}

// failedOnValue reports whether a gate failed on its value, whatever its
// coverage: only then do the cases it measured count against it.
func failedOnValue(g eval.GateResult) bool {
	if g.Pass || g.Skipped {
		return false
	}
	switch g.Gate {
	case eval.GateMin, eval.GateContract:
		return g.Value < g.Threshold
	case eval.GateRegression:
		return g.Value < 0 && g.P < g.Threshold
	}
	return true
}

// testcase is the verdict on case i.
func (j *caseJudge) testcase(i int, o *caseOutcome) *junitCase {
	tc := &junitCase{Name: j.r.CaseIDs[i], Classname: j.r.Manifest.Suite + "." + j.v.Name,
		Time: fmt.Sprintf("%.3f", o.seconds)}
	var against, gates []string
	kind := ""
	for _, c := range j.checks {
		if rs := c.count(i, o); len(rs) > 0 {
			if kind == "" {
				kind = c.gate.Gate
			}
			against = append(against, rs...)
			gates = append(gates, gateLabel(c.gate))
		}
	}
	shown := against
	switch {
	case len(against) > 0:
		label := "failing gate: "
		if len(gates) > 1 {
			label = "failing gates: "
		}
		text := strings.Join(against, "\n") + "\n" + label + strings.Join(gates, ", ") + "\n"
		tc.Failure = &junitProblem{Message: truncate(strings.Join(against, "; "), 200), Type: kind,
			Text: xmlText(text + caseText(o.scoredRec))}
	case len(o.errs) > 0 && j.errorsCount:
		tc.Error = &junitProblem{Message: truncate(o.errs[0], 200), Type: "error",
			Text: xmlText(strings.Join(o.errs, "\n") + "\n" + caseText(o.errRec))}
		shown = o.errs
	case o.scored == 0 && len(o.errs) > 0:
		tc.Skipped = &junitProblem{Message: truncate("not scored: "+o.errs[0], 200)}
		shown = o.errs
	}
	if rest := uncounted(o, shown); len(rest) > 0 {
		tc.SystemOut = &junitText{xmlText("not counted by a failing gate:\n" + strings.Join(rest, "\n") + "\n")}
	}
	return tc
}

// uncounted lists the case's problems that are not in shown.
func uncounted(o *caseOutcome, shown []string) []string {
	var out []string
	for _, p := range slices.Concat(o.broke, o.leaked, o.errs) {
		if !slices.Contains(shown, p) {
			out = append(out, p)
		}
	}
	return out
}

func gateLabel(g eval.GateResult) string {
	if g.Variant != "" {
		return g.Name() + " [" + g.Variant + "]"
	}
	return g.Name()
}

// variantSuite is the testsuite of one variant: a testcase per case run.
func variantSuite(r *eval.Result, v *eval.VariantResult, outs []caseOutcome) *junitSuite {
	s := &junitSuite{Name: r.Manifest.Suite + "/" + v.Name, Properties: variantProperties(r, v)}
	j := newCaseJudge(r, v)
	var total float64
	for i := range outs {
		if outs[i].runs == 0 {
			continue // did not run (interrupted, stopped)
		}
		total += outs[i].seconds
		s.Cases = append(s.Cases, j.testcase(i, &outs[i]))
	}
	s.Time = fmt.Sprintf("%.3f", total)
	return s
}

// gatesSuite has one testcase per gate, one for the error budget and one
// for a run that did not finish.
func gatesSuite(r *eval.Result) *junitSuite {
	suite := r.Manifest.Suite
	s := &junitSuite{Name: suite + "/gates", Time: "0", Properties: runProperties(r)}
	add := func(name string, fail *junitProblem) *junitCase {
		c := &junitCase{Name: name, Classname: suite + ".gates", Failure: fail}
		s.Cases = append(s.Cases, c)
		return c
	}
	if r.StopReason != "" {
		add("run finished", &junitProblem{Message: Verdict(r), Type: r.StopReason})
	}
	if r.MaxErrors() >= 0 {
		var fail *junitProblem
		if r.TooManyErrors() {
			msg := fmt.Sprintf("%s errored; gates.errors.max tolerates %d", plural(r.Errors(), "run"), r.MaxErrors())
			fail = &junitProblem{Message: msg, Type: "errors", Text: msg}
		}
		add(fmt.Sprintf("errors ≤ %d", r.MaxErrors()), fail)
	}
	for _, g := range r.Gates {
		c := add(gateLabel(g), nil)
		switch {
		case g.Skipped:
			c.Skipped = &junitProblem{Message: g.Message}
		case !g.Pass && !failedOnValue(g):
			c.Failure = &junitProblem{Message: g.Message, Type: "coverage", Text: g.Message}
		case !g.Pass:
			c.Failure = &junitProblem{Message: g.Message, Type: g.Gate, Text: g.Message}
		}
	}
	return s
}

// caseText shows a record's bullets, reference and scores.
func caseText(rec *eval.Record) string {
	if rec == nil {
		return ""
	}
	var b strings.Builder
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
		b.WriteString("scores:")
		for _, k := range slices.Sorted(maps.Keys(rec.Scores)) {
			fmt.Fprintf(&b, " %s=%.4f", k, rec.Scores[k])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// variantProperties describe how the variant ran: what it is, where its
// answers came from, what it cost, its means and its resolved config.
func variantProperties(r *eval.Result, v *eval.VariantResult) []junitProperty {
	var ps []junitProperty
	prop := func(k, val string) {
		if val != "" {
			ps = append(ps, junitProperty{k, val})
		}
	}
	if m := variantManifest(r, v.Name); m != nil {
		if m.Baseline {
			prop("baseline", "sanity")
		}
		prop("backend", m.Backend)
		prop("model", m.Model)
		prop("prompt", m.Prompt)
		prop("endpoint", m.Endpoint)
		prop("models_seen", strings.Join(m.Models, ", "))
		prop("prompts_seen", strings.Join(m.Prompts, ", "))
	}
	prop("cases_scored", fmt.Sprintf("%d of %d", v.Cases, v.TotalCases))
	prop("live", fmt.Sprint(v.Live))
	prop("cached", fmt.Sprint(v.Cached))
	prop("replayed", fmt.Sprint(v.Replayed))
	prop("cost", costCell(v))
	prop("cached_cost", money(v.CachedCost))
	prop("latency_p50", latencyCell(v))
	prop("dataset_sha256", r.Manifest.DatasetSHA256)
	for _, metric := range r.Manifest.Metrics {
		if st := v.Metrics[metric]; st != nil && st.N > 0 {
			prop(metric, fmt.Sprintf("%.4f", st.Mean))
		}
	}
	if m := variantManifest(r, v.Name); m != nil {
		for _, k := range slices.Sorted(maps.Keys(m.Config)) {
			ps = append(ps, junitProperty{"config." + k, configValue(m.Config[k])})
		}
	}
	return ps
}

// runProperties describe the run as a whole.
func runProperties(r *eval.Result) []junitProperty {
	m := r.Manifest
	ps := []junitProperty{{"verdict", Verdict(r)}, {"version", orDash(m.Version)}}
	prop := func(k, val string) {
		if val != "" {
			ps = append(ps, junitProperty{k, val})
		}
	}
	prop("commit", m.Commit)
	prop("suite", m.SuitePath)
	prop("dataset", m.Dataset)
	prop("dataset_sha256", m.DatasetSHA256)
	prop("cases", fmt.Sprintf("%d of %d", m.Cases, m.DatasetCases))
	prop("repeat", fmt.Sprint(m.Settings.Repeat))
	prop("cache_mode", m.Settings.CacheMode)
	prop("overrides", strings.Join(m.Settings.Overrides, " "))
	return ps
}

// xmlText replaces what XML cannot hold, even in CDATA, with U+FFFD.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}
