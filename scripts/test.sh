#!/usr/bin/env bash
# Installs what is missing, then builds and runs the whole test suite twice:
# a normal build and an AddressSanitizer + UndefinedBehaviorSanitizer build;
# last, packages the normal build as a .deb and installs and runs it in a
# clean Debian 12 root (scripts/packaging/install-test.sh; needs root).
# Usage: ./scripts/test.sh [--fast]   (--fast: skip the sanitizer build and the package)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

fast=false
[ "${1:-}" = --fast ] && fast=true
ensure_packages "${VPNAAS_BUILD_PACKAGES[@]}" "${VPNAAS_TEST_PACKAGES[@]}"
$fast || ensure_packages "${VPNAAS_PACKAGE_PACKAGES[@]}"

# Both suites run one test more than cores: their tests wait too (fake
# routers' sleeps, reboots, lock waits), so nproc tests at once leave cores
# idle. On 2 cores the whole ASan suite took 229 s at 3 at once against 244 s
# at 2, back to back (README.md, "CI time").
: "${VPNAAS_TEST_JOBS:=$(($(nproc) + 1))}"
: "${VPNAAS_ASAN_TEST_JOBS:=$(($(nproc) + 1))}"

# run_tests NAME JOBS: runs the tests of build/NAME, JOBS at a time (README.md,
# "CI time", says how JOBS were chosen).
run_tests() {
  log "== $1 tests"
  ctest --test-dir "$VPNAAS_ROOT/build/$1" --output-on-failure -j "$2" --timeout 600
}

# in_background NAME COMMAND...: runs COMMAND with its output in
# build/NAME.log; sets `job` to its pid. wait_for NAME PID then reports it.
in_background() {
  local name=$1
  shift
  log "== $name (in the background; output in build/$name.log)"
  mkdir -p "$VPNAAS_ROOT/build"
  "$@" >"$VPNAAS_ROOT/build/$name.log" 2>&1 &
  job=$!
}
wait_for() {
  if ! wait "$2"; then
    cat "$VPNAAS_ROOT/build/$1.log" >&2
    log "vpnaas: $1 failed (output above, also in build/$1.log)"
    return 1
  fi
  log "vpnaas: $1 done"
}

# Line tables only (-g1) in both test trees: ASan and UBSan reports and
# backtraces keep function, file and line, which is all they print; what is
# lost is a debugger's view of variables and types. It took 40% off the
# compile CPU time of six sample translation units (README.md, "CI time").
start=$(date +%s)
# The normal build is optimised like the one ./scripts/vpnaas makes, so that
# warnings only the optimiser sees fail CI too.
log "== test build"
build_tree "$VPNAAS_ROOT/build/test" "${VPNAAS_RELEASE_CMAKE[@]}"
if $fast; then
  run_tests test "$VPNAAS_TEST_JOBS"
  log "vpnaas: the normal suite passed in $(($(date +%s) - start))s"
  exit 0
fi
# The stages overlap where one leaves cores idle: the sanitizer tree builds
# while the normal suite runs (its tests also wait: fake routers' sleeps,
# reboots, timeouts), and the package is made and tried while the sanitizer
# suite runs (README.md, "CI time").
# The sanitizer tree at -O0: half the compile time of -O1 for a suite that
# runs about 30 s longer (README.md, "CI time"); the normal tree is the
# optimised one.
in_background asan-build build_tree "$VPNAAS_ROOT/build/asan" -DCMAKE_BUILD_TYPE=Debug \
  -DVPNAAS_SANITIZE=ON -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DVPNAAS_UNITY_BUILD=ON \
  -DVPNAAS_SANITIZE_OPTIMIZE=-O0
asan_build=$job
failed=0
run_tests test "$VPNAAS_TEST_JOBS" || failed=1
wait_for asan-build "$asan_build" || exit 1
((failed == 0)) || exit 1
# The package is made from the normal build just tested (RelWithDebInfo,
# stripped by cpack: what Debian builds too) rather than from a third full
# build of build/release.
package_stage() {
  local stage=$SECONDS
  VPNAAS_BUILD_DIR=$VPNAAS_ROOT/build/test "$VPNAAS_ROOT/scripts/package.sh" --test >/dev/null
  log "vpnaas: package stage took $((SECONDS - stage))s"
}
in_background package package_stage
package=$job
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_tests asan "$VPNAAS_ASAN_TEST_JOBS" || failed=1
wait_for package "$package" || exit 1
((failed == 0)) || exit 1
log "vpnaas: all test suites passed in $(($(date +%s) - start))s"
