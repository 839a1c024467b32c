package report

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/summary"
)

// junitDoc is what the tests read back of a JUnit report.
type junitDoc struct {
	Tests    int           `xml:"tests,attr"`
	Failures int           `xml:"failures,attr"`
	Errors   int           `xml:"errors,attr"`
	Skipped  int           `xml:"skipped,attr"`
	Suites   []junitDocSet `xml:"testsuite"`
}

type junitDocSet struct {
	Name       string `xml:"name,attr"`
	Tests      int    `xml:"tests,attr"`
	Failures   int    `xml:"failures,attr"`
	Errors     int    `xml:"errors,attr"`
	Skipped    int    `xml:"skipped,attr"`
	Properties []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	} `xml:"properties>property"`
	Cases []junitDocCase `xml:"testcase"`
}

type junitDocCase struct {
	Name      string        `xml:"name,attr"`
	Failure   *junitDocElem `xml:"failure"`
	Error     *junitDocElem `xml:"error"`
	Skipped   *junitDocElem `xml:"skipped"`
	SystemOut *string       `xml:"system-out"`
}

type junitDocElem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (s junitDocSet) prop(name string) string {
	for _, p := range s.Properties {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// cases returns the names of the testcases for which pick is true.
func (s junitDocSet) cases(pick func(junitDocCase) bool) []string {
	var out []string
	for _, c := range s.Cases {
		if pick(c) {
			out = append(out, c.Name)
		}
	}
	return out
}

func (d *junitDoc) suite(t *testing.T, name string) junitDocSet {
	t.Helper()
	for _, s := range d.Suites {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("JUnit report has no testsuite %q", name)
	return junitDocSet{}
}

func failed(c junitDocCase) bool  { return c.Failure != nil }
func errored(c junitDocCase) bool { return c.Error != nil }
func skipped(c junitDocCase) bool { return c.Skipped != nil }

// readJUnit writes r's JUnit report, parses it and checks what every
// report must hold: the counts match the elements, and the file mirrors
// the verdict.
func readJUnit(t *testing.T, r *eval.Result) *junitDoc {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJUnit(&b, r); err != nil {
		t.Fatalf("WriteJUnit: %v", err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit report does not parse: %v\n%s", err, b.String())
	}
	var total [4]int
	for _, s := range doc.Suites {
		got := [4]int{s.Tests, s.Failures, s.Errors, s.Skipped}
		want := [4]int{len(s.Cases), len(s.cases(failed)), len(s.cases(errored)), len(s.cases(skipped))}
		if got != want {
			t.Errorf("testsuite %s: tests/failures/errors/skipped = %v, elements %v", s.Name, got, want)
		}
		for i := range total {
			total[i] += want[i]
		}
		for _, c := range s.Cases {
			if btoi(c.Failure != nil)+btoi(c.Error != nil)+btoi(c.Skipped != nil) > 1 {
				t.Errorf("testcase %s/%s has more than one of failure, error, skipped", s.Name, c.Name)
			}
		}
	}
	if got := [4]int{doc.Tests, doc.Failures, doc.Errors, doc.Skipped}; got != total {
		t.Errorf("testsuites tests/failures/errors/skipped = %v, elements %v", got, total)
	}
	switch {
	case r.Passed() && (doc.Failures > 0 || doc.Errors > 0):
		t.Errorf("the run passed (%s) but the JUnit report has %d failures and %d errors", Verdict(r), doc.Failures, doc.Errors)
	case len(r.FailedGates()) > 0 && doc.Failures == 0:
		t.Errorf("gates failed (%s) but the JUnit report has no failure", Verdict(r))
	case !r.Passed() && doc.Failures+doc.Errors == 0:
		t.Errorf("the run did not pass (%s) but the JUnit report has no failure and no error", Verdict(r))
	}
	for _, v := range r.Variants {
		s := doc.suite(t, r.Manifest.Suite+"/"+v.Name)
		if v.Baseline && (s.Failures > 0 || s.Errors > 0) {
			t.Errorf("sanity baseline %s: %d failures, %d errors, want none", v.Name, s.Failures, s.Errors)
		}
	}
	return &doc
}

// toleratedSuite passes: flaky errs on one case, which errors: {max: 1}
// and min_coverage 0.9 tolerate, and the lead3 sanity baseline breaks the
// contract and stays below the rougeLsum minimum, which no gate applies
// to it.
const toleratedSuite = `
name: tolerated
dataset: DATASET
variants:
  - name: oracle
    backend: openai
    model: fake-ok
  - name: flaky
    backend: openai
    model: fake-ok
metrics: [rouge1, rougeLsum, contract]
gates:
  rougeLsum: {min: 0.9}
  contract: {min: 1.0}
  errors: {max: 1}
  min_coverage: 0.9
`

// failOn makes gen fail on the named cases.
func failOn(gen eval.Generator, ids ...string) eval.Generator {
	return func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		if slices.Contains(ids, c.ID) {
			return summary.Summary{}, errors.New("backend unavailable (HTTP 503) after 4 attempts")
		}
		return gen(ctx, c, repeat)
	}
}

// chattyLead is the lead with text around its bullets: it breaks the
// contract on every case.
func chattyLead(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
	out, err := leadGen(3)(ctx, c, repeat)
	out.Leftovers = []string{"Here is the summary:"}
	return out, err
}

func toleratedResult(t *testing.T, maxErrors string, baselineFails ...string) *eval.Result {
	t.Helper()
	s := loadSuite(t, strings.Replace(toleratedSuite, "{max: 1}", maxErrors, 1), eval.LoadOptions{})
	if err := s.AddSanity(); err != nil {
		t.Fatal(err)
	}
	return mustRun(t, t.Context(), s, openFixture(t), eval.RunOptions{Generators: map[string]eval.Generator{
		"oracle": refGen(), "flaky": failOn(refGen(), "rail-fares"), "lead3": failOn(chattyLead, baselineFails...)}})
}

func TestJUnitPassingRunHasNoFailureOrError(t *testing.T) {
	r := toleratedResult(t, "{max: 1}")
	lead := r.Variant("lead3")
	if !r.Passed() || lead == nil || !lead.Baseline {
		t.Fatalf("fixture: Passed = %v (%s), lead3 = %+v; want a passing run with the lead3 sanity baseline", r.Passed(), Verdict(r), lead)
	}
	if lead.Metrics["rougeLsum"].Mean >= 0.9 || lead.ContractKept > 0 {
		t.Fatalf("fixture: lead3 rougeLsum %.3f, contract kept %d; want it to break what the gates ask of the others",
			lead.Metrics["rougeLsum"].Mean, lead.ContractKept)
	}
	doc := readJUnit(t, r)
	if doc.Failures != 0 || doc.Errors != 0 {
		t.Fatalf("passing run: %d failures, %d errors; want none", doc.Failures, doc.Errors)
	}
	flaky := doc.suite(t, "tolerated/flaky")
	if got := flaky.cases(skipped); !slices.Equal(got, []string{"rail-fares"}) {
		t.Errorf("flaky skipped testcases = %v, want [rail-fares]", got)
	}
	for _, c := range flaky.Cases {
		if c.Skipped != nil && !strings.Contains(c.Skipped.Message, "HTTP 503") {
			t.Errorf("flaky %s skipped message = %q, want the error", c.Name, c.Skipped.Message)
		}
	}
	base := doc.suite(t, "tolerated/lead3")
	if got := base.cases(func(c junitDocCase) bool { return c.SystemOut != nil && strings.Contains(*c.SystemOut, "contract:") }); len(got) != len(r.CaseIDs) {
		t.Errorf("lead3 testcases with the contract break in system-out = %d, want %d", len(got), len(r.CaseIDs))
	}
	if base.prop("baseline") == "" || base.prop("live") != "12" || base.prop("cached") != "0" {
		t.Errorf("lead3 properties baseline=%q live=%q cached=%q, want set, 12, 0", base.prop("baseline"), base.prop("live"), base.prop("cached"))
	}
}

func TestJUnitStoppedRunFails(t *testing.T) {
	r := toleratedResult(t, "{max: 1}")
	r.StopReason = eval.StopMaxCost
	doc := readJUnit(t, r)
	gates := doc.suite(t, "tolerated/gates")
	if got := gates.cases(failed); !slices.Equal(got, []string{"run finished"}) {
		t.Errorf("gate failures of a stopped run = %v, want [run finished]", got)
	}
	if doc.Errors != 0 {
		t.Errorf("stopped run: %d errors; tolerated errors stay skipped", doc.Errors)
	}
}

func TestJUnitTooManyErrors(t *testing.T) {
	r := toleratedResult(t, "{max: 0}", "school-lunch")
	if !r.TooManyErrors() || len(r.FailedGates()) != 0 {
		t.Fatalf("fixture: TooManyErrors = %v, failed gates %+v; want errors alone to fail the run", r.TooManyErrors(), r.FailedGates())
	}
	doc := readJUnit(t, r)
	if got := doc.suite(t, "tolerated/flaky").cases(errored); !slices.Equal(got, []string{"rail-fares"}) {
		t.Errorf("flaky errored testcases = %v, want [rail-fares]", got)
	}
	if got := doc.suite(t, "tolerated/lead3").cases(skipped); !slices.Equal(got, []string{"school-lunch"}) {
		t.Errorf("lead3 skipped testcases = %v, want [school-lunch]: the sanity baseline never errs", got)
	}
	if got := doc.suite(t, "tolerated/gates").cases(failed); !slices.Equal(got, []string{"errors ≤ 0"}) {
		t.Errorf("gate failures = %v, want [errors ≤ 0]", got)
	}
	if doc.Failures+doc.Errors == 0 {
		t.Errorf("run failed for errors but the report has no failure or error")
	}
}

func TestJUnitFailuresAreWhatFailingGatesCount(t *testing.T) {
	r := goldenResult(t)
	doc := readJUnit(t, r)
	below := func(variant, metric string, min float64) []string {
		var out []string
		for i, x := range r.Variant(variant).Scores(metric) {
			if x < min {
				out = append(out, r.CaseIDs[i])
			}
		}
		return out
	}
	for _, tc := range []struct {
		suite             string
		failures, errored []string
	}{
		{"golden/lead", below("lead", "rougeLsum", 0.5), nil},
		{"golden/oracle", nil, nil},
		// sloppy's rougeLsum gate failed for coverage alone: it counts
		// no case's score (TestFailedOnValue); its unscored case errs.
		{"golden/sloppy", []string{"museum-return", "flu-season"}, []string{"rail-fares"}},
		{"golden/gates", []string{"rougeLsum ≥ 0.5 [lead]", "rougeLsum ≥ 0.5 [sloppy]", "contract ≥ 100.0% [sloppy]"}, nil},
	} {
		s := doc.suite(t, tc.suite)
		if diff := cmp.Diff(tc.failures, s.cases(failed)); diff != "" {
			t.Errorf("%s failures (-want +got):\n%s", tc.suite, diff)
		}
		if diff := cmp.Diff(tc.errored, s.cases(errored)); diff != "" {
			t.Errorf("%s errors (-want +got):\n%s", tc.suite, diff)
		}
	}
	types := map[string]string{}
	for _, c := range doc.suite(t, "golden/gates").Cases {
		if c.Failure != nil {
			types[c.Name] = c.Failure.Type
		}
	}
	want := map[string]string{"rougeLsum ≥ 0.5 [lead]": "min", "rougeLsum ≥ 0.5 [sloppy]": "coverage", "contract ≥ 100.0% [sloppy]": "contract"}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("gate failure types (-want +got):\n%s", diff)
	}
	sloppy := doc.suite(t, "golden/sloppy")
	for k, want := range map[string]string{"live": "8", "cached": "4", "replayed": "0", "endpoint": "llm.example.test",
		"cases_scored": "11 of 12", "config.llm.seed": "7", "cost": "$0"} {
		if got := sloppy.prop(k); got != want {
			t.Errorf("sloppy property %s = %q, want %q", k, got, want)
		}
	}
	oracle := doc.suite(t, "golden/oracle")
	if oracle.prop("prompt") != "oracle@0123abcd" || oracle.prop("cost") != "cached" || oracle.prop("latency_p50") != "cached" {
		t.Errorf("oracle prompt, cost, latency = %q, %q, %q; want oracle@0123abcd, cached, cached",
			oracle.prop("prompt"), oracle.prop("cost"), oracle.prop("latency_p50"))
	}
}

func TestJUnitRegressionCountsFallenCases(t *testing.T) {
	s := loadSuite(t, `
name: reg
dataset: DATASET
variants:
  - name: v
    backend: openai
    model: m
metrics: [rougeLsum]
gates:
  regression: {alpha: 0.05}
`, eval.LoadOptions{})
	d := openFixture(t)
	good := mustRun(t, t.Context(), s, d, eval.RunOptions{Generators: map[string]eval.Generator{"v": refGen()}})
	path := filepath.Join(t.TempDir(), "base.json")
	var b bytes.Buffer
	if err := WriteJSON(&b, good); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, b.String())
	base, err := eval.LoadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	fallen := []string{"harbor-bridge", "school-lunch", "rover-water", "bakery-strike", "wildfire-evac", "museum-return", "rail-fares"}
	worse := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		if slices.Contains(fallen, c.ID) {
			return leadGen(3)(ctx, c, repeat)
		}
		return refGen()(ctx, c, repeat)
	}
	r := mustRun(t, t.Context(), s, d, eval.RunOptions{Baseline: base, Generators: map[string]eval.Generator{"v": worse}})
	if len(r.FailedGates()) != 1 {
		t.Fatalf("fixture: failed gates %+v, want the rougeLsum regression", r.FailedGates())
	}
	doc := readJUnit(t, r)
	if diff := cmp.Diff(fallen, doc.suite(t, "reg/v").cases(failed)); diff != "" {
		t.Errorf("regression failures (-want +got):\n%s", diff)
	}
	for _, c := range doc.suite(t, "reg/v").Cases {
		if c.Failure != nil && (c.Failure.Type != eval.GateRegression || !strings.Contains(c.Failure.Message, "against the baseline")) {
			t.Errorf("%s failure = %+v, want a regression against the baseline", c.Name, *c.Failure)
		}
	}
}

