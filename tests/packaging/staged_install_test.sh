#!/usr/bin/env bash
# `cmake --install` into a scratch DESTDIR, then the installed vpnaas is run
# from there: it must find its library and its own installed copy of the
# bundled inventory (not the source tree), and write nothing into that copy.
# The .deb itself is tested in a clean root by scripts/packaging/install-test.sh.
# Usage: staged_install_test.sh BUILD_DIR
set -euo pipefail
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

DESTDIR=$tmp/dest cmake --install "$build" >/dev/null
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
bin=$tmp/dest$prefix/bin/vpnaas
inventory=$tmp/dest$prefix/share/vpnaas/inventory
[ -x "$bin" ] || fail "no $bin"
[ -f "$inventory/vpnaas.lock" ] || fail "no bundled inventory at $inventory"
# Installed under /usr the binary has no RPATH (the package puts the library
# where the loader looks); anywhere else it has an $ORIGIN one, used as is.
if ! readelf -d "$bin" | grep -q RUNPATH; then
  export LD_LIBRARY_PATH
  LD_LIBRARY_PATH=$(dirname "$(find "$tmp/dest" -name libvpnaas.so.0)")
fi

mkdir "$tmp/work" "$tmp/home"
cd "$tmp/work"
touch "$tmp/before"
json=$(env -u VPNAAS_INVENTORY HOME="$tmp/home" VPNAAS_MASTER_KEY="$(printf %064x 1)" \
  "$bin" mesh generate --format json)
used=$(printf '%s' "$json" | python3 -c 'import json, sys; print(json.load(sys.stdin)["inventory"])')
[ "$used" = "$inventory" ] || fail "mesh generate read $used, not the installed $inventory"
[ -n "$(find out -name '*.rsc')" ] || fail "no scripts in the working folder's out/"
key=$(env -u VPNAAS_MASTER_KEY -u XDG_CONFIG_HOME -u VPNAAS_INVENTORY HOME="$tmp/home" "$bin" key path 2>&1 || true)
[[ $key == *bundled-inventory.key* ]] || fail "key path does not take the installed copy as bundled: $key"
changed=$(find "$inventory" -newer "$tmp/before")
[ -z "$changed" ] || fail "wrote into the installed inventory: $changed"
echo "staged install runs from $tmp/dest$prefix with its own inventory"
