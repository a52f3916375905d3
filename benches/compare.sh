#!/usr/bin/env bash
# Whole-process measurements for docs/performance.md (issue 6), one command:
#
#   benches/compare.sh
#
# 1. KDF: `aspen list --json` on an empty vault at 64 MiB / 3 passes / 4 lanes against
#    the reference C `argon2` CLI at the same cost (passphrase on stdin).
# 2. CLI: `aspen list --json` on a 1,000-entry vault with the cheap test KDF against
#    `age -d -i IDENTITY` on the same payload (`aspen identity`, `aspen export`).
# 3. Memory: peak RSS (VmHWM) of `aspen list --json` and of the unlocked TUI (in
#    tmux, 120x40, if tmux is installed) on a 10,000-entry vault at 64 MiB.
# 4. Calibration: `aspen init` with the default 1 s target; the cost it chose (read
#    from the vault header) and the median whole-process unlock time.
#
# Alternation: hyperfine runs one command's runs back to back, so a slow phase of the
# machine would land on one side only. Instead each pair is measured in ROUNDS short
# hyperfine calls (RUNS runs of each command per call, order rotated every round),
# each exported as JSON; python3 pools every run of a command and prints the medians
# and the ratio of medians (and the median of the per-round ratios as a check).
#
# The build before a change: ASPEN_PREVIOUS=/path/to/aspen adds that binary to the
# list --json rounds (same rounds, same vault and payload), reported beside the new
# build. It must read the vault this build writes (the same format version); the
# script stops if it does not list the 1,000 entries.
#
# Settings (environment): KDF_ROUNDS (10), KDF_RUNS (1), LIST_ROUNDS (10),
# LIST_RUNS (10), CAL_RUNS (5), ONLY=list (only the list --json rounds: no KDF,
# memory or calibration), ASPEN_PREVIOUS, ASPEN_BENCH_DIR (where the temp folder goes;
# use a real disk, not tmpfs, for honest fsyncs), CARGO_TARGET_DIR.
set -euo pipefail

KDF_ROUNDS=${KDF_ROUNDS:-10}
KDF_RUNS=${KDF_RUNS:-1}
LIST_ROUNDS=${LIST_ROUNDS:-10}
LIST_RUNS=${LIST_RUNS:-10}
CAL_RUNS=${CAL_RUNS:-5}
ONLY=${ONLY:-}
PREVIOUS=${ASPEN_PREVIOUS:-}
case "$ONLY" in
    "" | list) ;;
    *) echo "compare.sh: ONLY=$ONLY: the one value known is 'list'" >&2; exit 2 ;;
esac
# all: true unless ONLY restricts the run to the list --json rounds.
all() { [ -z "$ONLY" ]; }

tools=(cargo hyperfine age python3)
if all; then tools+=(argon2); fi
for tool in "${tools[@]}"; do
    command -v "$tool" >/dev/null || { echo "compare.sh: needs $tool" >&2; exit 2; }
done
if [ -n "$PREVIOUS" ]; then
    PREVIOUS=$(realpath "$PREVIOUS")
    [ -x "$PREVIOUS" ] || { echo "compare.sh: ASPEN_PREVIOUS=$PREVIOUS is not an executable" >&2; exit 2; }
fi

cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-$PWD/target}

