#!/bin/sh
# Stands in for the RouterOS console behind a test sshd (its ForceCommand).
# Everything about one fake router lives in $FAKE_ROUTER_DIR:
#   files/               the router's file store (SFTP, SCP and /export file=)
#   export.rsc           what /export prints
#   import-fail-pattern  /import fails at the first script line containing it
#   import-fail-message  the error RouterOS prints then
#   routeros-version     the release the router runs (default: what the script
#                        says it needs)
#   drop-upload          the next SFTP upload breaks off: the connection is
#                        killed after 3000 bytes (the file is then removed)
#   backup-fail          /export file= saves nothing and prints this file's text
#   import-cut-off       /import echoes as many script lines as this file says
#                        and stops, without RouterOS's success line
#   import-interrupted   /import echoes 3 script lines and prints `interrupted`
#   import-drop          /import echoes 3 script lines, then the connection is
#                        killed
#   import-delay         /import first sleeps this many seconds (a slow router)
#   remove-fail          /file remove removes nothing and prints this file's text
#   scheduler/vpnaas-apply-lock/
#                        the apply lock (a /system scheduler item): files
#                        `comment` (holder's run id) and `expires` (epoch
#                        seconds when its on-event removes it)
#   commands.log         every command received, one a line
#   imported/            a copy of every script imported successfully
#   rebooted             created by an answered /system reboot (FakeRouter
#                        may then play the reboot: stop sshd, start it again)
#   boot-time            when the router booted (seconds since the epoch),
#                        for /system resource get uptime
#   command-delay        seconds every console command waits before it runs
#   count-in             a folder (routers may share one) where each console
#                        command counts itself while it runs: its file `now`
#                        holds the commands running, `max` the most at once
# Commands only tests send:
#   /vpnaas-test flood [stderr]   prints without end (to stderr with "stderr")
# Output uses CRLF line ends, as RouterOS does.
#
# sshd runs it with `. script` in the user's login shell, so it must stay
# POSIX sh (root's shell is bash, a test user's may be dash). Each command
# of every apply passes here; the tests start thousands, and each process
# spawned costs a millisecond or more (more under the sanitizers), so the
# common paths use shell built-ins (read, parameter expansion) rather than
# cat, sed or mkdir (README.md, "CI time").

dir=${FAKE_ROUTER_DIR:?}
[ -d "$dir/imported" ] || mkdir -p "$dir/files" "$dir/imported"
cd "$dir/files" || exit 1
cmd=$SSH_ORIGINAL_COMMAND
printf '%s\n' "$cmd" >>"$dir/commands.log"

say() { printf '%s\r\n' "$@"; }

# Uploads are left out: their branches exec, so no exit trap would count them out.
case $cmd in
*sftp-server* | internal-sftp | "scp -t "*) ;;
*)
  if [ -f "$dir/count-in" ]; then
    read -r counts <"$dir/count-in"
    count() {
      (
        flock 9
        now=$(($(cat "$counts/now" 2>/dev/null || echo 0) + $1))
        echo "$now" >"$counts/now"
        if [ "$now" -gt "$(cat "$counts/max" 2>/dev/null || echo 0)" ]; then
          echo "$now" >"$counts/max"
        fi
      ) 9>>"$counts/lock"
    }
    count 1
    trap 'count -1' EXIT
  fi
  if [ -f "$dir/command-delay" ]; then
    read -r delay <"$dir/command-delay"
    sleep "$delay"
  fi
  ;;
esac

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

echo_lines() {
  head -n "$1" "$2" | sed 's/$/\r/'
}

