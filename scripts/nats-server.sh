#!/usr/bin/env bash
# Finds or provisions a nats-server binary that is new enough for natsmigrate and prints its path.
#
#   scripts/nats-server.sh            # nats-server >= 2.12 (what the project needs)
#   scripts/nats-server.sh --legacy   # Debian bookworm's nats-server 2.9.10, for "server too old" tests
#
# Order (same as the testkit's NatsServerBinary): $NATS_SERVER_BIN, `nats-server` on PATH, the cache
# under ${NATSMIGRATE_CACHE:-$HOME/.cache/natsmigrate}, and finally, on Debian/Ubuntu, a download of
# the Debian-packaged server without root (private apt state, `apt-get download`, `dpkg-deb -x`).
# Idempotent: once provisioned it only runs `nats-server --version`.
set -euo pipefail

MIN_MAJOR=2
MIN_MINOR=12
SUITE=unstable
KIND=current
if [[ "${1:-}" == "--legacy" ]]; then
  SUITE=bookworm
  KIND=legacy
elif [[ -n "${1:-}" ]]; then
  echo "usage: $0 [--legacy]" >&2
  exit 2
fi

CACHE_ROOT="${NATSMIGRATE_CACHE:-$HOME/.cache/natsmigrate}"
CACHE_DIR="$CACHE_ROOT/nats-server-$KIND"
CACHED_BIN="$CACHE_DIR/nats-server"

log() { echo "nats-server.sh: $*" >&2; }

# Prints "MAJOR MINOR" of a binary, or nothing when it does not run.
version_of() {
  "$1" --version 2>/dev/null | sed -nE 's/.*v([0-9]+)\.([0-9]+)\.[0-9]+.*/\1 \2/p' | head -n 1
}

new_enough() {
  local v major minor
  v=$(version_of "$1") || return 1
  [[ -n "$v" ]] || return 1
  read -r major minor <<<"$v"
  (( major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR) ))
}

usable() {
  [[ -x "$1" ]] || return 1
  if [[ "$KIND" == legacy ]]; then
    [[ -n "$(version_of "$1")" ]]
  else
    new_enough "$1"
  fi
}

if [[ "$KIND" == current ]]; then
  if [[ -n "${NATS_SERVER_BIN:-}" ]]; then
    if usable "$NATS_SERVER_BIN"; then echo "$NATS_SERVER_BIN"; exit 0; fi
    log "ignoring NATS_SERVER_BIN=$NATS_SERVER_BIN: not an executable nats-server >= $MIN_MAJOR.$MIN_MINOR"
  fi
  if on_path=$(command -v nats-server 2>/dev/null) && usable "$on_path"; then
    echo "$on_path"; exit 0
  fi
fi

if usable "$CACHED_BIN"; then echo "$CACHED_BIN"; exit 0; fi

fail_with_help() {
  cat >&2 <<MSG
nats-server.sh: no nats-server >= $MIN_MAJOR.$MIN_MINOR found and it could not be provisioned here ($1).
Install one, then run again (or point NATS_SERVER_BIN at it):
  macOS:            brew install nats-server
  with Go:          go install github.com/nats-io/nats-server/v2@latest   (then add \$(go env GOPATH)/bin to PATH)
  any OS:           download a release archive from https://github.com/nats-io/nats-server/releases,
                    unpack it and export NATS_SERVER_BIN=/path/to/nats-server
  Debian/Ubuntu:    this script fetches Debian's package itself; it needs apt-get and dpkg-deb.
MSG
  exit 1
}

# shellcheck source=debian-download.sh
source "${BASH_SOURCE[0]%/*}/debian-download.sh"
why=$(debian_download_impossible)
[[ -z "$why" ]] || fail_with_help "$why"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
log "provisioning nats-server from Debian $SUITE into $CACHE_DIR"
debian_download "$WORK" "deb [signed-by=$DEBIAN_KEYRING] http://deb.debian.org/debian $SUITE main" nats-server \
  || fail_with_help "apt-get could not download nats-server from Debian $SUITE"
DEB=$(ls "$WORK"/deb/nats-server_*.deb)
dpkg-deb -x "$DEB" "$WORK/x"
FOUND=$(find "$WORK/x" -type f -name nats-server -perm -u+x | head -n 1)
[[ -n "$FOUND" ]] || fail_with_help "the package $(basename "$DEB") holds no nats-server binary"
mkdir -p "$CACHE_DIR"
# Install atomically so a concurrent run never sees a half-written binary.
cp "$FOUND" "$CACHE_DIR/.nats-server.$$"
mv -f "$CACHE_DIR/.nats-server.$$" "$CACHED_BIN"
usable "$CACHED_BIN" || fail_with_help "the provisioned binary $CACHED_BIN does not run or is too old: $("$CACHED_BIN" --version 2>&1 || true)"
log "provisioned $("$CACHED_BIN" --version) at $CACHED_BIN"
echo "$CACHED_BIN"
