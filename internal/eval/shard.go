package eval

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Shard is one share of a run's cases, the K-th of N (1 ≤ K ≤ N). A case
// belongs to shard K when the first 8 bytes of the SHA-256 of its id, read
// as a big-endian number, are K-1 modulo N: the share depends on the id
// alone, so a case keeps its shard when others are added or removed, and N
// runs of the same suite, one per shard, run every case once.
type Shard struct {
	K, N int
}

// MaxShards is the most shards a run may be split into.
const MaxShards = 1024

// ParseShard parses "K/N".
func ParseShard(s string) (Shard, error) {
	ks, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	k, kerr := strconv.Atoi(ks)
	n, nerr := strconv.Atoi(ns)
	switch {
	case !ok || kerr != nil || nerr != nil:
		return Shard{}, fmt.Errorf("shard %q: want K/N, like 2/3", s)
	case n < 1 || n > MaxShards:
		return Shard{}, fmt.Errorf("shard %q: N must be 1 to %d", s, MaxShards)
	case k < 1 || k > n:
		return Shard{}, fmt.Errorf("shard %q: K must be 1 to %d", s, n)
	}
	return Shard{K: k, N: n}, nil
}

// String returns "K/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// Has reports whether the case with this id belongs to the shard.
func (s Shard) Has(id string) bool {
	return ShardOf(id, s.N) == s.K
}

// ShardOf returns the shard (1 to n) of the case with this id.
func ShardOf(id string, n int) int {
	h := sha256.Sum256([]byte(id))
	return int(binary.BigEndian.Uint64(h[:8])%uint64(n)) + 1
}

// ShardManifest is what a shard's JSON report records for merging: which
// share it ran, of which selection of cases, and where each of its cases
// sits in the dataset.
type ShardManifest struct {
	K    int    `json:"k"`
	N    int    `json:"n"`
	Spec string `json:"spec"` // "K/N"
	// Of is the number of cases of the whole (unsharded) run, and
	// CasesSHA256 the SHA-256 of their ids, each followed by a newline, in
	// dataset order: the merge checks the shards cover exactly these.
	Of          int    `json:"of"`
	CasesSHA256 string `json:"cases_sha256"`
	// DatasetIndex is the dataset index of each of the shard's cases, in
	// the order of the report's case_ids.
	DatasetIndex []int `json:"dataset_index"`
}

// casesHash is the SHA-256 of ids, each followed by a newline.
func casesHash(ids []string) string {
	h := sha256.New()
	for _, id := range ids {
		h.Write([]byte(id))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// shardCases keeps the indices (of dataset cases with ids) that belong to
// sh, and says what the shard's manifest records of the whole selection.
func shardCases(sh Shard, ids []string, indices []int) ([]int, *ShardManifest) {
	all := make([]string, len(indices))
	var kept []int
	for p, i := range indices {
		all[p] = ids[i]
		if sh.Has(ids[i]) {
			kept = append(kept, i)
		}
	}
	m := &ShardManifest{K: sh.K, N: sh.N, Spec: sh.String(), Of: len(indices), CasesSHA256: casesHash(all)}
	m.DatasetIndex = append([]int{}, kept...)
	return kept, m
}
