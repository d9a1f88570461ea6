#!/usr/bin/env bash
# Benchmarks `vpnaas mesh generate` on synthetic full-mesh customers of 20, 200
# and 500 sites (override with: scripts/bench-generate.sh 20 50 ...): wall
# time, peak memory and output bytes, and in the same run the time `cp -r`
# takes to copy the produced tree, the I/O floor; prints the ratio of the two.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ensure_packages "${VPNAAS_BUILD_PACKAGES[@]}" time bc
build_dir=${VPNAAS_BENCH_BUILD_DIR:-$VPNAAS_ROOT/build/bench}
build_tree "$build_dir" -DCMAKE_BUILD_TYPE=Release -DVPNAAS_BUILD_TESTS=OFF
vpnaas=$build_dir/bin/vpnaas

sizes=("$@")
((${#sizes[@]})) || sizes=(20 200 500)
work=$(mktemp -d "${TMPDIR:-/tmp}/vpnaas-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
export VPNAAS_MASTER_KEY=${VPNAAS_MASTER_KEY:-$(printf '5%.0s' {1..64})}

# One customer of $1 sites on a two-router cluster; addresses derived from the
# site number so that any size up to 4096 sites validates.
make_inventory() {
  local n=$1 dir=$2 i
  mkdir -p "$dir/clusters" "$dir/customers"
  cat >"$dir/vpnaas.yaml" <<YAML
vpnaas: 1
defaults:
  routeros: 7
  transit-pool: 10.128.0.0/9
YAML
  cat >"$dir/clusters/dc1.yaml" <<YAML
cluster: dc1
networks: [10.10.0.0/24]
devices:
  - { name: dc1-r1, public-ip: 203.0.113.1, router-id: 10.0.255.1 }
  - { name: dc1-r2, public-ip: 203.0.113.2, router-id: 10.0.255.2 }
YAML
  {
    printf 'customer: bench\ncluster: dc1\ntopology: full-mesh\nsites:\n'
    for ((i = 1; i <= n; i++)); do
      printf '  - name: s%04d\n    lan: [172.%d.%d.0/24]\n' "$i" $((16 + i / 256)) $((i % 256))
      printf '    device: { name: bench-s%04d, public-ip: 100.%d.%d.1, router-id: 10.1.%d.%d }\n' \
        "$i" $((64 + i / 256)) $((i % 256)) $((i / 256)) $((i % 256))
    done
  } >"$dir/customers/bench.yaml"
}

seconds_since() { echo "$(date +%s.%N) - $1" | bc -l; }

printf '%-6s %-9s %-10s %-12s %-9s %-8s %-6s\n' SITES TUNNELS GEN_S PEAK_MB OUT_MB CP_S RATIO
for n in "${sizes[@]}"; do
  inv=$work/inv-$n
  out=$work/out-$n
  make_inventory "$n" "$inv"
  # Allocate first so the lock file is written outside the measurement.
  "$vpnaas" inventory validate --inventory "$inv" >/dev/null 2>&1 || {
    "$vpnaas" inventory validate --inventory "$inv" >&2
    exit 1
  }
  sync
  /usr/bin/time -f '%e %M' -o "$work/time-$n" \
    "$vpnaas" mesh generate --inventory "$inv" --out "$out" --format json >"$work/gen-$n.json"
  read -r gen_s peak_kb <"$work/time-$n"
  tunnels=$((n * (n - 1) / 2 + 2 * n))
  bytes=$(du -sb "$out" | cut -f1)
  sync
  start=$(date +%s.%N)
  cp -r "$out" "$work/copy-$n"
  cp_s=$(seconds_since "$start")
  printf '%-6s %-9s %-10s %-12s %-9s %-8.2f %-6.1f\n' "$n" "$tunnels" "$gen_s" \
    $((peak_kb / 1024)) $((bytes / 1024 / 1024)) "$cp_s" "$(echo "$gen_s / $cp_s" | bc -l)"
  rm -rf "$out" "$work/copy-$n"
done
