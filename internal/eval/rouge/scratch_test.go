package rouge

import (
	"strconv"
	"testing"
)

func fnvHash(w string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint64(w[i])) * fnvPrime
	}
	return h
}

func TestWordTable(t *testing.T) {
	var tab wordTable
	if _, ok := tab.find(fnvHash("a"), []byte("a")); ok {
		t.Fatalf("empty table finds a word")
	}
	// Grow through several sizes, then check every word.
	const n = 5000
	for i := range n {
		w := "w" + strconv.Itoa(i)
		tab.insert(fnvHash(w), w, int32(i))
	}
	for i := range n {
		w := "w" + strconv.Itoa(i)
		if id, ok := tab.find(fnvHash(w), []byte(w)); !ok || id != int32(i) {
			t.Fatalf("find(%q) = %d, %v; want %d, true", w, id, ok, i)
		}
		if id, ok := tab.findString(fnvHash(w), w); !ok || id != int32(i) {
			t.Fatalf("findString(%q) = %d, %v; want %d, true", w, id, ok, i)
		}
	}
	// Words with the same hash are told apart by their text.
	tab.insert(42, "x", 1)
	tab.insert(42, "y", 2)
	if id, ok := tab.find(42, []byte("y")); !ok || id != 2 {
		t.Errorf("find(42, y) = %d, %v; want 2, true", id, ok)
	}
	if _, ok := tab.find(42, []byte("z")); ok {
		t.Errorf("find(42, z) found a word never inserted")
	}
	// Past the limit the table starts over and keeps working.
	for i := n; i < l1Limit+10; i++ {
		w := "w" + strconv.Itoa(i)
		tab.insert(fnvHash(w), w, int32(i))
	}
	if tab.n > l1Limit {
		t.Errorf("table holds %d words, want at most %d", tab.n, l1Limit)
	}
	w := "w" + strconv.Itoa(l1Limit+9)
	if id, ok := tab.find(fnvHash(w), []byte(w)); !ok || id != int32(l1Limit+9) {
		t.Errorf("find(%q) after a reset = %d, %v; want %d, true", w, id, ok, l1Limit+9)
	}
}

// TestScorerManyWords scores texts with more distinct words than the
// private cache holds and checks the scores do not change.
func TestScorerManyWords(t *testing.T) {
	s, _ := NewScorer(DefaultTypes(), Options{Stemmer: true})
	first := s.Score("alpha beta gamma delta", "beta gamma alpha")
	text := make([]byte, 0, 1<<20)
	for i := range l1Limit + 1000 {
		text = append(text, "tok"...)
		text = strconv.AppendInt(text, int64(i), 36)
		text = append(text, ' ')
	}
	s.Score(string(text), "tok1 tok2")
	again := s.Score("alpha beta gamma delta", "beta gamma alpha")
	if first["rougeLsum"] != again["rougeLsum"] || first["rouge2"] != again["rouge2"] {
		t.Errorf("scores changed after the cache overflowed: %v, then %v", first, again)
	}
}
