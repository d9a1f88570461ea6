#pragma once

#include <vpnaas/transport/ssh/endpoint.hpp>
#include <vpnaas/transport/ssh/options.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <thread>
#include <vector>

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
  // SSH options for a client holding these keys: its known_hosts and
  // identity, new host keys accepted, and a password variable no environment
  // sets, so that no real password is ever tried.
  transport::ssh::SshOptions ssh_options() const;

private:
  TempDir m_dir;
};

// A local account that logs in to a FakeRouter with a password only (root
// only: useradd, chpasswd). Tests running at once share the one account, so
// each holds a file lock on it from construction to destruction.
class PasswordUser {
public:
  // Creates the account, or reuses one a crashed run left, and gives it a
  // fresh random password. Throws when a tool fails.
  PasswordUser();
  // Deletes the account (locks its password if it cannot be deleted).
  ~PasswordUser();
  PasswordUser(const PasswordUser&) = delete;
  PasswordUser& operator=(const PasswordUser&) = delete;

  static constexpr const char* kName = "vpnaas-test-pw";
  std::string name() const { return kName; }
  const std::string& password() const { return m_password; }

private:
  int m_lock_fd = -1;
  TempDir m_home;
  std::string m_password;
};

struct FakeRouterOptions {
  bool sftp = true; // offer the SFTP subsystem (false: uploads must use SCP)
  // > 0: every public key check first waits this long (an AuthorizedKeysCommand
  // that sleeps), as a device whose key or RADIUS lookup hangs. Root only:
  // sshd runs the command as a configured user.
  int auth_delay_seconds = 0;
  // Log in as this user with its password only (no key is authorised); the
  // router's state folder belongs to that user.
  const PasswordUser* password_user = nullptr;
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
  // 127.0.0.1, this port, the current user (or the password user).
  transport::ssh::Endpoint target() const;
  // The router's state folder (see fake-routeros.sh) and its file store.
  const std::filesystem::path& dir() const { return m_dir.path(); }
  std::filesystem::path files() const { return dir() / "files"; }

  // Makes /import fail at the first line containing `pattern`, printing `message`.
  void fail_import_at(const std::string& pattern, const std::string& message);
  // Makes the next SFTP upload break off by killing the connection.
  void drop_uploads();
  // Makes `/export file=` save nothing and print `message`.
  void fail_backups(const std::string& message);
  // Makes /import echo the first `lines` script lines and stop (no success line).
  void cut_off_imports(int lines);
  // Makes /import echo 3 script lines and print `interrupted`.
  void interrupt_imports();
  // Makes /import echo 3 script lines and then kill the connection.
  void drop_imports();
  // Makes `/file remove` remove nothing and print `message`.
  void fail_removals(const std::string& message);
  // Makes /import sleep `seconds` before it starts.
  void delay_imports(int seconds);
  // Puts the apply lock in place for `run_id`, expiring `seconds` from now
  // (negative: already expired, as a lock left by a run that died).
  void hold_lock(const std::string& run_id, int seconds);
  // The run id holding the apply lock, empty when none does.
  std::string lock_holder() const;
  // The names in the router's file store, sorted.
  std::vector<std::string> file_names() const;
  // Makes every console command wait this long before it runs, so that the
  // commands of parallel connections overlap.
  void delay_commands(double seconds);
  // Makes every console command count itself in `folder` while it runs (see
  // fake-routeros.sh); routers may share one folder. Read with max_counted().
  void count_commands_in(const std::filesystem::path& folder);
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
  // The port, bound but not listening, while a reboot keeps the router down.
  int m_port_hold = -1;
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

// The most console commands that ran at once in a count_commands_in() folder
// (0 when none ran).
int max_counted(const std::filesystem::path& folder);

// A port on 127.0.0.1 where nothing listens (connections are refused).
int closed_port();

// `script` without the `:put "vpnaas:done:<run id>"` line apply appends to
// what it uploads; unchanged when it has none.
std::string without_end_marker(const std::string& script);

// The user the tests run as.
std::string current_user();

} // namespace vpnaas::test
