#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <vector>

#include "session_state.hpp"

namespace vpnaas::transport::ssh {
namespace {

// Sessions of one run may learn several new hosts at the same time; appends
// to the shared known_hosts file must not interleave.
std::mutex g_known_hosts_mutex;

struct KnownHostsEntryFree {
  void operator()(ssh_knownhosts_entry* entry) const { ssh_knownhosts_entry_free(entry); }
};

// The name known_hosts files use: "host" on port 22, "[host]:port" otherwise.
// libssh compares host names in lower case.
std::string known_hosts_name(const inventory::SshTarget& target) {
  std::string host = target.host;
  for (char& c : host) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return target.port == 22 ? host : fmt::format("[{}]:{}", host, target.port);
}

// Line numbers of the entries for `name`, so that a refusal can point at them.
std::vector<int> entry_lines(const std::filesystem::path& file, const std::string& name) {
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
      std::unique_ptr<ssh_knownhosts_entry, KnownHostsEntryFree> entry(raw);
      lines.push_back(number);
    }
  }
  return lines;
}

// "ED25519 key SHA256:...", or "" when the key cannot be read.
std::string describe_server_key(ssh_session session) {
  ssh_key raw_key = nullptr;
  if (ssh_get_server_publickey(session, &raw_key) != SSH_OK) {
    return {};
  }
  KeyHandle key(raw_key);
  unsigned char* hash = nullptr;
  size_t length = 0;
  if (ssh_get_publickey_hash(key.get(), SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK) {
    return {};
  }
  CString fingerprint(ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length));
  ssh_clean_pubkey_hash(&hash);
  const char* type = ssh_key_type_to_char(ssh_key_type(key.get()));
  return fmt::format("{} key {}", type != nullptr ? type : "unknown",
                     fingerprint ? fingerprint.get() : "");
}

std::string join_lines(const std::filesystem::path& file, const std::vector<int>& lines) {
  if (lines.empty()) {
    return file.string();
  }
  std::string out;
  for (int line : lines) {
    out += fmt::format("{}{}:{}", out.empty() ? "" : ", ", file.string(), line);
  }
  return out;
}

} // namespace

std::filesystem::path known_hosts_path(const SshOptions& options) {
  if (!options.known_hosts.empty()) {
    return options.known_hosts;
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : "") / ".ssh" / "known_hosts";
}

Status Session::verify_host_key() {
  State& state = *m_state;
  ssh_session session = state.session.get();
  const std::filesystem::path file = known_hosts_path(state.options);
  const std::string name = known_hosts_name(state.target);

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
                    state.target.host, state.target.port, describe_server_key(session),
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
                    describe_server_key(session)),
        "verify the fingerprint on the device, then connect once with --accept-new-host-keys "
        "to record it");
  }
  std::lock_guard lock(g_known_hosts_mutex);
  if (ssh_session_update_known_hosts(session) != SSH_OK) {
    return make_error(ErrorCode::io,
                      fmt::format("cannot record the host key of {} in {}: {}", state.endpoint,
                                  file.string(), last_error(session)),
                      "check that the file and its folder are writable, or pass --known-hosts");
  }
  return Ok{};
}

} // namespace vpnaas::transport::ssh
