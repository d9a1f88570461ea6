#include <vpnaas/core/private_dirs.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace vpnaas {
namespace {

Error io_error(std::string_view what, const std::filesystem::path& path, int err) {
  return make_error(ErrorCode::io,
                    fmt::format("{} {}: {}", what, path.string(), std::strerror(err)));
}

} // namespace

Status create_private_directories(const std::filesystem::path& dir) {
  std::filesystem::path current;
  for (const std::filesystem::path& part : dir) {
    current /= part;
    // lstat: a dangling symbolic link counts as present, so mkdir is not
    // tried through it.
    struct stat st {};
    if (::lstat(current.c_str(), &st) == 0) {
      continue;
    }
    if (::mkdir(current.c_str(), 0700) != 0) {
      if (errno == EEXIST) {
        continue; // another thread or process was first
      }
      return io_error("cannot create folder", current, errno);
    }
    // mkdir honours the umask; chmod makes the mode exactly 0700 regardless.
    if (::chmod(current.c_str(), 0700) != 0) {
      return io_error("cannot set the mode of folder", current, errno);
    }
  }
  return Ok{};
}

} // namespace vpnaas
