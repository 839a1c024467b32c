package metrics

import "math"

// Hungarian solves the assignment problem: it pairs rows with columns of
// cost, one to one, so that the total cost of the pairs is minimal. It
// returns, for each row, the column assigned to it, or -1 when the matrix
// has more rows than columns and the row is left out. The matrix may be
// rectangular but must not be ragged, and costs must be finite.
//
// It is the O(n²·m) shortest augmenting path form of the Hungarian
// algorithm (Kuhn–Munkres with potentials), n ≤ m being the smaller side.
func Hungarian(cost [][]float64) []int {
	n := len(cost)
	if n == 0 {
		return nil
	}
	m := len(cost[0])
	if m == 0 {
		return filled(n, -1)
	}
	if n <= m {
		return hungarian(n, m, func(i, j int) float64 { return cost[i][j] })
	}
	// More rows than columns: solve the transpose and invert the answer.
	colToRow := hungarian(m, n, func(i, j int) float64 { return cost[j][i] })
	rowToCol := filled(n, -1)
	for c, r := range colToRow {
		rowToCol[r] = c
	}
	return rowToCol
}

// hungarian assigns each of n rows a distinct one of m ≥ n columns at
// minimal total cost a(i, j), returning the column of each row.
func hungarian(n, m int, a func(i, j int) float64) []int {
	// 1-based as in the classical formulation; column 0 is a sentinel.
	u := make([]float64, n+1)
	v := make([]float64, m+1)
	p := make([]int, m+1)   // p[j]: row assigned to column j (0: none)
	way := make([]int, m+1) // previous column on the augmenting path
	minv := make([]float64, m+1)
	used := make([]bool, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j] = math.Inf(1)
			used[j] = false
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], math.Inf(1), 0
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				if cur := a(i0-1, j-1) - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			if j1 == 0 {
				break // only with non-finite costs; never loop forever
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	rowToCol := make([]int, n)
	for j := 1; j <= m; j++ {
		if p[j] != 0 {
			rowToCol[p[j]-1] = j - 1
		}
	}
	return rowToCol
}

func filled(n, v int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}
