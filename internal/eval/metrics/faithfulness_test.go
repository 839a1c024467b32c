package metrics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestFindNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want []string // number keys
	}{
		{"$19 million", []string{"19000000"}},
		{"£19m and 19,000,000 and 1.5bn", []string{"19000000", "19000000", "1500000000"}},
		{"5% or 5 percent or 5 per cent", []string{"5", "5", "5"}},
		{"20,000 people, 3rd time, in 2025", []string{"20000", "3", "2025"}},
		{"twenty-five of them, a dozen, the third", []string{"25", "12", "3"}},
		{"two million and seventeen", []string{"2000000", "17"}},
		{"COVID-19 in the 1990s", []string{"19", "1990"}},
		{"5km and 10mph, not 5k", []string{"5", "10", "5000"}},
	}
	for _, tt := range tests {
		var got []string
		for _, n := range findNumbers(tt.in) {
			got = append(got, numberKey(n.value))
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("findNumbers(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestFindNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Secretary General Mark Rutte says Europe will pay.", []string{"Secretary General Mark Rutte", "Europe"}},
		{"Rutte says the Bank of England agrees.", []string{"Bank of England"}},
		{"The Hague hosts NATO leaders.", []string{"Hague", "NATO"}},
		{"NATO backs Ukraine. Leaders meet in Paris.", []string{"NATO", "Ukraine", "Paris"}},
		{"Police say Trump's aides met on Monday.", []string{"Trump"}},
		{"As U.S. shifts focus to Asia, Rutte says", []string{"U.S", "Asia", "Rutte"}},
		{"Officials said nothing.", nil},
		{"Japan's Self Defense Force (SDF) met at the Parc des Princes.", []string{"Self Defense Force", "SDF", "Parc des Princes"}},
	}
	for _, tt := range tests {
		var got []string
		for _, n := range findNames(tt.in) {
			got = append(got, n.text)
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("findNames(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestFaithfulnessSmall(t *testing.T) {
	article := "Acme Corp lost $19 million in 2019 and cut 20,000 jobs, chief executive Jane Doe said on Tuesday. " +
		"Five factories will close by March. Profits fell 5 percent, the third fall in a row."
	tests := []struct {
		bullet      string
		unsupported []string
	}{
		{"Acme lost $19m in 2019, Jane Doe says.", nil},
		{"Acme cut 20 thousand jobs and five factories will close.", nil},
		{"Profits fell 5%, a 3rd straight fall, Acme said Tuesday.", nil},
		{"Acme lost $18 million in 2019.", []string{"$18 million"}},
		{"Acme lost $19 million in 2018.", []string{"2018"}},
		{"Acme chief John Smith resigns.", []string{"John Smith"}},
		{"Executive Jane Doe speaks.", nil}, // "executive" is an ordinary word of the article
		{"Treasurer Jane Doe speaks.", []string{"Treasurer Jane Doe"}},
		{"Factories close by April, Doe said on Friday.", []string{"April", "Friday"}},
		{"Acme cut 2,000 jobs, Doe said.", []string{"2,000"}},
	}
	m, err := NewFaithfulness()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		s := m.Score(Case{Article: article, Candidate: []string{tt.bullet}})
		d := s.Detail.([]BulletSupport)[0]
		if diff := cmp.Diff(tt.unsupported, d.Unsupported, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Score(%q) unsupported spans (-want +got):\n%s", tt.bullet, diff)
		}
		want := 0.0
		if len(tt.unsupported) == 0 {
			want = 1
		}
		if s.Parts["supported"] != want || d.Supported != (want == 1) {
			t.Errorf("Score(%q).Parts[supported] = %v (supported %v), want %v", tt.bullet, s.Parts["supported"], d.Supported, want)
		}
		if want == 1 && s.Value < 0.5 || want == 0 && s.Value > 0.3 {
			t.Errorf("Score(%q).Value = %.3f, want ≥ 0.5 when supported, ≤ 0.3 when not", tt.bullet, s.Value)
		}
		if d.Sentence == "" || d.Score <= 0 {
			t.Errorf("Score(%q): no support sentence (%q, %v)", tt.bullet, d.Sentence, d.Score)
		}
	}
}

func TestFaithfulnessSample(t *testing.T) {
	article, refs := sampleArticle(t)
	if len(refs) != 3 {
		t.Fatalf("sample has %d reference bullets, want 3", len(refs))
	}
	m, err := NewFaithfulness()
	if err != nil {
		t.Fatal(err)
	}
	// The human reference bullets are faithful.
	s := m.Score(Case{Article: article, Candidate: refs})
	if s.Parts["supported"] != 1 {
		t.Errorf("reference bullets: Parts[supported] = %v, want 1; detail %+v", s.Parts["supported"], s.Detail)
	}
	for _, d := range s.Detail.([]BulletSupport) {
		if d.Score < 0.3 {
			t.Errorf("reference %q: best sentence %q scores %v, want ≥ 0.3", d.Bullet, d.Sentence, d.Score)
		}
	}

	tests := []struct {
		bullet      string
		unsupported []string
	}{
		{"Rutte spoke at the NATO summit in The Hague on June 23, 2025.", nil},
		{"Rutte spoke at the NATO summit in The Hague on June 24, 2025.", []string{"24"}},             // changed number
		{"Rutte spoke at the NATO summit in The Hague on June 23, 2024.", []string{"2024"}},           // wrong year
		{"Rutte and Emmanuel Macron say Europe will shoulder more aid.", []string{"Emmanuel Macron"}}, // new name
		{"Rutte told Reuters on Tuesday that NATO backs Ukraine.", []string{"Tuesday"}},               // wrong weekday
		{"Rutte told Reuters on Wednesday that NATO backs Ukraine.", nil},
	}
	for _, tt := range tests {
		s := m.Score(Case{Article: article, Candidate: []string{tt.bullet}})
		d := s.Detail.([]BulletSupport)[0]
		if diff := cmp.Diff(tt.unsupported, d.Unsupported, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Score(%q) unsupported spans (-want +got):\n%s", tt.bullet, diff)
		}
	}
}

func BenchmarkFaithfulnessDev(b *testing.B) {
	cases := devCases(b)
	m, err := NewFaithfulness()
	if err != nil {
		b.Fatal(err)
	}
	supported, value := 0.0, 0.0
	for b.Loop() {
		supported, value = 0, 0
		for _, c := range cases {
			s := m.Score(c)
			supported += s.Parts["supported"]
			value += s.Value
		}
	}
	b.ReportMetric(float64(len(cases))*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	b.ReportMetric(supported/float64(len(cases)), "lead3-supported")
	b.ReportMetric(value/float64(len(cases)), "lead3-value")
}
