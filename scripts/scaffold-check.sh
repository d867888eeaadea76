#!/usr/bin/env bash
# One folder is a whole exercise: `judge new` scaffolds a package, and a shipped package is
# copied under a new id; the judge is rebuilt with no other edit, and `judge validate` and
# the reference crate's native tests pass for both. Run in place (the two folders are
# removed on exit, and the judge rebuilt without them), last in .ci/run.
set -euo pipefail
# A copied folder carries its snapshots, whose reports name the original id and paths.
export JUDGE_SNAPSHOTS=warn
cd "$(dirname "$0")/.."
new=scaffold-check
copy=k-distinct-copy
cleanup() {
    rm -rf "exercises/$new" "exercises/$copy"
}
trap cleanup EXIT
cleanup
cargo build --locked --quiet -p judge
target/debug/judge new "$new" --title "Scaffold check"
cp -r exercises/k-distinct-substring "exercises/$copy"
cargo build --locked --quiet -p judge
target/debug/judge list | grep -q "^$new\b"
target/debug/judge list | grep -q "^$copy\b"
target/debug/judge validate "$new"
target/debug/judge validate "$copy"
cargo test --locked --quiet -p judge-reference --lib -- scaffold_check k_distinct_copy
cleanup
trap - EXIT
cargo build --locked --quiet -p judge
