#!/usr/bin/env bash
# Detection rate: judges known-verdict submissions of the concurrent exercises with seeds
# 1..N and reports how many runs gave the folder's verdict (race_detected, time_limit_exceeded,
# accepted ...), and the median time from the start of the hidden tests to the first failing
# schedule (stats.first_failure_ms, before shrinking). The README quotes the result.
# Usage: scripts/detection.sh [N, default 100] [submission.rs ...]
#   (default: every race_detected submission of the concurrent exercises)
set -euo pipefail
n=${1:-100}
shift || true
cd "$(dirname "$0")/.."
cargo build --release -p judge --quiet
judge=target/release/judge
export JUDGE_CACHE_DIR=${JUDGE_CACHE_DIR:-$(mktemp -d)}
if [ $# -eq 0 ]; then
  set -- exercises/{atomic-counter,striped-counter,concurrent-lru-cache}/submissions/race_detected/*.rs
fi
for f in "$@"; do
  id=$(cut -d/ -f2 <<<"$f")
  want=$(basename "$(dirname "$f")")
  out=$(for seed in $(seq "$n"); do
    { "$judge" --exercises . run "$id" "$f" --seed "$seed" --json 2>/dev/null || true; } |
      jq -r '[.verdict, (.stats.first_failure_ms // -1)] | @tsv'
  done)
  got=$(grep -c "^$want	" <<<"$out" || true)
  median=$(grep "^$want	" <<<"$out" | cut -f2 | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}')
  others=$(grep -v "^$want	" <<<"$out" | cut -f1 | sort | uniq -c | tr -s ' ' | paste -sd, - || true)
  printf '%-72s %3d of %d %s   median first failure %s ms   %s\n' "$f" "$got" "$n" "$want" "$median" "$others"
done
