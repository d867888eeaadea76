#!/usr/bin/env bash
# End-to-end figures of `judge run` (the README quotes them):
#   - cold: first run of the tool with an empty cache (build + module compile + tests);
#   - new file: a solution the cache has not seen, toolchain and caches warm;
#   - warm: the second run of that file (its build cached).
# Medians of N runs. Usage: scripts/bench-run.sh [N]
set -euo pipefail
n=${1:-10}
cd "$(dirname "$0")/.."
cargo build --release -p judge --quiet
judge=target/release/judge
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ref=exercises/k-distinct-substring/reference.rs
cold=$(for i in $(seq "$n"); do JUDGE_CACHE_DIR="$work/cold$i" ms "$judge" run k-distinct-substring "$ref"; done | median)
export JUDGE_CACHE_DIR="$work/warm"
ms "$judge" run k-distinct-substring "$ref" >/dev/null
fresh=""; warm=""
for i in $(seq "$n"); do
  f="$work/sol$i.rs"; { echo "// run $i"; cat "$ref"; } > "$f"
  fresh+="$(ms "$judge" run k-distinct-substring "$f")"$'\n'
  warm+="$(ms "$judge" run k-distinct-substring "$f")"$'\n'
done
echo "cold first run (empty cache): $cold ms"
echo "new file (warm caches):       $(printf '%s' "$fresh" | median) ms"
echo "second run of a file (warm):  $(printf '%s' "$warm" | median) ms"
