package main

import "testing"

func TestEscapeWorkflowData(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"rouge1 fell by 5%", "rouge1 fell by 5%25"},
		{"a\r\nb", "a%0D%0Ab"},
		{"100%0A", "100%250A"},
		{"plain", "plain"},
	} {
		if got := escapeWorkflowData(tt.in); got != tt.want {
			t.Errorf("escapeWorkflowData(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
