package clean

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestZZRuleCost(t *testing.T) {
	files, _ := filepath.Glob("testdata/text/*.t*")
	files = append(files, samplePath)
	var lines []string
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, l := range strings.Split(normalizeText(string(b)), "\n") {
			if l != "" {
				lines = append(lines, l)
			}
		}
	}
	const N = 200
	for _, r := range builtinRules() {
		t0 := time.Now()
		n := 0
		for range N {
			for _, l := range lines {
				if r.maxLen > 0 && len(l) > r.maxLen {
					continue
				}
				core := coreOf(l)
				if r.match(l, core) {
					n++
				}
			}
		}
		fmt.Printf("%-12s %6.2fµs/line %d\n", r.info.Name, float64(time.Since(t0).Nanoseconds())/N/float64(len(lines))/1000, n/N)
	}
	p := builtinPatterns()
	ctx := map[string]func(string) bool{
		"related-marker": p.isRelatedMarker,
		"related-inline": p.relatedInline.MatchString,
		"metaLine":       func(l string) bool { _, _, ok := p.metaLine(l); return ok },
		"stamp":          func(l string) bool { ok, _ := p.stamp(l); return ok },
		"byline":         func(l string) bool { return p.bylineOf(l) != "" },
		"role":           p.role.MatchString,
		"mail":           p.mailHeader.MatchString,
		"dateline":       func(l string) bool { return p.datelineOf(l) != "" },
		"scroll":         func(l string) bool { return p.stripScroll(l) != l },
		"core":           func(l string) bool { return coreOf(l) == "" },
	}
	for name, f := range ctx {
		t0 := time.Now()
		for range N {
			for _, l := range lines {
				f(l)
			}
		}
		fmt.Printf("%-14s %6.2fµs/line\n", name, float64(time.Since(t0).Nanoseconds())/N/float64(len(lines))/1000)
	}
	fmt.Println(len(lines), "lines")
}
