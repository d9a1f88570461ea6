#include <vpnaas/secrets/master_key.hpp>

#include <doctest/doctest.h>

#include <cctype>
#include <string>

#include "key_test_support.hpp"

using vpnaas::ErrorCode;
using vpnaas::test::KeyHome;
using vpnaas::test::kKeyHex;
using vpnaas::test::kOtherKeyHex;
using vpnaas::test::ScopedEnv;
using vpnaas::test::write_key;
using namespace vpnaas::secrets;
namespace fs = std::filesystem;

namespace {

std::string hex_of(const MasterKey& key) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : key.bytes()) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

KeySource default_source(const KeyHome& home) {
  return KeySource{std::nullopt, home.default_key(), false};
}

vpnaas::Error env_key_error(const std::string& value) {
  ScopedEnv env{{{"VPNAAS_MASTER_KEY", value}}};
  auto key = load_master_key(KeySource{});
  REQUIRE_FALSE(key.ok());
  return key.error();
}

} // namespace

TEST_CASE("default_key_path: XDG_CONFIG_HOME, else HOME/.config") {
  vpnaas::test::TempDir dir;
  SUBCASE("XDG_CONFIG_HOME wins") {
    ScopedEnv env{{{"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/home/u"}}};
    CHECK(default_key_path("master.key") == fs::path("/xdg/vpnaas/master.key"));
  }
  SUBCASE("HOME when XDG_CONFIG_HOME is unset") {
    ScopedEnv env{{{"XDG_CONFIG_HOME", std::nullopt}, {"HOME", "/home/u"}}};
    CHECK(default_key_path("master.key") == fs::path("/home/u/.config/vpnaas/master.key"));
  }
  SUBCASE("a relative XDG_CONFIG_HOME is ignored, as the XDG spec says") {
    ScopedEnv env{{{"XDG_CONFIG_HOME", "relative"}, {"HOME", "/home/u"}}};
    CHECK(default_key_path("other.key") == fs::path("/home/u/.config/vpnaas/other.key"));
  }
}

TEST_CASE("load_master_key: from the environment") {
  KeyHome home;
  ScopedEnv env{{{"VPNAAS_MASTER_KEY", std::string("  ") + kKeyHex + "\n"}}};
  auto key = load_master_key(default_source(home));
  REQUIRE(key.ok());
  CHECK(hex_of(*key) == kKeyHex);
  CHECK(key->bytes().size() == kMasterKeyBytes);
  CHECK(key->origin() == "environment variable VPNAAS_MASTER_KEY");
}

TEST_CASE("load_master_key: from the default file, surrounding whitespace ignored") {
  KeyHome home;
  write_key(home.default_key(), std::string("\n") + kKeyHex + "\r\n");
  auto key = load_master_key(default_source(home));
  REQUIRE(key.ok());
  CHECK(hex_of(*key) == kKeyHex);
  CHECK(key->origin() == home.default_key().string());
}

TEST_CASE("load_master_key: --key-file, then the environment, then the default file") {
  KeyHome home;
  fs::path flag_file = home.dir.path() / "flag.key";
  std::string flag_hex(64, 'a');
  write_key(flag_file, flag_hex);
  write_key(home.default_key(), kKeyHex);
  ScopedEnv env{{{"VPNAAS_MASTER_KEY", kOtherKeyHex}}};

  KeySource with_flag{flag_file, home.default_key(), false};
  CHECK(locate_master_key(with_flag).origin == KeyOrigin::key_file);
  CHECK(hex_of(load_master_key(with_flag).value()) == flag_hex);

  CHECK(locate_master_key(default_source(home)).origin == KeyOrigin::environment);
  CHECK(hex_of(load_master_key(default_source(home)).value()) == kOtherKeyHex);

  ScopedEnv no_env{{{"VPNAAS_MASTER_KEY", std::nullopt}}};
  KeyLocation location = locate_master_key(default_source(home));
  CHECK(location.origin == KeyOrigin::default_file);
  CHECK(location.path == home.default_key());
  CHECK(location.exists);
  CHECK(hex_of(load_master_key(default_source(home)).value()) == kKeyHex);
}

TEST_CASE("load_master_key: upper-case hex and longer keys are accepted") {
  std::string upper = kKeyHex;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  ScopedEnv env{{{"VPNAAS_MASTER_KEY", upper}}};
  CHECK(hex_of(load_master_key(KeySource{}).value()) == kKeyHex);

  ScopedEnv longer{{{"VPNAAS_MASTER_KEY", std::string(kKeyHex) + kOtherKeyHex}}};
  CHECK(load_master_key(KeySource{}).value().bytes().size() == 64);
}

