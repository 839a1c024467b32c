package clean

import (
	"slices"
	"testing"
)

// entryCase is a line put to one entry of the line table: the region the
// cleaner is in, what it kept before, and the verdict wanted.
type entryCase struct {
	region   region
	text     string
	kept     []string // lines kept before, directly above text
	fromHTML bool
	links    []string // link texts of the page (HTML)
	alone    bool     // an HTML list item or heading
	skip     bool     // a rule asked to drop this line
	refs     bool     // a run of reference bullets ended

	act   action
	enter region // when move is set
	move  bool
}

// entryCases holds cases for every entry of the line table, by entry id;
// TestLineTableCovered fails when an entry has none.
var entryCases = map[string][]entryCase{
	"comments-tail": {
		{region: regionComments, text: "Great article, thanks for writing it.", act: drop},
	},
	"related-list": {
		{region: regionRelated, text: "Storm leaves thousands without power", act: drop},
		{region: regionRelated, text: "Democrats said they would keep pushing for changes in conference.", act: next, move: true, enter: regionHeader},
		{region: regionRelated, text: "Swim proof", fromHTML: true, alone: true, act: next, move: true, enter: regionHeader},
		{region: regionRelated, text: "Vinyl sales rise", fromHTML: true, links: []string{"Vinyl sales rise"}, act: drop},
	},
	"reference-bullets": {
		{region: regionHeader, text: "- NATO remains fully committed to Ukraine", act: drop, move: true, enter: regionRefs},
		{region: regionRefs, text: "BRUSSELS – The whole of NATO is committed.", act: next, move: true, enter: regionHeader},
		{region: regionHeader, text: "- a bullet in HTML", fromHTML: true, act: next},
		{region: regionHeader, text: "- a bullet after the references ended", refs: true, act: next},
	},
	"after-label": {
		{region: regionBody, text: "A ferry at the pier in Carran.", skip: true, act: drop},
		{region: regionBody, text: "A ferry at the pier in Carran.", act: next},
	},
	"mail-header": {
		{region: regionHeader, text: "Subject: Ridgeview water main repairs", act: drop},
		{region: regionHeader, text: "From: Jane Doe", kept: []string{"Some line"}, act: next},
	},
	"caption": {
		{region: regionBody, text: "Firefighters work at the scene. (AP Photo/Jane Roe)", act: drop},
		{region: regionBody, text: "Image caption", act: dropNext},
	},
	"share":      {{region: regionHeader, text: "Whatsapp Facebook Pint Baixar", act: drop}, {region: regionBody, text: "Share prices rose sharply on Monday.", act: next}},
	"audio":      {{region: regionHeader, text: "Listen to this article", act: drop}},
	"subscribe":  {{region: regionBody, text: "Already a subscriber? Log in", act: drop}},
	"newsletter": {{region: regionBody, text: "Sign up for our free morning newsletter", act: drop}},
	"cookie":     {{region: regionHeader, text: "We use cookies to improve your experience on our site.", act: drop}},
	"advert":     {{region: regionBody, text: "Story continues below advertisement", act: drop}},
	"separator":  {{region: regionBody, text: "* * *", act: drop}},
	"credit":     {{region: regionBody, text: "Additional reporting by Ana Ruiz in Madrid", act: drop}},
	"copyright":  {{region: regionBody, text: "© 2025 Reuters", act: drop}},
	"cta":        {{region: regionBody, text: "Follow us on Instagram", act: drop}},
	"navigation": {{region: regionHeader, text: "Início » Notícias » Prefeitura aprova nova ponte", act: drop}, {region: regionBody, text: "Swim proof", act: next}},
	"comments": {
		{region: regionBody, text: "Comments (12)", act: drop, move: true, enter: regionComments},
		{region: regionBody, text: "Reply", act: drop},
	},
	"widget":  {{region: regionBody, text: "Image 3 of 12", act: drop}},
	"pattern": {{region: regionBody, text: "Tip line: call 555 0100", act: drop}},
	"related-marker": {
		{region: regionBody, text: "RELATED TOPICS:", act: drop, move: true, enter: regionRelated},
		{region: regionBody, text: "Related talks resumed on Monday, officials said.", act: next},
	},
	"related-inline": {{region: regionBody, text: "Read more: Storm leaves thousands without power", act: drop}},
	"stamp-byline": {
		{region: regionHeader, text: "Posted: 14 March 2011 | By Élodie Marchetti", act: drop},
		{region: regionHeader, text: "5:45 AM PST 11/19/2019 by Patrick Shanley", act: drop},
	},
	"timestamp": {
		{region: regionHeader, text: "Tempo de leitura: 2 minutos", act: drop},
		{region: regionBody, text: "June 9 -- Coral Sky Amphitheatre, West Palm Beach, Fla.", act: next},
	},
	"byline": {
		{region: regionHeader, text: "By Jane Doe and John Roe for MailOnline", act: drop},
		{region: regionBody, text: "By the end of the year, the plant will employ about 300 people.", act: next},
	},
	"role": {
		{region: regionHeader, text: "BBC Wales political reporter", act: drop},
		{region: regionBody, text: "BBC Wales political reporter", act: next}, // tried only before the body: no verdict here
	},
}