echo "== building (release)" >&2
cargo build --release --quiet
ASPEN=$TARGET/release/aspen
# The vault generator (benches/gen_vault.rs); its path, as cargo reports it, because
# HOME changes below and rustup may then not find its toolchain.
GEN_VAULT=$(cargo bench --quiet --bench gen_vault --no-run --message-format=json |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "gen_vault" and m.get("executable"):
        print(m["executable"])')
[ -x "$GEN_VAULT" ] || { echo "compare.sh: could not build benches/gen_vault.rs" >&2; exit 2; }
gen_vault() { "$GEN_VAULT" "$@"; }

WORK=$(mktemp -d "${ASPEN_BENCH_DIR:-${TMPDIR:-/tmp}}/aspen-perf.XXXXXX")
TMUX_SOCKET="aspen-perf-$$"
cleanup() {
    if command -v tmux >/dev/null; then tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PASS="correct horse battery staple"
printf '%s\n' "$PASS" >"$WORK/pass"
export HOME=$WORK XDG_DATA_HOME=$WORK/data XDG_CONFIG_HOME=$WORK/config
export ASPEN_PASSPHRASE_FILE=$WORK/pass ASPEN_TODAY=2026-11-20
unset ASPEN_VAULT
a() { "$ASPEN" --vault "$WORK/$1" "${@:2}"; }

# --- vaults ------------------------------------------------------------------------
echo "== making vaults in $WORK" >&2
a list1k.aspen init --insecure-kdf 2>/dev/null
gen_vault --vault "$WORK/list1k.aspen" --passphrase-file "$WORK/pass" --entries 1000
a list1k.aspen identity >"$WORK/identity.txt" 2>/dev/null
a list1k.aspen export --format age -o "$WORK/list1k.age" 2>/dev/null
if all; then
    a kdf.aspen init --kdf-memory 64 --kdf-time 3 --kdf-parallelism 4 2>/dev/null
    a rss10k.aspen init --kdf-memory 64 --kdf-time 3 --kdf-parallelism 4 2>/dev/null
    gen_vault --vault "$WORK/rss10k.aspen" --passphrase-file "$WORK/pass" --entries 10000
    a rss10k-cheap.aspen init --insecure-kdf 2>/dev/null
    gen_vault --vault "$WORK/rss10k-cheap.aspen" --passphrase-file "$WORK/pass" --entries 10000
fi

# Sanity: both sides of each comparison do the work (and warm the page cache).
expect() { [ "$2" = "$3" ] || { echo "compare.sh: $1: expected $3, got $2" >&2; exit 1; }; }
expect "aspen list --json entries" "$(a list1k.aspen list --json | grep -c '"label"')" 1000
expect "age -d entries" "$(age -d -i "$WORK/identity.txt" "$WORK/list1k.age" | grep -c 'label:')" 1000
if [ -n "$PREVIOUS" ]; then
    expect "ASPEN_PREVIOUS list --json entries (does it read this format?)" \
        "$("$PREVIOUS" --vault "$WORK/list1k.aspen" list --json | grep -c '"label"')" 1000
fi
if all; then
    a kdf.aspen list --json >/dev/null
    argon2 aspensalt0123456789 -id -t 3 -k 65536 -p 4 -l 32 <"$WORK/pass" >/dev/null
fi

# alternate NAME ROUNDS RUNS SHELL_OPT CMD_ASPEN CMD_REF [CMD_PREVIOUS]: the commands
# are named aspen, reference and previous; their order rotates every round.
alternate() {
    local name=$1 rounds=$2 runs=$3 shell=$4 r i
    local names=(aspen reference) cmds=("$5" "$6") order
    if [ $# -ge 7 ]; then
        names+=(previous)
        cmds+=("$7")
    fi
    local n=${#names[@]}
    for ((r = 1; r <= rounds; r++)); do
        printf '  %s: round %d/%d\r' "$name" "$r" "$rounds" >&2
        order=()
        for ((i = 0; i < n; i++)); do
            local k=$(((r + i) % n))
            order+=(-n "${names[$k]}" "${cmds[$k]}")
        done
        # shellcheck disable=SC2086 # $shell is empty or -N
        hyperfine $shell --style none --runs "$runs" --export-json "$WORK/$name-$r.json" \
            "${order[@]}" >/dev/null 2>"$WORK/hyperfine.err" ||
            { cat "$WORK/hyperfine.err" >&2; exit 1; }
    done
    printf '\n' >&2
}

# --- 1. KDF ------------------------------------------------------------------------
# Through the shell (hyperfine subtracts its start-up) because argon2 reads stdin and
# this hyperfine has no --input; aspen goes through the same shell.
if all; then
    echo "== KDF: aspen vs argon2 CLI, 64 MiB / 3 / 4, $KDF_ROUNDS rounds x $KDF_RUNS" >&2
    alternate kdf "$KDF_ROUNDS" "$KDF_RUNS" "" \
        "'$ASPEN' --vault '$WORK/kdf.aspen' list --json" \
        "argon2 aspensalt0123456789 -id -t 3 -k 65536 -p 4 -l 32 < '$WORK/pass'"
fi

# --- 2. CLI list vs age -d -----------------------------------------------------------
echo "== list --json (1,000 entries) vs age -d${PREVIOUS:+ and the previous build}," \
    "$LIST_ROUNDS rounds x $LIST_RUNS" >&2
list_cmds=("$ASPEN --vault $WORK/list1k.aspen list --json"
    "age -d -i $WORK/identity.txt $WORK/list1k.age")
if [ -n "$PREVIOUS" ]; then
    list_cmds+=("$PREVIOUS --vault $WORK/list1k.aspen list --json")
fi
alternate list "$LIST_ROUNDS" "$LIST_RUNS" "-N" "${list_cmds[@]}"

# Sections 3 and 4 only without ONLY=list.
if all; then
# --- 3. Memory -----------------------------------------------------------------------
echo "== peak RSS at 10,000 entries" >&2
# A command's peak RSS: GNU time's "Maximum resident set size". The TUI's: VmHWM
# from /proc while it runs, unlocked, after a search.
peak_kib() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >/dev/null && cat "$WORK/rss"
    else
        echo "n/a"
    fi
}
RSS_LIST=$(peak_kib "$ASPEN" --vault "$WORK/rss10k.aspen" list --json)
RSS_LIST_CHEAP=$(peak_kib "$ASPEN" --vault "$WORK/rss10k-cheap.aspen" list --json)
RSS_TUI=n/a
if command -v tmux >/dev/null; then
    t() { tmux -L "$TMUX_SOCKET" -f /dev/null "$@"; }
    t new-session -d -x 120 -y 40 -s perf \
        -e HOME="$HOME" -e XDG_CONFIG_HOME="$XDG_CONFIG_HOME" -e ASPEN_TODAY="$ASPEN_TODAY" \
        "$ASPEN" --vault "$WORK/rss10k.aspen"
    # screen_shows TEXT: polls the pane for up to 20 s.
    screen_shows() {
        for _ in $(seq 1 100); do
            t capture-pane -p -t perf | grep -q "$1" && return 0
            sleep 0.2
        done
        return 1
    }
    screen_shows 'Passphrase' || true
    t send-keys -t perf -l "$PASS"
    t send-keys -t perf Enter
    if screen_shows 'of 10000'; then
        # Search, a keystroke, then clear it: the table has been filtered and sorted.
        t send-keys -t perf / m Escape
        sleep 1
        pid=$(t display -p -t perf '#{pane_pid}')
        RSS_TUI=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
    else
        echo "  the TUI did not show the vault in 20 s; screen:" >&2
        t capture-pane -p -t perf >&2
    fi
    t kill-server 2>/dev/null || true
fi

# --- 4. Calibration ------------------------------------------------------------------
echo "== calibration: aspen init (default 1 s target)" >&2
a cal.aspen init 2>"$WORK/cal.txt"
grep -E 'Argon2id' "$WORK/cal.txt" | sed 's/^/  aspen init: /' >&2
hyperfine -N --style none --runs "$CAL_RUNS" --export-json "$WORK/cal.json" \
    -n unlock "$ASPEN --vault $WORK/cal.aspen list --json" >/dev/null 2>"$WORK/hyperfine.err" ||
    { cat "$WORK/hyperfine.err" >&2; exit 1; }
fi # all

# --- report --------------------------------------------------------------------------
echo
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $("$ASPEN" --version)${PREVIOUS:+ (previous: $PREVIOUS)};" \
    "argon2 $(dpkg-query -W -f '${Version}' argon2 2>/dev/null || echo '?');" \
    "age $(age --version); $(hyperfine --version)"
echo
python3 - "$WORK" "${ONLY:-all}" "${RSS_LIST:-n/a}" "${RSS_LIST_CHEAP:-n/a}" "${RSS_TUI:-n/a}" <<'PY'
import glob, json, re, statistics, sys

work, only, rss_list, rss_cheap, rss_tui = sys.argv[1:6]

def pooled(name):
    times, ratios = {}, {}
    for path in sorted(glob.glob(f"{work}/{name}-*.json")):
        rnd = {r["command"]: r["times"] for r in json.load(open(path))["results"]}
        for k, v in rnd.items():
            times.setdefault(k, []).extend(v)
            ratios.setdefault(k, []).append(statistics.median(v) / statistics.median(rnd["reference"]))
    return times, ratios

rows = []
def compare(target, name, ref, limit, who="aspen"):
    t, ratios = pooled(name)
    if who not in t:
        return
    ma, mr = statistics.median(t[who]), statistics.median(t["reference"])
    ratio = ma / mr
    rows.append((target, f"{ma*1000:.1f} ms", f"{ref} {mr*1000:.1f} ms",
                 f"{ratio:.2f}x (rounds: {statistics.median(ratios[who]):.2f}x)", f"<= {limit}x",
                 "ok" if ratio <= limit else "MISS", len(t[who])))

if only == "all":
    compare("KDF 64MiB/3/4, whole process", "kdf", "argon2 CLI", 0.85)
compare("list --json, 1,000 entries", "list", "age -d", 1.5)
compare("  the previous build (ASPEN_PREVIOUS)", "list", "age -d", 1.5, who="previous")

def print_table():
    head = ("target", "aspen (median)", "peer (median)", "ratio / detail", "limit", "result", "runs")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    for r in [head, tuple("-" * w for w in widths)] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    t, _ = pooled("list")
    if "previous" in t:
        print(f"\nlist --json, this build against the previous: "
              f"{statistics.median(t['aspen']) / statistics.median(t['previous']):.2f}x")

if only != "all":
    print_table()
    sys.exit(0)

kdf_mib = 64
limit_kib = (kdf_mib + 20) * 1024
for label, value in (("RSS list --json, 10,000, 64 MiB KDF", rss_list),
                     ("RSS TUI unlocked, 10,000, 64 MiB KDF", rss_tui)):
    if value.isdigit():
        v = int(value)
        rows.append((label, f"{v/1024:.1f} MiB", "-", f"KDF + {v/1024 - kdf_mib:.1f} MiB",
                     f"<= {kdf_mib}+20 MiB", "ok" if v <= limit_kib else "MISS", 1))
    else:
        rows.append((label, "n/a", "-", "-", f"<= {kdf_mib}+20 MiB", "not measured", 0))
if rss_cheap.isdigit():
    rows.append(("RSS list --json, 10,000, test KDF", f"{int(rss_cheap)/1024:.1f} MiB", "-",
                 "(what the entries cost)", "-", "-", 1))

cal = open(f"{work}/cal.txt").read()
header = open(f"{work}/cal.aspen", encoding="utf-8").read()
cost = {k: int(re.search(rf"{k}: (\d+)", header).group(1)) for k in ("memory_kib", "passes", "lanes")}
said = re.search(r"unlocking takes ([\d.]+) s", cal)
cal_times = json.load(open(f"{work}/cal.json"))["results"][0]["times"]
unlock = statistics.median(cal_times)
rows.append(("calibration: aspen init (1 s target)",
             f"{unlock*1000:.0f} ms unlock", f"init said {said.group(1) if said else '?'} s",
             f"{cost['memory_kib']//1024} MiB, {cost['passes']} passes, {cost['lanes']} lanes",
             "0.75-1.25 s", "ok" if 0.75 <= unlock <= 1.25 else "MISS", len(cal_times)))
print_table()
PY
