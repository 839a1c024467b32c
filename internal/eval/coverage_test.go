package eval

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/eval/dataset"
	"github.com/summarize-dev/summarize/internal/summary"
)

// flakyGen fails the cases whose id ends in a vowel, as a server that
// loses some of the calls would.
func flakyGen(inner Generator) Generator {
	return func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		if strings.ContainsAny(c.ID[len(c.ID)-1:], "aeiou") {
			return summary.Summary{}, errors.New("HTTP 500 after 4 attempts")
		}
		return inner(ctx, c, repeat)
	}
}

// A variant that lost cases to errors fails its gates, however good the
// survivors' scores, and every verdict says how many cases it rests on;
// min_coverage lowers the bar where a suite chooses to.
func TestGatesRequireCoverage(t *testing.T) {
	for _, tc := range []struct {
		name, coverage string
		wantPass       bool
	}{
		{"default: every case", "", false},
		{"suite min_coverage", "  min_coverage: 0.3\n", true},
		{"gate min_coverage", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gate := "  rouge1: {min: 0.5}\n  contract: {min: 1}\n"
			if tc.name == "gate min_coverage" {
				gate = "  rouge1: {min: 0.5, min_coverage: 0.3}\n  contract: {min: 1, min_coverage: 0.3}\n"
			}
			s := writeSuite(t, "dataset: DATASET\nvariants: [{name: flaky, backend: openai, model: m}, {name: steady, backend: openai, model: m}]\nmetrics: [rouge1, contract]\ngates:\n"+gate+"  errors: {max: -1}\n"+tc.coverage)
			d := openFixture(t)
			r := mustRun(t, t.Context(), s, d, RunOptions{Generators: map[string]Generator{"flaky": flakyGen(refGen()), "steady": refGen()}})
			v := r.Variant("flaky")
			if v.Cases == 0 || v.Cases == v.TotalCases || !v.Partial() {
				t.Fatalf("flaky scored %d of %d cases; the fixture needs some ids ending in a vowel and some not", v.Cases, v.TotalCases)
			}
			for _, g := range r.Gates {
				want := fmtCovered(g.Covered, g.Total)
				if !strings.Contains(g.Message, want) {
					t.Errorf("gate %s on %s: message %q does not say %q", g.Name(), g.Variant, g.Message, want)
				}
				switch g.Variant {
				case "flaky":
					if g.Pass != tc.wantPass {
						t.Errorf("gate %s on flaky (%d of %d cases) pass = %v, want %v: %s", g.Name(), g.Covered, g.Total, g.Pass, tc.wantPass, g.Message)
					}
				case "steady":
					if !g.Pass || g.Covered != g.Total {
						t.Errorf("gate %s on steady: %+v, want a pass on every case", g.Name(), g)
					}
				}
			}
			// Comparisons pair only the cases both variants scored.
			for _, c := range r.Comparisons {
				if c.N != v.Cases {
					t.Errorf("comparison %s %s vs %s: n = %d, want the %d cases both scored", c.Metric, c.A, c.B, c.N, v.Cases)
				}
			}
		})
	}
}

func fmtCovered(covered, total int) string {
	return strings.Join([]string{itoa(covered), "of", itoa(total), "cases scored"}, " ")
}

func itoa(n int) string { return strconv.Itoa(n) }

// A record's source says whether its answer was made now, came from the
// cache, or was replayed; latency and cost count live runs only.
func TestCachedIsNotLive(t *testing.T) {
	s := writeSuite(t, "dataset: DATASET\nvariants: [{name: hit, backend: openai, model: m}, {name: live, backend: openai, model: m}]\nmetrics: [rouge1]\nprices:\n  m: {input: 1, output: 1}\n")
	cached := func(ctx context.Context, c dataset.Case, repeat int) (summary.Summary, error) {
		out, err := refGen()(ctx, c, repeat)
		out.Cached = true
		return out, err
	}
	for _, mode := range []string{"rw", "replay"} {
		d := openFixture(t)
		r := mustRun(t, t.Context(), s, d, RunOptions{CacheMode: mode, Generators: map[string]Generator{"hit": cached, "live": refGen()}})
		hit, live := r.Variant("hit"), r.Variant("live")
		n := hit.TotalCases
		wantCached, wantReplayed := n, 0
		if mode == "replay" {
			wantCached, wantReplayed = 0, n
		}
		if hit.Live != 0 || hit.Cached != wantCached || hit.Replayed != wantReplayed || !hit.AllCached() {
			t.Errorf("%s: cached variant live/cached/replayed = %d/%d/%d, want 0/%d/%d", mode, hit.Live, hit.Cached, hit.Replayed, wantCached, wantReplayed)
		}
		if hit.LatencyMS != nil || hit.Cost != 0 || hit.CachedCost == 0 {
			t.Errorf("%s: cached variant latency %+v cost %g cached cost %g, want no latency, no cost, the saved cost", mode, hit.LatencyMS, hit.Cost, hit.CachedCost)
		}
		if live.Live != n || live.LatencyMS == nil || live.Cost == 0 || live.AllCached() {
			t.Errorf("%s: live variant live %d latency %+v cost %g, want %d live runs with latency and cost", mode, live.Live, live.LatencyMS, live.Cost, n)
		}
		m := r.Manifest.Variants[0]
		if m.Live != hit.Live || m.Cached != hit.Cached || m.Replayed != hit.Replayed {
			t.Errorf("%s: manifest counts %d/%d/%d differ from the result's", mode, m.Live, m.Cached, m.Replayed)
		}
		for _, rec := range records(t, r) {
			want := SourceLive
			if rec.Variant == "hit" {
				want = map[string]string{"rw": SourceCached, "replay": SourceReplayed}[mode]
			}
			if rec.Source != want {
				t.Errorf("%s: record %s/%s source %q, want %q", mode, rec.Variant, rec.Case, rec.Source, want)
			}
		}
	}
}
