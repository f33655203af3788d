#!/usr/bin/env bash
# Pictures of every page kind of the sample playbook, for a person to look
# at: 1280x900 and 390x844 (a phone, touch), light and dark, the printed
# onboarding path, role, journey and matrix, and each page's height
# (heights.tsv). The work is done by screenshots.py (chromedriver).
#
#   bench/screenshots.sh [OUT_DIR]      default: /tmp/touchstone-shots
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-/tmp/touchstone-shots}
SITE=$OUT/site
mkdir -p "$OUT"
command -v chromium >/dev/null || { echo "needs Debian's chromium (apt-get install chromium)" >&2; exit 1; }
command -v chromedriver >/dev/null || { echo "needs Debian's chromium-driver" >&2; exit 1; }

# The debug build is enough for pictures (and builds in a fraction of the time).
(cd "$ROOT" && cargo build --quiet)
"$ROOT/target/debug/touchstone" build --root "$ROOT" --output "$SITE"
python3 "$ROOT/bench/screenshots.py" "$SITE" "$OUT"
