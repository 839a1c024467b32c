package rouge

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The reference functions below are direct ports of rouge-score's
// _lcs_table, _backtrack_norec and _summary_level_lcs, used as oracles
// for the bit-parallel versions.

func refLCSTable(ref, can []int32) [][]int {
	t := make([][]int, len(ref)+1)
	for i := range t {
		t[i] = make([]int, len(can)+1)
	}
	for i := 1; i <= len(ref); i++ {
		for j := 1; j <= len(can); j++ {
			if ref[i-1] == can[j-1] {
				t[i][j] = t[i-1][j-1] + 1
			} else {
				t[i][j] = max(t[i-1][j], t[i][j-1])
			}
		}
	}
	return t
}

func refBacktrack(ref, can []int32) []int {
	t := refLCSTable(ref, can)
	var lcs []int
	i, j := len(ref), len(can)
	for i > 0 && j > 0 {
		switch {
		case ref[i-1] == can[j-1]:
			lcs = append([]int{i - 1}, lcs...)
			i--
			j--
		case t[i][j-1] > t[i-1][j]:
			j--
		default:
			i--
		}
	}
	return lcs
}

func refSummaryHits(refSents, canSents [][]int32) int {
	cntR, cntC := map[int32]int{}, map[int32]int{}
	for _, s := range refSents {
		for _, t := range s {
			cntR[t]++
		}
	}
	for _, s := range canSents {
		for _, t := range s {
			cntC[t]++
		}
	}
	hits := 0
	for _, r := range refSents {
		union := map[int]bool{}
		for _, c := range canSents {
			for _, i := range refBacktrack(r, c) {
				union[i] = true
			}
		}
		var idx []int
		for i := range union {
			idx = append(idx, i)
		}
		slices.Sort(idx)
		for _, i := range idx {
			t := r[i]
			if cntC[t] > 0 && cntR[t] > 0 {
				hits++
				cntC[t]--
				cntR[t]--
			}
		}
	}
	return hits
}

func randSeq(rng *rand.Rand, n, alphabet int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(rng.IntN(alphabet))
	}
	return s
}

func TestBitParallelLCS(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sc := newScratch()
	for iter := range 3000 {
		alphabet := 2 + rng.IntN(6)
		if iter%4 == 0 {
			alphabet = 40
		}
		a := randSeq(rng, rng.IntN(150), alphabet)
		b := randSeq(rng, rng.IntN(150), alphabet)
		size := 41

		// LCS length through scoreLCS.
		got := scoreLCS(sc, a, b, size)
		want := Score{}
		if len(a) > 0 && len(b) > 0 {
			l := refLCSTable(a, b)[len(a)][len(b)]
			p, r := float64(l)/float64(len(b)), float64(l)/float64(len(a))
			want = Score{p, r, fmeasure(p, r)}
		}
		if got != want {
			t.Fatalf("scoreLCS(%v, %v) = %+v, want %+v", a, b, got, want)
		}

		// The backtracked LCS positions.
		if len(a) > 0 && len(b) > 0 {
			sc.loadColumns(b, size)
			mark := make([]bool, len(a))
			markLCS(sc, a, b, mark)
			sc.unloadColumns(b)
			var gotIdx []int
			for i, m := range mark {
				if m {
					gotIdx = append(gotIdx, i)
				}
			}
			if wantIdx := refBacktrack(a, b); !slices.Equal(gotIdx, wantIdx) {
				t.Fatalf("markLCS(%v, %v) marks %v, want %v", a, b, gotIdx, wantIdx)
			}
		}
	}
}

func TestSummaryLCSOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	sc := newScratch()
	build := func(sents [][]int32) tokens {
		var tk tokens
		for _, s := range sents {
			tk.sents = append(tk.sents, int32(len(tk.ids)))
			for _, id := range s {
				tk.add(id)
			}
		}
		tk.sents = append(tk.sents, int32(len(tk.ids)))
		tk.sids = tk.ids
		return tk
	}
	for range 2000 {
		alphabet := 2 + rng.IntN(10)
		var refS, canS [][]int32
		for range rng.IntN(5) {
			refS = append(refS, randSeq(rng, rng.IntN(90), alphabet))
		}
		for range rng.IntN(5) {
			canS = append(canS, randSeq(rng, rng.IntN(90), alphabet))
		}
		tgt, prd := build(refS), build(canS)
		got := summaryLCS(sc, &tgt, &prd, alphabet)
		m, n := len(tgt.ids), len(prd.ids)
		want := Score{}
		if m > 0 && n > 0 {
			h := refSummaryHits(refS, canS)
			p, r := float64(h)/float64(n), float64(h)/float64(m)
			want = Score{p, r, fmeasure(p, r)}
		}
		if got != want {
			t.Fatalf("summaryLCS(%v, %v) = %+v, want %+v", refS, canS, got, want)
		}
	}
}
