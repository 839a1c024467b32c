package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestHTMLReportManifestAndSources(t *testing.T) {
	r := goldenResult(t)
	var b bytes.Buffer
	if err := WriteHTML(&b, r, HTMLOptions{MaxCases: 1}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{
		"11/12 <span", // sloppy's cases, marked
		"† sloppy scored 11 of 12 cases",
		"12 cached", "8 live, 4 cached", // answers per variant
		"<td class=\"num\">cached</td>",           // oracle's cost and latency
		"(0123456789ab&#43;dirty)", "v0.0.0-test", // tool
		"6dca86d30ea6e75980ea9503cc910835faebcb891369707ea2456ee3c5c48adc", // dataset
		"<dd>rw</dd>", "llm.seed=7", // cache mode, overrides
		"oracle@0123abcd", "llm.example.test", "fake-chatty", // per variant
		"<dt>prompt.name</dt><dd>oracle</dd>", // resolved config
	} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
}

func TestCostQualityLeavesOutCachedVariants(t *testing.T) {
	r := goldenResult(t)
	r.Variant("lead").Cost = 0.01 // something live has a price: the x axis is cost
	p := costQuality(r, "rougeLsum")
	if p == nil {
		t.Fatal("costQuality drew nothing")
	}
	svg := p.SVG
	if !strings.Contains(svg, "not shown, every answer cached: oracle") {
		t.Errorf("cost chart does not say oracle is left out:\n%s", svg)
	}
	if strings.Contains(svg, "<title>oracle:") {
		t.Errorf("cost chart plots oracle, whose every answer was cached")
	}
}
