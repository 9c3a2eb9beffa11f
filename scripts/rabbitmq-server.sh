#!/usr/bin/env bash
# Provisions RabbitMQ (Debian bookworm's rabbitmq-server 3.10 with its Erlang 25 runtime) without root and prints
# the directory the testkit's RabbitMqBroker runs it from (it holds usr/lib/rabbitmq and usr/lib/erlang).
#
#   scripts/rabbitmq-server.sh
#
# Order (same as the testkit's RabbitMqInstallation): $NATSMIGRATE_RABBITMQ_ROOT, then the cache under
# ${NATSMIGRATE_CACHE:-$HOME/.cache/natsmigrate}/rabbitmq-server, and finally, on Debian/Ubuntu, a download:
# private apt state, `apt-get download` of rabbitmq-server and the erlang-* packages it needs (about 34 MB),
# `dpkg-deb -x` into the cache, and the `erl` launcher's hard-coded ROOTDIR pointed at the extracted tree.
# Idempotent: once provisioned it only checks the marker file.
set -euo pipefail

CACHE_ROOT="${NATSMIGRATE_CACHE:-$HOME/.cache/natsmigrate}"
ROOT="$CACHE_ROOT/rabbitmq-server"
MARKER=".natsmigrate-complete"
SUITE=bookworm
PACKAGES=(rabbitmq-server erlang-asn1 erlang-base erlang-crypto erlang-eldap erlang-ftp erlang-inets
  erlang-mnesia erlang-os-mon erlang-parsetools erlang-public-key erlang-runtime-tools erlang-snmp erlang-ssl
  erlang-syntax-tools erlang-tftp erlang-tools erlang-xmerl)

log() { echo "rabbitmq-server.sh: $*" >&2; }

if [[ -n "${NATSMIGRATE_RABBITMQ_ROOT:-}" ]]; then
  if [[ -f "$NATSMIGRATE_RABBITMQ_ROOT/$MARKER" ]]; then echo "$NATSMIGRATE_RABBITMQ_ROOT"; exit 0; fi
  log "ignoring NATSMIGRATE_RABBITMQ_ROOT=$NATSMIGRATE_RABBITMQ_ROOT: not provisioned by this script"
fi
if [[ -f "$ROOT/$MARKER" ]]; then echo "$ROOT"; exit 0; fi

fail_with_help() {
  cat >&2 <<MSG
rabbitmq-server.sh: RabbitMQ could not be provisioned here ($1).
The RabbitMQ tests need a rabbitmq-server 3.10+ extracted the way this script does it (Debian/Ubuntu with
apt-get and dpkg-deb). Elsewhere, run them on Debian/Ubuntu or in CI; the rest of the build does not need it.
MSG
  exit 1
}

# shellcheck source=debian-download.sh
source "${BASH_SOURCE[0]%/*}/debian-download.sh"
why=$(debian_download_impossible)
[[ -z "$why" ]] || fail_with_help "$why"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/root"
log "provisioning RabbitMQ from Debian $SUITE into $ROOT"
debian_download "$WORK" "deb [signed-by=$DEBIAN_KEYRING] http://deb.debian.org/debian $SUITE main
deb [signed-by=$DEBIAN_KEYRING] http://deb.debian.org/debian-security $SUITE-security main" "${PACKAGES[@]}" \
  || fail_with_help "apt-get could not download rabbitmq-server and Erlang from Debian $SUITE"
for deb in "$WORK"/deb/*.deb; do dpkg-deb -x "$deb" "$WORK/root"; done
ERL_ROOT="$ROOT/usr/lib/erlang"
[[ -x "$WORK/root/usr/lib/erlang/bin/erl" ]] || fail_with_help "the Erlang packages hold no bin/erl"
# The launchers hard-code ROOTDIR=/usr/lib/erlang; point them at the tree's final place.
for launcher in "$WORK"/root/usr/lib/erlang/bin/erl "$WORK"/root/usr/lib/erlang/erts-*/bin/erl; do
  [[ -f "$launcher" ]] && sed -i "s#ROOTDIR=/usr/lib/erlang#ROOTDIR=$ERL_ROOT#" "$launcher"
done
rm -rf "$ROOT.tmp.$$"
mkdir -p "$CACHE_ROOT"
mv "$WORK/root" "$ROOT.tmp.$$"
touch "$ROOT.tmp.$$/$MARKER"
rm -rf "$ROOT"
mv "$ROOT.tmp.$$" "$ROOT"
log "provisioned $(ls "$ROOT/usr/lib/rabbitmq/lib") at $ROOT"
echo "$ROOT"
