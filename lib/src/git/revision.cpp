#include <vpnaas/git/revision.hpp>

#include <cerrno>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace vpnaas::git {
namespace {

struct Output {
  bool ok = false;
  std::string text;
};

// Runs git with `args` and returns its stdout when it exits with 0. stderr
// goes to /dev/null: "not a git repository" is an answer here, not an error.
Output run_git(const std::vector<std::string>& args) {
  Output out;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return out;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<std::string> storage{"git"};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) {
    argv.push_back(s.data());
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    return out;
  }
  char buffer[4096];
  while (true) {
    ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    out.text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  out.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return out;
}

} // namespace

std::optional<std::string> describe_head(const std::filesystem::path& inventory_root) {
  std::error_code ec;
  std::filesystem::path root = std::filesystem::absolute(inventory_root, ec);
  if (ec) {
    return std::nullopt;
  }
  Output head = run_git({"-C", root.string(), "rev-parse", "--verify", "--quiet", "HEAD"});
  while (!head.text.empty() && (head.text.back() == '\n' || head.text.back() == '\r')) {
    head.text.pop_back();
  }
  if (!head.ok || head.text.empty()) {
    return std::nullopt;
  }
  Output status =
      run_git({"-C", root.string(), "status", "--porcelain", "--untracked-files=all", "--", "."});
  if (status.ok && !status.text.empty()) {
    head.text += "-dirty";
  }
  return head.text;
}

} // namespace vpnaas::git
