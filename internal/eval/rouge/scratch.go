package rouge

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

// l1Limit bounds a scratch's private word cache; past it the cache starts
// over (the shared vocab still holds every word).
const l1Limit = 1 << 16

// scratch is the per-call working memory of a Scorer, pooled.
type scratch struct {
	l1       map[string]int32 // private, lock-free cache in front of the vocab
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

func newScratch() *scratch {
	return &scratch{l1: make(map[string]int32, 1024)}
}

func (sc *scratch) reset() {
	sc.tgt.reset()
	sc.prd.reset()
}

// id returns the id of a word from the default tokenizer.
func (sc *scratch) id(v *vocab, w []byte) int32 {
	if id, ok := sc.l1[string(w)]; ok {
		return id
	}
	id := v.id(w, &sc.stembuf)
	if len(sc.l1) >= l1Limit {
		clear(sc.l1)
	}
	sc.l1[string(w)] = id
	return id
}

// idString returns the id of a token from a custom tokenizer.
func (sc *scratch) idString(v *vocab, w string) int32 {
	if id, ok := sc.l1[w]; ok {
		return id
	}
	id := v.id([]byte(w), &sc.stembuf)
	if len(sc.l1) >= l1Limit {
		clear(sc.l1)
	}
	sc.l1[w] = id
	return id
}
