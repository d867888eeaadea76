#!/usr/bin/env bash
# Verdict stability: judges every known-verdict submission (and the reference) of the
# given exercises N times with the default seed and reports any submission whose verdict
# was not the same N times. The README quotes the result.
# Usage: scripts/stability.sh [N, default 10] [exercise ...]
set -euo pipefail
n=${1:-10}
shift || true
cd "$(dirname "$0")/.."
cargo build --release -p judge --quiet
judge=target/release/judge
export JUDGE_CACHE_DIR=${JUDGE_CACHE_DIR:-$(mktemp -d)}
ids=("$@")
[ ${#ids[@]} -gt 0 ] || mapfile -t ids < <(for d in exercises/*/exercise.toml; do basename "$(dirname "$d")"; done)
total=0; unstable=0
for id in "${ids[@]}"; do
  ref=reference.rs
  for f in "exercises/$id/$ref" exercises/"$id"/submissions/*/*.rs; do
    verdicts=$(for _ in $(seq "$n"); do { "$judge" --exercises . run "$id" "$f" --json 2>/dev/null || true; } | jq -r .verdict; done | sort | uniq -c | sed 's/^ *//' | tr '\n' ' ')
    total=$((total + 1))
    if [ "$(wc -w <<<"$verdicts")" -ne 2 ]; then
      unstable=$((unstable + 1)); echo "UNSTABLE $f: $verdicts"
    else
      echo "stable   $f: $verdicts"
    fi
  done
done
echo "$((total - unstable)) of $total submissions got the same verdict $n times out of $n"
