package rouge

import "slices"

// scoreNgrams is rouge-score's _score_ngrams over _create_ngrams: the
// clipped n-gram overlap divided by the prediction's (precision) and the
// target's (recall) n-gram counts, each at least 1.
func scoreNgrams(sc *scratch, tgt, prd []int32, n int) Score {
	sc.keysT = ngramKeys(sc, sc.keysT[:0], tgt, n)
	sc.keysP = ngramKeys(sc, sc.keysP[:0], prd, n)
	a, b := sc.keysT, sc.keysP
	slices.Sort(a)
	slices.Sort(b)
	overlap := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			i++
			j++
			overlap++
		}
	}
	p := float64(overlap) / float64(max(len(b), 1))
	r := float64(overlap) / float64(max(len(a), 1))
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
