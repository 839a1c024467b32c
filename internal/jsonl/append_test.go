package jsonl

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// appendPieces are what random strings are made of: every ASCII byte,
// the separators encoding/json escapes, multi-byte runes and invalid
// UTF-8.
func appendPieces() []string {
	var out []string
	for b := range 0x80 {
		out = append(out, string(rune(b)))
	}
	return append(out, "\u2028", "\u2029", "é", "“", "—", "😀", "\xff", "\xe2\x80", "\xed\xa0\x80", "<b>&amp;</b>", "\U0010ffff", "\ufffd")
}

// The Append functions write what Marshal writes, byte for byte.
func TestAppendMatchesMarshal(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	pieces := appendPieces()
	randString := func() string {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	for _, s := range pieces {
		checkAppend(t, s, AppendString(nil, s))
	}
	for range 20000 {
		s := randString()
		checkAppend(t, s, AppendString([]byte("x"), s)[1:])
	}
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.0 / 3, 2.5e-7, 1e-6, 9.999999e-7, 1e20, 1e21, 123456789012345678901234.0,
		math.MaxFloat64, math.SmallestNonzeroFloat64, -1e-9, 5e-324, 1e-10, 123.456, 50.5}
	for range 20000 {
		floats = append(floats, math.Float64frombits(rng.Uint64()), rng.Float64(), rng.NormFloat64()*math.Pow(10, float64(rng.IntN(60)-30)))
	}
	for _, f := range floats {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		got, err := AppendFloat(nil, f)
		if err != nil {
			t.Fatalf("AppendFloat(%v): %v", f, err)
		}
		checkAppend(t, f, got)
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := AppendFloat(nil, f); err == nil {
			t.Errorf("AppendFloat(%v): no error, want one as Marshal gives", f)
		}
		if _, err := Marshal(f); err == nil {
			t.Fatalf("Marshal(%v) gives no error", f)
		}
	}
	for _, list := range [][]string{nil, {}, {"a"}, {"a", "\n", ""}} {
		checkAppend(t, list, AppendStrings(nil, list))
	}
	maps := []map[string]float64{nil, {}, {"b": 1, "a": 2, "é": 3, "A": 0.5, "": -1}}
	for range 200 {
		m := map[string]float64{}
		for range rng.IntN(20) {
			m[randString()] = rng.Float64()
		}
		maps = append(maps, m)
	}
	for _, m := range maps {
		got, err := AppendMap(nil, m, AppendFloat)
		if err != nil {
			t.Fatal(err)
		}
		checkAppend(t, m, got)
	}
	if _, err := AppendMap(nil, map[string]float64{"x": math.NaN()}, AppendFloat); err == nil {
		t.Errorf("AppendMap with a NaN: no error")
	}
}

func checkAppend(t *testing.T, v any, got []byte) {
	t.Helper()
	want, err := Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%#v): %v", v, err)
	}
	if string(got) != string(want) {
		t.Fatalf("Append of %#v = %s, Marshal gives %s", v, got, want)
	}
	var back any
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatalf("Append of %#v = %s: not JSON: %v", v, got, err)
	}
}
