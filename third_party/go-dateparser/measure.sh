#!/usr/bin/env bash
# Measures what the patch saves: builds cmd/summarize twice, with the
# patched copy (the go.mod replace) and with upstream go-dateparser v1.2.3
# (the replace dropped, in a temporary go.mod), then runs each binary's
# `--version` RUNS times (default 20) and prints the median start-up cost of
# go-dateparser's internal/data package from GODEBUG=inittrace=1, and the
# median wall time of the whole `summarize --version`.
#
#   bash third_party/go-dateparser/measure.sh [RUNS]
#
# Needs the Go module proxy for upstream's copy (go mod download).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/patched" ./cmd/summarize
sed '/^replace github.com\/markusmobius\/go-dateparser /d' go.mod >"$tmp/go.mod"
cp go.sum "$tmp/go.sum"
GOFLAGS=-mod=mod go build -modfile="$tmp/go.mod" -o "$tmp/upstream" ./cmd/summarize

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

for b in upstream patched; do
  : >"$tmp/$b.init"
  : >"$tmp/$b.wall"
  for _ in $(seq "$runs"); do
    # init <pkg> @T ms, C ms clock, B bytes, A allocs
    GODEBUG=inittrace=1 "$tmp/$b" --version 2>&1 >/dev/null |
      awk '$2 == "github.com/markusmobius/go-dateparser/internal/data" {print $5, $8, $10}' >>"$tmp/$b.init"
    s=$(date +%s%N)
    "$tmp/$b" --version >/dev/null
    e=$(date +%s%N)
    echo $(((e - s) / 1000)) >>"$tmp/$b.wall"
  done
  printf '%-8s internal/data init: %7.2f ms, %8.1f kB, %6d allocations; summarize --version: %6.1f ms wall (medians of %d runs)\n' "$b" \
    "$(cut -d' ' -f1 "$tmp/$b.init" | median)" \
    "$(cut -d' ' -f2 "$tmp/$b.init" | median | awk '{print $1/1e3}')" \
    "$(cut -d' ' -f3 "$tmp/$b.init" | median)" \
    "$(median <"$tmp/$b.wall" | awk '{print $1/1000}')" "$runs"
done
