#!/usr/bin/env bash
# Measures `vpnaas inventory validate` (load + validate + allocate) on a
# synthetic 500-site customer, against the bundled 8-site inventory measured
# in the same run as the baseline (process start, parsing, fixed costs).
# Usage: ./scripts/bench-validate.sh [SITES] [RUNS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

sites=${1:-500}
runs=${2:-5}
ensure_packages "${VPNAAS_BUILD_PACKAGES[@]}" time python3 bc
build_dir=$VPNAAS_ROOT/build/release
build_tree "$build_dir" "${VPNAAS_RELEASE_CMAKE[@]}" -DVPNAAS_BUILD_TESTS=OFF
vpnaas=$build_dir/bin/vpnaas

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$VPNAAS_ROOT/scripts/gen-inventory.py" "$work/big" "$sites"
cp -r "$VPNAAS_ROOT/inventory" "$work/small"

# median wall seconds of $runs runs of "$@"
median_seconds() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { log "failed: $*"; exit 1; }
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p" | awk '{printf "%.4f", $1 / 1e6}'
}
peak_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

# First run allocates every tunnel and writes the lock; later runs check it.
t_first=$( { t0=$(date +%s%N); "$vpnaas" inventory validate -i "$work/big" >/dev/null 2>&1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000)); } | awk '{printf "%.4f", $1 / 1e6}')
tunnels=$(grep -c '^tunnel ' "$work/big/vpnaas.lock")
t_big=$(median_seconds "$vpnaas" inventory validate --locked -i "$work/big")
t_small=$(median_seconds "$vpnaas" inventory validate --locked -i "$work/small")
m_big=$(peak_kib "$vpnaas" inventory validate --locked -i "$work/big")
m_small=$(peak_kib "$vpnaas" inventory validate --locked -i "$work/small")

printf 'vpnaas inventory validate, %s runs each (median), release build\n' "$runs"
printf '%-34s %10s %12s\n' "inventory" "wall (s)" "peak (MiB)"
printf '%-34s %10s %12.1f\n' "bundled, 8 sites (baseline)" "$t_small" "$(echo "$m_small / 1024" | bc -l)"
printf '%-34s %10s %12.1f\n' "synthetic, $sites sites, $tunnels tunnels" "$t_big" "$(echo "$m_big / 1024" | bc -l)"
printf '%-34s %10s\n' "  first run (allocate + write lock)" "$t_first"
printf 'ratio %s-site / baseline: wall %.1fx, memory %.1fx\n' "$sites" \
  "$(echo "$t_big / $t_small" | bc -l)" "$(echo "$m_big / $m_small" | bc -l)"