func TestJUnitText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain\ttext\n", "plain\ttext\n"},
		{"bell\x07 nul\x00", "bell\uFFFD nul\uFFFD"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"emoji 📰", "emoji 📰"},
	} {
		if got := xmlText(tc.in); got != tc.want {
			t.Errorf("xmlText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// A reply that would end a CDATA section or hold control characters
	// still makes a report that parses.
	r := goldenResult(t)
	evil := filepath.Join(t.TempDir(), "results.jsonl")
	data, err := os.ReadFile(r.ResultsPath)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("Sure! Here are the bullets:"), []byte(`Sure! ]]> \u0007 <b>`))
	writeFile(t, evil, string(data))
	r.ResultsPath = evil
	readJUnit(t, r)
}

func TestFailedOnValue(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    eval.GateResult
		want bool
	}{
		{"min below", eval.GateResult{Gate: eval.GateMin, Value: 0.4, Threshold: 0.5, Covered: 12, Total: 12, MinCoverage: 1}, true},
		{"min met, undercovered", eval.GateResult{Gate: eval.GateMin, Value: 0.6, Threshold: 0.5, Covered: 11, Total: 12, MinCoverage: 1}, false},
		{"min without scores", eval.GateResult{Gate: eval.GateMin, Value: math.NaN(), Threshold: 0.5, Covered: 0, Total: 12, MinCoverage: 1}, false},
		{"contract below, undercovered", eval.GateResult{Gate: eval.GateContract, Value: 0.8, Threshold: 1, Covered: 11, Total: 12, MinCoverage: 1}, true},
		{"significant drop", eval.GateResult{Gate: eval.GateRegression, Value: -0.1, P: 0.01, Threshold: 0.05, Covered: 12, Total: 12}, true},
		{"drop, not significant, undercovered", eval.GateResult{Gate: eval.GateRegression, Value: -0.1, P: 0.2, Threshold: 0.05, Covered: 5, Total: 12, MinCoverage: 1}, false},
		{"leakage", eval.GateResult{Gate: eval.GateLeakage, Value: 2}, true},
		{"passed", eval.GateResult{Gate: eval.GateMin, Value: 0.4, Threshold: 0.5, Pass: true}, false},
	} {
		if got := failedOnValue(tc.g); got != tc.want {
			t.Errorf("failedOnValue(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
