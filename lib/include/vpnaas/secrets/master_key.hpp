#pragma once

#include <vpnaas/core/error.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vpnaas::secrets {

// The secret every pre-shared key is derived from. Never stored in the
// inventory; its bytes are wiped on destruction and it has no printer.
class MasterKey {
public:
  MasterKey() = default;
  explicit MasterKey(std::vector<unsigned char> bytes, std::string origin);
  MasterKey(const MasterKey&) = default;
  // Wipes the bytes it replaces, so no copy of a key outlives its owner.
  MasterKey& operator=(const MasterKey& other);
  ~MasterKey();

  const std::vector<unsigned char>& bytes() const { return m_bytes; }
  // Where the key came from ("environment variable VPNAAS_MASTER_KEY" or a path),
  // safe to print.
  const std::string& origin() const { return m_origin; }

private:
  std::vector<unsigned char> m_bytes;
  std::string m_origin;
};

inline constexpr const char* kMasterKeyEnv = "VPNAAS_MASTER_KEY";
inline constexpr std::size_t kMasterKeyBytes = 32;
// File name of the default key under the user's config folder (default_key_path).
inline constexpr const char* kDefaultKeyFileName = "master.key";

struct KeySource {
  std::optional<std::filesystem::path> key_file; // --key-file
  std::filesystem::path default_key_file;        // used when neither flag nor env is set
  bool create_if_missing = false;                // only for the bundled inventory
};

// Default key file: $XDG_CONFIG_HOME/vpnaas/<name> or ~/.config/vpnaas/<name>
// (home from HOME, else the password database). Empty when there is no home.
std::filesystem::path default_key_path(const std::string& file_name);

// The source load_master_key takes the key from.
enum class KeyOrigin { key_file, environment, default_file };

struct KeyLocation {
  KeyOrigin origin = KeyOrigin::default_file;
  std::filesystem::path path; // empty for the environment, or when there is no home folder
  bool exists = false;        // the file exists, or the variable is set (even if empty)
};

// Applies load_master_key's order (--key-file, VPNAAS_MASTER_KEY, default file)
// and says which source it would use, without reading any key material.
// Cannot fail; `vpnaas key path` prints it.
KeyLocation locate_master_key(const KeySource& source);

// Resolves the master key: --key-file, else VPNAAS_MASTER_KEY, else the default
// file. Key text is hex, at least 64 hex digits (32 bytes). A key file readable
// by group or others is refused (like ssh does). With create_if_missing, a new
// random key is written with mode 0600 and `created` is set to its path;
// an explicit --key-file is never created (a typo would silently rotate
// every key). Fails with missing_secret (no key, key file too open),
// invalid_input (not hex, too short) or io; messages never contain key bytes.
Result<MasterKey> load_master_key(const KeySource& source,
                                  std::optional<std::filesystem::path>* created = nullptr);

// Writes a new random key to `path` (mode 0600, parent folders 0700); refuses
// to overwrite an existing file unless `overwrite` (invalid_input), also when
// another process creates it concurrently. Fails with io naming the path.
Status generate_key_file(const std::filesystem::path& path, bool overwrite);

} // namespace vpnaas::secrets
