#!/usr/bin/env bash
# The long torture run (docs/reliability.md). CI runs the same tests at their quick
# size on every submission; this runs them at full size:
#   - torture_damage: all 255 other values at every byte, every truncation, and the
#     CLI on a change at every byte;
#   - torture_crash: 1,000 SIGKILLs mid-save and 200 rounds of 4 racing writers;
#   - torture_disk: a tmpfs filled 1 KiB at a time, and read-only (root only);
#   - storage: a generated 100,000-entry vault (about 100 MB) opens;
#   - the fuzzers: every target to FUZZ_RUNS executions (default 10,000,000).
# Usage: tests/long-run.sh [--no-fuzz]     (ASPEN_TORTURE_SEED=N repeats a crash run)
# Each test prints its counts; the fuzz summary table comes last. Exits non-zero on
# the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp -t aspen-long-run.XXXXXX)
echo "== torture tests at full size (release build); full output in $log"
status=0
ASPEN_TORTURE=long ASPEN_REQUIRE_SYSTEM_TESTS=1 \
    cargo test --release --test it -- --nocapture --test-threads 1 \
    torture_damage:: torture_crash:: torture_disk:: storage::a_vault_of_100_000_entries_opens \
    >"$log" 2>&1 || status=$?
grep -E '^(seed|byte changes|truncations|appended|cli damage|crash loop|racing writers|full disk)|test result|FAILED|panicked' "$log" || true
if [ "$status" -ne 0 ]; then
    echo "FAILED (exit $status): see $log" >&2
    exit 1
fi

if [ "${1:-}" != "--no-fuzz" ]; then
    echo "== fuzzing"
    fuzz/long-run.sh
fi
