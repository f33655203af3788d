#!/usr/bin/env bash
# Search benchmark: what the index costs at build time and what the first
# query of a visit downloads, for one or more Touchstone binaries and for
# Pagefind on the same built site, in one run. See bench/README.md.
#
#   bench/search.sh [PAGES...]     default: 10000
#
# Environment:
#   TOUCHSTONE_BINS="base=/work/baseline/touchstone-9134378 new=target/release/touchstone"
#                                  binaries to compare, label=path
#                                  (default: touchstone=target/release/touchstone)
#   PAGEFIND=1                     run Pagefind on the first binary's site (0: skip)
#   PAGEFIND_MAX_PAGES=100000      skip Pagefind above this many pages
#   TOOLS_DIR=../tools             where `npm install pagefind` goes when missing
#   RUNS=3                         builds per binary, with and without search
#   TMPFS=/dev/shm/tb              corpora in N/, built sites in out-search-*
#   SHARED=../shared               where bench/gen_site.py lives
set -euo pipefail
shopt -s inherit_errexit

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
SHARED=${SHARED:-$ROOT/../shared}
TMPFS=${TMPFS:-/dev/shm/tb}
TOOLS_DIR=${TOOLS_DIR:-$(dirname "$ROOT")/tools}
TOUCHSTONE_BINS=${TOUCHSTONE_BINS:-touchstone=$ROOT/target/release/touchstone}
PAGEFIND=${PAGEFIND:-1}
PAGEFIND_MAX_PAGES=${PAGEFIND_MAX_PAGES:-100000}
RUNS=${RUNS:-3}
RESULTS=$BENCH_DIR/results/search-$(date +%F).jsonl
QUERY_RESULTS=$BENCH_DIR/results/search-queries-$(date +%F).jsonl

mkdir -p "$(dirname "$RESULTS")"

