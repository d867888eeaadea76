#!/usr/bin/env bash
# The power of an exercise's generators: for each known-wrong submission, how many
# generated cases it takes, on average over seeds, until the first failing one
# (`failure.passed_before + 1` of `judge run --json`), and on how many seeds it was caught
# with that verdict. The exercises' NOTES.md quote these figures.
# Usage: scripts/generator-power.sh <exercise> [seeds, default 20]
set -euo pipefail
id=$1
seeds=${2:-20}
cd "$(dirname "$0")/.."
cargo build --release -p judge --quiet
judge=target/release/judge
export JUDGE_CACHE_DIR=${JUDGE_CACHE_DIR:-$(mktemp -d)}
printf '%-44s %-16s %8s %8s %8s\n' submission verdict caught mean max
for f in exercises/"$id"/submissions/*/*.rs; do
  want=$(basename "$(dirname "$f")")
  case $want in accepted | compile_error) continue ;; esac
  caught=0; total=0; max=0
  for seed in $(seq "$seeds"); do
    json=$("$judge" --exercises . run "$id" "$f" --json --seed "$seed" 2>/dev/null || true)
    verdict=$(jq -r .verdict <<<"$json")
    if [ "$verdict" = "$want" ]; then
      n=$(jq -r '(.failure.passed_before // 0) + 1' <<<"$json")
      caught=$((caught + 1)); total=$((total + n)); [ "$n" -gt "$max" ] && max=$n
    fi
  done
  mean=$(awk -v t="$total" -v c="$caught" 'BEGIN { if (c) printf "%.1f", t / c; else print "-" }')
  printf '%-44s %-16s %5d/%-2d %8s %8s\n' "$(basename "$f" .rs)" "$want" "$caught" "$seeds" "$mean" "$max"
done
