#include "support/cwmp/acs_process.hpp"

#include <vpnaas/acs/sqlite_store.hpp>
#include <vpnaas/secrets/cpe_credentials.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <regex>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "support/run.hpp"

namespace vpnaas::test {

std::string cpe_password(const std::string& serial) {
  std::vector<unsigned char> bytes;
  const std::string hex = kTestMasterKey;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    bytes.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  auto credentials = secrets::derive_cpe_credentials(secrets::MasterKey(bytes, "test"), serial);
  if (!credentials) {
    throw std::runtime_error("derive_cpe_credentials failed");
  }
  return credentials->acs.password;
}

AcsProcess::AcsProcess(std::vector<std::string> extra_args) {
  const auto inventory = m_dir.path() / "inventory";
  copy_tree(source_path("inventory"), inventory);
  // The bundled inventory names a public ACS URL; file links must point here.
  std::string yaml = read_file(inventory / "vpnaas.yaml");
  yaml = std::regex_replace(yaml, std::regex("\n *acs:[^\n]*"), "");
  write_file(inventory / "vpnaas.yaml", yaml);

  m_args = {cli_path(),
            "acs",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data",
            (m_dir.path() / "data").string(),
            "--inventory",
            inventory.string(),
            "--threads",
            "2"};
  m_args.insert(m_args.end(), extra_args.begin(), extra_args.end());
  spawn(false);
}

void AcsProcess::restart() {
  m_store.reset();
  if (m_pid > 0) {
    stop(SIGKILL);
  }
  // The same port, so that URLs handed out before (Download links, the
  // CPEs' ACS URL) point at the new process.
  const auto colon = m_url.rfind(':');
  for (std::size_t i = 0; i + 1 < m_args.size(); ++i) {
    if (m_args[i] == "--listen") {
      m_args[i + 1] = "127.0.0.1:" + m_url.substr(colon + 1);
    }
  }
  spawn(true);
}

void AcsProcess::spawn(bool append_log) {
  std::vector<std::string> args = m_args;
  const std::string log_path = (m_dir.path() / "serve.log").string();
  // Only what this start writes counts when looking for its address.
  const std::size_t log_start = append_log ? log().size() : 0;
  m_pid = fork();
  if (m_pid == 0) {
    const int fd =
        open(log_path.c_str(), O_WRONLY | O_CREAT | (append_log ? O_APPEND : O_TRUNC), 0600);
    dup2(fd, 2);
    const int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    setenv("VPNAAS_MASTER_KEY", kTestMasterKey, 1);
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  const std::regex listening("listening on (https?://[^ ]+) ");
  for (int i = 0; i < 1000; ++i) {
    std::smatch m;
    const std::string whole = log();
    const std::string text = whole.size() > log_start ? whole.substr(log_start) : std::string();
    if (std::regex_search(text, m, listening)) {
      m_url = m[1];
      return;
    }
    int status = 0;
    if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
      m_pid = -1;
      throw std::runtime_error("vpnaas acs serve exited: " + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("vpnaas acs serve did not start: " + log());
}

AcsProcess::~AcsProcess() {
  m_store.reset();
  if (m_pid > 0) {
    stop(SIGKILL);
  }
}

std::string AcsProcess::log() const {
  std::error_code ec;
  if (!std::filesystem::exists(m_dir.path() / "serve.log", ec)) {
    return {};
  }
  return read_file(m_dir.path() / "serve.log");
}

acs::Store& AcsProcess::store() {
  if (!m_store) {
    auto opened = acs::open_sqlite_store(database());
    if (!opened) {
      throw std::runtime_error("cannot open the server's store: " + opened.error().message);
    }
    m_store = std::move(*opened);
  }
  return *m_store;
}

void AcsProcess::send(int signal) {
  if (m_pid > 0) {
    kill(m_pid, signal);
  }
}

int AcsProcess::stop(int signal) {
  if (m_pid <= 0) {
    return -1;
  }
  kill(m_pid, signal);
  int status = 0;
  waitpid(m_pid, &status, 0);
  m_pid = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool AcsProcess::wait_for_log(const std::string& text) const {
  for (int i = 0; i < 200; ++i) {
    if (log().find(text) != std::string::npos) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::optional<CpeConfig> routeros_cpe(const AcsProcess& server, const std::string& serial) {
  auto inform = shared_path("data/cwmp/mikrotik-inform-haplite-6.42rc49.xml");
  if (!inform) {
    return std::nullopt;
  }
  CpeConfig config;
  config.mode = CpeConfig::Mode::routeros;
  config.acs_url = server.url() + "/";
  config.serial = serial;
  config.username = serial;
  config.password = cpe_password(serial);
  config.inform_template = inform->string();
  return config;
}

std::map<std::string, std::string> cli_env(const AcsProcess& server) {
  return {{"VPNAAS_ACS", (server.dir() / "data" / "acs.sock").string()},
          {"VPNAAS_MASTER_KEY", kTestMasterKey},
          {"VPNAAS_INVENTORY", (server.dir() / "inventory").string()}};
}

void accept_cpe(const AcsProcess& server, CpeSimulator& cpe, const std::string& name) {
  const SessionLog first = cpe.run_session({{"1 BOOT", ""}});
  REQUIRE_MESSAGE(first.final_status == 204, first.error);
  const RunResult accepted =
      run_cli({"device", "accept", cpe.config().serial, "--device", name}, cli_env(server));
  REQUIRE_MESSAGE(accepted.exit_code == 0, accepted.err);
}

} // namespace vpnaas::test
