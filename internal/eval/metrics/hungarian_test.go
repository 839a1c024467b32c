package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bruteForce returns the minimal total cost over all one-to-one pairings of
// the smaller side of cost into the larger.
func bruteForce(cost [][]float64) float64 {
	n, m := len(cost), len(cost[0])
	best := math.Inf(1)
	usedCol := make([]bool, m)
	usedRow := make([]bool, n)
	var rec func(k int, sum float64)
	if n <= m {
		rec = func(i int, sum float64) {
			if i == n {
				best = min(best, sum)
				return
			}
			for j := range m {
				if !usedCol[j] {
					usedCol[j] = true
					rec(i+1, sum+cost[i][j])
					usedCol[j] = false
				}
			}
		}
	} else {
		rec = func(j int, sum float64) {
			if j == m {
				best = min(best, sum)
				return
			}
			for i := range n {
				if !usedRow[i] {
					usedRow[i] = true
					rec(j+1, sum+cost[i][j])
					usedRow[i] = false
				}
			}
		}
	}
	rec(0, 0)
	return best
}

func TestHungarianAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := range 600 {
		n, m := 1+rng.IntN(6), 1+rng.IntN(6)
		cost := make([][]float64, n)
		for i := range cost {
			cost[i] = make([]float64, m)
			for j := range cost[i] {
				if trial%3 == 0 {
					cost[i][j] = float64(rng.IntN(4)) // many ties
				} else {
					cost[i][j] = rng.Float64()*2 - 1
				}
			}
		}
		got := Hungarian(cost)
		if len(got) != n {
			t.Fatalf("Hungarian(%v) returned %d rows, want %d", cost, len(got), n)
		}
		seen := map[int]bool{}
		assigned := 0
		var total float64
		for i, j := range got {
			if j < 0 {
				continue
			}
			if j >= m || seen[j] {
				t.Fatalf("Hungarian(%v) = %v: column %d out of range or used twice", cost, got, j)
			}
			seen[j] = true
			assigned++
			total += cost[i][j]
		}
		if assigned != min(n, m) {
			t.Fatalf("Hungarian(%v) = %v: %d pairs, want %d", cost, got, assigned, min(n, m))
		}
		if want := bruteForce(cost); math.Abs(total-want) > 1e-9 {
			t.Fatalf("Hungarian(%v) = %v with cost %v, want the optimum %v", cost, got, total, want)
		}
	}
}

func TestHungarianEdges(t *testing.T) {
	if got := Hungarian(nil); got != nil {
		t.Errorf("Hungarian(nil) = %v, want nil", got)
	}
	if got := Hungarian([][]float64{{}, {}}); len(got) != 2 || got[0] != -1 || got[1] != -1 {
		t.Errorf("Hungarian(2×0) = %v, want [-1 -1]", got)
	}
	// Three rows, one column: only the cheapest row gets it.
	if got := Hungarian([][]float64{{5}, {1}, {3}}); got[0] != -1 || got[1] != 0 || got[2] != -1 {
		t.Errorf("Hungarian(3×1) = %v, want [-1 0 -1]", got)
	}
	// Non-finite costs must not hang.
	Hungarian([][]float64{{math.NaN(), math.Inf(1)}, {math.Inf(-1), 0}})
}

func BenchmarkHungarian10x10(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cost := make([][]float64, 10)
	for i := range cost {
		cost[i] = make([]float64, 10)
		for j := range cost[i] {
			cost[i][j] = rng.Float64()
		}
	}
	for b.Loop() {
		Hungarian(cost)
	}
}
