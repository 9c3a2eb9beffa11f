# Sourced by the provisioning scripts: downloads Debian packages without root and without touching the machine's
# own apt configuration (a private sources list, private apt state, `apt-get download`).
#
#   debian_download WORKDIR "SOURCES LINES" PACKAGE...
#
# Leaves the .deb files in WORKDIR/deb; returns non-zero (apt's log on stderr) when apt fails. Needs apt-get,
# dpkg and Debian's archive keyring; check them with debian_download_possible first.

DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# Prints why packages cannot be downloaded here, or nothing when they can.
debian_download_impossible() {
  command -v apt-get >/dev/null 2>&1 || { echo "no apt-get"; return; }
  command -v dpkg-deb >/dev/null 2>&1 || { echo "no dpkg-deb"; return; }
  [[ -r "$DEBIAN_KEYRING" ]] || echo "no Debian archive keyring at $DEBIAN_KEYRING (apt-get install debian-archive-keyring)"
}

debian_download() {
  local work=$1 sources=$2
  shift 2
  local arch
  arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/deb"
  printf '%s\n' "$sources" >"$work/sources.list"
  local apt_opts=(
    -o "Dir::Etc::SourceList=$work/sources.list"
    -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$work/lists"
    -o "Dir::State::status=/dev/null"
    -o "Dir::Cache=$work/cache"
    -o "APT::Architecture=$arch"
    -o "APT::Sandbox::User=$(id -un)"
    -o "Debug::NoLocking=1"
  )
  apt-get "${apt_opts[@]}" -qq update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; return 1; }
  (cd "$work/deb" && apt-get "${apt_opts[@]}" -qq download "$@" >>"$work/apt.log" 2>&1) \
    || { cat "$work/apt.log" >&2; return 1; }
}
