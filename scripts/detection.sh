#!/usr/bin/env bash
# Detection rate: judges known-verdict submissions of the concurrent exercises with seeds
# 1..N and reports how many runs gave the folder's verdict (race_detected, time_limit_exceeded,
# accepted ...), and the median time from the start of the hidden tests to the first failing
# schedule (stats.first_failure_ms, before shrinking). The README quotes the result.
# Usage: scripts/detection.sh [N, default 100] [submission.rs ...]
#   (default: every race_detected submission of the concurrent exercises)
# Environment: FIRST (first seed, default 1: seeds FIRST..N), JUDGE (a judge binary to use
# instead of building the release one), EXERCISES (the catalog folder, default the checkout;
# with JUDGE, the folder of the commit that binary was built from).
set -euo pipefail
n=${1:-100}
shift || true
cd "$(dirname "$0")/.."
if [ -z "${JUDGE:-}" ]; then
  cargo build --release -p judge --quiet
fi
judge=${JUDGE:-target/release/judge}
exercises=${EXERCISES:-.}
first=${FIRST:-1}
export JUDGE_CACHE_DIR=${JUDGE_CACHE_DIR:-$(mktemp -d)}
if [ $# -eq 0 ]; then
  set -- exercises/{atomic-counter,striped-counter,concurrent-lru-cache}/submissions/race_detected/*.rs
fi
for f in "$@"; do
  id=$(sed -E 's#^(.*/)?exercises/([^/]+)/submissions/.*#\2#' <<<"$f")
  want=$(basename "$(dirname "$f")")
  out=$(for seed in $(seq "$first" "$n"); do
    { "$judge" --exercises "$exercises" run "$id" "$f" --seed "$seed" --json 2>/dev/null || true; } |
      jq -r '[.verdict, (.stats.first_failure_ms // -1), (.memory_model.ms // -1), (.memory_model.status // "none")] | @tsv'
  done)
  got=$(grep -c "^$want	" <<<"$out" || true)
  median=$(grep "^$want	" <<<"$out" | cut -f2 | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}')
  miri=$(cut -f3 <<<"$out" | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}')
  skipped=$(cut -f4 <<<"$out" | grep -c '^skipped$' || true)
  others=$(grep -v "^$want	" <<<"$out" | cut -f1 | sort | uniq -c | tr -s ' ' | paste -sd, - || true)
  printf '%-72s %3d of %d (seeds %d-%d) %s   median first failure %s ms   median Miri %s ms (skipped %d)   %s\n' \
    "$f" "$got" $((n - first + 1)) "$first" "$n" "$want" "$median" "$miri" "$skipped" "$others"
done
