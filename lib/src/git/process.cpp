#include "process.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace vpnaas::git {
namespace {

// Closes a descriptor once, whoever gets there first.
struct Fd {
  int fd = -1;
  Fd() = default;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  }
};

bool make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return false;
  }
  read_end.fd = fds[0];
  write_end.fd = fds[1];
  return true;
}

// Reads what is available; false at end of file or on error.
bool drain(int fd, std::string& into) {
  std::array<char, 65536> buffer{};
  ssize_t n = ::read(fd, buffer.data(), buffer.size());
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
    return true;
  }
  if (n <= 0) {
    return false;
  }
  into.append(buffer.data(), static_cast<std::size_t>(n));
  return true;
}

// Whether git is given the variable `name`. An allow-list rather than a
// deny-list: the variables to keep from git are not all known here (the SSH
// password sits in whatever variable --password-env names, a CI job holds
// tokens of its own), while what git does for vpnaas (rev-parse, ls-tree,
// cat-file, status, check-ignore, and the filters or fsmonitor a repository
// configures) needs only the search path, the user's home and identity, git's
// own settings and the locale. Of git's own variables those named like
// credentials are dropped too: none of them steers these local commands.
bool passed_to_git(std::string_view name) {
  static constexpr std::string_view kExact[] = {
      "PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "TZ", "LANG", "LANGUAGE", "XDG_CONFIG_HOME",
      // A git installed outside the system folders may need it to start.
      "LD_LIBRARY_PATH"};
  for (std::string_view exact : kExact) {
    if (name == exact) {
      return true;
    }
  }
  if (name.starts_with("LC_")) {
    return true;
  }
  if (!name.starts_with("GIT_")) {
    return false;
  }
  for (std::string_view word : {"PASS", "TOKEN", "SECRET", "CREDENTIAL", "PW"}) {
    if (name.find(word) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// This process's environment reduced to what passed_to_git() allows; the
// pointers stay valid while the environment is not changed.
std::vector<char*> git_environment() {
  std::vector<char*> kept;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals != std::string_view::npos && passed_to_git(text.substr(0, equals))) {
      kept.push_back(*entry);
    }
  }
  kept.push_back(nullptr);
  return kept;
}

} // namespace

std::string without_trailing_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

ProcessOutput run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::string& input) {
  ProcessOutput result;
  Fd in_read, in_write, out_read, out_write, err_read, err_write;
  if (!make_pipe(in_read, in_write) || !make_pipe(out_read, out_write) ||
      !make_pipe(err_read, err_write)) {
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, STDERR_FILENO);
  std::vector<std::string> storage{program};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(storage.size() + 1);
  for (auto& s : storage) {
    argv.push_back(s.data());
  }
  argv.push_back(nullptr);
  std::vector<char*> env = git_environment();
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  in_read.reset();
  out_write.reset();
  err_write.reset();
  if (rc != 0) {
    return result;
  }
  result.started = true;

  // A child that exits before reading all its input must not kill us.
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);

  std::size_t written = 0;
  if (input.empty()) {
    in_write.reset();
  } else {
    ::fcntl(in_write.fd, F_SETFL, ::fcntl(in_write.fd, F_GETFL) | O_NONBLOCK);
  }
  while (out_read.fd >= 0 || err_read.fd >= 0) {
    std::array<pollfd, 3> fds{
        {{out_read.fd, POLLIN, 0}, {err_read.fd, POLLIN, 0}, {in_write.fd, POLLOUT, 0}}};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    if (fds[0].revents != 0 && !drain(out_read.fd, result.out)) {
      out_read.reset();
    }
    if (fds[1].revents != 0 && !drain(err_read.fd, result.err)) {
      err_read.reset();
    }
    if (fds[2].revents != 0) {
      ssize_t n = ::write(in_write.fd, input.data() + written, input.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      }
      if ((n < 0 && errno != EINTR && errno != EAGAIN) || written == input.size()) {
        in_write.reset(); // the child sees end of input
      }
    }
  }
  in_write.reset();
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::sigaction(SIGPIPE, &previous, nullptr);
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

} // namespace vpnaas::git
