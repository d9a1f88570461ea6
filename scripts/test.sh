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

run_suite() {
  local name=$1
  shift
  local dir=$VPNAAS_ROOT/build/$name
  log "== $name build"
  build_tree "$dir" "$@"
  log "== $name tests"
  ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" --timeout 600
}

start=$(date +%s)
# The normal build is optimised like the one ./scripts/vpnaas makes, so that
# warnings only the optimiser sees fail CI too.
run_suite test -DCMAKE_BUILD_TYPE=RelWithDebInfo
if ! $fast; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite asan -DCMAKE_BUILD_TYPE=Debug -DVPNAAS_SANITIZE=ON
  # The package is made from the normal build just tested (RelWithDebInfo,
  # stripped by cpack: what Debian builds too) rather than from a third full
  # build of build/release.
  log "== package"
  stage=$(date +%s)
  VPNAAS_BUILD_DIR=$VPNAAS_ROOT/build/test "$VPNAAS_ROOT/scripts/package.sh" --test >/dev/null
  log "vpnaas: package stage took $(($(date +%s) - stage))s"
fi
log "vpnaas: all test suites passed in $(($(date +%s) - start))s"
