#!/usr/bin/env bash
# Benchmarks `vpnaas plan` on a synthetic full-mesh customer of 20, 200 and
# 500 sites (override: scripts/bench-plan.sh 20 50 ...) committed to git, with
# site n+1 added in the working tree: wall time and peak memory of
# `plan --summary` (HEAD read through git, both sides rendered router by
# router), and in the same run the baseline `mesh generate --dry-run`, which
# renders every script of one side once; prints the ratio of the two. Also
# checks the plan's answer: n+2 routers changed (the n sites and the two
# cluster routers) and one added.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ensure_packages "${VPNAAS_BUILD_PACKAGES[@]}" git time bc
build_dir=${VPNAAS_BENCH_BUILD_DIR:-$VPNAAS_ROOT/build/bench}
build_tree "$build_dir" "${VPNAAS_RELEASE_CMAKE[@]}" -DVPNAAS_BUILD_TESTS=OFF
vpnaas=$build_dir/bin/vpnaas

sizes=("$@")
((${#sizes[@]})) || sizes=(20 200 500)
work=$(mktemp -d "${TMPDIR:-/tmp}/vpnaas-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
export VPNAAS_MASTER_KEY=${VPNAAS_MASTER_KEY:-$(printf '5%.0s' {1..64})}
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
git_() { git -C "$1" -c user.name=bench -c user.email=bench@vpnaas.invalid "${@:2}"; }

printf '%-6s %-9s %-8s %-8s %-8s %-8s %-7s %-6s\n' SITES TUNNELS PLAN_S PEAK_MB GEN_S GEN_MB RATIO CHANGED
for n in "${sizes[@]}"; do
  repo=$work/repo-$n
  inv=$repo/inventory
  python3 "$VPNAAS_ROOT/scripts/gen-inventory.py" "$inv" "$n"
  "$vpnaas" inventory validate --inventory "$inv" >/dev/null 2>&1
  git_ "$repo" init -q && git_ "$repo" add -A && git_ "$repo" commit -qm base
  python3 "$VPNAAS_ROOT/scripts/gen-inventory.py" "$inv" $((n + 1))
  "$vpnaas" inventory validate --inventory "$inv" >/dev/null 2>&1

  rc=0
  /usr/bin/time -f '%e %M' -o "$work/plan-time" \
    "$vpnaas" plan --inventory "$inv" --summary >"$work/plan-out" 2>"$work/plan-err" || rc=$?
  if [ "$rc" -ne 10 ]; then
    echo "plan exited with $rc (expected 10)" >&2
    cat "$work/plan-err" >&2
    exit 1
  fi
  # GNU time adds a "Command exited with non-zero status" line before ours.
  read -r plan_s plan_kb < <(tail -n 1 "$work/plan-time")
  changed=$(grep -c '^~ ' "$work/plan-out" || true)
  added=$(grep -c '^+ ' "$work/plan-out" || true)
  if [ "$changed" -ne $((n + 2)) ] || [ "$added" -ne 1 ]; then
    echo "plan reported $changed changed and $added new routers; expected $((n + 2)) and 1" >&2
    exit 1
  fi

  /usr/bin/time -f '%e %M' -o "$work/gen-time" \
    "$vpnaas" mesh generate --inventory "$inv" --out "$work/out" --dry-run --format json >/dev/null
  read -r gen_s gen_kb <"$work/gen-time"
  tunnels=$(((n + 1) * n / 2 + 2 * (n + 1)))
  printf '%-6s %-9s %-8s %-8s %-8s %-8s %-7.2f %-6s\n' "$n" "$tunnels" "$plan_s" \
    $((plan_kb / 1024)) "$gen_s" $((gen_kb / 1024)) "$(echo "if ($gen_s > 0) $plan_s / $gen_s else 0" | bc -l)" \
    "$changed+$added"
  rm -rf "$repo"
done