TEST_CASE("load_master_key: no key anywhere names every way to provide one") {
  KeyHome home;
  auto key = load_master_key(default_source(home));
  REQUIRE_FALSE(key.ok());
  std::string path = home.default_key().string();
  CHECK(key.error().code == ErrorCode::missing_secret);
  CHECK(key.error().message ==
        "no master key: VPNAAS_MASTER_KEY is not set and " + path + " does not exist");
  CHECK(key.error().hint == "create " + path +
                                " with `vpnaas key generate`, set VPNAAS_MASTER_KEY to 64 hex "
                                "digits, or pass --key-file PATH");
  CHECK_FALSE(fs::exists(home.default_key()));
}

TEST_CASE("load_master_key: no key and no default file path") {
  ScopedEnv env{{{"VPNAAS_MASTER_KEY", std::nullopt}}};
  auto key = load_master_key(KeySource{std::nullopt, {}, true});
  REQUIRE_FALSE(key.ok());
  CHECK(key.error().code == ErrorCode::missing_secret);
  CHECK(key.error().message ==
        "no master key: VPNAAS_MASTER_KEY is not set and no key file was given");
  CHECK(key.error().hint == "set VPNAAS_MASTER_KEY to 64 hex digits or pass --key-file PATH; the "
                            "default key file needs HOME or XDG_CONFIG_HOME");
}

TEST_CASE("load_master_key: a missing --key-file is not created") {
  KeyHome home;
  fs::path missing = home.dir.path() / "typo.key";
  auto key = load_master_key(KeySource{missing, home.default_key(), true});
  REQUIRE_FALSE(key.ok());
  CHECK(key.error().code == ErrorCode::missing_secret);
  CHECK(key.error().message == "key file " + missing.string() + " does not exist");
  CHECK(key.error().hint == "create it with `vpnaas key generate --key-file " + missing.string() +
                                "`, or drop --key-file and set VPNAAS_MASTER_KEY");
  CHECK_FALSE(fs::exists(missing));
  CHECK_FALSE(fs::exists(home.default_key()));
}

TEST_CASE("load_master_key: malformed keys are refused with exact messages") {
  const std::string env = "the master key in environment variable VPNAAS_MASTER_KEY";
  const std::string hint = "a master key is 64 or more hex digits, as written by `vpnaas key "
                           "generate` or `openssl rand -hex 32`";
  SUBCASE("too short") {
    std::string short_key = std::string(kKeyHex).substr(0, 40);
    auto error = env_key_error(short_key);
    CHECK(error.code == ErrorCode::environment);
    CHECK(error.message == env + " is too short: 40 hex digits, at least 64 are needed");
    CHECK(error.hint == hint);
    vpnaas::test::check_no_key_material(error, short_key);
  }
  SUBCASE("one digit short") {
    auto error = env_key_error(std::string(kKeyHex).substr(0, 63));
    CHECK(error.message == env + " is too short: 63 hex digits, at least 64 are needed");
  }
  SUBCASE("not hex") {
    std::string bad = kKeyHex;
    bad[10] = 'g';
    auto error = env_key_error(bad);
    CHECK(error.message == env + " is not hexadecimal: character 11 is not 0-9 or a-f");
    vpnaas::test::check_no_key_material(error, bad);
  }
  SUBCASE("whitespace inside") {
    std::string bad = std::string(kKeyHex).insert(32, " ");
    CHECK(env_key_error(bad).message ==
          env + " is not hexadecimal: character 33 is not 0-9 or a-f");
  }
  SUBCASE("odd length") {
    auto error = env_key_error(std::string(kKeyHex) + "a");
    CHECK(error.message == env + " has an odd number of hex digits (65)");
  }
  SUBCASE("set but empty: no silent fallback to a file") {
    auto error = env_key_error(" \n");
    CHECK(error.message == env + " is empty");
    CHECK(error.hint == "set it to 64 or more hex digits, or unset it to use a key file");
  }
  SUBCASE("in a file, the message names the file") {
    KeyHome home;
    write_key(home.default_key(), std::string(kKeyHex).substr(0, 62));
    auto key = load_master_key(default_source(home));
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().message == "the master key in " + home.default_key().string() +
                                     " is too short: 62 hex digits, at least 64 are needed");
  }
}
