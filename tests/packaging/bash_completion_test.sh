#!/usr/bin/env bash
# The generated bash completion (build/docs/vpnaas.bash) completes commands,
# options and option values, stepping over options that take a value.
# Usage: bash_completion_test.sh BUILD_DIR
set -euo pipefail
source "$1/docs/vpnaas.bash"
status=0
expect() {
  local want=$1
  shift
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _vpnaas
  if [ "${COMPREPLY[*]}" != "$want" ]; then
    echo "FAILED: '$*' completed to '${COMPREPLY[*]}', not '$want'" >&2
    status=1
  fi
}
expect generate vpnaas mesh gen
expect "text json" vpnaas mesh generate --format ''
expect --out vpnaas mesh generate -i inventory --ou
expect "ssh cwmp" vpnaas apply --parallel 3 --via ''
expect "validate show prune" vpnaas inventory ''
expect "" vpnaas device run r1 -- /ip
exit $status
