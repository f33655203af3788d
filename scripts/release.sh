#!/usr/bin/env bash
# Builds the touchstone binary for one target the way a release ships it
# (static where the platform allows, symbols stripped), packs it and writes
# its SHA-256 checksum. The release workflow runs this on every platform;
# run it by hand to get the same binary for this machine.
#
#   scripts/release.sh [TARGET] [OUT_DIR]     (defaults: this machine, dist/)
#
# Writes OUT_DIR/touchstone-TARGET.tar.gz (.zip for Windows) and a .sha256
# file beside it in `sha256sum` format.
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(rustc -vV | sed -n 's/^host: //p')
target=${1:-$host}
out=${2:-dist}

# musl links statically by itself; glibc and the Windows C runtime need
# crt-static. macOS has no static libc: its binary links libSystem only.
# RUSTFLAGS with --target reach the target's crates, not build scripts or
# proc macros, which must stay dynamic.
case $target in
  *-linux-gnu* | *-windows-msvc) static="-C target-feature=+crt-static" ;;
  *) static="" ;;
esac

export CARGO_PROFILE_RELEASE_STRIP=symbols
# The whole program optimised as one unit: about 5% off a 10,000-page
# build (bench/README.md) for a minute more of compiling, which a release
# pays once and `cargo build --release` during development does not.
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
RUSTFLAGS="${RUSTFLAGS:-} $static" cargo build --release --locked --target "$target"

exe=touchstone
[[ $target == *windows* ]] && exe=touchstone.exe
bin=${CARGO_TARGET_DIR:-target}/$target/release/$exe

# Run the binary when this machine can: the release's own smoke test.
if "$bin" --version >/dev/null 2>&1; then
  "$bin" --version
  "$bin" check --strict
else
  echo "note: $target does not run on $host; not smoke-tested" >&2
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$bin" README.md "$stage/"
if [[ $target == *windows* ]]; then
  archive=touchstone-$target.zip
  rm -f "$out/$archive"
  (cd "$stage" && 7z a -tzip -bd "$out/$archive" "$exe" README.md >/dev/null)
else
  archive=touchstone-$target.tar.gz
  tar -czf "$out/$archive" -C "$stage" "$exe" README.md
fi

# One checksum file per archive, verifiable with `sha256sum -c`.
if command -v sha256sum >/dev/null; then
  (cd "$out" && sha256sum "$archive" >"$archive.sha256")
else
  (cd "$out" && shasum -a 256 "$archive" >"$archive.sha256")
fi

echo "$bin: $(wc -c <"$bin") bytes"
echo "$out/$archive: $(cut -d' ' -f1 "$out/$archive.sha256")"
