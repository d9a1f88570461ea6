#include <vpnaas/secrets/master_key.hpp>

#include <doctest/doctest.h>

#include <string>
#include <sys/stat.h>

#include "key_test_support.hpp"

using vpnaas::ErrorCode;
using vpnaas::test::KeyHome;
using vpnaas::test::kKeyHex;
using vpnaas::test::mode_of;
using vpnaas::test::read_file;
using vpnaas::test::write_key;
using namespace vpnaas::secrets;
namespace fs = std::filesystem;
using fs::perms;

namespace {

constexpr perms kOwnerRw = perms::owner_read | perms::owner_write;

KeySource creating_source(const KeyHome& home) {
  return KeySource{std::nullopt, home.default_key(), true};
}

bool is_key_text(const std::string& text) {
  if (text.size() != 65 || text.back() != '\n') {
    return false;
  }
  return text.find_first_not_of("0123456789abcdef") == 64;
}

// Restores the umask so one test's setting cannot change another's files.
struct ScopedUmask {
  explicit ScopedUmask(mode_t mask) : m_old(::umask(mask)) {}
  ~ScopedUmask() { ::umask(m_old); }
  mode_t m_old;
};

} // namespace

TEST_CASE("key file: group or other permission bits are refused with the fix") {
  KeyHome home;
  fs::path path = home.default_key();
  const std::string fix =
      "run `chmod 600 " + path.string() + "`; like ssh, vpnaas refuses a key others can read";
  for (auto [mode, text] : {std::pair{kOwnerRw | perms::group_read | perms::others_read, "0644"},
                            std::pair{kOwnerRw | perms::group_read, "0640"},
                            std::pair{kOwnerRw | perms::others_write, "0602"},
                            std::pair{perms::owner_read | perms::group_exec, "0410"}}) {
    CAPTURE(text);
    write_key(path, kKeyHex, mode);
    auto key = load_master_key(KeySource{std::nullopt, path, true});
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().code == ErrorCode::missing_secret);
    CHECK(key.error().message ==
          "key file " + path.string() + " is accessible by group or others (mode " + text + ")");
    CHECK(key.error().hint == fix);
    vpnaas::test::check_no_key_material(key.error(), kKeyHex);
    // Refusing must not be "fixed" by replacing the user's key.
    CHECK(read_file(path) == kKeyHex);
  }
  fs::permissions(path, perms::owner_read);
  CHECK(load_master_key(KeySource{path, {}, false}).ok());
}

TEST_CASE("key file: a folder or an oversized file is not a key") {
  KeyHome home;
  fs::create_directories(home.default_key());
  fs::permissions(home.default_key(), perms::owner_all);
  auto dir = load_master_key(KeySource{std::nullopt, home.default_key(), true});
  REQUIRE_FALSE(dir.ok());
  CHECK(dir.error().message ==
        "key file " + home.default_key().string() + " is not a regular file");

  fs::path big = home.dir.path() / "big.key";
  write_key(big, std::string(5000, 'a'));
  auto too_big = load_master_key(KeySource{big, {}, false});
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().message ==
        "key file " + big.string() + " is larger than 4096 bytes, so it is not a master key");
}

TEST_CASE("create_if_missing: a new 0600 key in a 0700 folder, reported once") {
  KeyHome home;
  ScopedUmask umask(0); // the modes must not depend on the caller's umask
  std::optional<fs::path> created;
  auto first = load_master_key(creating_source(home), &created);
  REQUIRE(first.ok());
  REQUIRE(created.has_value());
  CHECK(*created == home.default_key());
  CHECK(first->origin() == home.default_key().string());
  CHECK(mode_of(home.default_key()) == kOwnerRw);
  CHECK(mode_of(home.default_key().parent_path()) == perms::owner_all);
  CHECK(mode_of(home.dir.path() / "config") == perms::owner_all);
  CHECK(is_key_text(read_file(home.default_key())));

  auto second = load_master_key(creating_source(home), &created);
  REQUIRE(second.ok());
  CHECK_FALSE(created.has_value());
  CHECK(second->bytes() == first->bytes());
}

TEST_CASE("create_if_missing: only the default file, never when the environment has a key") {
  KeyHome home;
  vpnaas::test::ScopedEnv env{{{"VPNAAS_MASTER_KEY", kKeyHex}}};
  std::optional<fs::path> created;
  CHECK(load_master_key(creating_source(home), &created).ok());
  CHECK_FALSE(created.has_value());
  CHECK_FALSE(fs::exists(home.default_key()));
}

TEST_CASE("generate_key_file: writes a fresh key and refuses to overwrite") {
  KeyHome home;
  fs::path path = home.dir.path() / "keys/deep/site.key";
  REQUIRE(generate_key_file(path, false).ok());
  std::string first = read_file(path);
  CHECK(is_key_text(first));
  CHECK(mode_of(path) == kOwnerRw);
  CHECK(mode_of(path.parent_path()) == perms::owner_all);

  auto again = generate_key_file(path, false);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::environment);
  CHECK(again.error().message == "key file " + path.string() + " already exists");
  CHECK(again.error().hint == "keep it, or pass --force to replace it; every pre-shared key "
                              "derived from the old key then changes");
  CHECK(read_file(path) == first);

  REQUIRE(generate_key_file(path, true).ok());
  std::string second = read_file(path);
  CHECK(is_key_text(second));
  CHECK(second != first);
  CHECK(mode_of(path) == kOwnerRw);

  // Only the key is left in the folder: no temporary files.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(path.parent_path())) {
    ++entries;
  }
  CHECK(entries == 1);
}

TEST_CASE("generate_key_file: an existing folder keeps its mode") {
  KeyHome home;
  fs::path folder = home.dir.path() / "shared";
  fs::create_directories(folder);
  fs::permissions(folder, perms::owner_all | perms::group_read | perms::group_exec);
  REQUIRE(generate_key_file(folder / "master.key", false).ok());
  CHECK(mode_of(folder) == (perms::owner_all | perms::group_read | perms::group_exec));
  CHECK(mode_of(folder / "master.key") == kOwnerRw);
}

TEST_CASE("generate_key_file: failures are reported with the path") {
  KeyHome home;
  auto empty = generate_key_file({}, false);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message == "no path for the key file");

  fs::path blocker = home.dir.path() / "file";
  vpnaas::test::write_file(blocker, "not a folder");
  auto blocked = generate_key_file(blocker / "master.key", false);
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.error().code == ErrorCode::io);
  CHECK(blocked.error().message ==
        "cannot create key file " + (blocker / "master.key").string() + ": Not a directory");
}

TEST_CASE("MasterKey: copies keep bytes and origin") {
  MasterKey key({1, 2, 3}, "somewhere");
  MasterKey copy = key;
  CHECK(copy.bytes() == key.bytes());
  CHECK(copy.origin() == "somewhere");
  MasterKey assigned;
  assigned = key;
  CHECK(assigned.bytes() == std::vector<unsigned char>{1, 2, 3});
}
