#!/usr/bin/env bash
# Reporting benchmark: how long `touchstone check` takes to name thousands
# of problems in one file, at N and at 4N of each, so a cost that grows
# with the square of the problems shows as a ratio near 16 rather than 4.
# Pages:
#   anchors    N broken `#anchor` links, one per line (the output check
#              places each in the source)
#   one-line   N broken links on one line (the human format quotes lines)
#   directives N lines holding an unclosed `{{#` (include expansion)
#
#   bench/many_problems.sh [N]         default: 4000
#
# Environment:
#   TOUCHSTONE_BINS="base=/work/baseline/touchstone-ac00de2 new=target/release/touchstone"
#                                      binaries to compare, label=path
#   RUNS=3                             runs per figure (the median is shown)
set -euo pipefail
shopt -s inherit_errexit

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
N=${1:-4000}
RUNS=${RUNS:-3}
BINS=${TOUCHSTONE_BINS:-touchstone=$ROOT/target/release/touchstone}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# site KIND COUNT: a one-page site whose page holds COUNT problems of KIND.
site() {
  local dir="$WORK/$1-$2"
  mkdir -p "$dir/content"
  printf '[book]\ntitle = "Problems"\n' >"$dir/book.toml"
  python3 - "$1" "$2" >"$dir/content/index.md" <<'EOF'
import sys
kind, n = sys.argv[1], int(sys.argv[2])
print("# Home\n\n## Real\n")
if kind == "anchors":
    print("".join(f"[x{i}](#nope{i})\n\n" for i in range(n)))
elif kind == "one-line":
    print(" ".join(f"[x{i}](nope{i}.md)" for i in range(n)))
else:
    print("".join(f"Use {{{{#title x {i}\n" for i in range(n)))
EOF
  echo "$dir"
}

# median_ms BIN DIR: the median wall time of `check` (human format), in ms.
median_ms() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    "$1" check --root "$2" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

echo "load $(cut -d' ' -f1-3 /proc/loadavg); N=$N, $RUNS runs each, median ms"
printf '| page | binary | %s | %s | ratio |\n| --- | --- | ---: | ---: | ---: |\n' "$N" "$((4 * N))"
for kind in anchors one-line directives; do
  small=$(site "$kind" "$N")
  large=$(site "$kind" "$((4 * N))")
  for entry in $BINS; do
    label=${entry%%=*}
    bin=${entry#*=}
    a=$(median_ms "$bin" "$small")
    b=$(median_ms "$bin" "$large")
    printf '| %s | %s | %s | %s | %s |\n' "$kind" "$label" "$a" "$b" \
      "$(python3 -c "print(f'{$b / max($a, 1):.1f}')")"
  done
done
