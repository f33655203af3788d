#!/usr/bin/env bash
# Installs a released touchstone binary on a CI runner: picks the build for
# the runner's OS and architecture, verifies the archive's SHA-256 against
# the checksum published beside it, unpacks it and puts it on the PATH.
# The GitHub Action (action.yml) runs this in two steps around its cache:
#
#   action-install.sh resolve   writes version, target and dir to $GITHUB_OUTPUT
#   action-install.sh install   downloads unless cached, verifies, unpacks
#
# Settings (environment): TOUCHSTONE_VERSION (a tag such as v0.1.0, or
# "latest"; empty: the tag this action is pinned to, else latest),
# TOUCHSTONE_REPOSITORY (owner/name holding the releases; empty: this
# action's repository), TOUCHSTONE_DOWNLOAD_URL (a folder holding the release
# files, e.g. an internal mirror; overrides the two before).
set -euo pipefail

fail() {
  echo "::error title=touchstone install::$1" >&2
  exit 1
}

# The release asset built for this runner (see scripts/release.sh).
target_for_runner() {
  local os=${RUNNER_OS:-$(uname -s)} arch=${RUNNER_ARCH:-$(uname -m)}
  case "$os/$arch" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-gnu ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-gnu ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) fail "no prebuilt touchstone for $os $arch; build it with 'cargo install --locked --path .'" ;;
  esac
}

# An action checked out by the runner lives in _actions/OWNER/NAME/REF.
action_checkout() {
  local path=${GITHUB_ACTION_PATH:-}
  path=${path//\\//}
  [[ $path =~ /_actions/([^/]+)/([^/]+)/([^/]+)$ ]] || return 1
  echo "${BASH_REMATCH[1]}/${BASH_REMATCH[2]} ${BASH_REMATCH[3]}"
}

resolve() {
  local version=${TOUCHSTONE_VERSION:-} pinned_repo="" pinned_ref="" target
  if checkout=$(action_checkout); then
    read -r pinned_repo pinned_ref <<<"$checkout"
  fi
  if [[ -z $version ]]; then
    version=latest
    [[ $pinned_ref =~ ^v[0-9]+(\.[0-9]+)*$ ]] && version=$pinned_ref
  fi
  target=$(target_for_runner)
  {
    echo "version=$version"
    echo "target=$target"
    echo "dir=${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/touchstone/$version/$target"
    echo "repository=${TOUCHSTONE_REPOSITORY:-$pinned_repo}"
  } >>"${GITHUB_OUTPUT:-/dev/stdout}"
}

sha256_of() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

download_base() {
  local version=$1 repository=$2
  if [[ -n ${TOUCHSTONE_DOWNLOAD_URL:-} ]]; then
    echo "${TOUCHSTONE_DOWNLOAD_URL%/}"
  elif [[ -z $repository ]]; then
    fail "which repository holds the touchstone releases? Set the action's 'repository' or 'download-url' input"
  elif [[ $version == latest ]]; then
    echo "${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/latest/download"
  else
    echo "${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download/$version"
  fi
}

# Usage: install VERSION TARGET DIR [REPOSITORY]
install() {
  local version=$1 target=$2 dir=$3 repository=${4:-} archive expected actual exe=touchstone
  [[ $target == *windows* ]] && archive=touchstone-$target.zip || archive=touchstone-$target.tar.gz
  [[ $target == *windows* ]] && exe=touchstone.exe
  mkdir -p "$dir"
  # A cached archive is verified like a fresh one, so the cache is no way round the check.
  if [[ ! -f $dir/$archive || ! -f $dir/$archive.sha256 ]]; then
    local base
    base=$(download_base "$version" "$repository")
    echo "downloading $base/$archive"
    curl -fsSL --retry 3 -o "$dir/$archive" "$base/$archive" || fail "cannot download $base/$archive"
    curl -fsSL --retry 3 -o "$dir/$archive.sha256" "$base/$archive.sha256" || fail "cannot download $base/$archive.sha256"
  fi
  expected=$(cut -d' ' -f1 "$dir/$archive.sha256")
  actual=$(sha256_of "$dir/$archive")
  if [[ $expected != "$actual" ]]; then
    rm -f "$dir/$archive" "$dir/$archive.sha256"
    fail "checksum mismatch for $archive: expected $expected, got $actual; nothing installed"
  fi
  echo "$archive: sha256 $actual verified"
  mkdir -p "$dir/bin"
  if [[ $archive == *.zip ]]; then
    7z x -y -bd -o"$dir/bin" "$dir/$archive" "$exe" >/dev/null
  else
    tar -xzf "$dir/$archive" -C "$dir/bin" "$exe"
  fi
  if [[ -n ${GITHUB_PATH:-} ]]; then
    if [[ ${RUNNER_OS:-} == Windows ]]; then cygpath -w "$dir/bin"; else echo "$dir/bin"; fi >>"$GITHUB_PATH"
  fi
  "$dir/bin/$exe" --version
}

case ${1:-} in
  resolve) resolve ;;
  install) shift && install "$@" ;;
  *) fail "usage: $0 resolve | install VERSION TARGET DIR [REPOSITORY]" ;;
esac
