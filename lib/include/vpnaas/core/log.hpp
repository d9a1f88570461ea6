#pragma once

// Structured logging for long-running parts (the ACS server): one line per
// event, `key=value` fields. The library never prints on its own: nothing is
// written until the application installs a sink.

#include <chrono>
#include <concepts>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

namespace vpnaas::log {

enum class Level { debug, info, warning, error };

// "debug", "info", "warning", "error".
const char* to_string(Level level);

// One key=value pair. Only text, integers, booleans and floating-point
// numbers convert to a field: a secret type (secrets::MasterKey, a PSK
// holder) has no conversion, so logging one by accident does not compile.
class Field {
public:
  Field(std::string_view key, std::string_view value) : m_key(key), m_value(value) {}
  Field(std::string_view key, const char* value) : Field(key, std::string_view(value)) {}
  Field(std::string_view key, const std::string& value) : Field(key, std::string_view(value)) {}
  Field(std::string_view key, bool value) : m_key(key), m_value(value ? "true" : "false") {}
  template <class T>
  requires(std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char>)
      Field(std::string_view key, T value)
      : m_key(key), m_value(std::to_string(value)) {}
  Field(std::string_view key, double value);

  const std::string& key() const { return m_key; }
  const std::string& value() const { return m_value; }

private:
  std::string m_key;
  std::string m_value;
};

struct Record {
  std::chrono::system_clock::time_point time;
  Level level = Level::info;
  std::string_view message;
  std::span<const Field> fields;
};

// Where records go. write() may be called from several threads at once.
class Sink {
public:
  virtual ~Sink() = default;
  virtual void write(const Record& record) = 0;
};

// Discards everything: what a test installs to silence a component.
class NullSink : public Sink {
public:
  void write(const Record&) override {}
};

// One line per record on stderr (stdout stays machine-readable), records
// below `threshold` dropped. Lines from several threads never interleave.
class StderrSink : public Sink {
public:
  explicit StderrSink(Level threshold = Level::info) : m_threshold(threshold) {}
  void write(const Record& record) override;

private:
  Level m_threshold;
  std::mutex m_mutex;
};

// `time=2026-11-30T10:01:29.123Z level=info msg="session ended" serial=HEX0001`:
// logfmt. A value that is empty or holds a space, `=`, a quote, a backslash or
// a control character is quoted with `\"`, `\\`, `\n`, `\r`, `\t` and `\xNN`
// escapes, so one record is always one line; a key keeps only letters,
// digits, `_`, `-` and `.` (others become `_`).
std::string format_line(const Record& record);

// Installs the process's sink (nullptr: none, the default). Thread-safe.
void set_sink(std::shared_ptr<Sink> sink);

// Sends a record to the installed sink, if any. Never throws.
void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

inline void debug(std::string_view message, std::initializer_list<Field> fields = {}) {
  write(Level::debug, message, fields);
}
inline void info(std::string_view message, std::initializer_list<Field> fields = {}) {
  write(Level::info, message, fields);
}
inline void warning(std::string_view message, std::initializer_list<Field> fields = {}) {
  write(Level::warning, message, fields);
}
inline void error(std::string_view message, std::initializer_list<Field> fields = {}) {
  write(Level::error, message, fields);
}

} // namespace vpnaas::log
