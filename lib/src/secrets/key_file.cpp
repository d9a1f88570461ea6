#include "key_file.hpp"

#include <vpnaas/core/private_dirs.hpp>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vpnaas::secrets::detail {
namespace {

namespace fs = std::filesystem;

// Closes a descriptor on every return path.
class Fd {
public:
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return m_fd; }
  // Closes now and reports the error, since close() can be the first to see a
  // failed write on some file systems.
  int reset() {
    int rc = m_fd >= 0 ? ::close(m_fd) : 0;
    m_fd = -1;
    return rc;
  }

private:
  int m_fd;
};

Error io_error(std::string_view what, const fs::path& path, int err) {
  return make_error(ErrorCode::io,
                    fmt::format("{} {}: {}", what, path.string(), std::strerror(err)));
}

Error exists_error(const fs::path& path) {
  return make_error(ErrorCode::environment,
                    fmt::format("key file {} already exists", path.string()),
                    "keep it, or pass --force to replace it; every pre-shared key derived from "
                    "the old key then changes");
}

fs::path temp_name_for(const fs::path& path) {
  std::array<unsigned char, 6> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    // Only the name's uniqueness suffers; O_EXCL still protects the create.
    random.fill(0);
    random[0] = static_cast<unsigned char>(::getpid() & 0xff);
  }
  std::string suffix;
  for (unsigned char c : random) {
    suffix += fmt::format("{:02x}", c);
  }
  return path.parent_path() / fmt::format(".{}.{}.tmp", path.filename().string(), suffix);
}

Status write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return make_error(ErrorCode::io, std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return Ok{};
}

// Makes the new directory entry survive a crash; a file system that cannot
// sync folders still has the key, so a failure here is not reported.
void sync_directory(const fs::path& dir) {
  Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) {
    (void)::fsync(fd.get());
  }
}

// Puts the finished temporary file in place. Without overwrite, link() fails
// atomically when the target exists, which rename() would silently replace.
Status publish(const fs::path& temp, const fs::path& path, bool overwrite) {
  if (!overwrite) {
    if (::link(temp.c_str(), path.c_str()) == 0) {
      ::unlink(temp.c_str());
      return Ok{};
    }
    if (errno == EEXIST) {
      return exists_error(path);
    }
    // Some file systems have no hard links; fall back to a checked rename.
    if (path_exists(path)) {
      return exists_error(path);
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    return io_error("cannot write key file", path, errno);
  }
  return Ok{};
}

} // namespace

WipedString::~WipedString() {
  OPENSSL_cleanse(m_text.data(), m_text.size());
}

bool path_exists(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

Result<WipedString> read_key_file(const fs::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return make_error(ErrorCode::missing_secret,
                        fmt::format("key file {} does not exist", path.string()));
    }
    return io_error("cannot read key file", path, errno);
  }
  // fstat on the open descriptor checks the very file we read, not one
  // swapped in after the check.
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return io_error("cannot read key file", path, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return make_error(ErrorCode::missing_secret,
                      fmt::format("key file {} is not a regular file", path.string()));
  }
  if ((st.st_mode & 077) != 0) {
    return make_error(
        ErrorCode::missing_secret,
        fmt::format("key file {} is accessible by group or others (mode {:04o})", path.string(),
                    st.st_mode & 07777),
        fmt::format("run `chmod 600 {}`; like ssh, vpnaas refuses a key others can read",
                    path.string()));
  }
  WipedString text(std::string(kMaxKeyFileBytes + 1, '\0'));
  std::size_t size = 0;
  while (size < text.str().size()) {
    ssize_t n = ::read(fd.get(), text.str().data() + size, text.str().size() - size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return io_error("cannot read key file", path, errno);
    }
    if (n == 0) {
      break;
    }
    size += static_cast<std::size_t>(n);
  }
  if (size > kMaxKeyFileBytes) {
    return make_error(ErrorCode::environment,
                      fmt::format("key file {} is larger than {} bytes, so it is not a master key",
                                  path.string(), kMaxKeyFileBytes));
  }
  // Shrinking keeps the buffer, so no copy of the key is left behind.
  text.str().resize(size);
  return text;
}

Status create_private_directories(const fs::path& dir) {
  return vpnaas::create_private_directories(dir);
}

Status write_key_file_atomically(const fs::path& path, const std::string& text, bool overwrite) {
  if (!overwrite && path_exists(path)) {
    return exists_error(path);
  }
  fs::path temp;
  int raw_fd = -1;
  // A leftover temporary file from a crash only costs a retry with a new name.
  for (int attempt = 0; attempt < 8 && raw_fd < 0; ++attempt) {
    temp = temp_name_for(path);
    raw_fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (raw_fd < 0 && errno != EEXIST) {
      return io_error("cannot create key file", path, errno);
    }
  }
  if (raw_fd < 0) {
    return io_error("cannot create key file", path, EEXIST);
  }
  Fd fd(raw_fd);
  auto fail = [&](const Error& error) {
    fd.reset();
    ::unlink(temp.c_str());
    return error;
  };
  if (::fchmod(fd.get(), 0600) != 0) {
    return fail(io_error("cannot set the mode of key file", path, errno));
  }
  if (Status written = write_all(fd.get(), text); !written) {
    return fail(make_error(ErrorCode::io, fmt::format("cannot write key file {}: {}", path.string(),
                                                      written.error().message)));
  }
  if (::fsync(fd.get()) != 0 || fd.reset() != 0) {
    return fail(io_error("cannot write key file", path, errno));
  }
  if (Status published = publish(temp, path, overwrite); !published) {
    return fail(published.error());
  }
  sync_directory(path.parent_path());
  return Ok{};
}

} // namespace vpnaas::secrets::detail