fake_import() {
  name=$1
  if [ -f "$dir/import-delay" ]; then
    read -r delay <"$dir/import-delay"
    sleep "$delay"
  fi
  if [ ! -f "$name" ]; then
    say "Cannot open import file, file does not exist (:import; line 1)"
    return
  fi
  if [ -e "$dir/import-drop" ]; then
    echo_lines 3 "$name"
    kill_connection
  fi
  if [ -e "$dir/import-interrupted" ]; then
    echo_lines 3 "$name"
    say "interrupted"
    return
  fi
  if [ -f "$dir/import-cut-off" ]; then
    echo_lines "$(cat "$dir/import-cut-off")" "$name"
    return
  fi
  # An injected failure: the import stops at the first line holding the
  # pattern, printing the message with that line's number.
  if [ -f "$dir/import-fail-pattern" ]; then
    pattern=$(cat "$dir/import-fail-pattern")
    message=$(cat "$dir/import-fail-message" 2>/dev/null)
  fi
  if [ -n "${pattern:-}" ]; then
    line=$(grep -n -F -m 1 -- "$pattern" "$name" | cut -d: -f1)
    if [ -n "$line" ]; then
      say "Script Error: ${message:-expected end of command} (line $line column 1)"
      return
    fi
  fi
  # Otherwise the strict RouterOS simulator runs it on this router's state
  # and, when it succeeds, keeps a copy in $dir/imported/.
  "${FAKE_ROUTER_IMPORT:?}" "$dir" "$name"
}

lock=$dir/scheduler/vpnaas-apply-lock

# The lock's on-event: it removes the item once its interval has passed.
expire_lock() {
  if [ -f "$lock/expires" ]; then
    read -r expires <"$lock/expires"
    if [ "$expires" -le "$(date +%s)" ]; then
      rm -rf "$lock"
    fi
  fi
}

# `add` refuses a second item of the same name: the new item is built aside
# and renamed into place, which fails when another is there already.
# comment_of: the comment="..." of the command (no quotes inside it).
comment_of() {
  case $cmd in
  *' comment="'*)
    comment=${cmd#* comment=\"}
    comment=${comment%%\"*}
    ;;
  *) comment= ;;
  esac
}

take_lock() {
  comment_of
  seconds=${cmd#* interval=}
  seconds=${seconds%%s *}
  [ -d "$dir/scheduler" ] || mkdir -p "$dir/scheduler"
  expire_lock
  if [ ! -d "$lock" ]; then
    # $$ is unique among the commands running at once.
    new=$dir/scheduler/.new.$$
    mkdir "$new"
    printf '%s' "$comment" >"$new/comment"
    echo $(($(date +%s) + seconds)) >"$new/expires"
    mv -T "$new" "$lock" 2>/dev/null || rm -rf "$new"
  fi
  held=
  [ -f "$lock/comment" ] && read -r held <"$lock/comment"
  say "vpnaas:lock:$held"
}

release_lock() {
  comment_of
  # read answers 1 at a file's end without a newline, yet sets `held`.
  if [ -f "$lock/comment" ] && { read -r held <"$lock/comment" || :; } && [ "$held" = "$comment" ]; then
    rm -rf "$lock"
  fi
}

unquote() {
  name=${1#\"}
  printf '%s' "${name%\"}"
}

case $cmd in
*sftp-server* | internal-sftp)
  if [ -e "$dir/drop-upload" ]; then
    rm -f "$dir/drop-upload"
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
  if [ -f "$dir/backup-fail" ]; then
    say "$(cat "$dir/backup-fail")"
  else
    cp "$dir/export.rsc" "$(unquote "${cmd#/export file=}").rsc"
  fi
  ;;
"/import file-name="*)
  fake_import "$(unquote "${cmd#/import file-name=}")"
  ;;
"/file remove "*)
  name=$(unquote "${cmd#/file remove }")
  if [ -f "$dir/remove-fail" ]; then
    say "$(cat "$dir/remove-fail")"
  elif [ -f "$name" ]; then
    rm -f "$name"
  else
    say "no such item"
  fi
  ;;
":foreach f in=[/file find where name~\"^"*)
  prefix=${cmd#*name~\"^}
  prefix=${prefix%%\"*}
  for f in "$prefix"*; do
    if [ -f "$f" ]; then say "$f"; fi
  done
  ;;
":if ([:len [/system scheduler find where name=\"vpnaas-apply-lock\"]] = 0) do="*)
  take_lock
  ;;
"/system scheduler remove [find where name=\"vpnaas-apply-lock\" and comment="*)
  release_lock
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
"/vpnaas-test flood")
  yes 'flood flood flood flood flood flood flood flood flood flood flood flood'
  ;;
"/vpnaas-test flood stderr")
  yes 'flood flood flood flood flood flood flood flood flood flood flood flood' >&2
  ;;
"/system identity print")
  say "  name: fake-router"
  ;;
*)
  say "bad command name ${cmd#/} (line 1 column 2)"
  ;;
esac
exit 0
