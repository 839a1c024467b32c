package rouge

import "sync"

// vocab interns tokens as small integers shared by every call of one
// Scorer, so that n-grams and LCS compare integers, and caches the stem of
// every word it has seen. It grows with the vocabulary of the texts scored
// (English news saturates at a few hundred thousand words); a Scorer that
// must not grow can be replaced by a fresh one.
type vocab struct {
	stem bool

	mu    sync.RWMutex
	words map[string]int32 // surface word → id of its form
	forms map[string]int32 // form (the stem when stemming) → id
}

func newVocab(stem bool) *vocab {
	return &vocab{stem: stem, words: make(map[string]int32), forms: make(map[string]int32)}
}

// id returns the id of word's form. buf is scratch space for stemming.
func (v *vocab) id(word []byte, buf *[]byte) int32 {
	v.mu.RLock()
	id, ok := v.words[string(word)]
	v.mu.RUnlock()
	if ok {
		return id
	}
	form := word
	if v.stem && len(word) > 3 {
		*buf = append((*buf)[:0], word...)
		form = stemBytes(*buf)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if id, ok := v.words[string(word)]; ok {
		return id
	}
	id, ok = v.forms[string(form)]
	if !ok {
		id = int32(len(v.forms))
		v.forms[string(form)] = id
	}
	v.words[string(word)] = id
	return id
}
