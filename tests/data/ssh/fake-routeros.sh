#!/bin/sh
# Stands in for the RouterOS console behind a test sshd (its ForceCommand).
# Everything about one fake router lives in $FAKE_ROUTER_DIR:
#   files/               the router's file store (SFTP, SCP and /export file=)
#   export.rsc           what /export prints
#   import-fail-pattern  /import fails at the first script line containing it
#   import-fail-message  the error RouterOS prints then
#   routeros-version     the release the router runs (default: what the script
#                        says it needs)
#   drop-upload          an SFTP upload breaks off: the connection is killed
#   commands.log         every command received, one a line
#   imported/            a copy of every script imported successfully
#   rebooted             created by an answered /system reboot (FakeRouter
#                        may then play the reboot: stop sshd, start it again)
#   boot-time            when the router booted (seconds since the epoch),
#                        for /system resource get uptime
# Output uses CRLF line ends, as RouterOS does.

dir=${FAKE_ROUTER_DIR:?}
mkdir -p "$dir/files" "$dir/imported"
cd "$dir/files" || exit 1
cmd=$SSH_ORIGINAL_COMMAND
printf '%s\n' "$cmd" >>"$dir/commands.log"

say() { printf '%s\r\n' "$@"; }

# The sshd process serving this connection: killing it drops the connection
# the way a router losing power or link does.
kill_connection() {
  pid=$$
  while [ "$pid" -gt 1 ]; do
    case $(cat "/proc/$pid/comm") in
    sshd*) kill -9 "$pid"; exit 1 ;;
    esac
    pid=$(cut -d' ' -f4 "/proc/$pid/stat")
  done
}

fake_import() {
  name=$1
  if [ ! -f "$name" ]; then
    say "Cannot open import file, file does not exist (:import; line 1)"
    return
  fi
  pattern=$(cat "$dir/import-fail-pattern" 2>/dev/null)
  message=$(cat "$dir/import-fail-message" 2>/dev/null)
  # An injected failure: the import stops at the first line holding the
  # pattern, printing the message with that line's number.
  if [ -n "$pattern" ]; then
    line=$(grep -n -F -m 1 -- "$pattern" "$name" | cut -d: -f1)
    if [ -n "$line" ]; then
      say "Script Error: ${message:-expected end of command} (line $line column 1)"
      return
    fi
  fi
  # Otherwise the strict RouterOS simulator runs it on this router's state.
  "${FAKE_ROUTER_IMPORT:?}" "$dir" "$name" || return
  cp "$name" "$dir/imported/$(date +%s%N).rsc"
}

case $cmd in
*sftp-server* | internal-sftp)
  if [ -e "$dir/drop-upload" ]; then
    # dd passes each byte on at once (head would hold them in its buffer).
    dd bs=1 count=3000 2>/dev/null | /usr/lib/openssh/sftp-server
    kill_connection
  fi
  exec /usr/lib/openssh/sftp-server
  ;;
"scp -t "*)
  exec scp -t "${cmd#scp -t }"
  ;;
/export)
  sed 's/$/\r/' "$dir/export.rsc"
  ;;
"/export file="*)
  cp "$dir/export.rsc" "${cmd#/export file=}.rsc"
  ;;
"/import file-name="*)
  name=${cmd#/import file-name=}
  name=${name#\"}
  fake_import "${name%\"}"
  ;;
"/file remove "*)
  name=${cmd#/file remove }
  name=${name#\"}
  name=${name%\"}
  if [ -f "$name" ]; then rm -f "$name"; else say "no such item"; fi
  ;;
"/system reboot")
  printf 'Reboot, yes? [y/N]: '
  read -r answer
  say ""
  if [ "$answer" = y ]; then
    : >"$dir/rebooted"
    say "system will reboot shortly"
  else
    say "action cancelled"
  fi
  ;;
":put [/system resource get uptime]")
  # RouterOS prints a time as [<n>w][<n>d]HH:MM:SS (see lib/src/device/reboot.cpp).
  up=$(($(date +%s) - $(cat "$dir/boot-time")))
  weeks=$((up / 604800)) days=$((up % 604800 / 86400))
  clock=$(printf '%02d:%02d:%02d' $((up % 86400 / 3600)) $((up % 3600 / 60)) $((up % 60)))
  prefix=
  [ "$weeks" -gt 0 ] && prefix="${weeks}w"
  [ "$days" -gt 0 ] && prefix="$prefix${days}d"
  say "$prefix$clock"
  ;;
:delay\ *)
  seconds=${cmd#:delay }
  sleep "${seconds%s}"
  ;;
"/system identity print")
  say "  name: fake-router"
  ;;
*)
  say "bad command name ${cmd#/} (line 1 column 2)"
  ;;
esac
exit 0
