#!/usr/bin/env bash
# Benchmarks `vpnaas mesh generate` on synthetic full-mesh customers of 20, 200
# and 500 sites (override with: scripts/bench-generate.sh 20 50 ...): wall
# time, peak memory and output bytes, and in the same run the time `cp -r`
# takes to copy the produced tree, the I/O floor; prints the ratio of the two.
# Then what the scripts cost a router: bytes per tunnel end, and the strict
# simulator's work units per tunnel end for a first import (`mesh check`,
# which also proves every script imports and re-imports cleanly).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ensure_packages "${VPNAAS_BUILD_PACKAGES[@]}" time bc util-linux
build_dir=${VPNAAS_BENCH_BUILD_DIR:-$VPNAAS_ROOT/build/bench}
build_tree "$build_dir" "${VPNAAS_RELEASE_CMAKE[@]}" -DVPNAAS_BUILD_TESTS=OFF
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

printf '%-6s %-9s %-8s %-10s %-8s %-9s %-8s %-6s %-10s %-10s\n' SITES TUNNELS GEN_S ONE_CORE_S PEAK_MB \
  OUT_MB CP_S RATIO BYTES/END WORK/END
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
  # The same run pinned to one core: what rendering on every core gains.
  rm -rf "$work/one-$n"
  /usr/bin/time -f '%e %M' -o "$work/one-time-$n" taskset -c 0 \
    "$vpnaas" mesh generate --inventory "$inv" --out "$work/one-$n" --format json >/dev/null
  read -r one_s _ <"$work/one-time-$n"
  rm -rf "$work/one-$n"
  "$vpnaas" mesh check --out "$out" --format json >"$work/check-$n.json" || {
    cat "$work/check-$n.json" >&2
    exit 1
  }
  import_work=$(grep -o '"import_work": *[0-9]*' "$work/check-$n.json" | grep -o '[0-9]*$')
  ends=$((2 * tunnels))
  printf '%-6s %-9s %-8s %-10s %-8s %-9s %-8.2f %-6.1f %-10s %-10s\n' "$n" "$tunnels" "$gen_s" \
    "$one_s" $((peak_kb / 1024)) $((bytes / 1024 / 1024)) "$cp_s" "$(echo "$gen_s / $cp_s" | bc -l)" \
    $((bytes / ends)) $((import_work / ends))
  rm -rf "$out" "$work/copy-$n"
done
