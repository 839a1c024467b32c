package bullet

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCheck(t *testing.T) {
	rules := Rules{MinBullets: 3, MaxBullets: 4, MinWords: 3, MaxWords: 20}
	good := []string{
		"NATO remains committed to Ukraine, Rutte says.",
		"Europe will shoulder more military aid.",
		"Defense spending closes capability gaps.",
	}
	tests := []struct {
		name      string
		bullets   []string
		leftovers []string
		rules     Rules
		want      []string // Violation.String()
		rulesHit  []string // Violation.Rule, same order
	}{
		{name: "clean", bullets: good, rules: rules},
		{
			name:    "too many",
			bullets: append(append([]string{}, good...), "Trump attends the summit.", "Leaders agree on 5% target."),
			rules:   rules, want: []string{"5 bullets (want 3–4)"}, rulesHit: []string{RuleCount},
		},
		{
			name: "too few, exact count", bullets: good[:1], rules: Rules{MinBullets: 3, MaxBullets: 3},
			want: []string{"1 bullet (want 3)"}, rulesHit: []string{RuleCount},
		},
		{name: "no bullets", rules: rules, want: []string{"no bullets"}, rulesHit: []string{RuleEmpty}},
		{
			name: "long and short bullets",
			bullets: []string{
				good[0],
				"Europe will shoulder far more of the military aid to Ukraine while the United States stays deeply involved in the support, Rutte says today.",
				"Spending up.",
			},
			rules:    rules,
			want:     []string{"bullet 2 has 24 words (max 20)", "bullet 3 has 2 words (min 3)"},
			rulesHit: []string{RuleWords, RuleWords},
		},
		{
			name:     "exact duplicate ignoring case and punctuation",
			bullets:  []string{good[0], good[1], "nato remains committed to Ukraine -- Rutte says"},
			rules:    rules,
			want:     []string{"bullet 3 repeats bullet 1"},
			rulesHit: []string{RuleDuplicate},
		},
		{
			name: "near duplicate",
			bullets: []string{
				"NATO leaders agree to raise defense spending to 5% of GDP.",
				good[1],
				"NATO leaders agree to raise defense spending to 5% of GDP by 2035.",
			},
			rules:    rules,
			want:     []string{"bullet 3 nearly repeats bullet 1 (83% of words shared)"},
			rulesHit: []string{RuleDuplicate},
		},
		{
			name: "chatter inside bullets and outside",
			bullets: []string{
				"Sure! NATO remains committed to Ukraine.",
				"Europe will shoulder **more** military aid.",
				"<think>spending</think> closes capability gaps.",
				"As an AI, I cannot verify these claims.",
			},
			leftovers: []string{"Let me know if you want\nmore detail on any of these points or a shorter version!"},
			rules:     rules,
			want: []string{
				`bullet 1 starts with chatter "Sure!"`,
				`bullet 2 contains "**"`,
				`bullet 3 contains "<think>"`,
				`bullet 4 contains "As an AI"`,
				`reply has text outside the bullets: "Let me know if you want more detail on any of th…"`,
			},
			rulesHit: []string{RuleLeftover, RuleLeftover, RuleLeftover, RuleLeftover, RuleLeftover},
		},
		{
			name: "empty bullet", bullets: []string{good[0], " – ", good[2]}, rules: Rules{},
			want: []string{"bullet 2 is empty"}, rulesHit: []string{RuleEmpty},
		},
		{
			name: "no limits", bullets: []string{"One."}, rules: Rules{},
		},
		{
			name: "only a maximum", bullets: good, rules: Rules{MaxBullets: 2},
			want: []string{"3 bullets (want at most 2)"}, rulesHit: []string{RuleCount},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := Check(tt.bullets, tt.leftovers, tt.rules)
			var got, gotRules []string
			for _, v := range vs {
				got = append(got, v.String())
				gotRules = append(gotRules, v.Rule)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Check(%q) mismatch (-want +got):\n%s", tt.bullets, diff)
			}
			if diff := cmp.Diff(tt.rulesHit, gotRules, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Check(%q) rules mismatch (-want +got):\n%s", tt.bullets, diff)
			}
		})
	}
}

func TestCheckBulletIndex(t *testing.T) {
	vs := Check([]string{"a b c", "x"}, nil, Rules{MinWords: 2})
	want := []Violation{{Rule: RuleWords, Bullet: 1, Detail: "has 1 word (min 2)"}}
	if diff := cmp.Diff(want, vs); diff != "" {
		t.Errorf("Check mismatch (-want +got):\n%s", diff)
	}
}

