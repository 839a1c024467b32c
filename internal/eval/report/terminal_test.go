package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTableWidth: the variants table fits the width: the CIs move to a
// second line, then go with a note.
func TestTableWidth(t *testing.T) {
	r := goldenResult(t)
	for _, tc := range []struct {
		width int
		file  string
	}{{170, "golden.170.txt"}, {120, "golden.120.txt"}} {
		var b bytes.Buffer
		if err := WriteTableOptions(&b, r, TableOptions{Width: tc.width}); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.file, b.String())
		// The tables fit (the notes and gate messages are prose, and wrap).
		table, _, _ := strings.Cut(b.String(), "† ")
		for _, line := range strings.Split(table, "\n") {
			if n := utf8.RuneCountInString(line); n > tc.width {
				t.Errorf("width %d: line of %d columns: %q", tc.width, n, line)
			}
		}
	}
	// At 80 columns the variants become columns.
	var narrow bytes.Buffer
	WriteTableOptions(&narrow, r, TableOptions{Width: 80})
	variants, _, _ := strings.Cut(narrow.String(), "\ncomparisons")
	variants, _, _ = strings.Cut(variants, "† ")
	for _, line := range strings.Split(variants, "\n")[1:] {
		if n := utf8.RuneCountInString(line); n > 80 {
			t.Errorf("width 80: line of %d columns: %q", n, line)
		}
	}
	if !strings.Contains(narrow.String(), "a column per variant") || !strings.Contains(narrow.String(), "\nrougeLsum ") {
		t.Errorf("width 80: the table is not turned:\n%s", narrow.String())
	}
	var b bytes.Buffer
	WriteTableOptions(&b, r, TableOptions{Width: 120})
	if !strings.Contains(b.String(), "(95% CIs: --wide)") {
		t.Errorf("width 120: no note that the CIs were left out:\n%s", b.String())
	}
	b.Reset()
	WriteTableOptions(&b, r, TableOptions{Width: 80, Wide: true})
	if !strings.Contains(b.String(), "[0.477, 0.550]") || !strings.Contains(b.String(), "oracle  sloppy") {
		t.Errorf("--wide: no CIs or not every pair:\n%s", b.String())
	}
	if strings.Contains(b.String(), "more comparisons") {
		t.Errorf("--wide: comparisons left out:\n%s", b.String())
	}
}

func TestTableColor(t *testing.T) {
	r := goldenResult(t)
	var plain, color bytes.Buffer
	WriteTableOptions(&plain, r, TableOptions{})
	WriteTableOptions(&color, r, TableOptions{Color: true})
	if strings.Contains(plain.String(), "\033[") {
		t.Errorf("without Color the table has escape codes:\n%s", plain.String())
	}
	for _, want := range []string{"  \033[31mFAIL\033[0m  rougeLsum", "  \033[32mPASS\033[0m  rougeLsum", "\n\033[31mFAIL\033[0m: 3 of 6 gates failed\n"} {
		if !strings.Contains(color.String(), want) {
			t.Errorf("with Color the table lacks %q:\n%s", want, color.String())
		}
	}
	// The codes are all the colour there is.
	stripped := strings.NewReplacer("\033[31m", "", "\033[32m", "", "\033[33m", "", "\033[0m", "").Replace(color.String())
	if stripped != plain.String() {
		t.Errorf("coloured table differs from the plain one beyond its colours")
	}
}

func TestPaintVerdict(t *testing.T) {
	opt := TableOptions{Color: true}
	for in, want := range map[string]string{
		"PASS: 4 gates passed":                                                     "\033[32mPASS\033[0m: 4 gates passed",
		"ERRORS: 2 runs failed; FAIL: 1 of 3 gates failed":                         "\033[31mERRORS\033[0m: 2 runs failed; \033[31mFAIL\033[0m: 1 of 3 gates failed",
		"STOPPED at max cost ($2.50 spent): reports cover the cases that finished": "\033[33mSTOPPED\033[0m at max cost ($2.50 spent): reports cover the cases that finished",
	} {
		if got := paintVerdict(opt, in); got != want {
			t.Errorf("paintVerdict(%q) = %q, want %q", in, got, want)
		}
	}
}
