package suggest

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"llm.model", "llm.temperature", "prompt.bullets", "variants"}
	for _, tc := range []struct{ in, want string }{
		{"llm.modle", "llm.model"},
		{"LLM.Temprature", "llm.temperature"},
		{"variant", "variants"},
		{"prompt.bulets", "prompt.bullets"},
		{"completely.different", ""},
		{"", ""},
	} {
		if got := Closest(tc.in, keys); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	known := []string{"llm.model", "llm.temperature", "judge.temperature", "prompt.bullets"}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"llm.modle", []string{"llm.model"}},
		{"temprature", []string{"judge.temperature", "llm.temperature"}},
		{"output.bulets", []string{"prompt.bullets"}},
		{"nothing.near", nil},
	} {
		got := Key(tc.in, known)
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("Key(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
