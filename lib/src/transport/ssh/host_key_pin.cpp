#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <sstream>
#include <vector>

#include "session_state.hpp"

namespace vpnaas::transport::ssh {
namespace {

Result<std::string> fingerprint_of(ssh_key key) {
  unsigned char* hash = nullptr;
  size_t length = 0;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK) {
    return make_error(ErrorCode::internal, "cannot hash an SSH public key");
  }
  CString fingerprint(ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length));
  ssh_clean_pubkey_hash(&hash);
  if (!fingerprint) {
    return make_error(ErrorCode::internal, "cannot format an SSH key fingerprint");
  }
  return std::string(fingerprint.get());
}

// One key the inventory's known_hosts pins for the host, and where.
struct PinnedEntry {
  int line = 0;
  std::string fingerprint;
  bool matches = false;
};

// The entries of the pinned file for `name`, each compared with `server_key`.
// A line libssh cannot read fails the check rather than pinning nothing.
Result<std::vector<PinnedEntry>> pinned_entries(const PinnedKnownHosts& file,
                                                const std::string& name, ssh_key server_key) {
  std::vector<PinnedEntry> entries;
  std::istringstream in(file.text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') {
      continue;
    }
    ssh_knownhosts_entry* raw = nullptr;
    const int rc = ssh_known_hosts_parse_line(name.c_str(), line.c_str(), &raw);
    KnownHostsEntryHandle entry(raw);
    if (rc == SSH_AGAIN) {
      continue; // another host's line
    }
    if (rc != SSH_OK || !entry || entry->publickey == nullptr) {
      return make_error(
          ErrorCode::invalid_input,
          fmt::format("{}:{} is not a known_hosts entry that libssh can read", file.where, number),
          "copy the line as `ssh-keyscan -p PORT HOST` prints it, or remove it");
    }
    auto fingerprint = fingerprint_of(entry->publickey);
    if (!fingerprint) {
      return fingerprint.error();
    }
    entries.push_back(PinnedEntry{
        number, *fingerprint, ssh_key_cmp(server_key, entry->publickey, SSH_KEY_CMP_PUBLIC) == 0});
  }
  return entries;
}

Error pin_mismatch(const Session::State& state, const std::string& expected,
                   const HostKey& presented, const std::string& pin_file) {
  return make_error(
      ErrorCode::remote,
      fmt::format("host key of {} port {} does not match the pinned key: {}, but the server "
                  "presents {}; refusing to connect (the device may have been replaced, or "
                  "someone is intercepting the connection)",
                  state.target.host, state.target.port, expected, describe(presented)),
      fmt::format("--accept-new-host-keys does not override a pin. If the router's key really "
                  "changed, verify the new fingerprint on the router itself, then update {}",
                  pin_file));
}

} // namespace

Result<HostKey> server_host_key(const Session::State& state) {
  ssh_key raw_key = nullptr;
  if (ssh_get_server_publickey(state.session.get(), &raw_key) != SSH_OK) {
    return remote_error(state, "cannot read the server's host key");
  }
  KeyHandle key(raw_key);
  auto fingerprint = fingerprint_of(key.get());
  if (!fingerprint) {
    return fingerprint.error();
  }
  const char* type = ssh_key_type_to_char(ssh_key_type(key.get()));
  return HostKey{type != nullptr ? type : "unknown", *fingerprint};
}

std::string describe(const HostKey& key) {
  return fmt::format("{} key {}", key.type, key.fingerprint);
}

std::optional<Status> check_pinned_host_key(const Session::State& state) {
  const auto& pin = state.target.host_key;
  const auto& file = state.options.pinned_known_hosts;
  if (!pin && !file) {
    return std::nullopt;
  }
  ssh_key raw_key = nullptr;
  if (ssh_get_server_publickey(state.session.get(), &raw_key) != SSH_OK) {
    return Status(remote_error(state, "cannot read the server's host key"));
  }
  KeyHandle key(raw_key);
  auto presented = server_host_key(state);
  if (!presented) {
    return Status(presented.error());
  }

  if (pin && pin->fingerprint != presented->fingerprint) {
    return Status(pin_mismatch(state, fmt::format("{} pins {}", pin->where, pin->fingerprint),
                               *presented, fmt::format("host-key: at {}", pin->where)));
  }
  if (file) {
    auto entries = pinned_entries(*file, known_hosts_name(state.target), key.get());
    if (!entries) {
      return Status(entries.error());
    }
    bool matched = entries->empty();
    std::string expected;
    for (const auto& entry : *entries) {
      matched = matched || entry.matches;
      expected += fmt::format("{}{} (line {})", expected.empty() ? "" : ", ", entry.fingerprint,
                              entry.line);
    }
    if (!matched) {
      return Status(pin_mismatch(
          state, fmt::format("{} pins {}", file->where, expected), *presented,
          fmt::format("the lines for {} in {}", known_hosts_name(state.target), file->where)));
    }
    if (!pin && entries->empty()) {
      return std::nullopt; // the inventory's file says nothing about this host
    }
  }
  return Status(Ok{});
}

std::filesystem::path known_hosts_for_connect(const Endpoint& target, const SshOptions& options) {
  return target.host_key ? std::filesystem::path("/dev/null") : known_hosts_path(options);
}

Result<HostKey> Session::host_key() const {
  return server_host_key(*m_state);
}

} // namespace vpnaas::transport::ssh
