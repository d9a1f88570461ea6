#!/usr/bin/env bash
# Runs inside the clean root made by install-test.sh: installs the package and
# uses it as a user would. Usage (in the root): in-root-test.sh PACKAGE.deb
set -euo pipefail
deb=$1
say() { printf 'in-root: %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

apt-get update -q >&2
# dpkg stops short of configuring a package whose Depends are missing; apt
# then installs exactly what those Depends name, or gives up.
dpkg -i "$deb" >&2 || say "dpkg -i left dependencies to resolve"
apt-get -f install -y -q --no-install-recommends >&2
dpkg-query -W -f='${Status}' vpnaas | grep -qx 'install ok installed' ||
  fail "vpnaas is not installed after apt-get -f install (unresolvable Depends?)"

version=$(vpnaas --version) || fail "vpnaas does not start: do its Depends miss a library?"
say "$version"
[ "$version" = "vpnaas $(dpkg-query -W -f='${Version}' vpnaas | sed 's/-[^-]*$//')" ] ||
  fail "vpnaas --version says '$version'"

# As an unprivileged user, so that any write into /usr (lock file, key, output)
# would fail the run instead of passing unnoticed as root.
work=/tmp/user
install -d -o nobody -g nogroup "$work" "$work/home"
touch /tmp/before-run
as_user() {
  setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env -u VPNAAS_MASTER_KEY HOME="$work/home" "$@"
}
key=$(printf '%064x' 1)
as_user sh -c "cd $work && VPNAAS_MASTER_KEY=$key vpnaas mesh generate" >&2
as_user sh -c "cd $work && vpnaas mesh check --out out" >&2
files=$(find "$work/out" -name '*.rsc' | wc -l)
[ "$files" -gt 0 ] || fail "mesh generate wrote no scripts into $work/out"
say "mesh generate wrote $files scripts into the working folder"

# Without a key anywhere, the bundled inventory's own key is created in the
# user's config folder.
as_user sh -c "cd $work && vpnaas mesh generate --out out-own-key" >&2
[ "$(stat -c %a "$work/home/.config/vpnaas/bundled-inventory.key")" = 600 ] ||
  fail "no bundled-inventory.key with mode 0600 in the user's config folder"

changed=$(find /usr/share/vpnaas -newer /tmp/before-run)
[ -z "$changed" ] || fail "the installed inventory was written to: $changed"

[ -s /usr/share/man/man1/vpnaas.1.gz ] || fail "no man page"
# Read whole first: `zcat | grep -q` fails under pipefail when grep stops at
# the first match and zcat, still writing, gets SIGPIPE (one CI run did).
man_page=$(zcat /usr/share/man/man1/vpnaas.1.gz)
grep -qx '\.SS "vpnaas mesh generate"' <<<"$man_page" ||
  fail "the man page has no mesh generate section"
# The completion function is called as bash-completion would, without it.
completed=$(bash -c 'source /usr/share/bash-completion/completions/vpnaas
  COMP_WORDS=(vpnaas mesh gen); COMP_CWORD=2; _vpnaas vpnaas gen mesh; echo "${COMPREPLY[*]}"')
[ "$completed" = generate ] || fail "bash completion of 'vpnaas mesh gen' gave '$completed'"
[ -s /usr/share/zsh/vendor-completions/_vpnaas ] || fail "no zsh completion"
# Installed, not enabled: the administrator puts the master key in place first.
grep -q '^ExecStart=/usr/bin/vpnaas acs serve ' /usr/lib/systemd/system/vpnaas-acs.service ||
  fail "no systemd unit for the ACS running /usr/bin/vpnaas"
say "package installed and working"
