package main

import "github.com/summarize-dev/summarize/internal/clean"

// cleanRules lists the cleaner's noise rules as name, description pairs.
func cleanRules() [][2]string {
	var out [][2]string
	for _, r := range clean.RuleNames() {
		out = append(out, [2]string{r.Name, r.Description})
	}
	return out
}