// TestLineTable puts each case to its entry alone and checks the verdict
// (an entry not tried in the case's region must say next).
func TestLineTable(t *testing.T) {
	rs, err := compileOptions(Options{ExtraPatterns: []string{`Tip line: .*`}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lineTable(rs.lines) {
		for _, tc := range entryCases[r.id] {
			c := &cleaner{rs: rs, p: builtinPatterns()}
			if len(tc.links) > 0 {
				c.links = linkSet{}
				for _, l := range tc.links {
					c.links[headlineKey(l)] = true
				}
			}
			s := &scan{c: c, res: &textResult{}, fromHTML: tc.fromHTML, region: tc.region, skip: tc.skip, refsClosed: tc.refs}
			for _, k := range tc.kept {
				s.kept = append(s.kept, keptLine{text: k})
			}
			l := &line{text: tc.text, alone: tc.alone, noise: rs.noise(tc.text)}
			got := pass
			if r.where.has(tc.region) && r.on(rs) {
				got = r.apply(s, l)
			}
			want := verdict{act: tc.act, move: tc.move, enter: tc.enter}
			if got != want {
				t.Errorf("entry %s in %s: apply(%q) = %v, want %v", r.id, tc.region, tc.text, show(got), show(want))
			}
		}
	}
}

func show(v verdict) string {
	if v.move {
		return v.act.String() + ", enter " + v.enter.String()
	}
	return v.act.String()
}

// String names the action in test failures.
func (a action) String() string {
	return [...]string{"next", "keep", "drop", "drop next"}[a]
}

// TestLineTableCovered checks that every entry of the rule tables has
// cases, so that adding an entry means adding its test.
func TestLineTableCovered(t *testing.T) {
	for _, e := range Entries() {
		switch e.Table {
		case "line":
			if len(entryCases[e.ID]) == 0 {
				t.Errorf("line entry %s has no case in entryCases", e.ID)
			}
		case "run":
			if !slices.ContainsFunc(runCases, func(c runCase) bool { return c.id == e.ID }) {
				t.Errorf("run entry %s has no case in runCases", e.ID)
			}
		case "inline":
			if !slices.ContainsFunc(inlineCases, func(c inlineCase) bool { return c.id == e.ID }) {
				t.Errorf("inline entry %s has no case in inlineCases", e.ID)
			}
		}
		if e.Doc == "" {
			t.Errorf("entry %s has no doc", e.ID)
		}
	}
}

// runCase is a pass's kept lines put to one entry of the run table.
type runCase struct {
	id       string
	fromHTML bool
	links    []string
	in, want []string // kept lines (for paras entries: paragraphs)
	title    string   // the title the entry records
}

var runCases = []runCase{
	{id: "navigation-runs", in: []string{"Home", "News", "Sport", "The council voted on Tuesday to close the pool, citing its running costs and falling use."},
		want: []string{"The council voted on Tuesday to close the pool, citing its running costs and falling use."}},
	{id: "navigation-runs", fromHTML: true, in: []string{"It comes with:", "Swim proof", "Heart rate", "Sleep tracking", "Step counter"},
		want: []string{"It comes with:", "Swim proof", "Heart rate", "Sleep tracking", "Step counter"}},
	{id: "navigation-runs", fromHTML: true, links: []string{"Home", "News", "Sport"}, in: []string{"Home", "News", "Sport", "Swim proof"},
		want: []string{"Swim proof"}},
	{id: "text-title", in: []string{"Bakery wins prize", "(CNN) — A small bakery in Leeds has won a national prize."},
		want: []string{"(CNN) — A small bakery in Leeds has won a national prize."}, title: "Bakery wins prize"},
	{id: "subheadings", in: []string{"The vote was close.", "US Will Be Involved", "The minister said so."},
		want: []string{"The vote was close.", "The minister said so."}},
	{id: "trailing-headlines", in: []string{"The vote was close, the minister said.", "Storm leaves thousands without power", "Gold hits record high"},
		want: []string{"The vote was close, the minister said."}},
	{id: "trailing-headlines", in: []string{"The tour dates are:", "June 9 -- Coral Sky Amphitheatre, West Palm Beach, Fla.", "July 5 -- Greek Theatre, Los Angeles"},
		want: []string{"The tour dates are:", "June 9 -- Coral Sky Amphitheatre, West Palm Beach, Fla.", "July 5 -- Greek Theatre, Los Angeles"}},
	{id: "trailing-headlines", fromHTML: true, links: []string{"Freibad öffnet früher"},
		in:   []string{"Das Konzert beginnt um 19 Uhr.", "Karten im Rathaus", string(aloneMark) + "Mehr aus München", string(aloneMark) + "Freibad öffnet früher"},
		want: []string{"Das Konzert beginnt um 19 Uhr.", "Karten im Rathaus"}},
}

// TestRunTable puts each case to its entry alone.
func TestRunTable(t *testing.T) {
	rs, err := compileOptions(Options{Rules: append(defaultRuleNames(), ruleSubheading)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range runCases {
		i := slices.IndexFunc(runTable, func(r runRule) bool { return r.id == tc.id })
		if i < 0 {
			t.Fatalf("no run entry %s", tc.id)
		}
		r := runTable[i]
		c := &cleaner{rs: rs, p: builtinPatterns(), links: linkSet{}}
		for _, l := range tc.links {
			c.links[headlineKey(l)] = true
		}
		s := &scan{c: c, res: &textResult{}, fromHTML: tc.fromHTML}
		var got []string
		if r.lines != nil {
			var kept []keptLine
			for _, l := range tc.in {
				kept = append(kept, keptLine{text: l})
			}
			for _, k := range r.lines(s, kept) {
				got = append(got, k.text)
			}
		} else {
			got = r.paras(s, slices.Clone(tc.in))
		}
		if !slices.Equal(got, tc.want) || s.res.title != tc.title {
			t.Errorf("entry %s(%q) = %q, title %q; want %q, title %q", tc.id, tc.in, got, s.res.title, tc.want, tc.title)
		}
	}
}

// inlineCase is a line put to one entry of the inline table.
type inlineCase struct{ id, in, want string }

var inlineCases = []inlineCase{
	{"scroll-prompt", "The dog was rescued. Scroll down for video The owner cried.", "The dog was rescued. The owner cried."},
	{"scroll-prompt", "Readers can scroll down for more details of the plan.", "Readers can scroll down for more details of the plan."},
	{"glued-header", "By . Tom Roe . PUBLISHED: 09:53 EST, 1 May 2013 . The storm hit.", "The storm hit."},
}

func TestInlineTable(t *testing.T) {
	rs, err := compileOptions(Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &cleaner{rs: rs, p: builtinPatterns()}
	for _, tc := range inlineCases {
		i := slices.IndexFunc(inlineTable, func(r inlineRule) bool { return r.id == tc.id })
		if got := inlineTable[i].cut(c, tc.in, &textResult{}, false); got != tc.want {
			t.Errorf("entry %s(%q) = %q, want %q", tc.id, tc.in, got, tc.want)
		}
	}
}

// TestStandDown checks that a rule judging lines by their shape stands
// down rather than remove all of an article, and says so; and that rules
// matching what noise says do not.
func TestStandDown(t *testing.T) {
	poem := "春眠不觉晓\n处处闻啼鸟\n夜来风雨声\n花落知多少\n床前明月光\n疑是地上霜\n举头望明月\n低头思故乡\n"
	a := mustClean(t, poem, Options{})
	if !meaningful(a.Body) || len(a.Notes) == 0 || !slices.ContainsFunc(a.Notes, func(n string) bool {
		return n == "rule navigation stood down: it would have removed all of the article's text"
	}) {
		t.Errorf("Clean(short Chinese lines) = body %q, notes %q; want the text and a note that navigation stood down", a.Body, a.Notes)
	}
	if b := mustClean(t, a.Body, Options{}); b.Body != a.Body {
		t.Errorf("Clean(Clean(short lines).Body) = %q, want %q", b.Body, a.Body)
	}
	_, err := Clean(Input{Data: []byte("We use cookies to improve your experience on our site.\nAccept all\nManage preferences\n"), MediaType: MediaText}, Options{})
	if err == nil {
		t.Errorf("Clean(cookie banner) = nil error, want no content: the cookie rule does not stand down")
	}
	if n := mustClean(t, "The council voted on Tuesday to close the pool, citing its running costs and falling use.", Options{}).Notes; n != nil {
		t.Errorf("Clean(article) notes = %q, want none", n)
	}
}
