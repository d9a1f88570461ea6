#include <vpnaas/topology/lock_file.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace vpnaas::topology {
namespace {

constexpr int kNewestVersion = 2; // 1: tunnels only; 2: also `retired` lines
constexpr const char* kReallocateHint =
    "delete the line and run `vpnaas inventory validate` to re-allocate it";

// A whitespace-separated word of a lock line with its 1-based column.
struct Word {
  std::string_view text;
  int column = 0;
};

// The words of one line. Lock lines hold at most three words, so they live in
// a fixed array: a 100,000-line lock then parses without an allocation per line.
struct Words {
  static constexpr std::size_t kKept = 3;
  std::array<Word, kKept> items;
  std::size_t count = 0; // every word of the line, also those beyond kKept

  const Word& operator[](std::size_t i) const { return items[i]; }
  std::size_t size() const { return count; }
  bool empty() const { return count == 0; }
};

Words split_words(std::string_view line) {
  Words words;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) {
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') {
      ++pos;
    }
    if (pos > start) {
      if (words.count < Words::kKept) {
        words.items[words.count] =
            Word{line.substr(start, pos - start), static_cast<int>(start) + 1};
      }
      ++words.count;
    }
  }
  return words;
}

// "a/x~b/y": two endpoint ids, each "<group>/<name>", joined by one '~'.
bool is_tunnel_id(std::string_view id) {
  const auto tilde = id.find('~');
  if (tilde == std::string_view::npos || id.find('~', tilde + 1) != std::string_view::npos) {
    return false;
  }
  auto is_endpoint = [](std::string_view e) {
    const auto slash = e.find('/');
    return slash != std::string_view::npos && slash > 0 && slash + 1 < e.size() &&
           e.find('/', slash + 1) == std::string_view::npos;
  };
  return is_endpoint(id.substr(0, tilde)) && is_endpoint(id.substr(tilde + 1));
}

// One `tunnel` line that parsed; its id points into the text being parsed.
struct Entry {
  std::string_view id;
  Ipv4Prefix subnet;
  int line = 0;
  int column = 0;
};

class LockParser {
public:
  LockParser(std::string display_path, Diagnostics& diags)
      : m_path(std::move(display_path)), m_diags(diags) {}

  void line(std::string_view text, int number) {
    if (!text.empty() && text.back() == '\r') {
      text.remove_suffix(1); // a checkout with CRLF line endings is still the same lock
    }
    const auto words = split_words(text);
    if (words.empty() || words[0].text.front() == '#') {
      return;
    }
    if (words[0].text == "version") {
      version_line(words, number);
    } else if (words[0].text == "tunnel") {
      tunnel_line(words, number, m_entries);
    } else if (words[0].text == "retired" && m_lock.version >= 2) {
      tunnel_line(words, number, m_retired_entries);
    } else {
      fail(number, words[0].column, "lock-syntax",
           fmt::format("unknown entry \"{}\": a lock line is `version N`, "
                       "`tunnel <tunnel id> <transit /30>` or (version 2) "
                       "`retired <tunnel id> <transit /30>`",
                       words[0].text),
           kReallocateHint);
    }
  }

  LockFile finish() {
    collect_entries(m_entries, m_lock.tunnels);
    collect_entries(m_retired_entries, m_lock.retired);
    for (auto it = m_lock.retired.begin(); it != m_lock.retired.end();) {
      // A tunnel that is live again needs no retired copy; the live line wins.
      it = m_lock.tunnels.count(it->first) != 0 ? m_lock.retired.erase(it) : std::next(it);
    }
    return std::move(m_lock);
  }

private:
  void version_line(const Words& words, int number) {
    if (m_version_line != 0) {
      fail(number, words[0].column, "lock-version",
           fmt::format("a second `version` line; the first is on line {}", m_version_line),
           "keep only one `version` line");
      return;
    }
    m_version_line = number;
    if (words.size() != 2) {
      fail(number, words[0].column, "lock-version",
           "the `version` line must hold exactly one number", "write `version 1`");
      return;
    }
    if (words[1].text != "1" && words[1].text != "2") {
      fail(number, words[1].column, "lock-version",
           fmt::format("lock file version \"{}\" is not supported; this vpnaas reads versions "
                       "1 to {}",
                       words[1].text, kNewestVersion),
           "use the vpnaas release that wrote this lock, or delete the lock file to "
           "re-allocate every tunnel");
      m_unsupported = true;
      return;
    }
    m_lock.version = words[1].text == "2" ? 2 : 1;
  }

  void tunnel_line(const Words& words, int number, std::vector<Entry>& entries) {
    if (m_unsupported) {
      return; // another version's lines would only add noise to the one real problem
    }
    if (m_version_line == 0 && !m_reported_missing_version) {
      m_reported_missing_version = true;
      fail(number, words[0].column, "lock-version",
           "the lock file has no `version` line before its first tunnel",
           "add `version 1` above the first `tunnel` line");
    }
    if (words.size() != 3) {
      fail(number, words[0].column, "lock-syntax",
           fmt::format("a `tunnel` line needs a tunnel id and a transit subnet, found {} "
                       "word(s) after `tunnel`",
                       words.size() - 1),
           kReallocateHint);
      return;
    }
    const Word& id = words[1];
    if (!is_tunnel_id(id.text)) {
      fail(number, id.column, "lock-syntax",
           fmt::format("\"{}\" is not a tunnel id like acme/antwerp~dc1/dc1-r1", id.text),
           kReallocateHint);
      return;
    }
    auto subnet = Ipv4Prefix::parse(words[2].text);
    if (!subnet) {
      fail(number, words[2].column, "lock-bad-prefix", subnet.error().message, kReallocateHint);
      return;
    }
    entries.push_back(Entry{id.text, *subnet, number, id.column});
  }

