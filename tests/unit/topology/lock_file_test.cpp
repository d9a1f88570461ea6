#include <vpnaas/topology/lock_file.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "prefix.hpp"
#include "support/paths.hpp"

using namespace vpnaas;
using namespace vpnaas::topology;
using vpnaas::test::prefix;

namespace {

const char* const kReallocate =
    "delete the line and run `vpnaas inventory validate` to re-allocate it";

LockFile sample_lock() {
  LockFile lock;
  lock.tunnels.emplace("acme/antwerp~dc1/dc1-r1", prefix("10.255.0.4/30"));
  lock.tunnels.emplace("acme/antwerp~acme/brussels", prefix("10.255.0.0/30"));
  return lock;
}

const std::string kSampleText =
    "# vpnaas.lock: stable allocations written by vpnaas. Commit this file; do not edit it by "
    "hand.\n"
    "# <tunnel id> <transit /30>\n"
    "version 1\n"
    "tunnel acme/antwerp~acme/brussels 10.255.0.0/30\n"
    "tunnel acme/antwerp~dc1/dc1-r1 10.255.0.4/30\n";

// Parses `text` expecting exactly one error, and returns it.
Diagnostic only_error(const std::string& text) {
  Diagnostics diags;
  (void)parse_lock(text, "inv/vpnaas.lock", diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].severity == Severity::error);
  CHECK(diags.items()[0].where.file == "inv/vpnaas.lock");
  return diags.items()[0];
}

} // namespace

TEST_CASE("a lock renders sorted, one tunnel per line, under a header") {
  CHECK(render_lock(sample_lock()) == kSampleText);
  CHECK(render_lock(LockFile{}) == kSampleText.substr(0, kSampleText.find("\ntunnel ") + 1));
}

TEST_CASE("a lock with retired subnets is version 2 and parses back") {
  LockFile lock = sample_lock();
  lock.retired.emplace("acme/ghent~dc1/dc1-r1", prefix("10.255.0.8/30"));
  const std::string text = render_lock(lock);
  CHECK(text.find("version 2\n") != std::string::npos);
  CHECK(text.find("\nretired acme/ghent~dc1/dc1-r1 10.255.0.8/30\n") != std::string::npos);
  Diagnostics diags;
  LockFile back = parse_lock(text, "inv/vpnaas.lock", diags);
  CHECK(diags.empty());
  CHECK(back.tunnels == lock.tunnels);
  CHECK(back.retired == lock.retired);
}

TEST_CASE("a version 1 lock may not hold retired lines") {
  auto d = only_error("version 1\nretired acme/a~acme/b 10.255.0.0/30\n");
  CHECK(d.where.line == 2);
  CHECK(d.code == "lock-syntax");
}

TEST_CASE("a rendered lock parses back to the same lock") {
  Diagnostics diags;
  CHECK(parse_lock(kSampleText, "inv/vpnaas.lock", diags) == sample_lock());
  CHECK(diags.empty());
}

TEST_CASE("blank lines, comments, extra spaces and CRLF line ends are accepted") {
  Diagnostics diags;
  const std::string text = "\n# hand-added note\r\n  version\t1\r\n\n"
                           "   # indented comment\n"
                           "tunnel   acme/antwerp~dc1/dc1-r1\t10.255.0.4/30  \r\n"
                           "tunnel acme/antwerp~acme/brussels 10.255.0.0/30";
  CHECK(parse_lock(text, "inv/vpnaas.lock", diags) == sample_lock());
  CHECK(diags.empty());
}

TEST_CASE("an empty lock file is an empty lock") {
  Diagnostics diags;
  CHECK(parse_lock("", "inv/vpnaas.lock", diags) == LockFile{});
  CHECK(parse_lock("# nothing yet\n\n", "inv/vpnaas.lock", diags) == LockFile{});
  CHECK(diags.empty());
}

