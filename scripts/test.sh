#!/usr/bin/env bash
# Installs what is missing, then builds and runs the whole test suite twice:
# a normal build and an AddressSanitizer + UndefinedBehaviorSanitizer build.
# Usage: ./scripts/test.sh [--fast]   (--fast: skip the sanitizer build)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ensure_packages "${VPNAAS_BUILD_PACKAGES[@]}" "${VPNAAS_TEST_PACKAGES[@]}"

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
if [ "${1:-}" != "--fast" ]; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite asan -DCMAKE_BUILD_TYPE=Debug -DVPNAAS_SANITIZE=ON
fi
log "vpnaas: all test suites passed in $(($(date +%s) - start))s"
