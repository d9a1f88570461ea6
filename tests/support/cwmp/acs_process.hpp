#pragma once

// `vpnaas acs serve` run as a child process on 127.0.0.1:0 with a temp data
// dir and a copy of the bundled inventory, for end-to-end tests.

#include <vpnaas/acs/store.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "support/cwmp/cpe_simulator.hpp"
#include "support/paths.hpp"

namespace vpnaas::test {

// 64 hex digits: the master key every test server runs with.
inline constexpr const char* kTestMasterKey =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

// dc1-r1's serial in the bundled inventory: a CPE the inventory binds.
inline constexpr const char* kInventorySerial = "9A1B2C3D4E5F";

// The ACS password a CPE derives from kTestMasterKey.
std::string cpe_password(const std::string& serial);

class AcsProcess {
public:
  explicit AcsProcess(std::vector<std::string> extra_args = {});
  ~AcsProcess();
  AcsProcess(const AcsProcess&) = delete;
  AcsProcess& operator=(const AcsProcess&) = delete;

  // "http://127.0.0.1:41234", as the first log line says.
  const std::string& url() const { return m_url; }
  std::string log() const;
  std::filesystem::path database() const { return m_dir.path() / "data" / "acs.sqlite"; }
  const std::filesystem::path& dir() const { return m_dir.path(); }
  // Another handle on the server's SQLite file, as the management API will have.
  acs::Store& store();
  // Sends `signal`, waits for the exit; returns the exit status (or 128+signal).
  int stop(int signal = 15);
  void send(int signal);
  // Waits until the log holds `text`; false after 10 s.
  bool wait_for_log(const std::string& text) const;
  // Starts the server again on the same data dir and port (after stop()
  // or a kill -9), appending to the same log; kills a running one first.
  void restart();
  bool running() const { return m_pid > 0; }

private:
  void spawn(bool append_log);

  TempDir m_dir;
  std::vector<std::string> m_args;
  pid_t m_pid = -1;
  std::string m_url;
  std::unique_ptr<acs::Store> m_store;
};

// A RouterOS CPE (the real 6.42 Inform as its template, Digest with the
// serial's derived password) for `server`; nullopt without ../shared.
std::optional<CpeConfig> routeros_cpe(const AcsProcess& server, const std::string& serial);

// What a terminal user of `vpnaas device ...` has for `server`: its
// management socket ($VPNAAS_ACS), the key, its copy of the inventory.
std::map<std::string, std::string> cli_env(const AcsProcess& server);

// The first session of `cpe` (a serial the inventory does not bind: it is
// recorded as pending), then `vpnaas device accept SERIAL --device NAME`.
void accept_cpe(const AcsProcess& server, CpeSimulator& cpe, const std::string& name);

} // namespace vpnaas::test
