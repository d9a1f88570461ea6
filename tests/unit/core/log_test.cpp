#include <vpnaas/core/log.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

using namespace vpnaas;

namespace {

// Keeps every line, for tests that read what a component logged.
class CaptureSink : public log::Sink {
public:
  void write(const log::Record& record) override {
    std::lock_guard lock(m_mutex);
    m_lines.push_back(log::format_line(record));
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(m_mutex);
    return m_lines;
  }

private:
  std::mutex m_mutex;
  std::vector<std::string> m_lines;
};

// 2026-11-30T10:01:29.123Z
std::chrono::system_clock::time_point fixed_time() {
  using namespace std::chrono;
  return sys_days{year{2026} / November / 30} + hours{10} + minutes{1} + seconds{29} +
         milliseconds{123};
}

std::string line_of(std::string_view message, std::initializer_list<log::Field> fields,
                    log::Level level = log::Level::info) {
  return log::format_line(
      log::Record{fixed_time(), level, message, std::span<const log::Field>(fields)});
}

// Restores "no sink" however a test ends.
struct SinkGuard {
  ~SinkGuard() { log::set_sink(nullptr); }
};

} // namespace

// A secret has no conversion to a field: logging one does not compile.
static_assert(!std::is_constructible_v<log::Field, std::string_view, const secrets::MasterKey&>);
static_assert(!std::is_constructible_v<log::Field, std::string_view, secrets::MasterKey>);
static_assert(std::is_constructible_v<log::Field, std::string_view, int>);

TEST_CASE("log: one logfmt line with time, level, message and fields in order") {
  CHECK(line_of("session ended", {{"serial", "HEX0001"}, {"rpcs", 3}, {"ok", true}}) ==
        "time=2026-11-30T10:01:29.123Z level=info msg=\"session ended\" serial=HEX0001 rpcs=3 "
        "ok=true");
  CHECK(line_of("stopping", {}, log::Level::warning) ==
        "time=2026-11-30T10:01:29.123Z level=warning msg=stopping");
}

TEST_CASE("log: values with spaces, quotes, backslashes and control characters are escaped") {
  CHECK(line_of("m", {{"path", "a b"}}).ends_with(" path=\"a b\""));
  CHECK(line_of("m", {{"q", "say \"hi\""}}).ends_with(" q=\"say \\\"hi\\\"\""));
  CHECK(line_of("m", {{"b", "C:\\x"}}).ends_with(" b=\"C:\\\\x\""));
  CHECK(line_of("m", {{"eq", "a=b"}}).ends_with(" eq=\"a=b\""));
  CHECK(line_of("m", {{"empty", ""}}).ends_with(" empty=\"\""));
  // A CPE's text can forge no second record: one record is one line.
  std::string forged = line_of("m", {{"fault", "x\nlevel=error msg=forged\r\t\x01"}});
  CHECK(forged.find('\n') == std::string::npos);
  CHECK(forged.ends_with(" fault=\"x\\nlevel=error msg=forged\\r\\t\\x01\""));
  CHECK(line_of("two\nlines", {}).ends_with(" msg=\"two\\nlines\""));
}

TEST_CASE("log: keys keep only letters, digits, underscore, dash and dot") {
  CHECK(line_of("m", {{"remote addr", "1"}}).ends_with(" remote_addr=1"));
  CHECK(line_of("m", {{"a=b\"c", "1"}}).ends_with(" a_b_c=1"));
  CHECK(line_of("m", {{"cwmp.version", "1.4"}}).ends_with(" cwmp.version=1.4"));
}

TEST_CASE("log: nothing is written until a sink is installed") {
  SinkGuard guard;
  auto capture = std::make_shared<CaptureSink>();
  log::info("before");
  log::set_sink(capture);
  log::info("after", {{"n", 1}});
  log::set_sink(nullptr);
  log::error("gone");
  auto lines = capture->lines();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].ends_with(" level=info msg=after n=1"));
}

TEST_CASE("log: the null sink discards and records from several threads all arrive") {
  SinkGuard guard;
  log::set_sink(std::make_shared<log::NullSink>());
  log::warning("dropped");
  auto capture = std::make_shared<CaptureSink>();
  log::set_sink(capture);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 50; ++i) {
        log::debug("tick", {{"thread", t}, {"i", i}});
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(capture->lines().size() == 200);
}
