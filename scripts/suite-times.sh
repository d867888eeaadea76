#!/usr/bin/env bash
# Per exercise: the warm hidden suite (500 generated cases, build cached) and the time the
# performance gates add, judging the reference (median of N runs after a warm-up).
# Usage: scripts/suite-times.sh [N, default 5]
set -euo pipefail
n=${1:-5}
cd "$(dirname "$0")/.."
cargo build --release -p judge --quiet
judge=target/release/judge
export JUDGE_CACHE_DIR=${JUDGE_CACHE_DIR:-$(mktemp -d)}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-22s %6s %12s %12s %12s\n' exercise cases "suite ms" "gates ms" "run ms"
for d in exercises/*/exercise.toml; do
  id=$(basename "$(dirname "$d")")
  ref=exercises/$id/reference.rs
  "$judge" --exercises . run "$id" "$ref" --json >/dev/null 2>&1 || true
  tests=""; gates=""; wall=""; cases=0
  for _ in $(seq "$n"); do
    s=$(date +%s%N)
    json=$("$judge" --exercises . run "$id" "$ref" --json 2>/dev/null || true)
    e=$(date +%s%N)
    tests+="$(jq .stats.test_ms <<<"$json")"$'\n'
    gates+="$(jq .stats.gates_ms <<<"$json")"$'\n'
    wall+="$(( (e - s) / 1000000 ))"$'\n'
    cases=$(jq .stats.cases <<<"$json")
  done
  printf '%-22s %6s %12s %12s %12s\n' "$id" "$cases" "$(printf '%s' "$tests" | median)" "$(printf '%s' "$gates" | median)" "$(printf '%s' "$wall" | median)"
done
