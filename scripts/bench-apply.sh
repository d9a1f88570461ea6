#!/usr/bin/env bash
# Benchmarks `vpnaas apply --via ssh` against 50 local sshd endpoints (override:
# scripts/bench-apply.sh 20), each playing RouterOS through the tests' fake
# router (tests/data/ssh/fake-routeros.sh). Measures the wall time of apply at
# --parallel 1, 10 and N, and in the same run parallel-ssh/parallel-scp (Debian
# pssh) doing, with N at once, (a) the same upload and /import and (b) the whole
# sequence apply does per router (export to file, export, upload, import,
# remove); prints the ratios.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ensure_packages "${VPNAAS_BUILD_PACKAGES[@]}" "${VPNAAS_TEST_PACKAGES[@]}" bc
build_dir=${VPNAAS_BENCH_BUILD_DIR:-$VPNAAS_ROOT/build/bench}
build_tree "$build_dir" "${VPNAAS_RELEASE_CMAKE[@]}" -DVPNAAS_BUILD_TESTS=OFF
vpnaas=$build_dir/bin/vpnaas

count=${1:-50}
work=$(mktemp -d "${TMPDIR:-/tmp}/vpnaas-bench-apply-XXXXXX")
pids=()
cleanup() {
  ((${#pids[@]})) && kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export VPNAAS_MASTER_KEY=${VPNAAS_MASTER_KEY:-$(printf '5%.0s' {1..64})}
user=$(id -un)
fake_router=$VPNAAS_ROOT/tests/data/ssh/fake-routeros.sh
# sshd started by root needs its privilege separation folder.
[ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Endpoint $1: its own host key and folder, on the next free port (appended
# to `ports`).
next_port=42000
ports=()
start_router() {
  local dir=$work/router-$1
  mkdir -p "$dir/files"
  while ! port_free "$next_port"; do next_port=$((next_port + 1)); done
  ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
  cp "$work/id_ed25519.pub" "$dir/authorized_keys"
  cp "$VPNAAS_ROOT/tests/data/ssh/export.rsc" "$dir/export.rsc"
  cat >"$dir/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $next_port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
UsePAM no
UseDNS no
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
LogLevel ERROR
SetEnv FAKE_ROUTER_DIR=$dir SHLVL=1
ForceCommand /bin/sh $fake_router
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>>"$dir/sshd.log" &
  pids+=($!)
  ports+=("$next_port")
  next_port=$((next_port + 1))
}

# A cluster of 2 routers and customers of 12 sites, every device reachable at
# the port of its endpoint.
make_inventory() {
  local dir=$work/inventory i c s n=0 customers=$(((count - 2 + 11) / 12))
  mkdir -p "$dir/clusters" "$dir/customers"
  printf 'vpnaas: 1\ndefaults:\n  routeros: 7\n  transit-pool: 10.128.0.0/9\n' >"$dir/vpnaas.yaml"
  {
    printf 'cluster: dc1\nnetworks: [10.10.0.0/24]\ndevices:\n'
    for i in 1 2; do
      printf '  - { name: dc1-r%d, public-ip: 203.0.113.%d, router-id: 10.0.255.%d,' "$i" "$i" "$i"
      printf ' ssh: { host: 127.0.0.1, port: %d, user: %s } }\n' "${ports[n]}" "$user"
      n=$((n + 1))
    done
  } >"$dir/clusters/dc1.yaml"
  for ((c = 1; c <= customers && n < count; c++)); do
    {
      printf 'customer: c%02d\ncluster: dc1\ntopology: full-mesh\nsites:\n' "$c"
      for ((s = 1; s <= 12 && n < count; s++)); do
        printf '  - name: s%02d\n    lan: [172.%d.%d.0/24]\n' "$s" $((16 + c)) "$s"
        printf '    device: { name: c%02d-s%02d, public-ip: 100.64.%d.%d, router-id: 10.1.%d.%d,' \
          "$c" "$s" "$c" "$s" "$c" "$s"
        printf ' ssh: { host: 127.0.0.1, port: %d, user: %s } }\n' "${ports[n]}" "$user"
        n=$((n + 1))
      done
    } >"$dir/customers/c$(printf %02d "$c").yaml"
  done
}

seconds_since() { echo "$(date +%s.%N) - $1" | bc -l; }

ssh-keygen -q -t ed25519 -N '' -f "$work/id_ed25519"
for ((i = 0; i < count; i++)); do start_router "$i"; done
for port in "${ports[@]}"; do
  until ! port_free "$port"; do sleep 0.05; done
done
make_inventory

ssh_args=(--inventory "$work/inventory" --identity "$work/id_ed25519"
  --known-hosts "$work/known_hosts" --backup-dir "$work/backups" --password-env VPNAAS_BENCH_NONE)
# First contact records the host keys and writes the lock, outside the measurement.
"$vpnaas" apply --via ssh --parallel "$count" --accept-new-host-keys "${ssh_args[@]}" \
  >"$work/warmup.log" 2>&1 || {
  cat "$work/warmup.log" >&2
  exit 1
}

declare -A wall
for parallel in 1 10 "$count"; do
  start=$(date +%s.%N)
  "$vpnaas" apply --via ssh --parallel "$parallel" "${ssh_args[@]}" >"$work/apply-$parallel.log" 2>&1 || {
    cat "$work/apply-$parallel.log" >&2
    exit 1
  }
  wall[$parallel]=$(seconds_since "$start")
done

# The peer: the same work with OpenSSH's own clients, $count at once. Each
# host receives the largest rendered script, so no host gets less than apply sends.
script=$(ls -S "$work"/router-*/imported/*.rsc | sed -n 1p)
for port in "${ports[@]}"; do echo "127.0.0.1:$port"; done >"$work/hosts"
pssh_opts=(-h "$work/hosts" -l "$user" -p "$count" -t 120
  -O "IdentityFile=$work/id_ed25519" -O "UserKnownHostsFile=$work/known_hosts"
  -O StrictHostKeyChecking=yes -O BatchMode=yes)
pssh() { parallel-ssh "${pssh_opts[@]}" "$@" >>"$work/pssh.log"; }
pscp() { parallel-scp "${pssh_opts[@]}" "$@" >>"$work/pssh.log"; }

start=$(date +%s.%N)
pscp "$script" vpnaas-apply.rsc
pssh "/import file-name=vpnaas-apply.rsc verbose=yes"
peer_core=$(seconds_since "$start")

start=$(date +%s.%N)
pssh "/export file=vpnaas-before-apply"
pssh -o "$work/pssh-export" "/export"
pscp "$script" vpnaas-apply.rsc
pssh "/import file-name=vpnaas-apply.rsc verbose=yes"
pssh "/file remove \"vpnaas-apply.rsc\""
peer_full=$(seconds_since "$start")

ratio() { echo "scale=2; $1 / $2" | bc -l; }
printf '%d routers, scripts of %d bytes at most\n' "$count" "$(stat -c %s "$script")"
printf '%-34s %8s %14s %14s\n' RUN WALL_S VS_PSSH_CORE VS_PSSH_FULL
for parallel in 1 10 "$count"; do
  printf '%-34s %8.2f %14s %14s\n' "vpnaas apply --parallel $parallel" "${wall[$parallel]}" \
    "$(ratio "${wall[$parallel]}" "$peer_core")" "$(ratio "${wall[$parallel]}" "$peer_full")"
done
printf '%-34s %8.2f\n' "pssh upload + import (-p $count)" "$peer_core"
printf '%-34s %8.2f\n' "pssh full sequence (-p $count)" "$peer_full"
