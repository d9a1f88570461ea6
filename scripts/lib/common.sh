# Shared by the scripts in scripts/: package installation and builds.
# Sourced, not run. Everything it prints goes to stderr so that the CLI's
# stdout stays clean for pipes and --format json.

VPNAAS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Debian packages needed to build and run vpnaas (python3: the man page and
# shell completions are generated from --help at build time).
VPNAAS_BUILD_PACKAGES=(g++ cmake ninja-build ccache pkg-config git libcli11-dev libyaml-cpp-dev
  libfmt-dev libtinyxml2-dev libcurl4-openssl-dev libssh-dev libssl-dev nlohmann-json3-dev
  doctest-dev libboost-dev libsqlite3-dev python3)
# Extra packages for the test suite and benchmarks (real sshd, GNU time, pssh,
# script(1) from bsdutils for a terminal in tests, the openssl command for the
# independent check of the pre-shared key derivation, passwd for the password
# login tests' useradd and chpasswd; lld links the sanitizer build, see
# cmake/StandardSettings.cmake).
VPNAAS_TEST_PACKAGES=(openssh-server openssh-client time pssh bsdutils openssl passwd lld)
# For the Debian package and its install test: dpkg-shlibdeps (dpkg-dev) and
# file(1) derive the package's Depends; debootstrap makes the clean root;
# zsh checks the zsh completion's syntax.
VPNAAS_PACKAGE_PACKAGES=(dpkg-dev file debootstrap zsh)

log() { printf '%s\n' "$*" >&2; }

# Installs only the packages that are missing, so a warm machine pays nothing.
ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  ((${#missing[@]})) || return 0
  log "vpnaas: installing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "vpnaas: need root or sudo to install ${missing[*]}"; return 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
    "${sudo[@]}" apt-get update -q >&2
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
}

# The optimised build every script makes: ./scripts/vpnaas, the package, the
# benchmarks and CI's normal test tree use the same flags, so CI compiles with
# -Werror exactly what users run, and ccache shares their objects. -g1 keeps
# line tables for backtraces; cpack strips the package's binaries. Unity
# batches (CMakeLists.txt) for the same reasons: the package ships the very
# translation units CI compiled, and a cold build takes about half the time
# (README.md, "CI time"); an edit then recompiles its batch, not one file.
VPNAAS_RELEASE_CMAKE=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
  -DVPNAAS_UNITY_BUILD=ON)

# build_tree DIR [cmake -D options...]: configures on first use, then builds
# incrementally (ninja does nothing when no source changed).
build_tree() {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    log "vpnaas: configuring $dir"
    cmake -S "$VPNAAS_ROOT" -B "$dir" -G Ninja "$@" >&2 || return 1
  fi
  cmake --build "$dir" -j "$(nproc)" >&2
}
