#pragma once

// File handling for master keys, kept apart from key parsing so the rules
// about permissions and atomic replacement live in one place.

#include <vpnaas/core/error.hpp>

#include <filesystem>
#include <string>

namespace vpnaas::secrets::detail {

// Owns text that holds key material and wipes it on destruction, so the hex
// form of a key does not linger in freed heap memory. Not copyable on purpose.
class WipedString {
public:
  WipedString() = default;
  explicit WipedString(std::string text) : m_text(std::move(text)) {}
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  WipedString(WipedString&& other) noexcept : m_text(std::move(other.m_text)) {}
  WipedString& operator=(WipedString&&) = delete;
  ~WipedString();

  const std::string& str() const { return m_text; }
  std::string& str() { return m_text; }

private:
  std::string m_text;
};

// Largest key file we read; a bigger file is certainly not a key and must not
// be slurped into memory.
inline constexpr std::size_t kMaxKeyFileBytes = 4096;

// True when something (a file, a folder, a dangling symlink) exists at `path`.
bool path_exists(const std::filesystem::path& path);

// Reads the text of a key file after checking that it is a regular file with
// no group or other permission bits. Fails with missing_secret when the file
// does not exist, is not a regular file or is too open; invalid_input when it
// is larger than kMaxKeyFileBytes; io when it cannot be read.
Result<WipedString> read_key_file(const std::filesystem::path& path);

// Creates every missing folder of `dir` with mode 0700; existing folders are
// left as they are. Fails with io, naming the folder.
Status create_private_directories(const std::filesystem::path& dir);

// Writes `text` to `path` with mode 0600 through a temporary file in the same
// folder (O_EXCL, fsync, then link or rename), so a reader never sees a
// half-written key. Without `overwrite`, fails with invalid_input if `path`
// exists, even when another process creates it concurrently.
Status write_key_file_atomically(const std::filesystem::path& path, const std::string& text,
                                 bool overwrite);

} // namespace vpnaas::secrets::detail
