#!/usr/bin/env bash
# The long fuzz run of issue 5: every parser target (or the ones named) for RUNS
# executions each, one target at a time, at the lowest CPU priority, then a table
# target / execs / crashes / seconds / exec/s / cov / ft read from libFuzzer's output.
# Exits non-zero when any target crashes (panic, overflow, timeout, OOM).
#
#   fuzz/long-run.sh [RUNS] [TARGET...]      RUNS defaults to 10000000
#
# Needs nightly and cargo-fuzz (`cargo install cargo-fuzz`). The corpus grows in
# fuzz/corpus/TARGET (seeded from fuzz/seeds/TARGET), crashes land in
# fuzz/artifacts/TARGET, each run's full log in fuzz/logs/TARGET.log. Builds are
# optimised with debug assertions and overflow checks on (-O -a). SANITIZER=address
# runs under AddressSanitizer instead of none: 3-7x slower, and aspen has no unsafe
# code of its own. Extra libFuzzer flags go in FUZZ_ARGS.
set -euo pipefail

runs=${1:-10000000}
[[ $# -gt 0 ]] && shift
sanitizer=${SANITIZER:-none}
cd "$(dirname "$0")"

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build -O -a -s "$sanitizer"
mkdir -p logs

rows=()
failed=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    log="logs/$t.log"
    echo "fuzzing $t for $runs runs (log: fuzz/$log)" >&2
    start=$(date +%s.%N)
    rc=0
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    nice -n 19 cargo +nightly fuzz run -O -a -s "$sanitizer" "$t" "corpus/$t" "seeds/$t" -- \
        -runs="$runs" -rss_limit_mb=2048 -timeout=5 -print_final_stats=1 ${FUZZ_ARGS:-} \
        >"$log" 2>&1 || rc=$?
    end=$(date +%s.%N)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    execs=$(awk '/^stat::number_of_executed_units:/ { n = $2 } END { print n + 0 }' "$log")
    crashes=$(grep -c 'Test unit written to' "$log" || true)
    cov=$({ grep -E '^#[0-9]+.*cov: ' "$log" || true; } | tail -n 1 | sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+).*/\1 \2/')
    rate=$(awk -v n="$execs" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : n) }')
    if [[ $rc -ne 0 || $crashes -ne 0 ]]; then
        failed=1
        [[ $crashes -eq 0 ]] && crashes="rc=$rc"
        grep -E 'panicked at|==ERROR|SUMMARY|Test unit written to' "$log" | head -n 5 >&2 || true
    fi
    rows+=("$(printf '%-16s %12s %8s %8s %8s %6s %6s' "$t" "$execs" "$crashes" "$secs" "$rate" ${cov:-? ?})")
done

printf '%-16s %12s %8s %8s %8s %6s %6s\n' target execs crashes seconds exec/s cov ft
printf '%s\n' "${rows[@]}"
exit "$failed"
