#!/usr/bin/env bash
# Search benchmark: what the index costs at build time, and what a query
# downloads, on the 1,000- and 10,000-page synthetic playbooks.
#
#   bench/search.sh [PAGES...]     default: 1000 10000
#
# For each size: the median of 3 builds with [search] enabled and disabled
# (the index's share of the build), the index's files and bytes, then
# bench/search_bytes.py in headless Chromium for bytes per query.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
SHARED=${SHARED:-$ROOT/../shared}
CORPUS=${CORPUS:-/tmp/touchstone-bench}
BIN=$ROOT/target/release/touchstone
PAGES=("$@")
[[ ${#PAGES[@]} -gt 0 ]] || PAGES=(1000 10000)

python3 -c "import selenium" 2>/dev/null || python3 -m pip install --quiet selenium
(cd "$ROOT" && cargo build --release --quiet)

median_build_ms() { # SITE OUT
  local times=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s%N)
    "$BIN" build --root "$1" --output "$2" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

for n in "${PAGES[@]}"; do
  site=$CORPUS/$n/touchstone
  [[ -d $site ]] || python3 "$SHARED/bench/gen_site.py" "$CORPUS/$n" --pages "$n" --layout touchstone >/dev/null
  plain=$CORPUS/$n/touchstone-nosearch
  rm -rf "$plain" && cp -r "$site" "$plain"
  printf '\n[search]\nenabled = false\n' >> "$plain/book.toml"
  with=$(median_build_ms "$site" "$CORPUS/out-search-$n")
  without=$(median_build_ms "$plain" "$CORPUS/out-nosearch-$n")
  files=$(find "$CORPUS/out-search-$n/search" -type f | wc -l)
  bytes=$(du -sb "$CORPUS/out-search-$n/search" | cut -f1)
  largest=$(find "$CORPUS/out-search-$n/search" -type f -printf '%s\n' | sort -n | tail -1)
  echo "== $n pages: build ${with} ms with search, ${without} ms without: index adds $(( (with - without) * 100 / without ))%"
  echo "   index: $files files, $((bytes / 1024)) KB in all, largest file $((largest / 1024)) KB"
  python3 "$BENCH_DIR/search_bytes.py" "$CORPUS/out-search-$n" | grep -v '^{'
done
