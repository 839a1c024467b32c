package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/summarize-dev/summarize/internal/clean"
)

// cleanRules lists the cleaner's rules as name, description pairs, made
// from the entries of its rule tables: for each rule the entries it
// switches, with the regions of the page where each is tried, then the
// entries that are always on.
func cleanRules() [][2]string {
	entries := clean.Entries()
	describe := func(e clean.Entry) string { return fmt.Sprintf("[%s, %s] %s", e.ID, e.Where, e.Doc) }
	var out [][2]string
	for _, r := range clean.RuleNames() {
		var parts []string
		if !r.Default {
			parts = append(parts, "off by default")
		}
		for _, e := range entries {
			if slices.Contains(e.Rules, r.Name) {
				parts = append(parts, describe(e))
			}
		}
		out = append(out, [2]string{r.Name, strings.Join(parts, "; ")})
	}
	for _, e := range entries {
		if len(e.Rules) == 0 {
			out = append(out, [2]string{"(always)", describe(e)})
		}
	}
	return out
}

// cleanNotes writes what cleaning src did that a user may want to know
// (a rule that stood down for the page), one "summarize: clean SRC: …"
// line each.
func cleanNotes(w io.Writer, src string, art clean.Article) {
	for _, n := range art.Notes {
		fmt.Fprintf(w, "summarize: clean %s: %s\n", src, n)
	}
}
