#!/usr/bin/env bash
# Benchmarks `vpnaas acs serve` (plain HTTP, Digest, a fresh durable SQLite
# data dir) against nginx answering 204 to the same POSTs, in the same run,
# with tests/tools/cpe_load driving N simulated RouterOS CPEs (default
# N = 100, 1000 and 10000; override: scripts/bench-acs.sh 100 1000).
#
# Closed loop (each CPE starts its next session at once) for DURATION seconds
# per N and server: sessions/s, requests/s, p50/p99 of session and request
# latency, the server's peak and final RSS (VmHWM, VmRSS), the ratio to nginx.
# Then the fleet case: 10,000 CPEs informing every 10000/170 s (170
# sessions/s) for one whole period, so that every device informs once.
#
# Each ACS session is a new connection: Inform (20 parameters, Digest; the
# first session of a CPE is challenged, later ones reuse the nonce with the
# next nc), empty POST, the answer to one GetParameterValues (queued in the
# server's store just before the session by a thread of the load tool), 204.
# nginx gets the same three POSTs without authentication.
#
# Environment: VPNAAS_BENCH_DURATION (10), VPNAAS_BENCH_RATE (170),
# VPNAAS_BENCH_FLEET (10000; 0 skips the fleet case), VPNAAS_BENCH_THREADS
# (server threads, default nproc), VPNAAS_BENCH_BUILD_DIR (build/bench-acs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ensure_packages "${VPNAAS_BUILD_PACKAGES[@]}" bc
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || ensure_packages nginx-light ||
  ensure_packages nginx
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

build_dir=${VPNAAS_BENCH_BUILD_DIR:-$VPNAAS_ROOT/build/bench-acs}
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S "$VPNAAS_ROOT" -B "$build_dir" -G Ninja "${VPNAAS_RELEASE_CMAKE[@]}" >&2
fi
cmake --build "$build_dir" -j "$(nproc)" --target vpnaas_cli cpe_load >&2
vpnaas=$build_dir/bin/vpnaas
cpe_load=$(find "$build_dir" -name cpe_load -type f -perm -u+x | sed -n 1p)
[ -x "$vpnaas" ] || vpnaas=$(find "$build_dir" -name vpnaas -type f -perm -u+x | sed -n 1p)

# 10,000 CPEs hold 10,000 sockets in the client, and the server as many.
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge 12000 ] || log "vpnaas: ulimit -n is $(ulimit -n): runs past that many CPEs will fail"

