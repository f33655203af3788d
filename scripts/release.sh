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

# Linux releases link glibc statically (crt-static), and Windows ones
# the C runtime: one binary for any distribution, and faster than one
# built for musl, whose memcpy is slower at the small copies a build
# makes (bench/README.md). macOS has no static libc: its binary links
# libSystem only. A static glibc has no dlsym for the random-number crate
# to find getrandom(2) by, and the crate would read /dev/urandom instead,
# which a bare chroot or sandbox lacks: it is told to call glibc's.
# RUSTFLAGS with --target reach the target's crates, not build scripts or
# proc macros, which must stay dynamic.
case $target in
  *-linux-gnu*) static="-C target-feature=+crt-static --cfg getrandom_backend=\"linux_getrandom\"" ;;
  *-windows-msvc) static="-C target-feature=+crt-static" ;;
  *) static="" ;;
esac

export CARGO_PROFILE_RELEASE_STRIP=symbols
# The whole program optimised as one unit: about 5% off a 10,000-page
# build (bench/README.md) for a minute more of compiling, which a release
# pays once and `cargo build --release` during development does not.
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
flags="${RUSTFLAGS:-} $static"

exe=touchstone
[[ $target == *windows* ]] && exe=touchstone.exe
target_dir=${CARGO_TARGET_DIR:-target}
bin=$target_dir/$target/release/$exe

# Profile-guided optimisation: a first build counts what its code does
# while it builds the sample playbook (content/), builds it again over
# that output (as an author rebuilds) and checks it; the release is then
# built laid out for what ran most: 2-9% off a 10,000-page build and
# 12-16% off the sample's (bench/README.md), for one more build. It needs
# rustup's llvm-tools and a first build this machine can run; without
# them the release is built as before, and says so.
# Prints the merged profile's path; says why on stderr if there is none.
measure_profile() {
  local tools profdata counts counting
  tools="$(rustc --print sysroot)/lib/rustlib/$host/bin"
  profdata=$tools/llvm-profdata
  [[ -x $profdata.exe ]] && profdata=$profdata.exe
  if [[ ! -x $profdata ]]; then
    echo "note: no llvm-profdata (rustup component add llvm-tools): built without a profile" >&2
    return 1
  fi
  mkdir -p "$target_dir"
  counts=$(cd "$target_dir" && pwd)/profile-$target
  # rustc on Windows reads a Windows path, not the shell's /d/... one.
  [[ $host == *windows* ]] && counts=$(cygpath -m "$counts")
  rm -rf "$counts"
  if ! RUSTFLAGS="$flags -Cprofile-generate=$counts/raw" \
    cargo build --release --locked --target "$target" --target-dir "$counts/build" >&2; then
    echo "note: $target cannot be built to count: built without a profile" >&2
    return 1
  fi
  counting=$counts/build/$target/release/$exe
  if ! "$counting" --version >/dev/null 2>&1; then
    echo "note: $target does not run on $host: built without a profile" >&2
    return 1
  fi
  # Each run writes its counts as it exits, where LLVM_PROFILE_FILE says
  # (a build ends at once otherwise, without them); runs that left none
  # are told here rather than found later as a slow release.
  local runs=$counts/raw/runs
  if ! { LLVM_PROFILE_FILE=$runs-%m.profraw "$counting" build --output "$counts/site" &&
    LLVM_PROFILE_FILE=$runs-%m.profraw "$counting" build --output "$counts/site" &&
    LLVM_PROFILE_FILE=$runs-%m.profraw "$counting" check --strict &&
    compgen -G "$runs-*.profraw" >/dev/null &&
    "$profdata" merge -o "$counts/merged.profdata" "$counts/raw"; } >&2; then
    echo "note: the sample playbook could not be counted: built without a profile" >&2
    return 1
  fi
  echo "$counts/merged.profdata"
}
if profile=$(measure_profile); then
  flags="$flags -Cprofile-use=$profile"
fi
RUSTFLAGS="$flags" cargo build --release --locked --target "$target"

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