TEST_CASE("lock parse errors name the line, column, problem and fix") {
  SUBCASE("unknown line") {
    auto d = only_error("version 1\n\n  subnet a/b~c/d 10.0.0.0/30\n");
    CHECK(d.where.line == 3);
    CHECK(d.where.column == 3);
    CHECK(d.code == "lock-syntax");
    CHECK(d.message == "unknown entry \"subnet\": a lock line is `version N`, "
                       "`tunnel <tunnel id> <transit /30>` or (version 2) "
                       "`retired <tunnel id> <transit /30>`");
    CHECK(d.hint == kReallocate);
  }
  SUBCASE("bad prefix") {
    auto d = only_error("version 1\ntunnel acme/a~acme/b 10.255.0.1/30\n");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 22);
    CHECK(d.code == "lock-bad-prefix");
    CHECK(d.message ==
          "\"10.255.0.1/30\" has host bits set: the network of 10.255.0.1/30 is 10.255.0.0/30");
    CHECK(d.hint == kReallocate);
  }
  SUBCASE("not a prefix at all") {
    auto d = only_error("version 1\ntunnel acme/a~acme/b 10.255.0.300/30\n");
    CHECK(d.where.line == 2);
    CHECK(d.message == "\"10.255.0.300/30\" is not a valid prefix: \"10.255.0.300\" is not a "
                       "valid IPv4 address: each number must be between 0 and 255");
  }
  SUBCASE("duplicate tunnel id") {
    Diagnostics diags;
    auto lock = parse_lock("version 1\ntunnel acme/a~acme/b 10.255.0.0/30\n"
                           "tunnel acme/a~acme/b 10.255.0.8/30\n",
                           "inv/vpnaas.lock", diags);
    REQUIRE(diags.items().size() == 1);
    const auto& d = diags.items()[0];
    CHECK(d.where.line == 3);
    CHECK(d.where.column == 8);
    CHECK(d.code == "lock-duplicate-tunnel");
    CHECK(d.message == "tunnel acme/a~acme/b is listed twice; the first entry is on line 2");
    CHECK(d.hint == "delete one of the two lines");
    CHECK(lock.tunnels.at("acme/a~acme/b") == prefix("10.255.0.0/30"));
  }
  SUBCASE("unsupported version") {
    auto d = only_error("# header\nversion 3\ntunnel acme/a~acme/b 10.255.0.0/30 extra\n");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 9);
    CHECK(d.code == "lock-version");
    CHECK(d.message ==
          "lock file version \"3\" is not supported; this vpnaas reads versions 1 to 2");
    CHECK(d.hint == "use the vpnaas release that wrote this lock, or delete the lock file to "
                    "re-allocate every tunnel");
  }
  SUBCASE("version without a number") {
    auto d = only_error("version\n");
    CHECK(d.where.line == 1);
    CHECK(d.message == "the `version` line must hold exactly one number");
    CHECK(d.hint == "write `version 1`");
  }
  SUBCASE("second version line") {
    auto d = only_error("version 1\nversion 1\n");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 1);
    CHECK(d.message == "a second `version` line; the first is on line 1");
  }
  SUBCASE("missing version line") {
    auto d = only_error("# header\ntunnel acme/a~acme/b 10.255.0.0/30\n"
                        "tunnel acme/a~acme/c 10.255.0.4/30\n");
    CHECK(d.where.line == 2);
    CHECK(d.message == "the lock file has no `version` line before its first tunnel");
    CHECK(d.hint == "add `version 1` above the first `tunnel` line");
  }
  SUBCASE("tunnel line without a subnet") {
    auto d = only_error("version 1\ntunnel acme/a~acme/b\n");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 1);
    CHECK(d.code == "lock-syntax");
    CHECK(d.message ==
          "a `tunnel` line needs a tunnel id and a transit subnet, found 1 word(s) after `tunnel`");
    CHECK(d.hint == kReallocate);
  }
  SUBCASE("malformed tunnel id") {
    auto d = only_error("version 1\ntunnel acme-a-b 10.255.0.0/30\n");
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 8);
    CHECK(d.message == "\"acme-a-b\" is not a tunnel id like acme/antwerp~dc1/dc1-r1");
  }
}

TEST_CASE("every bad line is reported and the good lines are kept") {
  Diagnostics diags;
  auto lock = parse_lock("version 1\nbogus\ntunnel acme/a~acme/b 10.255.0.0/30\n"
                         "tunnel acme/a~acme/c 10.255.0.1/30\nbogus again\n",
                         "inv/vpnaas.lock", diags);
  CHECK(diags.error_count() == 3);
  CHECK(lock.tunnels.size() == 1);
  CHECK(lock.tunnels.count("acme/a~acme/b") == 1);
}

TEST_CASE("write_lock writes atomically and read_lock reads it back") {
  test::TempDir dir;
  Diagnostics diags;
  CHECK(read_lock(dir.path(), diags) == LockFile{}); // no file yet: empty, not an error
  CHECK(diags.empty());

  test::write_file(dir.path() / kLockFileName, "stale content");
  REQUIRE(write_lock(dir.path(), sample_lock()).ok());
  CHECK(test::read_file(dir.path() / kLockFileName) == kSampleText);
  CHECK(read_lock(dir.path(), diags) == sample_lock());
  CHECK(diags.empty());
  const auto perms = std::filesystem::status(dir.path() / kLockFileName).permissions();
  CHECK((perms & std::filesystem::perms::others_read) != std::filesystem::perms::none);

  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
  }
  CHECK(files == 1); // no temporary file left behind
}

TEST_CASE("read_lock reports problems against root/vpnaas.lock") {
  test::TempDir dir;
  test::write_file(dir.path() / kLockFileName, "version 1\nnonsense\n");
  Diagnostics diags;
  (void)read_lock(dir.path(), diags);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].where.file == (dir.path() / "vpnaas.lock").string());
  CHECK(diags.items()[0].where.line == 2);
}

TEST_CASE("read_lock reports a lock that is not a file") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / kLockFileName);
  Diagnostics diags;
  CHECK(read_lock(dir.path(), diags) == LockFile{});
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].code == "lock-io");
  CHECK(diags.items()[0].message ==
        "cannot read the lock file " + (dir.path() / kLockFileName).string());
}

TEST_CASE("write_lock fails with an io error naming the path") {
  test::TempDir dir;
  const auto missing = dir.path() / "no-such-folder";
  auto status = write_lock(missing, sample_lock());
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code == ErrorCode::io);
  CHECK(status.error().message ==
        "cannot write " + (missing / kLockFileName).string() + ": No such file or directory");
}
