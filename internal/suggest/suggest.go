// Package suggest finds the did-you-mean for a mistyped name: the
// candidate nearest by edit distance, when it is near enough to be a
// likely typo. Config files, suites and flags share it, so every
// "unknown key" message suggests the same way.
package suggest

import (
	"slices"
	"strings"
)

// Closest returns the candidate nearest to s (compared in lower case), or
// "" when none is within a third of s's length plus one edit.
func Closest(s string, candidates []string) string {
	s = strings.ToLower(s)
	best, bestD := "", len(s)/3+2
	for _, c := range slices.Sorted(slices.Values(candidates)) {
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, by bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Key is the did-you-mean for an unknown dotted config key: the nearest
// known key, else the known keys whose last part is nearest to its last
// part ("temprature" → "llm.temperature"). Nil when nothing is near.
func Key(key string, known []string) []string {
	if s := Closest(key, known); s != "" {
		return []string{s}
	}
	byLeaf := map[string][]string{}
	var leaves []string
	for _, k := range slices.Sorted(slices.Values(known)) {
		l := k[strings.LastIndex(k, ".")+1:]
		if _, ok := byLeaf[l]; !ok {
			leaves = append(leaves, l)
		}
		byLeaf[l] = append(byLeaf[l], k)
	}
	if s := Closest(key[strings.LastIndex(key, ".")+1:], leaves); s != "" {
		return byLeaf[s]
	}
	return nil
}
