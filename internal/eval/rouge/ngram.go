package rouge

// scoreNgrams is rouge-score's _score_ngrams over _create_ngrams: the
// clipped n-gram overlap divided by the prediction's (precision) and the
// target's (recall) n-gram counts, each at least 1.
func scoreNgrams(sc *scratch, tgt, prd []int32, n int) Score {
	sc.keysT = ngramKeys(sc, sc.keysT[:0], tgt, n)
	sc.keysP = ngramKeys(sc, sc.keysP[:0], prd, n)
	t := &sc.counts
	t.reset(len(sc.keysT))
	for _, k := range sc.keysT {
		t.cnt[t.slot(k)]++
	}
	overlap := 0
	for _, k := range sc.keysP {
		if i := t.find(k); i >= 0 && t.cnt[i] > 0 {
			t.cnt[i]--
			overlap++
		}
	}
	p := float64(overlap) / float64(max(len(sc.keysP), 1))
	r := float64(overlap) / float64(max(len(sc.keysT), 1))
	return Score{Precision: p, Recall: r, F: fmeasure(p, r)}
}

// ngramKeys appends one integer key per n-gram of toks. Equal n-grams get
// equal keys and different n-grams different keys, within one call of the
// Scorer (n-grams longer than two are numbered through sc.chain).
func ngramKeys(sc *scratch, dst []uint64, toks []int32, n int) []uint64 {
	if len(toks) < n {
		return dst
	}
	switch n {
	case 1:
		for _, t := range toks {
			dst = append(dst, uint64(uint32(t)))
		}
		return dst
	case 2:
		for i := 0; i+1 < len(toks); i++ {
			dst = append(dst, pairKey(toks[i], toks[i+1]))
		}
		return dst
	}
	if sc.chain == nil {
		sc.chain = make(map[uint64]int32)
	}
	// ids[i] numbers the k-gram starting at i, for k = 1, 2, ..., n.
	start := len(dst)
	for _, t := range toks {
		dst = append(dst, uint64(uint32(t)))
	}
	ids := dst[start:]
	for k := 2; k <= n; k++ {
		ids = ids[:len(ids)-1]
		for i := range ids {
			key := pairKey(int32(ids[i]), toks[i+k-1])
			id, ok := sc.chain[key]
			if !ok {
				id = int32(len(sc.chain))
				sc.chain[key] = id
			}
			ids[i] = uint64(uint32(id))
		}
	}
	return dst[:start+len(ids)]
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// countTable is an open-addressing hash table from uint64 keys to counts
// that is emptied in O(1) by bumping a generation stamp.
type countTable struct {
	keys  []uint64
	cnt   []int32
	stamp []uint32
	gen   uint32
	shift uint
	mask  int
}

// reset empties the table and sizes it for n keys.
func (t *countTable) reset(n int) {
	size, logSize := 16, uint(4)
	for size < 2*n {
		size *= 2
		logSize++
	}
	if len(t.keys) < size {
		t.keys = make([]uint64, size)
		t.cnt = make([]int32, size)
		t.stamp = make([]uint32, size)
		t.gen = 0
	}
	t.gen++
	if t.gen == 0 { // wrapped: stale stamps could look current
		clear(t.stamp)
		t.gen = 1
	}
	t.shift = 64 - logSize
	t.mask = size - 1
}

func (t *countTable) home(k uint64) int { return int((k * 0x9e3779b97f4a7c15) >> t.shift) }

// slot returns k's slot, inserting k with count 0 when absent.
func (t *countTable) slot(k uint64) int {
	for i := t.home(k); ; i = (i + 1) & t.mask {
		if t.stamp[i] != t.gen {
			t.stamp[i] = t.gen
			t.keys[i] = k
			t.cnt[i] = 0
			return i
		}
		if t.keys[i] == k {
			return i
		}
	}
}

// find returns k's slot, or -1 when absent.
func (t *countTable) find(k uint64) int {
	for i := t.home(k); ; i = (i + 1) & t.mask {
		if t.stamp[i] != t.gen {
			return -1
		}
		if t.keys[i] == k {
			return i
		}
	}
}
