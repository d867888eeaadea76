#!/usr/bin/env bash
# Race detection rate: judges every known race_detected submission of the concurrent
# exercises with seeds 1..N and reports how many runs said race_detected, and the median
# time from the start of the hidden tests to the first failing schedule (stats.first_failure_ms,
# before shrinking). The README quotes the result.
# Usage: scripts/detection.sh [N, default 100]
set -euo pipefail
n=${1:-100}
cd "$(dirname "$0")/.."
cargo build --release -p judge --quiet
judge=target/release/judge
export JUDGE_CACHE_DIR=${JUDGE_CACHE_DIR:-$(mktemp -d)}
for id in atomic-counter striped-counter concurrent-lru-cache; do
  for f in exercises/"$id"/submissions/race_detected/*.rs; do
    out=$(for seed in $(seq "$n"); do
      { "$judge" --exercises . run "$id" "$f" --seed "$seed" --json 2>/dev/null || true; } |
        jq -r '[.verdict, (.stats.first_failure_ms // -1)] | @tsv'
    done)
    detected=$(grep -c '^race_detected' <<<"$out" || true)
    median=$(grep '^race_detected' <<<"$out" | cut -f2 | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}')
    printf '%-70s %3d of %d   median first failure %s ms\n' "$f" "$detected" "$n" "$median"
  done
done
