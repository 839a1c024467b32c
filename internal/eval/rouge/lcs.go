package rouge

import "math/bits"

// The LCS computations use the bit-parallel algorithm of Hyyrö (2004,
// "Bit-parallel LCS-length computation revisited"): for a column sequence
// b, row i of the classic DP table is encoded as a bit vector V_i whose
// zero bits mark the columns where the row's value steps up by one, so
// table[i][j] = j - popcount(V_i & (1<<j - 1)). Each row costs one
// addition per 64 columns instead of 64 cell updates. rougeLsum needs the
// one LCS that rouge-score's _backtrack_norec reads out of the table, so
// markLCS keeps every row and walks back through it with the same
// comparisons.

// scoreLCS is rouge-score's _score_lcs: the length of the longest common
// subsequence over the prediction's (precision) and the target's (recall)
// token counts; all zero when either text has no token.
func scoreLCS(sc *scratch, tgt, prd []int32, size int) Score {
	if len(tgt) == 0 || len(prd) == 0 {
		return Score{}
	}
	a, b := tgt, prd
	if len(b) > len(a) {
		a, b = b, a
	}
	sc.loadColumns(b, size)
	words := sc.words
	v := sc.rowSpace(1)
	for w := range v {
		v[w] = ^uint64(0)
	}
	for _, x := range a {
		k := sc.loc[x]
		if k == 0 {
			continue
		}
		advance(v, v, sc.masks[int(k-1)*words:int(k)*words])
	}
	l := len(b) - onesBelow(v, len(b))
	sc.unloadColumns(b)
	p := float64(l) / float64(len(prd))
	r := float64(l) / float64(len(tgt))
	return Score{Precision: p, Recall: r, F: fmeasure(p, r)}
}

// advance computes the next row: dst = (v + u) | (v &^ u) with u = v & m,
// the addition carrying across words.
func advance(dst, v, m []uint64) {
	var carry uint64
	for w := range v {
		x := v[w]
		u := x & m[w]
		var sum uint64
		sum, carry = bits.Add64(x, u, carry)
		dst[w] = sum | (x &^ u)
	}
}

// onesBelow counts the one bits of v below bit j.
func onesBelow(v []uint64, j int) int {
	n := 0
	w := 0
	for ; (w+1)*64 <= j; w++ {
		n += bits.OnesCount64(v[w])
	}
	if r := j - w*64; r > 0 {
		n += bits.OnesCount64(v[w] & (1<<uint(r) - 1))
	}
	return n
}

// loadColumns builds the match masks of b: sc.loc maps a token id to 1 +
// its index in sc.masks, whose words bits mark where it occurs in b.
// unloadColumns must be called before loading another sequence.
func (sc *scratch) loadColumns(b []int32, size int) {
	sc.loc = growZero(sc.loc, size)
	words := (len(b) + 63) / 64
	sc.words = words
	sc.masks = sc.masks[:0]
	var distinct int32
	for j, t := range b {
		k := sc.loc[t]
		if k == 0 {
			distinct++
			k = distinct
			sc.loc[t] = k
			for range words {
				sc.masks = append(sc.masks, 0)
			}
		}
		sc.masks[int(k-1)*words+j/64] |= 1 << uint(j%64)
	}
}

// rowSpace returns room for n rows of the loaded columns.
func (sc *scratch) rowSpace(n int) []uint64 {
	need := n * sc.words
	if cap(sc.vrows) < need {
		sc.vrows = make([]uint64, need, max(need, 2*cap(sc.vrows)))
	}
	return sc.vrows[:need]
}

func (sc *scratch) unloadColumns(b []int32) {
	for _, t := range b {
		sc.loc[t] = 0
	}
}

// summaryLCS is rouge-score's _summary_level_lcs: for each target
// sentence, the union of its LCS with every prediction sentence (one LCS
// each, read out as _backtrack_norec does) counts its tokens as hits,
// each token at most as often as it occurs in both texts.
func summaryLCS(sc *scratch, tgt, prd *tokens, size int) Score {
	m, n := len(tgt.sids), len(prd.sids)
	if m == 0 || n == 0 {
		return Score{}
	}
	if cap(sc.mark) < m {
		sc.mark = make([]bool, m)
	}
	mark := sc.mark[:m]
	clear(mark)
	// The union does not depend on the order in which prediction sentences
	// are visited, so each one's masks are built once for all targets.
	for q := 0; q+1 < len(prd.sents); q++ {
		c := prd.sids[prd.sents[q]:prd.sents[q+1]]
		if len(c) == 0 {
			continue
		}
		sc.loadColumns(c, size)
		for k := 0; k+1 < len(tgt.sents); k++ {
			lo, hi := tgt.sents[k], tgt.sents[k+1]
			if lo < hi {
				markLCS(sc, tgt.sids[lo:hi], c, mark[lo:hi])
			}
		}
		sc.unloadColumns(c)
	}

	sc.cntR = growZero(sc.cntR, size)
	sc.cntC = growZero(sc.cntC, size)
	for _, t := range tgt.sids {
		sc.cntR[t]++
	}
	for _, t := range prd.sids {
		sc.cntC[t]++
	}
	hits := 0
	for i, t := range tgt.sids {
		if mark[i] && sc.cntC[t] > 0 && sc.cntR[t] > 0 {
			hits++
			sc.cntC[t]--
			sc.cntR[t]--
		}
	}
	// Leave the counts all zero for the next call.
	for _, t := range tgt.sids {
		sc.cntR[t] = 0
	}
	for _, t := range prd.sids {
		sc.cntC[t] = 0
	}
	rec := float64(hits) / float64(m)
	p := float64(hits) / float64(n)
	return Score{Precision: p, Recall: rec, F: fmeasure(p, rec)}
}

// markLCS marks in mark the positions of ref on the LCS of ref and can
// that rouge-score's _lcs_table and _backtrack_norec choose. The columns
// (can) must be loaded with loadColumns.
func markLCS(sc *scratch, ref, can []int32, mark []bool) {
	words := sc.words
	rows := sc.rowSpace(len(ref) + 1)
	for w := range words {
		rows[w] = ^uint64(0)
	}
	for i, x := range ref {
		prev := rows[i*words : (i+1)*words]
		cur := rows[(i+1)*words : (i+2)*words]
		if k := sc.loc[x]; k != 0 {
			advance(cur, prev, sc.masks[int(k-1)*words:int(k)*words])
		} else {
			copy(cur, prev)
		}
	}
	i, j := len(ref), len(can)
	if words == 1 {
		// table[i][j] = j - popcount(rows[i] below bit j)
		for i > 0 && j > 0 {
			switch {
			case ref[i-1] == can[j-1]:
				mark[i-1] = true
				i--
				j--
			case j-1-bits.OnesCount64(rows[i]&(1<<uint(j-1)-1)) > j-bits.OnesCount64(rows[i-1]&(1<<uint(j)-1)):
				j--
			default:
				i--
			}
		}
		return
	}
	table := func(i, j int) int { return j - onesBelow(rows[i*words:(i+1)*words], j) }
	for i > 0 && j > 0 {
		switch {
		case ref[i-1] == can[j-1]:
			mark[i-1] = true
			i--
			j--
		case table(i, j-1) > table(i-1, j):
			j--
		default:
			i--
		}
	}
}

// growZero returns s with length at least n; entries past the old length
// are zero and the old entries are kept (they are zero between calls).
func growZero(s []int32, n int) []int32 {
	if len(s) >= n {
		return s
	}
	if cap(s) >= n {
		return s[:n]
	}
	t := make([]int32, n, max(n, 2*cap(s)))
	copy(t, s)
	return t
}
