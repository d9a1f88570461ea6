#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "session_state.hpp"

namespace vpnaas::transport::ssh {
namespace {

namespace fs = std::filesystem;

// Sessions of one run may learn several new hosts at the same time; appends
// to the shared known_hosts file must not interleave.
std::mutex g_known_hosts_mutex;

// Line numbers of the entries for `name`, so that a refusal can point at them.
std::vector<int> entry_lines(const fs::path& file, const std::string& name) {
  std::vector<int> lines;
  std::ifstream in(file);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') {
      continue;
    }
    ssh_knownhosts_entry* raw = nullptr;
    if (ssh_known_hosts_parse_line(name.c_str(), line.c_str(), &raw) == SSH_OK) {
      KnownHostsEntryHandle entry(raw);
      lines.push_back(number);
    }
  }
  return lines;
}

// "ssh-ed25519 key SHA256:...", or "" when the key cannot be read.
std::string describe_server_key(const Session::State& state) {
  auto key = server_host_key(state);
  return key ? describe(*key) : std::string();
}

std::string join_lines(const fs::path& file, const std::vector<int>& lines) {
  if (lines.empty()) {
    return file.string();
  }
  std::string out;
  for (int line : lines) {
    out += fmt::format("{}{}:{}", out.empty() ? "" : ", ", file.string(), line);
  }
  return out;
}

fs::path home_folder() {
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
    return home;
  }
  const passwd* entry = ::getpwuid(::getuid());
  return entry != nullptr && entry->pw_dir != nullptr ? fs::path(entry->pw_dir) : fs::path();
}

fs::path state_home() {
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  if (const char* xdg = std::getenv("XDG_STATE_HOME");
      xdg != nullptr && fs::path(xdg).is_absolute()) {
    return xdg;
  }
  const fs::path home = home_folder();
  return home.empty() ? fs::path() : home / ".local" / "state";
}

// Whoever may write the known_hosts file decides which servers vpnaas trusts
// with passwords and pre-shared keys, as whoever may read the master key file
// holds every key.
Status check_not_writable_by_others(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return Ok{};
    }
    return make_error(
        ErrorCode::io,
        fmt::format("cannot read known_hosts file {}: {}", file.string(), std::strerror(errno)),
        "check the file's permissions, or pass another with --known-hosts");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return make_error(
        ErrorCode::environment,
        fmt::format("known_hosts file {} is writable by group or others (mode {:04o})",
                    file.string(), st.st_mode & 07777),
        fmt::format("run `chmod 600 {}`; like the master key file, vpnaas refuses a known_hosts "
                    "file others can change, since it decides which servers are trusted",
                    file.string()));
  }
  return Ok{};
}

Error create_error(const char* what, const fs::path& path, int err) {
  return make_error(ErrorCode::io,
                    fmt::format("cannot create {} {}: {}", what, path.string(), std::strerror(err)),
                    "check that the folder is writable, or pass --known-hosts");
}

// The file libssh appends to must exist first: libssh would create it with
// the umask's mode, readable by everyone.
Status create_private_file(const fs::path& file) {
  fs::path current;
  for (const fs::path& part : file.parent_path()) {
    current /= part;
    std::error_code ec;
    if (fs::exists(current, ec)) {
      continue;
    }
    if (::mkdir(current.c_str(), 0700) != 0 && errno != EEXIST) {
      return create_error("folder", current, errno);
    }
    // mkdir honours the umask; chmod makes the mode exactly 0700 regardless.
    if (::chmod(current.c_str(), 0700) != 0) {
      return create_error("folder", current, errno);
    }
  }
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return errno == EEXIST ? Status(Ok{}) : Status(create_error("known_hosts file", file, errno));
  }
  const bool ok = ::fchmod(fd, 0600) == 0;
  const int err = errno;
  ::close(fd);
  return ok ? Status(Ok{}) : Status(create_error("known_hosts file", file, err));
}

} // namespace

std::string known_hosts_name(const Endpoint& target) {
  // libssh compares host names in lower case.
  std::string host = target.host;
  for (char& c : host) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return target.port == 22 ? host : fmt::format("[{}]:{}", host, target.port);
}

std::filesystem::path known_hosts_path(const SshOptions& options) {
  if (!options.known_hosts.empty()) {
    return options.known_hosts;
  }
  const fs::path state = state_home();
  return state.empty() ? fs::path("known_hosts") : state / "vpnaas" / "known_hosts";
}

Status Session::verify_host_key() {
  State& state = *m_state;
  if (auto pinned = check_pinned_host_key(state)) {
    return *pinned;
  }
  ssh_session session = state.session.get();
  const fs::path file = known_hosts_path(state.options);
  const std::string name = known_hosts_name(state.target);
  if (auto safe = check_not_writable_by_others(file); !safe) {
    return safe;
  }

  switch (ssh_session_is_known_server(session)) {
  case SSH_KNOWN_HOSTS_OK:
    return Ok{};
  case SSH_KNOWN_HOSTS_CHANGED:
  case SSH_KNOWN_HOSTS_OTHER:
    return make_error(
        ErrorCode::remote,
        fmt::format("host key of {} port {} has changed: the server now offers {}, but {} holds "
                    "a different key; refusing to connect (the device may have been replaced, "
                    "or someone is intercepting the connection)",
                    state.target.host, state.target.port, describe_server_key(state),
                    join_lines(file, entry_lines(file, name))),
        fmt::format("if the change is expected, verify the new fingerprint on the device, remove "
                    "the old entry with `ssh-keygen -R '{}' -f {}` and connect again with "
                    "--accept-new-host-keys",
                    name, file.string()));
  case SSH_KNOWN_HOSTS_UNKNOWN:
  case SSH_KNOWN_HOSTS_NOT_FOUND:
    break;
  case SSH_KNOWN_HOSTS_ERROR:
    return remote_error(state, fmt::format("cannot check the host key against {}", file.string()),
                        "check that the known_hosts file is readable");
  }

  if (!state.options.accept_new_host_keys) {
    return make_error(
        ErrorCode::remote,
        fmt::format("host key of {} port {} is not in {} (the server offers {}); refusing an "
                    "unknown host",
                    state.target.host, state.target.port, file.string(),
                    describe_server_key(state)),
        "verify the fingerprint on the device, then connect once with --accept-new-host-keys "
        "to record it, or pin it with host-key: in the inventory (`vpnaas device host-key NAME` "
        "prints it)");
  }
  std::lock_guard lock(g_known_hosts_mutex);
  if (auto created = create_private_file(file); !created) {
    return created;
  }
  if (ssh_session_update_known_hosts(session) != SSH_OK) {
    return make_error(ErrorCode::io,
                      fmt::format("cannot record the host key of {} in {}: {}", state.endpoint,
                                  file.string(), last_error(session)),
                      "check that the file and its folder are writable, or pass --known-hosts");
  }
  return Ok{};
}

} // namespace vpnaas::transport::ssh
