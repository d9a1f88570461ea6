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

# run_suite NAME JOBS [cmake -D options...]: builds build/NAME, then runs its
# tests JOBS at a time (README.md, "CI time", says how JOBS were chosen).
run_suite() {
  local name=$1 jobs=$2
  shift 2
  local dir=$VPNAAS_ROOT/build/$name
  log "== $name build"
  build_tree "$dir" "$@"
  log "== $name tests"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 600
}

# Line tables only (-g1) in both test trees: ASan and UBSan reports and
# backtraces keep function, file and line, which is all they print; what is
# lost is a debugger's view of variables and types. It took 40% off the
# compile CPU time of six sample translation units (README.md, "CI time").
start=$(date +%s)
# The normal build is optimised like the one ./scripts/vpnaas makes, so that
# warnings only the optimiser sees fail CI too.
run_suite test "$VPNAAS_TEST_JOBS" "${VPNAAS_RELEASE_CMAKE[@]}"
if ! $fast; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite asan "$VPNAAS_ASAN_TEST_JOBS" -DCMAKE_BUILD_TYPE=Debug -DVPNAAS_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DVPNAAS_UNITY_BUILD=ON
  # The package is made from the normal build just tested (RelWithDebInfo,
  # stripped by cpack: what Debian builds too) rather than from a third full
  # build of build/release.
  log "== package"
  stage=$(date +%s)
  VPNAAS_BUILD_DIR=$VPNAAS_ROOT/build/test "$VPNAAS_ROOT/scripts/package.sh" --test >/dev/null
  log "vpnaas: package stage took $(($(date +%s) - stage))s"
fi
log "vpnaas: all test suites passed in $(($(date +%s) - start))s"
