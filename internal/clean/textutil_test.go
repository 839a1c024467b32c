package clean

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWordCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"  one  two\tthree ", 3},
		{"東京", 1},
		{"東京都", 2},
		{"町は来月から試験運行を始める。", 7},
		{"NHKによると 3日", 3},
		{"รถไฟฟ้าสายใหม่", 7},
		{"a\vb\fc\rd\u0085e\u00a0f\u3000g", 7},
		{"Le café «ouvert» ce matin, dit-il.", 6},
	}
	for _, tc := range tests {
		if got := wordCount(tc.in); got != tc.want {
			t.Errorf("wordCount(%q) = %d, want %d", tc.in, got, tc.want)
		}
		for limit := 1; limit <= 8; limit++ {
			got := wordsUpTo(tc.in, limit)
			if tc.want < limit && got != tc.want || tc.want >= limit && got < limit {
				t.Errorf("wordsUpTo(%q, %d) = %d; wordCount is %d", tc.in, limit, got, tc.want)
			}
		}
	}
}

func TestLineShapesDense(t *testing.T) {
	sentence := "町は来月から試験運行を始め、利用状況を見ながら来年度の本格導入を判断する方針だ。"
	if !isProse(sentence) {
		t.Errorf("isProse(%q) = false, want true", sentence)
	}
	if headlineLike(sentence) {
		t.Errorf("headlineLike(%q) = true, want false", sentence)
	}
	if !endsTerminal("「様子を見たい」と話した。") {
		t.Errorf("endsTerminal(%q) = false, want true", "「様子を見たい」と話した。")
	}
	if !headlineLike("路線バス廃止へ") {
		t.Errorf("headlineLike(%q) = false, want true", "路線バス廃止へ")
	}
}

// TestLastBy checks lastBy against strings.LastIndex of " by ", then of
// " By ".
func TestLastBy(t *testing.T) {
	ins := []string{"", "by", " by ", " By ", "x by y By z", "x By y by z", "Updated 5 min ago by Jane", " by by ", "  by  ", "a byy b", "by by", "x By", "x by ", "YBY by", "5:45 AM PST 11/19/2019 by Patrick Shanley", " By  by ", "bay by"}
	files, _ := filepath.Glob("testdata/text/*.txt")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, strings.Split(string(b), "\n")...)
	}
	found := 0
	for _, s := range ins {
		want := strings.LastIndex(s, " by ")
		if want < 0 {
			want = strings.LastIndex(s, " By ")
		}
		if got := lastBy(s); got != want {
			t.Errorf("lastBy(%q) = %d, want %d", s, got, want)
		}
		if want >= 0 {
			found++
		}
	}
	if found < 10 {
		t.Errorf("only %d of the lines have a \" by \"", found)
	}
}
