#include <vpnaas/core/hex.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

#include "key_file.hpp"

namespace vpnaas::secrets {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMinHexDigits = 2 * kMasterKeyBytes;
constexpr const char* kEnvOrigin = "environment variable VPNAAS_MASTER_KEY";
constexpr const char* kKeyTextHint =
    "a master key is 64 or more hex digits, as written by `vpnaas key generate` or `openssl rand "
    "-hex 32`";

// Home folder from the password database, for services started without HOME.
fs::path home_from_passwd() {
  long size_hint = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::string buffer(size_hint > 0 ? static_cast<std::size_t>(size_hint) : 16384, '\0');
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr || found->pw_dir == nullptr || found->pw_dir[0] == '\0') {
    return {};
  }
  return found->pw_dir;
}

fs::path config_home() {
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME");
      xdg != nullptr && fs::path(xdg).is_absolute()) {
    return xdg;
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') {
    return fs::path(home) / ".config";
  }
  fs::path home = home_from_passwd();
  return home.empty() ? fs::path{} : home / ".config";
}

// Error messages name where the key came from and what is wrong with its
// shape, never any of its characters.
Result<std::vector<unsigned char>> parse_key_text(std::string_view text,
                                                  const std::string& origin) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  std::size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) {
    std::string hint = origin == kEnvOrigin
                           ? "set it to 64 or more hex digits, or unset it to use a key file"
                           : kKeyTextHint;
    return make_error(ErrorCode::environment, fmt::format("the master key in {} is empty", origin),
                      hint);
  }
  text = text.substr(first, text.find_last_not_of(kSpace) - first + 1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (hex_value(text[i]) < 0) {
      return make_error(ErrorCode::environment,
                        fmt::format("the master key in {} is not hexadecimal: character {} is "
                                    "not 0-9 or a-f",
                                    origin, i + 1),
                        kKeyTextHint);
    }
  }
  if (text.size() < kMinHexDigits) {
    return make_error(ErrorCode::environment,
                      fmt::format("the master key in {} is too short: {} hex digits, at least {} "
                                  "are needed",
                                  origin, text.size(), kMinHexDigits),
                      kKeyTextHint);
  }
  if (text.size() % 2 != 0) {
    return make_error(ErrorCode::environment,
                      fmt::format("the master key in {} has an odd number of hex digits ({})",
                                  origin, text.size()),
                      kKeyTextHint);
  }
  // Sized once so no reallocation leaves an unwiped copy of the key behind.
  std::vector<unsigned char> bytes(text.size() / 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<unsigned char>(hex_value(text[2 * i]) * 16 + hex_value(text[2 * i + 1]));
  }
  return bytes;
}

Result<MasterKey> key_from_text(std::string_view text, const std::string& origin) {
  auto bytes = parse_key_text(text, origin);
  if (!bytes) {
    return bytes.error();
  }
  return MasterKey(std::move(bytes).value(), origin);
}

Result<MasterKey> key_from_file(const fs::path& path, std::string missing_hint) {
  auto text = detail::read_key_file(path);
  if (!text) {
    Error error = text.error();
    if (error.code == ErrorCode::missing_secret && error.hint.empty()) {
      error.hint = std::move(missing_hint);
    }
    return error;
  }
  return key_from_text(text->str(), path.string());
}

} // namespace

MasterKey::MasterKey(std::vector<unsigned char> bytes, std::string origin)
    : m_bytes(std::move(bytes)), m_origin(std::move(origin)) {}

MasterKey::~MasterKey() {
  OPENSSL_cleanse(m_bytes.data(), m_bytes.size());
}

MasterKey& MasterKey::operator=(const MasterKey& other) {
  if (this != &other) {
    OPENSSL_cleanse(m_bytes.data(), m_bytes.size());
    m_bytes = other.m_bytes;
    m_origin = other.m_origin;
  }
  return *this;
}

fs::path default_key_path(const std::string& file_name) {
  fs::path base = config_home();
  return base.empty() ? fs::path{} : base / "vpnaas" / file_name;
}

KeyLocation locate_master_key(const KeySource& source) {
  if (source.key_file) {
    return KeyLocation{KeyOrigin::key_file, *source.key_file,
                       detail::path_exists(*source.key_file)};
  }
  // A set but empty variable still wins: falling back to a file would hide a
  // CI secret that failed to expand and silently use another key.
  if (std::getenv(kMasterKeyEnv) != nullptr) {
    return KeyLocation{KeyOrigin::environment, {}, true};
  }
  const fs::path& path = source.default_key_file;
  return KeyLocation{KeyOrigin::default_file, path, !path.empty() && detail::path_exists(path)};
}

Result<MasterKey> load_master_key(const KeySource& source, std::optional<fs::path>* created) {
  if (created != nullptr) {
    created->reset();
  }
  KeyLocation location = locate_master_key(source);
  if (location.origin == KeyOrigin::key_file) {
    return key_from_file(location.path,
                         fmt::format("create it with `vpnaas key generate --key-file {}`, or drop "
                                     "--key-file and set VPNAAS_MASTER_KEY",
                                     location.path.string()));
  }
  if (location.origin == KeyOrigin::environment) {
    const char* value = std::getenv(kMasterKeyEnv);
    detail::WipedString text(value != nullptr ? value : "");
    return key_from_text(text.str(), kEnvOrigin);
  }
  if (location.path.empty()) {
    return make_error(ErrorCode::missing_secret,
                      "no master key: VPNAAS_MASTER_KEY is not set and no key file was given",
                      "set VPNAAS_MASTER_KEY to 64 hex digits or pass --key-file PATH; the "
                      "default key file needs HOME or XDG_CONFIG_HOME");
  }
  std::string missing_hint = fmt::format(
      "create {} with `vpnaas key generate`, set VPNAAS_MASTER_KEY to 64 hex digits, or pass "
      "--key-file PATH",
      location.path.string());
  if (!location.exists) {
    if (!source.create_if_missing) {
      return make_error(ErrorCode::missing_secret,
                        fmt::format("no master key: VPNAAS_MASTER_KEY is not set and {} does "
                                    "not exist",
                                    location.path.string()),
                        missing_hint);
    }
    // Never overwrite: if another process wins the race to create the file,
    // its key is the one both of us must use.
    if (Status made = generate_key_file(location.path, false); made) {
      if (created != nullptr) {
        *created = location.path;
      }
    } else if (!detail::path_exists(location.path)) {
      return made.error();
    }
  }
  return key_from_file(location.path, std::move(missing_hint));
}

Status generate_key_file(const fs::path& path, bool overwrite) {
  if (path.empty()) {
    return make_error(ErrorCode::environment, "no path for the key file",
                      "pass --key-file PATH, or set HOME so the default path can be used");
  }
  if (Status dirs = detail::create_private_directories(path.parent_path()); !dirs) {
    return dirs;
  }
  std::array<unsigned char, kMasterKeyBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return make_error(ErrorCode::internal,
                      "cannot generate a master key: the random number generator failed");
  }
  std::string hex;
  hex.reserve(2 * bytes.size() + 1);
  constexpr const char* kDigits = "0123456789abcdef";
  for (unsigned char b : bytes) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0x0f];
  }
  hex += '\n';
  OPENSSL_cleanse(bytes.data(), bytes.size());
  detail::WipedString text(std::move(hex));
  return detail::write_key_file_atomically(path, text.str(), overwrite);
}

} // namespace vpnaas::secrets
