#include <vpnaas/core/log.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cstdio>

namespace vpnaas::log {
namespace {

std::mutex g_sink_mutex;
std::shared_ptr<Sink> g_sink;

bool needs_quotes(std::string_view value) {
  if (value.empty()) {
    return true;
  }
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= ' ' || c == '=' || c == '"' || c == '\\' || c == 0x7f) {
      return true;
    }
  }
  return false;
}

void append_value(std::string& out, std::string_view value) {
  if (!needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < ' ' || c == 0x7f) {
        out += fmt::format("\\x{:02x}", c);
      } else {
        out += ch;
      }
    }
  }
  out += '"';
}

void append_key(std::string& out, std::string_view key) {
  if (key.empty()) {
    out += '_';
  }
  for (char c : key) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '.';
    out += plain ? c : '_';
  }
}

} // namespace

const char* to_string(Level level) {
  switch (level) {
  case Level::debug:
    return "debug";
  case Level::info:
    return "info";
  case Level::warning:
    return "warning";
  case Level::error:
    return "error";
  }
  return "info";
}

Field::Field(std::string_view key, double value) : m_key(key), m_value(fmt::format("{}", value)) {}

std::string format_line(const Record& record) {
  using namespace std::chrono;
  const auto whole = floor<seconds>(record.time);
  const auto millis = duration_cast<milliseconds>(record.time - whole).count();
  std::string out = fmt::format("time={:%Y-%m-%dT%H:%M:%S}.{:03}Z level={} msg=", whole, millis,
                                to_string(record.level));
  append_value(out, record.message);
  for (const Field& field : record.fields) {
    out += ' ';
    append_key(out, field.key());
    out += '=';
    append_value(out, field.value());
  }
  return out;
}

void StderrSink::write(const Record& record) {
  if (record.level < m_threshold) {
    return;
  }
  std::string line = format_line(record);
  line += '\n';
  std::lock_guard lock(m_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void set_sink(std::shared_ptr<Sink> sink) {
  std::lock_guard lock(g_sink_mutex);
  g_sink = std::move(sink);
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  std::shared_ptr<Sink> sink;
  {
    std::lock_guard lock(g_sink_mutex);
    sink = g_sink;
  }
  if (!sink) {
    return;
  }
  try {
    sink->write(Record{std::chrono::system_clock::now(), level, message,
                       std::span<const Field>(fields.begin(), fields.size())});
  } catch (...) {
    // A log line that cannot be written must not take the server down with it.
  }
}

} // namespace vpnaas::log
