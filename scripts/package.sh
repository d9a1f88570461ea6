#!/usr/bin/env bash
# Builds the release tree and makes the Debian package from it with
# `cpack -G DEB`; prints the package's path on stdout.
# Usage: ./scripts/package.sh [--test]   (--test: then install it into a clean
#        Debian 12 root and run it there, scripts/packaging/install-test.sh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ensure_packages "${VPNAAS_BUILD_PACKAGES[@]}" "${VPNAAS_PACKAGE_PACKAGES[@]}"
# The tree ./scripts/vpnaas builds and runs, so the package holds the binary
# people try; the /usr prefix gives Debian's library folder
# (lib/<triplet>) and costs that tree nothing but a re-run of cmake.
dir=${VPNAAS_BUILD_DIR:-$VPNAAS_ROOT/build/release}
start=$SECONDS
build_tree "$dir" "${VPNAAS_RELEASE_CMAKE[@]}" -DVPNAAS_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX=/usr
# A tree configured earlier (by ./scripts/vpnaas, or build/test) gets the prefix now.
cmake "$dir" -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$dir" -j "$(nproc)" >&2
rm -f "$dir"/vpnaas_*.deb
(cd "$dir" && cpack -G DEB >&2)
deb=$(ls "$dir"/vpnaas_*.deb)
log "vpnaas: built $deb in $((SECONDS - start))s"
log "vpnaas: Depends: $(dpkg-deb -f "$deb" Depends)"
if [ "${1:-}" = --test ]; then
  "$VPNAAS_ROOT/scripts/packaging/install-test.sh" "$deb"
fi
echo "$deb"
