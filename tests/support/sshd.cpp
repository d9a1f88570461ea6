#include "support/sshd.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdexcept>
#include <sys/file.h>
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

// A router that is down refuses connections on its port. Holding the port
// bound (not listening) does that, and keeps another test's sshd from taking
// it meanwhile: once a "never returns" router answered with a parallel test's
// sshd on its old port instead of refusing.
int hold_port(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in address = loopback(port);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

passwd user_entry(const std::string& name) {
  const passwd* entry = getpwnam(name.c_str());
  if (entry == nullptr) {
    throw std::runtime_error(fmt::format("no user {}", name));
  }
  return *entry;
}

void change_owner(const std::filesystem::path& path, const passwd& user) {
  if (chown(path.c_str(), user.pw_uid, user.pw_gid) != 0) {
    throw std::runtime_error(fmt::format("cannot chown {}", path.string()));
  }
}

// 144 random bits as hex: no shell or chpasswd metacharacter to quote.
std::string random_password() {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  std::string password;
  for (int i = 0; i < 18; ++i) {
    const auto byte = static_cast<unsigned char>(urandom.get());
    password += fmt::format("{:02x}", byte);
  }
  if (!urandom) {
    throw std::runtime_error("cannot read /dev/urandom");
  }
  return password;
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

transport::ssh::SshOptions SshClientKeys::ssh_options() const {
  transport::ssh::SshOptions options;
  options.known_hosts = known_hosts();
  options.identity = identity();
  options.accept_new_host_keys = true;
  options.password_env = "VPNAAS_TEST_NO_PASSWORD";
  return options;
}

PasswordUser::PasswordUser() {
  m_lock_fd = open("/tmp/vpnaas-test-password-user.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (m_lock_fd < 0 || flock(m_lock_fd, LOCK_EX) != 0) {
    throw std::runtime_error("cannot lock /tmp/vpnaas-test-password-user.lock");
  }
  try {
    const std::string home = m_home.path().string();
    if (getpwnam(kName) == nullptr) {
      check_run({"useradd", "--no-create-home", "--home-dir", home, "--shell", "/bin/sh",
                 "--comment", "vpnaas tests, password logins to fake routers", kName});
    } else {
      check_run({"usermod", "--home", home, "--shell", "/bin/sh", kName});
    }
    change_owner(m_home.path(), user_entry(kName));
    m_password = random_password();
    const RunResult set = run({"chpasswd"}, {}, {}, fmt::format("{}:{}\n", kName, m_password));
    if (set.exit_code != 0) {
      throw std::runtime_error("chpasswd failed: " + set.err);
    }
  } catch (...) {
    close(m_lock_fd);
    throw;
  }
}

PasswordUser::~PasswordUser() {
  if (run({"userdel", kName}).exit_code != 0) {
    run({"usermod", "--lock", kName});
  }
  close(m_lock_fd);
}

FakeRouter::FakeRouter(const SshClientKeys& keys, FakeRouterOptions options) : m_options(options) {
  if (geteuid() == 0) {
    // sshd started by root insists on its privilege separation folder, which
    // only exists on machines where the sshd service ran once.
    std::filesystem::create_directories("/run/sshd");
  }
  generate_key(dir() / "host_key");
  std::filesystem::copy_file(data_path("ssh/export.rsc"), dir() / "export.rsc");
  std::filesystem::create_directories(files());
  if (m_options.password_user != nullptr) {
    // The forced command runs as that user and writes its state here.
    const passwd user = user_entry(m_options.password_user->name());
    change_owner(dir(), user);
    change_owner(files(), user);
  } else {
    write_file(dir() / "authorized_keys", read_file(keys.public_key()));
  }
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
  if (m_port_hold >= 0) {
    close(m_port_hold);
  }
}

transport::ssh::Endpoint FakeRouter::target() const {
  transport::ssh::Endpoint target;
  target.host = "127.0.0.1";
  target.port = m_port;
  target.user =
      m_options.password_user != nullptr ? m_options.password_user->name() : current_user();
  return target;
}

// `ForceCommand . script`: the user's login shell, which sshd starts with -c,
// reads the script itself rather than starting /bin/sh for it (one exec fewer
// for each command the tests send).
// SHLVL=1 keeps bash (root's login shell here) from sourcing ~/.bashrc for
// each forced command, which can cost half a second per command.
void FakeRouter::write_config() const {
  const std::string d = dir().string();
  std::string config =
      fmt::format(R"(ListenAddress 127.0.0.1
Port {port}
HostKey {d}/host_key
PidFile {d}/sshd.pid
AuthorizedKeysFile {keys}
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
ForceCommand . {script}
)",
                  fmt::arg("port", m_port), fmt::arg("d", d),
                  fmt::arg("keys", m_options.auth_delay_seconds > 0 ? std::string("none")
                                                                    : d + "/authorized_keys"),
                  fmt::arg("import", VPNAAS_FAKE_ROUTER_IMPORT),
                  fmt::arg("script", data_path("ssh/fake-routeros.sh").string()));
  if (m_options.sftp) {
    config += "Subsystem sftp /usr/lib/openssh/sftp-server\n";
  }
  if (m_options.auth_delay_seconds > 0) {
    // It prints no key and AuthorizedKeysFile is none, so no key is ever
    // accepted: only the wait matters.
    config += fmt::format("AuthorizedKeysCommand /bin/sleep {}\nAuthorizedKeysCommandUser {}\n",
                          m_options.auth_delay_seconds, current_user());
  }
  if (m_options.password_user != nullptr) {
    // UsePAM no: sshd (run as root) checks the password against /etc/shadow itself.
    config += fmt::format("Match User {}\n  PasswordAuthentication yes\n",
                          m_options.password_user->name());
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
      // -r: no re-exec of sshd for each connection. The re-exec guards a
      // long-lived daemon's address-space layout; a fake router lives for one
      // test, and each apply opens several connections.
      execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-r", "-f", config.c_str(), nullptr);
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

void FakeRouter::fail_backups(const std::string& message) {
  write_file(dir() / "backup-fail", message);
}

void FakeRouter::cut_off_imports(int lines) {
  write_file(dir() / "import-cut-off", std::to_string(lines));
}

void FakeRouter::interrupt_imports() {
  write_file(dir() / "import-interrupted", "");
}

void FakeRouter::drop_imports() {
  write_file(dir() / "import-drop", "");
}

void FakeRouter::fail_removals(const std::string& message) {
  write_file(dir() / "remove-fail", message);
}

void FakeRouter::delay_imports(int seconds) {
  write_file(dir() / "import-delay", std::to_string(seconds));
}

void FakeRouter::hold_lock(const std::string& run_id, int seconds) {
  const auto lock = dir() / "scheduler" / "vpnaas-apply-lock";
  std::filesystem::create_directories(lock);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  write_file(lock / "comment", run_id);
  write_file(lock / "expires", std::to_string(now + seconds));
}

std::string FakeRouter::lock_holder() const {
  const auto comment = dir() / "scheduler" / "vpnaas-apply-lock" / "comment";
  return std::filesystem::exists(comment) ? read_file(comment) : "";
}

std::vector<std::string> FakeRouter::file_names() const {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(files())) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

void FakeRouter::delay_commands(double seconds) {
  write_file(dir() / "command-delay", fmt::format("{:.3f}", seconds));
}

void FakeRouter::count_commands_in(const std::filesystem::path& folder) {
  write_file(dir() / "count-in", folder.string());
}

int max_counted(const std::filesystem::path& folder) {
  return std::filesystem::exists(folder / "max") ? std::stoi(read_file(folder / "max")) : 0;
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
      m_port_hold = hold_port(m_port);
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
      if (m_port_hold >= 0) {
        close(m_port_hold);
        m_port_hold = -1;
      }
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

std::string without_end_marker(const std::string& script) {
  const std::string marker = ":put \"vpnaas:done:";
  const auto at = script.rfind(marker);
  if (at == std::string::npos || (at != 0 && script[at - 1] != '\n') ||
      script.find('\n', at) != script.size() - 1) {
    return script;
  }
  return script.substr(0, at);
}

SilentPort::SilentPort() {
  m_port = bound_port(true, &m_fd);
}
SilentPort::~SilentPort() {
  close(m_fd);
}

} // namespace vpnaas::test
