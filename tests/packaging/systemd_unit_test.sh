#!/usr/bin/env bash
# The ACS's systemd unit as `cmake --install` puts it: where systemd looks,
# ExecStart on the installed binary, the state directory and --data the same
# folder, the hardening in place; `systemd-analyze verify` finds nothing to
# say and `systemd-analyze security` rates its exposure low.
# Usage: systemd_unit_test.sh BUILD_DIR   (exits 77 without systemd-analyze)
set -euo pipefail
build=$1
if ! command -v systemd-analyze >/dev/null; then
  echo "skipped: systemd-analyze is not installed (apt-get install systemd)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

DESTDIR=$tmp/dest cmake --install "$build" >/dev/null
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
unit=$tmp/dest$prefix/lib/systemd/system/vpnaas-acs.service
[ -f "$unit" ] || fail "no unit at $unit"
grep -qE '@[A-Z_]+@' "$unit" && fail "an unconfigured @VARIABLE@ is left in $unit"

value() { sed -n "s/^$1=//p" "$unit"; }
exec_start=$(value ExecStart)
[[ $exec_start == "$prefix/bin/vpnaas acs serve "* ]] ||
  fail "ExecStart does not run the installed binary: $exec_start"
state=$(value StateDirectory)
[[ $exec_start == *"--data /var/lib/$state "* ]] ||
  fail "ExecStart's --data is not the StateDirectory /var/lib/$state: $exec_start"
[[ $exec_start == *"--key-file %d/master.key"* ]] || fail "the key is not the loaded credential"
for line in DynamicUser=yes StateDirectory=vpnaas-acs ProtectSystem=strict NoNewPrivileges=yes \
  Restart=on-failure UMask=0077 CapabilityBoundingSet= PrivateTmp=yes ProtectHome=yes \
  'LoadCredential=master.key:/etc/vpnaas/master.key' WantedBy=multi-user.target; do
  grep -qxF "$line" "$unit" || fail "no '$line' in the unit"
done

# verify also checks that ExecStart's binary exists: point it at the staged one.
staged=$tmp/vpnaas-acs.service
sed "s|^ExecStart=$prefix/bin/vpnaas|ExecStart=$tmp/dest$prefix/bin/vpnaas|" "$unit" >"$staged"
# It reports unknown or misspelled settings on stderr but still exits 0.
if ! out=$(systemd-analyze verify "$staged" 2>&1) || [ -n "$out" ]; then
  fail "systemd-analyze verify: $out"
fi
exposure=$(systemd-analyze security --offline=true "$staged" 2>&1 |
  sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] || fail "systemd-analyze security gave no exposure level"
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' ||
  fail "exposure $exposure is above 2.0: a hardening option went missing"
echo "vpnaas-acs.service verifies; systemd-analyze security exposure $exposure"