PAGES=("$@")
[[ ${#PAGES[@]} -gt 0 ]] || PAGES=(10000)

log() { printf '%s\n' "$*" >&2; }
die() { log "search.sh: $*"; exit 1; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
median_of() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

declare -A BIN
LABELS=()
for pair in $TOUCHSTONE_BINS; do
  [[ $pair == *=* ]] || die "TOUCHSTONE_BINS entries are label=path, got '$pair'"
  label=${pair%%=*} path=${pair#*=}
  [[ $path == /* ]] || path=$ROOT/$path
  [[ -x $path ]] || die "no Touchstone binary at $path ($label)"
  BIN[$label]=$path
  LABELS+=("$label")
done

python3 -c "import selenium" 2>/dev/null || python3 -m pip install --quiet selenium
[[ -x /usr/bin/time ]] || die "need /usr/bin/time (apt-get install time)"

pagefind_bin() {
  local dir=$TOOLS_DIR/node_modules/@pagefind/linux-x64/bin
  if [[ ! -d $dir ]]; then
    log "installing pagefind into $TOOLS_DIR"
    { mkdir -p "$TOOLS_DIR" && npm install --silent --prefix "$TOOLS_DIR" pagefind >&2; } || die "npm install pagefind failed"
  fi
  # The npm package's runner execs this binary; call it directly so Node's
  # start-up is not billed to Pagefind.
  local bin
  for bin in "$dir/pagefind" "$dir/pagefind_extended"; do
    [[ -x $bin ]] && { echo "$bin"; return; }
  done
  die "no pagefind binary in $dir"
}

corpus() { # N: prints the corpus folder, generating it when missing
  local dir=$TMPFS/$1
  if [[ ! -f $dir/.generated ]]; then
    log "generating $1 pages into $dir"
    python3 "$SHARED/bench/gen_site.py" "$dir" --pages "$1" --layout all >&2
    touch "$dir/.generated"
  fi
  echo "$dir"
}

# One timed run: prints "MILLISECONDS PEAK_RSS_MB CPU_MS" (CPU: user +
# system over all threads, steadier than wall time on a loaded machine); the
# command's stderr
# goes to the file named by $ERR.
timed() {
  local t0 t1 stats=$TMPFS/.search-time
  t0=${EPOCHREALTIME/./}
  /usr/bin/time -f '%M %U %S' -o "$stats" "$@" >/dev/null 2>"$ERR" || { cat "$ERR" >&2; die "failed: $*"; }
  t1=${EPOCHREALTIME/./}
  echo "$(((t1 - t0) / 1000)) $(tail -1 "$stats" | awk '{printf "%d %d", $1 / 1024, ($2 + $3) * 1000}')"
}

# Builds with and without search, RUNS each, alternating; prints a summary
# line and sets INDEX_* for the JSON record.
build_index() { # LABEL SITE OUT
  local label=$1 site=$2 out=$3 plain=$2-nosearch ms mb stage
  local -a with=() without=() stages=() rss_with=() rss_without=() cpus=()
  rm -rf "$plain" && cp -r "$site" "$plain"
  printf '\n[search]\nenabled = false\n' >>"$plain/book.toml"
  ERR=$TMPFS/.search-err
  for ((i = 0; i < RUNS; i++)); do
    rm -rf "$out"
    read -r ms mb cpu < <(timed "${BIN[$label]}" build --root "$site" --output "$out" --timings)
    with+=("$ms") rss_with+=("$mb") cpus+=("$cpu")
    stage=$(awk '$1 == "search:" {print $2}' "$ERR")
    stages+=("${stage:-0}")
    rm -rf "$out-plain"
    read -r ms mb _ < <(timed "${BIN[$label]}" build --root "$plain" --output "$out-plain")
    without+=("$ms") rss_without+=("$mb")
  done
  rm -rf "$out-plain" "$plain"
  INDEX_MS=$(printf '%s\n' "${stages[@]}" | median_of)
  INDEX_BUILD_MS=$(printf '%s\n' "${with[@]}" | median_of)
  INDEX_CPU_MS=$(printf '%s\n' "${cpus[@]}" | median_of)
  INDEX_PLAIN_MS=$(printf '%s\n' "${without[@]}" | median_of)
  INDEX_RSS=$(printf '%s\n' "${rss_with[@]}" | sort -n | tail -1)
  INDEX_PLAIN_RSS=$(printf '%s\n' "${rss_without[@]}" | sort -n | tail -1)
  INDEX_FILES=$(find "$out/search" -type f | wc -l)
  INDEX_BYTES=$(du -sb "$out/search" | cut -f1)
}

for n in "${PAGES[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "page count must be a positive number: '$n'"
  dir=$(corpus "$n")
  queries=$dir/queries.json
  python3 "$BENCH_DIR/query_set.py" "$dir/touchstone" --json >"$queries"
  log ""
  log "== $n pages ($(nproc) cores, load $(load_avg)); query set:"
  python3 "$BENCH_DIR/query_set.py" "$dir/touchstone" | sed 's/^/   /' >&2
  run=$dir/search-run.jsonl  # this run's per-query rows, for the side-by-side table
  rm -f "$run"
  declare -A SUMMARY=()
  for label in "${LABELS[@]}"; do
    out=$TMPFS/out-search-$label-$n
    build_index "$label" "$dir/touchstone" "$out"
    SUMMARY[$label]=$(printf '%-12s %8s %8s %8s %10s %9s %12s %8s %10s' "$label" \
      "$INDEX_MS" "$INDEX_BUILD_MS" "$INDEX_CPU_MS" "$INDEX_PLAIN_MS" "$INDEX_RSS" "$INDEX_PLAIN_RSS" "$INDEX_FILES" "$((INDEX_BYTES / 1024))")
    printf '{"date":"%s","pages":%d,"engine":"%s","binary":"%s","index_ms":%d,"build_ms":%d,"build_cpu_ms":%d,"build_without_search_ms":%d,"peak_rss_mb":%d,"peak_rss_without_search_mb":%d,"index_files":%d,"index_bytes":%d,"load":"%s"}\n' \
      "$(date -u +%FT%TZ)" "$n" "$label" "${BIN[$label]}" "$INDEX_MS" "$INDEX_BUILD_MS" "$INDEX_CPU_MS" "$INDEX_PLAIN_MS" "$INDEX_RSS" "$INDEX_PLAIN_RSS" \
      "$INDEX_FILES" "$INDEX_BYTES" "$(load_avg)" >>"$RESULTS"
    python3 "$BENCH_DIR/search_bytes.py" "$out" --label "$label" --queries "$queries" --json "$run"
  done
  first_out=$TMPFS/out-search-${LABELS[0]}-$n
  if [[ $PAGEFIND == 1 ]] && ((n > PAGEFIND_MAX_PAGES)); then
    log "pagefind skipped at $n pages: above PAGEFIND_MAX_PAGES=$PAGEFIND_MAX_PAGES"
  elif [[ $PAGEFIND == 1 ]]; then
    pf=$(pagefind_bin)
    rm -rf "$first_out/pagefind"
    ERR=$TMPFS/.search-err
    log "\$ $pf --site $first_out   (on ${LABELS[0]}'s site; load $(load_avg))"
    read -r ms mb cpu < <(timed "$pf" --site "$first_out")
    files=$(find "$first_out/pagefind" -type f | wc -l)
    bytes=$(du -sb "$first_out/pagefind" | cut -f1)
    SUMMARY[pagefind]=$(printf '%-12s %8s %8s %8s %10s %9s %12s %8s %10s' pagefind "$ms" - "$cpu" - "$mb" - "$files" "$((bytes / 1024))")
    printf '{"date":"%s","pages":%d,"engine":"pagefind","version":"%s","index_ms":%d,"cpu_ms":%d,"peak_rss_mb":%d,"index_files":%d,"index_bytes":%d,"load":"%s"}\n' \
      "$(date -u +%FT%TZ)" "$n" "$("$pf" --version | awk '{print $2}')" "$ms" "$cpu" "$mb" "$files" "$bytes" "$(load_avg)" >>"$RESULTS"
    python3 "$BENCH_DIR/search_bytes.py" "$first_out" --engine pagefind --queries "$queries" --json "$run"
  fi
  echo
  echo "== $n pages: index cost (ms, MB; Touchstone's index time is its search stage, median of $RUNS builds;"
  echo "   cpu_ms: CPU of Touchstone's whole build, of Pagefind's indexing)"
  printf '%-12s %8s %8s %8s %10s %9s %12s %8s %10s\n' engine index_ms build_ms cpu_ms no_search peak_MB no_search_MB files KB
  for label in "${LABELS[@]}" pagefind; do
    [[ -n ${SUMMARY[$label]:-} ]] && echo "${SUMMARY[$label]}"
  done
  echo "load at end: $(load_avg)"
  echo
  echo "== $n pages: first query of a visit, per query (KB = 1024 bytes)"
  python3 "$BENCH_DIR/search_table.py" "$run"
  cat "$run" >>"$QUERY_RESULTS"
  unset SUMMARY
done
log "results appended to $RESULTS and $QUERY_RESULTS"
