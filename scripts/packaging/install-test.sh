#!/usr/bin/env bash
# Installs a vpnaas .deb into a clean Debian 12 (bookworm) root, the way a user
# would: `dpkg -i`, then `apt-get -f install` pulls in whatever its Depends
# (derived by dpkg-shlibdeps) name. If those were wrong, the binary would not
# start. Then, as an unprivileged user, runs `vpnaas --version` and `vpnaas
# mesh generate` / `mesh check` on the bundled inventory, and checks the man
# page and the bash completion.
# Usage: scripts/packaging/install-test.sh build/release/vpnaas_<version>_<arch>.deb
#
# The root is made once by `debootstrap --variant=minbase` (minutes) and kept as
# a tarball in ${XDG_CACHE_HOME:-~/.cache}/vpnaas/debian-root/, outside the
# clone, so that CI runs on fresh clones reuse it; each run unpacks a fresh copy
# (seconds) and removes it afterwards. Downloaded packages are kept there too.
# Delete the folder to start over (VPNAAS_DEBIAN_ROOT_CACHE overrides it). Environment: VPNAAS_DEBIAN_MIRROR (default
# http://deb.debian.org/debian), VPNAAS_DEBIAN_SECURITY_MIRROR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

[ $# -eq 1 ] && [ -f "$1" ] || { log "usage: $0 PACKAGE.deb"; exit 2; }
deb=$(realpath "$1")
if [ "$(id -u)" -ne 0 ]; then
  # debootstrap, chroot and mounts need root.
  command -v sudo >/dev/null || { log "vpnaas: the install test needs root or sudo"; exit 4; }
  VPNAAS_DEBIAN_ROOT_CACHE=${VPNAAS_DEBIAN_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vpnaas/debian-root} \
    exec sudo --preserve-env=VPNAAS_DEBIAN_MIRROR,VPNAAS_DEBIAN_SECURITY_MIRROR,VPNAAS_DEBIAN_ROOT_CACHE \
    "$0" "$deb"
fi
ensure_packages debootstrap

mirror=${VPNAAS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${VPNAAS_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
cache=${VPNAAS_DEBIAN_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vpnaas/debian-root}
base=$cache/bookworm-minbase.tar
mkdir -p "$cache/archives"

# Runs a command chrooted into $1, in its own mount and PID namespaces so the
# mounts vanish with it; the package cache is shared between runs.
in_root() {
  local dir=$1
  shift
  unshare --mount --pid --fork --mount-proc="$dir/proc" \
    bash -c 'mount --bind "$1" "$2/var/cache/apt/archives" && shift 2 && exec chroot "$@"' \
    in_root "$cache/archives" "$dir" "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

make_base() {
  local dir=$cache/base.tmp
  rm -rf --one-file-system "$dir"
  log "vpnaas: debootstrap --variant=minbase bookworm from $mirror (once; cached in $base)"
  local start=$SECONDS
  debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log" >&2; return 1; }
  # The suites of a Debian 12 installation, so Depends resolve as they would
  # for a user with security updates.
  cat >"$dir/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
SOURCES
  rm -f "$dir"/var/cache/apt/archives/*.deb
  tar -C "$dir" -cf "$base.tmp" .
  mv "$base.tmp" "$base"
  rm -rf --one-file-system "$dir"
  log "vpnaas: clean root made in $((SECONDS - start))s"
}

[ -f "$base" ] || make_base

root=$(mktemp -d "$cache/run.XXXXXX")
trap 'rm -rf --one-file-system "$root"' EXIT
tar -C "$root" -xf "$base"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/vpnaas.deb"
cp "$VPNAAS_ROOT/scripts/packaging/in-root-test.sh" "$root/tmp/in-root-test.sh"

log "vpnaas: package Depends (from dpkg-shlibdeps): $(dpkg-deb -f "$deb" Depends)"
# The root has no zsh; its completion is at least parsed here.
ensure_packages zsh
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/zsh/vendor-completions/_vpnaas >"$root/tmp/_vpnaas"
zsh -n "$root/tmp/_vpnaas" || { log "vpnaas: the zsh completion does not parse"; exit 1; }
start=$SECONDS
in_root "$root" bash /tmp/in-root-test.sh /tmp/vpnaas.deb
log "vpnaas: install test passed in $((SECONDS - start))s"
