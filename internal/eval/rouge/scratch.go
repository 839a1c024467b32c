package rouge

import "math/bits"

// tokens holds one text's token ids.
type tokens struct {
	ids   []int32 // tokens of the whole text
	sids  []int32 // tokens of the sentences, concatenated (ids itself for the default tokenizer)
	sbuf  []int32 // storage of sids when it is not ids
	sents []int32 // sentence k is sids[sents[k]:sents[k+1]]
	max   int32   // 1 + the largest id seen
}

func (t *tokens) reset() {
	t.ids = t.ids[:0]
	t.sids = nil
	t.sbuf = t.sbuf[:0]
	t.sents = t.sents[:0]
	t.max = 0
}

func (t *tokens) add(id int32) {
	t.ids = append(t.ids, id)
	t.max = max(t.max, id+1)
}

// scratch is the per-call working memory of a Scorer, pooled.
type scratch struct {
	l1       wordTable // private, lock-free cache in front of the vocab
	stembuf  []byte
	scan     scanner
	tgt, prd tokens

	keysT, keysP []uint64         // n-gram keys
	chain        map[uint64]int32 // n-gram ids for n >= 3
	counts       countTable       // n-gram counts of the target

	loc   []int32  // token id → 1 + index of its match mask (0: not in the columns)
	masks []uint64 // match masks of the loaded columns, words each
	words int      // 64-bit words per row of the loaded columns
	vrows []uint64 // bit-parallel LCS rows
	mark  []bool   // union LCS marks over the target's sentence tokens
	cntR  []int32  // token counts for rougeLsum, indexed by id
	cntC  []int32
}

func newScratch() *scratch { return &scratch{} }

func (sc *scratch) reset() {
	sc.tgt.reset()
	sc.prd.reset()
}

// id returns the id of the word the scanner has just returned.
func (sc *scratch) id(v *vocab, w []byte) int32 {
	h := sc.scan.hash
	if id, ok := sc.l1.find(h, w); ok {
		return id
	}
	id := v.id(w, &sc.stembuf)
	sc.l1.insert(h, string(w), id)
	return id
}

// idString returns the id of a token from a custom tokenizer.
func (sc *scratch) idString(v *vocab, w string) int32 {
	h := uint64(fnvOffset)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint64(w[i])) * fnvPrime
	}
	if id, ok := sc.l1.findString(h, w); ok {
		return id
	}
	id := v.id([]byte(w), &sc.stembuf)
	sc.l1.insert(h, w, id)
	return id
}

// FNV-1a, 64 bits.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// l1Limit bounds a scratch's private word cache; past it the cache starts
// over (the shared vocab still holds every word).
const l1Limit = 1 << 16

// wordTable is an open-addressing hash table from words to ids, keyed by
// the words' FNV-1a hashes (the scanner computes them as it reads), with
// linear probing. A zero hash marks an empty slot.
type wordTable struct {
	hash  []uint64
	ids   []int32
	words []string
	n     int
	shift uint
}

func (t *wordTable) home(h uint64) int { return int((h * 0x9e3779b97f4a7c15) >> t.shift) }

func (t *wordTable) find(h uint64, w []byte) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	h |= 1
	mask := len(t.hash) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		switch t.hash[i] {
		case 0:
			return 0, false
		case h:
			if t.words[i] == string(w) {
				return t.ids[i], true
			}
		}
	}
}

func (t *wordTable) findString(h uint64, w string) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	h |= 1
	mask := len(t.hash) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		switch t.hash[i] {
		case 0:
			return 0, false
		case h:
			if t.words[i] == w {
				return t.ids[i], true
			}
		}
	}
}

// insert adds a word that is not in the table.
func (t *wordTable) insert(h uint64, w string, id int32) {
	if 2*(t.n+1) > len(t.hash) {
		if t.n >= l1Limit {
			clear(t.hash)
			clear(t.words)
			t.n = 0
		} else {
			t.grow()
		}
	}
	t.put(h|1, w, id)
}

func (t *wordTable) put(h uint64, w string, id int32) {
	mask := len(t.hash) - 1
	i := t.home(h)
	for t.hash[i] != 0 {
		i = (i + 1) & mask
	}
	t.hash[i], t.words[i], t.ids[i] = h, w, id
	t.n++
}

func (t *wordTable) grow() {
	old := *t
	size := max(2*len(old.hash), 1024)
	t.hash = make([]uint64, size)
	t.ids = make([]int32, size)
	t.words = make([]string, size)
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
	t.n = 0
	for i, h := range old.hash {
		if h != 0 {
			t.put(h, old.words[i], old.ids[i])
		}
	}
}
