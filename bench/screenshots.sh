#!/usr/bin/env bash
# Screenshots of the sample playbook's key pages in headless Chromium, at
# desktop and phone widths, for a person to look at.
#
#   bench/screenshots.sh [OUT_DIR]      default: /tmp/touchstone-shots
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-/tmp/touchstone-shots}
SITE=$OUT/site
mkdir -p "$OUT"
command -v chromium >/dev/null || { echo "needs Debian's chromium (apt-get install chromium)" >&2; exit 1; }

(cd "$ROOT" && cargo build --release --quiet)
"$ROOT/target/release/touchstone" build --root "$ROOT" --output "$SITE"

shoot() { # NAME PATH WIDTH HEIGHT
  local profile
  profile=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$profile" --window-size="$3,$4" \
    --screenshot="$OUT/$1.png" "file://$SITE/$2index.html" 2>/dev/null
  rm -rf "$profile"
  echo "$OUT/$1.png"
}

for page in "home:" "journey:journey/" "accountability:accountability/" "health:health/" \
            "role:roles/delivery-driver/" "onboarding:roles/delivery-driver/onboarding/" \
            "standard:standards/tell-us-once/" "persona:personas/juggling-parent/" \
            "moment:journey/core/delivery-day/"; do
  name=${page%%:*}
  path=${page#*:}
  shoot "desktop-$name" "$path" 1280 2000
  shoot "narrow-$name" "$path" 500 1600
done
