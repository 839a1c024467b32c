package rouge

// scoreLCS is rouge-score's _score_lcs: the length of the longest common
// subsequence over the prediction's (precision) and the target's (recall)
// token counts; all zero when either text has no token.
func scoreLCS(sc *scratch, tgt, prd []int32) Score {
	if len(tgt) == 0 || len(prd) == 0 {
		return Score{}
	}
	l := lcsLength(sc, tgt, prd)
	p := float64(l) / float64(len(prd))
	r := float64(l) / float64(len(tgt))
	return Score{Precision: p, Recall: r, F: fmeasure(p, r)}
}

// lcsLength computes the LCS length with one rolling row.
func lcsLength(sc *scratch, a, b []int32) int {
	if len(b) > len(a) {
		a, b = b, a
	}
	if cap(sc.row) < len(b)+1 {
		sc.row = make([]int32, len(b)+1)
	}
	row := sc.row[:len(b)+1]
	clear(row)
	for _, x := range a {
		var diag int32 // row[j-1] of the previous row
		for j, y := range b {
			up := row[j+1]
			switch {
			case x == y:
				row[j+1] = diag + 1
			case row[j] > up:
				row[j+1] = row[j]
			}
			diag = up
		}
	}
	return int(row[len(b)])
}

// summaryLCS is rouge-score's _summary_level_lcs: for each target
// sentence, the union of its LCS with every prediction sentence (one LCS
// each, read out as _backtrack_norec does) counts its tokens as hits,
// each token at most as often as it occurs in both texts.
func summaryLCS(sc *scratch, tgt, prd *tokens) Score {
	m, n := len(tgt.sids), len(prd.sids)
	if m == 0 || n == 0 {
		return Score{}
	}
	size := int(max(tgt.max, prd.max))
	sc.cntR = growZero(sc.cntR, size)
	sc.cntC = growZero(sc.cntC, size)
	for _, t := range tgt.sids {
		sc.cntR[t]++
	}
	for _, t := range prd.sids {
		sc.cntC[t]++
	}
	hits := 0
	for k := 0; k+1 < len(tgt.sents); k++ {
		r := tgt.sids[tgt.sents[k]:tgt.sents[k+1]]
		if len(r) == 0 {
			continue
		}
		if cap(sc.mark) < len(r) {
			sc.mark = make([]bool, len(r))
		}
		mark := sc.mark[:len(r)]
		clear(mark)
		for q := 0; q+1 < len(prd.sents); q++ {
			c := prd.sids[prd.sents[q]:prd.sents[q+1]]
			if len(c) > 0 {
				markLCS(sc, r, c, mark)
			}
		}
		for i, t := range r {
			if mark[i] && sc.cntC[t] > 0 && sc.cntR[t] > 0 {
				hits++
				sc.cntC[t]--
				sc.cntR[t]--
			}
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

// markLCS marks in mark the positions of ref that belong to the LCS of ref
// and can chosen by rouge-score's _lcs_table and _backtrack_norec.
func markLCS(sc *scratch, ref, can []int32, mark []bool) {
	rows, cols := len(ref), len(can)
	w := cols + 1
	need := (rows + 1) * w
	if cap(sc.table) < need {
		sc.table = make([]int32, need)
	}
	t := sc.table[:need]
	clear(t[:w])
	for i := 1; i <= rows; i++ {
		cur := t[i*w : (i+1)*w]
		prev := t[(i-1)*w : i*w]
		cur[0] = 0
		x := ref[i-1]
		for j := 1; j <= cols; j++ {
			switch {
			case x == can[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
	}
	i, j := rows, cols
	for i > 0 && j > 0 {
		switch {
		case ref[i-1] == can[j-1]:
			mark[i-1] = true
			i--
			j--
		case t[i*w+j-1] > t[(i-1)*w+j]:
			j--
		default:
			i--
		}
	}
}
