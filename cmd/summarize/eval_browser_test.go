package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "rewrite docs/report-390.png and docs/report-1280.png from the browser test")

// chromiumPath finds a Chromium to drive, or "".
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestEvalHTMLInBrowser renders the HTML report of the CI suite (replayed,
// as .ci/run runs it) and opens it in headless Chromium at a phone's and a
// laptop's width: the page is no wider than the window, the filter hides
// and shows cases as the JSON report's scores say it should, and the page
// asks for nothing from the network. With -update-screenshots it keeps a
// screenshot of each width under docs/.
func TestEvalHTMLInBrowser(t *testing.T) {
	chrome := chromiumPath()
	if chrome == "" {
		t.Skip("no chromium on PATH (apt-get install chromium)")
	}
	dir := t.TempDir()
	page, jsonPath := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.json")
	var out, errb bytes.Buffer
	a := newTestApp(&out, &errb)
	if err := a.runEval(t.Context(), ciSuite, evalFlags{cacheMode: "replay", quiet: true, html: page, json: jsonPath, htmlCases: 100}); err != nil {
		t.Fatalf("eval %s: %v\n%s%s", ciSuite, err, out.String(), errb.String())
	}
	want := expectedRange(t, jsonPath, "rougeLsum", 0.45)

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(filepath.Join(dir, "profile")), chromedp.Flag("hide-scrollbars", true))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	var mu sync.Mutex
	var requests []string
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, ev.Request.URL)
			mu.Unlock()
		}
	}))
	defer bcancel()
	url := "file://" + page

	for _, width := range []int64{390, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			var emulate []chromedp.EmulateViewportOption
			if width < 600 {
				emulate = append(emulate, chromedp.EmulateMobile)
			}
			err := chromedp.Do(bctx,
				chromedp.EmulateViewport(width, 900, emulate...),
				chromedp.Navigate(url),
				chromedp.WaitReady("#case-list"),
			)
			if err != nil {
				t.Fatalf("open the report: %v", err)
			}
			eval := func(js string) float64 {
				t.Helper()
				v, err := chromedp.Run(bctx, chromedp.Evaluate[float64](js))
				if err != nil {
					t.Fatalf("evaluate %s: %v", js, err)
				}
				return v
			}
			if w := eval(`Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)`); w > float64(width) {
				t.Errorf("page is %.0f px wide in a %d px window: it scrolls sideways", w, width)
			}
			// Chart text stays readable: no label under 9 px on screen.
			if h := eval(`Math.min.apply(null, Array.from(document.querySelectorAll("svg text")).map(e => e.getBoundingClientRect().height).filter(h => h > 0))`); h < 9 {
				t.Errorf("smallest chart label is %.1f px high, want ≥ 9", h)
			}
			shown := `document.querySelectorAll("details.case:not([hidden])").length`
			total := eval(`document.querySelectorAll("details.case").length`)
			if total != 12 || eval(shown) != total {
				t.Fatalf("cases shown = %.0f of %.0f, want all 12", eval(shown), total)
			}
			set := func(id, value string) {
				t.Helper()
				eval(fmt.Sprintf(`(e => { e.value = %q; e.dispatchEvent(new Event("input")); return 0 })(document.getElementById(%q))`, value, id))
			}
			set("f-text", "harbor-bridge")
			if n := eval(shown); n != 1 {
				t.Errorf("search harbor-bridge: %.0f cases shown, want 1", n)
			}
			set("f-text", "no case says this")
			if n := eval(shown); n != 0 {
				t.Errorf("search for nothing: %.0f cases shown, want 0", n)
			}
			set("f-text", "")
			set("f-metric", "rougeLsum")
			set("f-min", "0.45")
			if n := eval(shown); int(n) != want {
				t.Errorf("rougeLsum ≥ 0.45 in a gated variant: %.0f cases shown, the JSON report says %d", n, want)
			}
			set("f-min", "")
			// Picking a variant shows only its block inside each case.
			blocks := `document.querySelectorAll("details.case section.variant:not([hidden])").length`
			all := eval(`document.querySelectorAll("details.case section.variant").length`)
			set("f-variant", "extractive")
			if n, want := eval(blocks), eval(`document.querySelectorAll("details.case:not([hidden]) section.variant[data-variant=extractive]").length`); n != want || n == 0 || n == all {
				t.Errorf("variant extractive: %.0f variant blocks shown of %.0f, want only extractive's (%.0f)", n, all, want)
			}
			set("f-variant", "")
			if n := eval(blocks); n != all {
				t.Errorf("variant filter cleared: %.0f of %.0f variant blocks shown", n, all)
			}
			if n := eval(shown); n != total {
				t.Errorf("filters cleared: %.0f cases shown, want %.0f", n, total)
			}
			// Nothing fetched: resource timing agrees with the network events.
			if n := eval(`performance.getEntriesByType("resource").length`); n != 0 {
				t.Errorf("the page loaded %.0f resources", n)
			}
			if *updateScreenshots {
				// The cases, worst first, the first one open with its article.
				err := chromedp.Do(bctx, chromedp.EmulateViewport(width, map[int64]int64{390: 1800, 1280: 1500}[width], emulate...),
					chromedp.Evaluate[chromedp.Void](`document.querySelector("details.case details.article").open = true;
						document.getElementById("cases").scrollIntoView()`))
				if err != nil {
					t.Fatal(err)
				}
				png, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join("..", "..", "docs", fmt.Sprintf("report-%d.png", width)), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	var sawPage bool
	for _, u := range requests {
		switch {
		case u == url:
			sawPage = true
		case strings.HasPrefix(u, "data:"), strings.HasPrefix(u, "about:"):
		default:
			t.Errorf("the page requested %s", u)
		}
	}
	if !sawPage {
		t.Errorf("no request for the page itself among %q: the network listener saw nothing", requests)
	}
}

// expectedRange counts, from a JSON report, the cases where some gated
// variant (every variant but the sanity baseline, as in the CI suite)
// scored metric ≥ lo: what the page's filter should show.
func expectedRange(t *testing.T, path, metric string, lo float64) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Variants []struct {
			Name     string `json:"name"`
			Baseline bool   `json:"baseline"`
		} `json:"variants"`
		Records []struct {
			Case    string             `json:"case"`
			Variant string             `json:"variant"`
			Scores  map[string]float64 `json:"scores"`
		} `json:"records"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	gated := map[string]bool{}
	for _, v := range rep.Variants {
		gated[v.Name] = !v.Baseline
	}
	hit := map[string]bool{}
	for _, r := range rep.Records {
		if x, ok := r.Scores[metric]; ok && gated[r.Variant] && math.Round(x*1e4)/1e4 >= lo {
			hit[r.Case] = true
		}
	}
	if len(hit) == 0 || len(hit) == 12 {
		t.Fatalf("%d of 12 cases have %s ≥ %g: pick a threshold that splits them", len(hit), metric, lo)
	}
	return len(hit)
}
