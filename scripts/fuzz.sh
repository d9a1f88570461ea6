#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang in build/fuzz and runs
# each for SECONDS (default 60) on a scratch copy of its committed corpus, so
# that new inputs never land in tests/fuzz/corpus. Prints per target the
# executions, exec/s, coverage and whether it crashed; exits 1 after a crash
# and prints the reproducer's path (once the bug is fixed, commit the
# reproducer to tests/fuzz/corpus/<target>/ so every test run replays it).
# Usage: ./scripts/fuzz.sh [SECONDS per target] [TARGET...]   (default: all targets)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

seconds=${1:-60}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  log "usage: $0 [SECONDS per target, default 60] [TARGET...]"
  exit 2
fi

# On Debian 12 libFuzzer (libclang_rt.fuzzer) and the sanitizer runtimes are
# in libclang-rt-14-dev; llvm-14 has the symbolizer for readable stack traces.
ensure_packages "${VPNAAS_BUILD_PACKAGES[@]}" clang-14 libclang-rt-14-dev llvm-14

targets=(fuzz_inventory fuzz_routeros_reader fuzz_cwmp_reader)
if [ $# -gt 1 ]; then
  shift
  for target in "$@"; do
    if ! [[ " ${targets[*]} " == *" $target "* ]]; then
      log "vpnaas: unknown fuzz target $target (known: ${targets[*]})"
      exit 2
    fi
  done
  targets=("$@")
fi
dir=$VPNAAS_ROOT/build/fuzz
if [ ! -f "$dir/build.ninja" ]; then
  log "vpnaas: configuring $dir"
  cmake -S "$VPNAAS_ROOT" -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVPNAAS_BUILD_TESTS=OFF -DVPNAAS_FUZZ=ON >&2
fi
cmake --build "$dir" -j "$(nproc)" --target "${targets[@]}" >&2

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -x /usr/bin/llvm-symbolizer-14 ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14
fi

# The last value of "name: N" on libFuzzer's status lines.
last_field() { grep -o "$1: *[0-9]*" "$2" | tail -n 1 | grep -o '[0-9]*$' || echo "?"; }
final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

crashed=0
for target in "${targets[@]}"; do
  scratch=$dir/run/$target
  artifacts=$dir/artifacts/$target
  rm -rf "$scratch"
  mkdir -p "$scratch" "$artifacts"
  cp "$VPNAAS_ROOT/tests/fuzz/corpus/$target/"* "$scratch/"
  seeds=$(find "$scratch" -type f | wc -l)
  log_file=$dir/run/$target.log
  log "== $target: ${seconds}s, $seeds seeds, log $log_file"
  status=0
  "$dir/tests/fuzz/$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$scratch" >"$log_file" 2>&1 || status=$?
  execs=$(final_stat number_of_executed_units "$log_file")
  rate=$(final_stat average_exec_per_sec "$log_file")
  inputs=$(find "$scratch" -type f | wc -l)
  result="no crash"
  if [ "$status" -ne 0 ]; then
    crashed=1
    reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log_file" | tail -n 1)
    result="CRASHED (exit $status), reproducer: ${reproducer:-none written, see the log}"
  fi
  printf '%s: %s execs, %s exec/s, cov: %s ft: %s, corpus %s -> %s inputs, %s\n' \
    "$target" "${execs:-?}" "${rate:-?}" "$(last_field cov "$log_file")" \
    "$(last_field ft "$log_file")" "$seeds" "$inputs" "$result"
done
if [ "$crashed" -ne 0 ]; then
  log "vpnaas: a fuzz target crashed; reproduce with $dir/tests/fuzz/<target> <reproducer>"
fi
exit "$crashed"
