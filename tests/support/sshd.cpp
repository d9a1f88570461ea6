#include "support/sshd.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "support/run.hpp"

namespace vpnaas::test {
namespace {

void check_run(const std::vector<std::string>& argv) {
  const RunResult result = run(argv);
  if (result.exit_code != 0) {
    throw std::runtime_error(fmt::format("{} failed: {}", argv.front(), result.err));
  }
}

void generate_key(const std::filesystem::path& path) {
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + ".pub");
  check_run(
      {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vpnaas-test", "-f", path.string()});
}

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// Binds port 0 and reports what the kernel chose; with `listening` the socket
// is kept (and returned) listening, otherwise it is closed again.
int bound_port(bool listening, int* fd_out) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      (listening && listen(fd, 16) != 0)) {
    throw std::runtime_error("cannot bind a loopback port");
  }
  if (fd_out != nullptr) {
    *fd_out = fd;
  } else {
    close(fd);
  }
  return ntohs(address.sin_port);
}

bool port_accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_in address = loopback(port);
  const bool ok = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

} // namespace

std::string current_user() {
  const passwd* entry = getpwuid(getuid());
  if (entry == nullptr) {
    throw std::runtime_error("the current user has no passwd entry");
  }
  return entry->pw_name;
}

int closed_port() {
  return bound_port(false, nullptr);
}

SshClientKeys::SshClientKeys() {
  generate_key(identity());
  generate_key(wrong_identity());
  write_file(known_hosts(), "");
}

FakeRouter::FakeRouter(const SshClientKeys& keys, FakeRouterOptions options) : m_options(options) {
  if (geteuid() == 0) {
    // sshd started by root insists on its privilege separation folder, which
    // only exists on machines where the sshd service ran once.
    std::filesystem::create_directories("/run/sshd");
  }
  generate_key(dir() / "host_key");
  write_file(dir() / "authorized_keys", read_file(keys.public_key()));
  std::filesystem::copy_file(data_path("ssh/export.rsc"), dir() / "export.rsc");
  std::filesystem::create_directories(files());
  // Up for three days: long enough that no test mistakes it for a fresh boot.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  write_file(dir() / "boot-time", std::to_string(now.count() - 3 * 86400));
  start();
}

FakeRouter::~FakeRouter() {
  m_closing = true;
  if (m_reboot_watcher.joinable()) {
    m_reboot_watcher.join();
  }
  stop();
}

inventory::SshTarget FakeRouter::target() const {
  inventory::SshTarget target;
  target.host = "127.0.0.1";
  target.port = m_port;
  target.user = current_user();
  return target;
}

// SHLVL=1 keeps bash (root's login shell here) from sourcing ~/.bashrc for
// each forced command, which can cost half a second per command.
void FakeRouter::write_config() const {
  const std::string d = dir().string();
  std::string config = fmt::format(R"(ListenAddress 127.0.0.1
Port {port}
HostKey {d}/host_key
PidFile {d}/sshd.pid
AuthorizedKeysFile {d}/authorized_keys
StrictModes no
UsePAM no
UseDNS no
PermitRootLogin yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
MaxStartups 200
LogLevel ERROR
SetEnv FAKE_ROUTER_DIR={d} FAKE_ROUTER_IMPORT={import} SHLVL=1
ForceCommand /bin/sh {script}
)",
                                   fmt::arg("port", m_port), fmt::arg("d", d),
                                   fmt::arg("import", VPNAAS_FAKE_ROUTER_IMPORT),
                                   fmt::arg("script", data_path("ssh/fake-routeros.sh").string()));
  if (m_options.sftp) {
    config += "Subsystem sftp /usr/lib/openssh/sftp-server\n";
  }
  write_file(dir() / "sshd_config", config);
}

void FakeRouter::start() {
  // Another test may take the free port between probing and sshd binding it:
  // then sshd exits at once and a new port is tried.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (attempt > 0 || m_port == 0) {
      m_port = bound_port(false, nullptr);
    }
    write_config();
    const std::string config = (dir() / "sshd_config").string();
    const std::string log = (dir() / "sshd.log").string();
    m_pid = fork();
    if (m_pid == 0) {
      const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      dup2(fd, 1);
      dup2(fd, 2);
      execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-f", config.c_str(), nullptr);
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (port_accepts(m_port)) {
        return;
      }
      int status = 0;
      if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    stop();
  }
  throw std::runtime_error(
      fmt::format("sshd did not start; its log:\n{}", read_file(dir() / "sshd.log")));
}

void FakeRouter::stop() {
  if (m_pid > 0) {
    kill(m_pid, SIGTERM);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
  }
}

void FakeRouter::fail_import_at(const std::string& pattern, const std::string& message) {
  write_file(dir() / "import-fail-pattern", pattern);
  write_file(dir() / "import-fail-message", message);
}

void FakeRouter::drop_uploads() {
  write_file(dir() / "drop-upload", "");
}

void FakeRouter::reboot_restarts_after(std::chrono::milliseconds down) {
  watch_reboots(down);
}

void FakeRouter::reboot_never_returns() {
  watch_reboots(std::nullopt);
}

void FakeRouter::watch_reboots(std::optional<std::chrono::milliseconds> down) {
  if (m_reboot_watcher.joinable()) {
    throw std::logic_error("FakeRouter: reboot behaviour set twice");
  }
  m_reboot_watcher = std::thread([this, down] {
    const auto marker = dir() / "rebooted";
    while (!m_closing) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!std::filesystem::exists(marker)) {
        continue;
      }
      std::filesystem::rename(marker, dir() / "rebooted.seen");
      // Lets the answer reach the client first, as RouterOS's "system will
      // reboot shortly" does.
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      stop();
      if (!down) {
        return;
      }
      const auto until = std::chrono::steady_clock::now() + *down;
      while (!m_closing && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (m_closing) {
        return;
      }
      const auto now = std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch());
      write_file(dir() / "boot-time", std::to_string(now.count()));
      try {
        start();
      } catch (const std::exception&) {
        return; // the test then sees a router that never came back
      }
    }
  });
}

void FakeRouter::replace_host_key() {
  stop();
  generate_key(dir() / "host_key");
  start();
}

std::string FakeRouter::commands() const {
  return std::filesystem::exists(dir() / "commands.log") ? read_file(dir() / "commands.log") : "";
}

std::vector<std::string> FakeRouter::imported() const {
  std::vector<std::filesystem::path> paths;
  if (std::filesystem::exists(dir() / "imported")) {
    for (const auto& entry : std::filesystem::directory_iterator(dir() / "imported")) {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> scripts;
  for (const auto& path : paths) {
    scripts.push_back(read_file(path));
  }
  return scripts;
}

SilentPort::SilentPort() {
  m_port = bound_port(true, &m_fd);
}
SilentPort::~SilentPort() {
  close(m_fd);
}

} // namespace vpnaas::test