counts=("$@")
((${#counts[@]})) || counts=(100 1000 10000)
duration=${VPNAAS_BENCH_DURATION:-10}
rate=${VPNAAS_BENCH_RATE:-170}
fleet=${VPNAAS_BENCH_FLEET:-10000}
threads=${VPNAAS_BENCH_THREADS:-$(nproc)}
inform=$VPNAAS_ROOT/../shared/data/cwmp/mikrotik-inform-haplite-6.42rc49.xml
[ -f "$inform" ] || { log "vpnaas: the RouterOS Inform template $inform is missing"; exit 1; }
export VPNAAS_MASTER_KEY=${VPNAAS_MASTER_KEY:-$(printf '5%.0s' {1..64})}

work=$(mktemp -d "${TMPDIR:-/tmp}/vpnaas-bench-acs-XXXXXX")
pids=()
cleanup() {
  ((${#pids[@]})) && kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Free: no socket of any state uses it locally. A probe by connecting to an
# unused port can connect to itself (TCP simultaneous open) and leave it in
# TIME-WAIT, where nginx then cannot bind it.
port_free() { ! ss -Htan "( sport = :$1 )" | grep -q .; }
free_port() {
  local p=$1
  while ! port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}
# field LINE NAME: the value of NAME=... in a logfmt line.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
mb() { echo "scale=1; ${1:-0} / 1024" | bc -l; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }

# nginx as a non-daemon on a high port, answering 204 to every POST.
nginx_port=$(free_port 43000)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes $threads;
worker_rlimit_nofile $(ulimit -n);
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { return 204; }
  }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
pids+=("$nginx_pid")
until ! port_free "$nginx_port"; do sleep 0.05; done
nginx_workers=($(pgrep -P "$nginx_pid"))

# start_acs NAME [serve options...]: a server on a fresh data dir; sets acs_pid, acs_url.
start_acs() {
  local dir=$work/$1
  shift
  mkdir -p "$dir"
  "$vpnaas" acs serve --listen 127.0.0.1:0 --data "$dir/data" --inventory "$VPNAAS_ROOT/inventory" \
    --threads "$threads" "$@" 2>"$dir/serve.log" &
  acs_pid=$!
  pids+=("$acs_pid")
  acs_url=
  for _ in $(seq 200); do
    acs_url=$(sed -n 's/.*listening on \(http:[^ ]*\) .*/\1/p' "$dir/serve.log")
    [ -n "$acs_url" ] && break
    sleep 0.05
  done
  [ -n "$acs_url" ] || { cat "$dir/serve.log" >&2; exit 1; }
}
stop_acs() {
  kill -TERM "$acs_pid"
  wait "$acs_pid" || true
}
memory() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
# CPU time (user + system, clock ticks) of processes and their children
# threads; on a loaded machine CPU per request says more than wall rates.
ticks() {
  local p sum=0
  for p in "$@"; do sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done
  echo "$sum"
}
# us_per_request TICKS REQUESTS
us_per_request() { echo "scale=0; $1 * 1000000 / $(getconf CLK_TCK) / $2" | bc -l; }

rows=()
row() { rows+=("$(printf '%-26s %7s %8s %9s %8s %8s %8s %8s %6s %5s %6s %8s %8s %7s %8s %7s' "$@")"); }
header=$(printf '%-26s %7s %8s %9s %8s %8s %8s %8s %6s %5s %6s %8s %8s %7s %8s %7s' RUN DEVICES \
  SESS/S REQ/S S_P50ms S_P99ms R_P50ms R_P99ms 503s ERR NOTASK HWM_MB RSS_MB VS_NGINX \
  CPU_us/R CPU_X)

for n in "${counts[@]}"; do
  log "vpnaas: $n CPEs, closed loop, ${duration}s: nginx"
  before=$(ticks "${nginx_workers[@]}")
  peer=$("$cpe_load" run --peer --url "http://127.0.0.1:$nginx_port/" --inform "$inform" \
    --devices "$n" --duration "$duration")
  peer_cpu=$(us_per_request $(($(ticks "${nginx_workers[@]}") - before)) "$(field "$peer" requests)")
  log "vpnaas: $n CPEs, closed loop, ${duration}s: vpnaas acs serve"
  # All N CPEs may be in a session at once (nginx serves up to 16384
  # connections): past the default 1000 sessions the server would answer 503.
  start_acs "acs-$n" --max-sessions "$((n > 1000 ? n : 1000))"
  "$cpe_load" prepare --data "$work/acs-$n/data" --devices "$n"
  before=$(ticks "$acs_pid")
  acs=$("$cpe_load" run --url "$acs_url/" --inform "$inform" --devices "$n" --duration "$duration" \
    --data "$work/acs-$n/data")
  acs_cpu=$(us_per_request $(($(ticks "$acs_pid") - before)) "$(field "$acs" requests)")
  hwm=$(memory "$acs_pid" VmHWM)
  rss=$(memory "$acs_pid" VmRSS)
  stop_acs
  row "vpnaas acs serve" "$n" "$(field "$acs" sessions_per_s)" "$(field "$acs" requests_per_s)" \
    "$(field "$acs" session_p50_ms)" "$(field "$acs" session_p99_ms)" \
    "$(field "$acs" request_p50_ms)" "$(field "$acs" request_p99_ms)" "$(field "$acs" busy_503)" \
    "$(field "$acs" errors)" "$(field "$acs" no_task)" "$(mb "$hwm")" "$(mb "$rss")" \
    "$(ratio "$(field "$acs" requests_per_s)" "$(field "$peer" requests_per_s)")" "$acs_cpu" \
    "$(ratio "$acs_cpu" "$peer_cpu")"
  row "nginx return 204" "$n" "$(field "$peer" sessions_per_s)" "$(field "$peer" requests_per_s)" \
    "$(field "$peer" session_p50_ms)" "$(field "$peer" session_p99_ms)" \
    "$(field "$peer" request_p50_ms)" "$(field "$peer" request_p99_ms)" "$(field "$peer" busy_503)" \
    "$(field "$peer" errors)" - - - 1 "$peer_cpu" 1
done

if [ "$fleet" -gt 0 ]; then
  period=$(echo "scale=3; $fleet / $rate" | bc -l)
  log "vpnaas: $fleet CPEs informing every ${period}s (${rate} sessions/s) for one period"
  start_acs "acs-fleet" --max-sessions "$fleet"
  "$cpe_load" prepare --data "$work/acs-fleet/data" --devices "$fleet"
  before=$(ticks "$acs_pid")
  acs=$("$cpe_load" run --url "$acs_url/" --inform "$inform" --devices "$fleet" \
    --duration "$period" --period "$period" --data "$work/acs-fleet/data")
  acs_cpu=$(us_per_request $(($(ticks "$acs_pid") - before)) "$(field "$acs" requests)")
  hwm=$(memory "$acs_pid" VmHWM)
  rss=$(memory "$acs_pid" VmRSS)
  stop_acs
  row "vpnaas acs serve @${rate}/s" "$fleet" "$(field "$acs" sessions_per_s)" \
    "$(field "$acs" requests_per_s)" "$(field "$acs" session_p50_ms)" \
    "$(field "$acs" session_p99_ms)" "$(field "$acs" request_p50_ms)" \
    "$(field "$acs" request_p99_ms)" "$(field "$acs" busy_503)" "$(field "$acs" errors)" \
    "$(field "$acs" no_task)" "$(mb "$hwm")" "$(mb "$rss")" - "$acs_cpu" -
fi

printf 'vpnaas acs serve --threads %s vs nginx (worker_processes %s), %s cores, load average %s\n' \
  "$threads" "$threads" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "$header" "${rows[@]}"
printf 'CPU_us/R: server CPU (user+system) per request answered; CPU_X: that over nginx'"'"'s\n'
printf 'goals (issue 11): >= 0.25 of nginx req/s; 170 sessions/s at session p99 < 50 ms; RSS < 200 MB at 10,000 devices\n'
