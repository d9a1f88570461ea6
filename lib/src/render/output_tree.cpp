#include <vpnaas/render/output_tree.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace vpnaas::render {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kBufferSize = 1 << 16;

Error io_error(const fs::path& path, std::string_view what, int err) {
  return make_error(ErrorCode::io,
                    fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(err)));
}

Status make_private_dir(const fs::path& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return io_error(path, "create folder", errno);
  }
  return Ok{};
}

} // namespace

FileSink::FileSink(int fd, fs::path path) : m_fd(fd), m_path(std::move(path)) {
  m_buffer.reserve(kBufferSize);
}

FileSink::~FileSink() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

void FileSink::write(std::string_view text) {
  m_bytes += text.size();
  m_buffer.append(text);
  if (m_buffer.size() >= kBufferSize) {
    flush();
  }
}

void FileSink::flush() {
  std::size_t done = 0;
  while (done < m_buffer.size() && m_errno == 0) {
    ssize_t n = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
    if (n < 0) {
      if (errno != EINTR) {
        m_errno = errno;
      }
      continue;
    }
    done += static_cast<std::size_t>(n);
  }
  m_buffer.clear();
}

Status FileSink::close() {
  flush();
  int fd = m_fd;
  m_fd = -1;
  if (::close(fd) != 0 && m_errno == 0) {
    m_errno = errno;
  }
  if (m_errno != 0) {
    return io_error(m_path, "write", m_errno);
  }
  return Ok{};
}

namespace {

// Removes the temporary folders that earlier runs for `dest` left behind
// when they were killed: ".<out>.tmp-<pid>-XXXXXX" whose process is gone, and
// folders of the older ".<out>.tmp-XXXXXX" form that are over an hour old.
// A run still writing keeps its folder; nothing is followed through a link.
void remove_dead_temporaries(const fs::path& dest) {
  const std::string prefix = "." + dest.filename().string() + ".tmp-";
  std::error_code ec;
  for (auto it = fs::directory_iterator(dest.parent_path(), ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code entry_ec;
    if (name.rfind(prefix, 0) != 0 || it->is_symlink(entry_ec) || !it->is_directory(entry_ec)) {
      continue;
    }
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    bool dead = false;
    if (dash != std::string::npos) {
      long pid = std::strtol(rest.substr(0, dash).c_str(), nullptr, 10);
      dead = pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    } else {
      auto written = fs::last_write_time(it->path(), entry_ec);
      dead = !entry_ec && fs::file_time_type::clock::now() - written > std::chrono::hours(1);
    }
    if (dead) {
      fs::remove_all(it->path(), entry_ec);
    }
  }
}

} // namespace

Result<std::unique_ptr<OutputTree>> OutputTree::begin(const fs::path& destination) {
  std::error_code ec;
  fs::path dest = fs::absolute(destination, ec).lexically_normal();
  if (dest.has_filename() == false) {
    dest = dest.parent_path();
  }
  // The tree is swapped in by renaming folders: a link as --out would be
  // replaced by a real folder, and its target would keep a stale copy of the
  // keys.
  if (fs::is_symlink(fs::symlink_status(dest, ec))) {
    std::error_code target_ec;
    auto target = fs::read_symlink(dest, target_ec);
    return make_error(
        ErrorCode::io,
        fmt::format("{} is a symbolic link{}", dest.string(),
                    target_ec ? std::string() : fmt::format(" to {}", target.string())),
        "pass the folder it points to as --out");
  }
  if (fs::exists(dest, ec)) {
    if (!fs::is_directory(dest, ec)) {
      return make_error(ErrorCode::io, fmt::format("{} exists and is not a folder", dest.string()),
                        "choose another --out");
    }
    if (!fs::is_empty(dest, ec) && !fs::exists(dest / kOutputMarker, ec)) {
      return make_error(
          ErrorCode::io,
          fmt::format("refusing to replace {}: it was not written by vpnaas mesh generate",
                      dest.string()),
          "choose an empty or new folder for --out");
    }
  }
  fs::create_directories(dest.parent_path(), ec);
  if (ec) {
    return io_error(dest.parent_path(), "create folder", ec.value());
  }
  remove_dead_temporaries(dest);
  // The pid in the name lets a later run tell a dead run's leftovers (which
  // hold live keys) from a run still writing.
  std::string pattern =
      (dest.parent_path() / fmt::format(".{}.tmp-{}-XXXXXX", dest.filename().string(), ::getpid()))
          .string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return io_error(dest.parent_path(), "create a temporary folder in", errno);
  }
  std::unique_ptr<OutputTree> tree(new OutputTree(dest, pattern));
  auto marker = tree->create(kOutputMarker);
  if (!marker) {
    return marker.error();
  }
  (*marker)->write(
      "Written by `vpnaas mesh generate`; the whole folder is replaced on each run.\n");
  if (Status s = (*marker)->close(); !s) {
    return s.error();
  }
  return tree;
}