// leadingMarker is what no parsed bullet may start with.
var leadingMarker = regexp.MustCompile(`^(?:[-*+•◦▪‣·–—●○■□➢►✓✔]\s|[•◦▪‣●■►➢]|\(?[0-9]{1,2}[.)]\)?(?:\s|$))`)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"- a\n- b\n",
		"Sure! Here are the bullets:\n1. **One**\n2) Two\n\nLet me know!",
		"<think>hm</think>\n* x\n* y",
		"</think>• a •b",
		"```json\n{\"bullets\": [\"a\", \"b\"]}\n```",
		`["a", "- b", "1. c"]`,
		"{\"bullets\": [\"a\",\n\"b",
		"plain line\nanother line",
		"- “- **quoted**”\n- \"1. x\"",
		"<|channel|>analysis<|message|>x<|end|><|channel|>final<|message|>- y",
		"- - - \n* * *\n1. 2. 3. z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, reply string) {
		p := Parse(reply)
		for _, b := range p.Bullets {
			if strings.ContainsAny(b, "\n\r") {
				t.Errorf("Parse(%q): bullet %q holds a line break", reply, b)
			}
			if leadingMarker.MatchString(b) {
				t.Errorf("Parse(%q): bullet %q starts with a marker", reply, b)
			}
			if b != strings.TrimSpace(b) || Words(b) == 0 {
				t.Errorf("Parse(%q): bullet %q is untrimmed or empty", reply, b)
			}
			if utf8.ValidString(reply) && !utf8.ValidString(b) {
				t.Errorf("Parse(%q): bullet %q is not valid UTF-8", reply, b)
			}
		}
		if p.Format == "" {
			t.Errorf("Parse(%q): empty Format", reply)
		}
		Check(p.Bullets, p.Leftovers, Rules{MinBullets: 3, MaxBullets: 5, MaxWords: 20})
	})
}

// BenchmarkParseLongReasoning parses a 1 MB reply made of many short
// reasoning blocks; it shows that the time grows linearly with the reply.
func BenchmarkParseLongReasoning(b *testing.B) {
	reply := strings.Repeat("<think>step</think>\n- bullet text here\n", 1<<15)
	b.SetBytes(int64(len(reply)))
	for b.Loop() {
		Parse(reply)
	}
}

func BenchmarkParseCheck(b *testing.B) {
	reply := "<think>\nThe user wants three short bullets about the NATO summit. The key points are commitment, burden sharing and spending.\n</think>\n\n" +
		"Sure! Here are 3 headline bullets:\n\n" +
		"1. **NATO remains fully committed** to supporting Ukraine and a durable peace, Rutte says.\n" +
		"2. Europe will shoulder more military aid to Ukraine while the U.S. stays involved.\n" +
		"3. Higher European defense spending means no capability gaps as the U.S. looks to Asia.\n\n" +
		"Let me know if you'd like a different tone!"
	rules := Rules{MinBullets: 3, MaxBullets: 5, MaxWords: 25}
	b.SetBytes(int64(len(reply)))
	for b.Loop() {
		p := Parse(reply)
		Check(p.Bullets, p.Leftovers, rules)
	}
}

// findLeftoverAny finds what the regexp finds, on lines that match and
// lines that do not.
func TestFindLeftoverAnyMatchesTheRegexp(t *testing.T) {
	for _, b := range []string{
		"The council voted on Tuesday", "**Bold** claim", "<think>hmm</think> Rates rise", "Let me know if you want more",
		"As an AI, I cannot", "I hope this helps", "Code ``` fence", "<|im_end|>", "Über die Brücke", "aſ an ai model",
		"LET ME KNOW", "a star * here", "Prices fell 3% in May", "",
		"“Let me know,” she said", "let me Know", "K", "i hope thiſ helps", "Café: as an AI", "İ hope this helps",
		"‹|im_end|›", "Ｌet me know", "ﬁnal: let me know",
	} {
		if got, want := findLeftoverAny(b), leftoverAny.FindString(b); got != want {
			t.Errorf("findLeftoverAny(%q) = %q, want %q", b, got, want)
		}
	}
}

// The runes the quick test lets through are all those (?i) folds onto an
// ASCII letter: no other can make the regexp match.
func TestFindLeftoverAnyFoldingRunes(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf && !strings.ContainsRune("\u017f\u212a", r) {
				t.Errorf("%U %q folds onto %q, and the quick test does not look for it", r, r, f)
			}
		}
	}
}

func FuzzFindLeftoverAny(f *testing.F) {
	for _, s := range []string{"let me know", "“as an ai”", "aſ an ai", "<think>", "i hope thiK"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b string) {
		if got, want := findLeftoverAny(b), leftoverAny.FindString(b); got != want {
			t.Errorf("findLeftoverAny(%q) = %q, want %q", b, got, want)
		}
	})
}

// refJaccard is the map-based Jaccard index the merge replaced.
func refJaccard(a, b []string) float64 {
	set := make(map[string]uint8, len(a)+len(b))
	for _, t := range a {
		set[t] |= 1
	}
	for _, t := range b {
		set[t] |= 2
	}
	both := 0
	for _, v := range set {
		if v == 3 {
			both++
		}
	}
	return float64(both) / float64(len(set))
}

// jaccard over word sets is the map-based index over the token lists, bit
// for bit, repeats and all.
func TestJaccardMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	words := []string{"ferry", "fares", "double", "the", "council", "2024", "visitors", "summer", "a", "b"}
	for range 5000 {
		a, b := make([]string, 1+rng.IntN(12)), make([]string, 1+rng.IntN(12))
		for i := range a {
			a[i] = words[rng.IntN(len(words))]
		}
		for i := range b {
			b[i] = words[rng.IntN(len(words))]
		}
		if got, want := jaccard(wordSet(a), wordSet(b)), refJaccard(a, b); got != want {
			t.Fatalf("jaccard(%q, %q) = %v, want %v", a, b, got, want)
		}
	}
}
