#pragma once

#include <vpnaas/inventory/model.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <thread>

#include "support/paths.hpp"

namespace vpnaas::test {

// What a test client holds: a key every FakeRouter authorises, one none does,
// and an initially empty known_hosts file.
class SshClientKeys {
public:
  SshClientKeys();
  std::filesystem::path identity() const { return m_dir.path() / "id_ed25519"; }
  std::filesystem::path wrong_identity() const { return m_dir.path() / "wrong_ed25519"; }
  std::filesystem::path public_key() const { return m_dir.path() / "id_ed25519.pub"; }
  std::filesystem::path known_hosts() const { return m_dir.path() / "known_hosts"; }

private:
  TempDir m_dir;
};

struct FakeRouterOptions {
  bool sftp = true; // offer the SFTP subsystem (false: uploads must use SCP)
};

// A real OpenSSH sshd on 127.0.0.1 and a free port, run as the current user
// (root or not), with its own host key, whose forced command plays RouterOS
// (tests/data/ssh/fake-routeros.sh). Stopped on destruction.
class FakeRouter {
public:
  explicit FakeRouter(const SshClientKeys& keys, FakeRouterOptions options = {});
  ~FakeRouter();
  FakeRouter(const FakeRouter&) = delete;
  FakeRouter& operator=(const FakeRouter&) = delete;

  int port() const { return m_port; }
  // 127.0.0.1, this port, the current user.
  inventory::SshTarget target() const;
  // The router's state folder (see fake-routeros.sh) and its file store.
  const std::filesystem::path& dir() const { return m_dir.path(); }
  std::filesystem::path files() const { return dir() / "files"; }

  // Makes /import fail at the first line containing `pattern`, printing `message`.
  void fail_import_at(const std::string& pattern, const std::string& message);
  // Makes the next SFTP upload break off by killing the connection.
  void drop_uploads();
  // Restarts sshd on the same port with a newly generated host key.
  void replace_host_key();
  // Makes an answered /system reboot stop sshd, as a real reboot does, and
  // start it again on the same port after `down` with a fresh uptime (the
  // boot-time file); never_back leaves it stopped for good.
  void reboot_restarts_after(std::chrono::milliseconds down);
  void reboot_never_returns();
  // The router's host public key, as `ssh-keygen -lf` reads it.
  std::filesystem::path host_public_key() const { return dir() / "host_key.pub"; }

  // Commands received so far, one a line.
  std::string commands() const;
  // Scripts imported successfully so far, oldest first.
  std::vector<std::string> imported() const;

private:
  void write_config() const;
  void start();
  void stop();
  void watch_reboots(std::optional<std::chrono::milliseconds> down);

  TempDir m_dir;
  FakeRouterOptions m_options;
  int m_port = 0;
  pid_t m_pid = -1;
  // Plays the reboot (see reboot_restarts_after); joined before sshd stops.
  std::atomic<bool> m_closing{false};
  std::thread m_reboot_watcher;
};

// A port where a socket listens but never answers: connections are accepted
// by the kernel and then hang, as with a router whose SSH server is stuck.
class SilentPort {
public:
  SilentPort();
  ~SilentPort();
  SilentPort(const SilentPort&) = delete;
  SilentPort& operator=(const SilentPort&) = delete;
  int port() const { return m_port; }

private:
  int m_fd = -1;
  int m_port = 0;
};

// A port on 127.0.0.1 where nothing listens (connections are refused).
int closed_port();

// The user the tests run as.
std::string current_user();

} // namespace vpnaas::test