OutputTree::~OutputTree() {
  if (!m_committed) {
    std::error_code ec;
    fs::remove_all(m_temp, ec);
  }
}

Result<std::unique_ptr<FileSink>> OutputTree::create(const std::string& relative) {
  fs::path path = m_temp / relative;
  if (path.has_parent_path() && path.parent_path() != m_temp) {
    if (Status s = make_private_dir(path.parent_path()); !s) {
      return s.error();
    }
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return io_error(m_destination / relative, "create", errno);
  }
  return std::make_unique<FileSink>(fd, m_destination / relative);
}

Status OutputTree::keep_previous(const std::set<std::string>& keep) {
  // The caller lists files read_previous_tree() found: no second walk of the tree.
  for (const std::string& relative : keep) {
    const fs::path source = m_destination / relative;
    const fs::path target = m_temp / relative;
    if (Status s = make_private_dir(target.parent_path()); !s) {
      return s;
    }
    // The old file is never written again, so a hard link is a faithful copy.
    if (::link(source.c_str(), target.c_str()) != 0) {
      std::error_code ec;
      fs::copy_file(source, target, ec);
      if (ec) {
        return io_error(source, "keep", ec.value());
      }
    }
  }
  return Ok{};
}

Status OutputTree::write_manifest(const std::map<std::string, std::string>& digests) {
  auto sink = create(kOutputManifest);
  if (!sink) {
    return sink.error();
  }
  (*sink)->write("# What each script was written from (a digest of its plan, revision line "
                 "excepted):\n# a partial mesh generate rewrites the scripts whose digest "
                 "changed.\n");
  for (const auto& [path, digest] : digests) {
    (*sink)->write(fmt::format("{} {}\n", digest, path));
  }
  return (*sink)->close();
}

PreviousTree read_previous_tree(const fs::path& destination) {
  PreviousTree previous;
  std::error_code ec;
  const fs::path dest = fs::absolute(destination, ec).lexically_normal();
  if (fs::is_symlink(fs::symlink_status(dest, ec)) || !fs::exists(dest / kOutputMarker, ec)) {
    return previous;
  }
  for (auto it = fs::recursive_directory_iterator(dest, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code entry_ec;
    if (it->is_directory(entry_ec)) {
      continue;
    }
    std::string relative = it->path().lexically_relative(dest).generic_string();
    if (relative != kOutputMarker && relative != kOutputManifest) {
      previous.files.insert(std::move(relative));
    }
  }
  std::ifstream manifest(dest / kOutputManifest);
  std::string line;
  while (std::getline(manifest, line)) {
    const auto space = line.find(' ');
    if (line.empty() || line[0] == '#' || space != 64) {
      continue; // a damaged line only costs a rewrite of that script
    }
    previous.digests.emplace(line.substr(space + 1), line.substr(0, space));
  }
  return previous;
}

Status OutputTree::commit() {
  std::error_code ec;
  if (fs::exists(m_destination, ec)) {
    // Atomic swap: the destination always holds a complete tree.
    if (::renameat2(AT_FDCWD, m_temp.c_str(), AT_FDCWD, m_destination.c_str(), RENAME_EXCHANGE) !=
        0) {
      return io_error(m_destination, "replace", errno);
    }
    fs::remove_all(m_temp, ec); // now the previous tree
  } else if (::rename(m_temp.c_str(), m_destination.c_str()) != 0) {
    return io_error(m_destination, "create", errno);
  }
  m_committed = true;
  return Ok{};
}

} // namespace vpnaas::render