  // Builds the map from the entries sorted by id; equal ids then sit side by
  // side with the earliest line first, which is the one kept.
  void collect_entries(std::vector<Entry>& entries, std::map<std::string, Ipv4Prefix>& into) {
    auto by_id = [](const Entry& x, const Entry& y) { return x.id < y.id; };
    if (!std::is_sorted(entries.begin(), entries.end(), by_id)) {
      std::stable_sort(entries.begin(), entries.end(), by_id);
    }
    const Entry* kept = nullptr;
    for (const Entry& e : entries) {
      if (kept != nullptr && kept->id == e.id) {
        fail(e.line, e.column, "lock-duplicate-tunnel",
             fmt::format("tunnel {} is listed twice; the first entry is on line {}", e.id,
                         kept->line),
             "delete one of the two lines");
        continue;
      }
      kept = &e;
      into.emplace_hint(into.end(), std::string(e.id), e.subnet);
    }
  }

  void fail(int line, int column, const char* code, std::string message, std::string hint) {
    m_diags.error(SourceLocation{m_path, line, column}, code, std::move(message), std::move(hint));
  }

  std::string m_path;
  Diagnostics& m_diags;
  LockFile m_lock;
  std::vector<Entry> m_entries;         // tunnel lines, in file order
  std::vector<Entry> m_retired_entries; // retired lines, in file order
  int m_version_line = 0;
  bool m_reported_missing_version = false;
  bool m_unsupported = false;
};

Error io_error(const std::filesystem::path& path, const char* what, int err) {
  return make_error(ErrorCode::io,
                    fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(err)),
                    "check that the inventory folder exists and is writable");
}

} // namespace

LockFile parse_lock(const std::string& text, const std::string& display_path, Diagnostics& diags) {
  LockParser parser(display_path, diags);
  std::string_view rest = text;
  int number = 0;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    parser.line(rest.substr(0, end), ++number);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  }
  return parser.finish();
}

LockFile read_lock(const std::filesystem::path& root, Diagnostics& diags) {
  const auto path = root / kLockFileName;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    return LockFile{};
  }
  std::ifstream in;
  if (std::filesystem::is_regular_file(status)) {
    in.open(path, std::ios::binary);
  }
  std::ostringstream text;
  if (in.is_open()) {
    text << in.rdbuf();
  }
  if (!in.is_open() || in.bad()) {
    diags.io_error(SourceLocation{path.string(), 0, 0}, "lock-io",
                   fmt::format("cannot read the lock file {}", path.string()),
                   "check that it is a readable file, or delete it to re-allocate every tunnel");
    return LockFile{};
  }
  return parse_lock(text.str(), path.string(), diags);
}

std::string render_lock(const LockFile& lock) {
  std::string out =
      "# vpnaas.lock: stable allocations written by vpnaas. Commit this file; do not edit it by "
      "hand.\n# <tunnel id> <transit /30>\n";
  out += fmt::format("version {}\n", lock.retired.empty() ? 1 : 2);
  // Formatted in place: a large mesh has 100,000+ lines and temporaries per line show.
  out.reserve(out.size() + (lock.tunnels.size() + lock.retired.size()) * 64);
  auto sink = std::back_inserter(out);
  auto lines = [&sink](const char* word, const std::map<std::string, Ipv4Prefix>& entries) {
    for (const auto& [id, subnet] : entries) {
      const std::uint32_t a = subnet.network().value();
      fmt::format_to(sink, "{} {} {}.{}.{}.{}/{}\n", word, id, a >> 24, (a >> 16) & 0xFF,
                     (a >> 8) & 0xFF, a & 0xFF, subnet.length());
    }
  };
  lines("tunnel", lock.tunnels);
  if (!lock.retired.empty()) {
    out += "# Retired: subnets kept for tunnels that left the inventory, so that they get them\n"
           "# back if they return. `vpnaas inventory prune` drops them.\n";
    lines("retired", lock.retired);
  }
  return out;
}

Status write_lock(const std::filesystem::path& root, const LockFile& lock) {
  const auto path = root / kLockFileName;
  std::string temp = (root / ".vpnaas.lock.XXXXXX").string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    return io_error(path, "write", errno);
  }
  const std::string text = render_lock(lock);
  std::size_t written = 0;
  int err = 0;
  while (written < text.size() && err == 0) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno != EINTR) {
      err = errno;
    } else if (n > 0) {
      written += static_cast<std::size_t>(n);
    }
  }
  // mkstemp creates 0600; a committed file should be readable like any other.
  if (err == 0 && (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0)) {
    err = errno;
  }
  if (::close(fd) != 0 && err == 0) {
    err = errno;
  }
  if (err == 0 && std::rename(temp.c_str(), path.c_str()) != 0) {
    err = errno;
  }
  if (err != 0) {
    ::unlink(temp.c_str());
    return io_error(path, "write", err);
  }
  // Persist the rename itself; a failure here leaves a complete lock either way.
  if (const int dir = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return Ok{};
}

} // namespace vpnaas::topology
