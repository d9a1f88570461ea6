#include <vpnaas/core/private_dirs.hpp>
#include <vpnaas/device/quoting.hpp>
#include <vpnaas/device/routeros.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

#include "output_lines.hpp"

namespace vpnaas::device {
namespace {

std::string without_cr(std::string text) {
  std::erase(text, '\r');
  return text;
}

// "20250131T101500Z": sorts by time and is safe in every file system.
std::string utc_stamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &parts);
  return text;
}

// Device names come from the validated inventory, but a backup path must
// never leave its folder whatever a caller passes.
std::string safe_file_name(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c == '/' || c == '\\' || c == '\0') {
      c = '_';
    }
  }
  if (out.empty() || out.front() == '.') {
    out.insert(out.begin(), '_');
  }
  return out;
}

// Creates a new file (never overwriting an older backup) with owner-only
// permissions, and its missing folders likewise, since a RouterOS 6 export
// contains secrets.
Result<std::filesystem::path> write_new_file(const std::filesystem::path& folder,
                                             const std::string& stem, std::string_view text) {
  // 0700 for every level created here, as for the file itself.
  if (Status created = create_private_directories(folder); !created) {
    Error error = created.error();
    error.hint = "pass a writable folder with --backup-dir";
    return error;
  }
  for (int n = 1;; ++n) {
    const auto path = folder / (n == 1 ? stem + ".rsc" : fmt::format("{}-{}.rsc", stem, n));
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) {
      continue;
    }
    if (fd < 0) {
      return make_error(ErrorCode::io,
                        fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)),
                        "pass a writable folder with --backup-dir");
    }
    bool written = true;
    for (std::size_t done = 0; done < text.size() && written;) {
      const ssize_t n_written = ::write(fd, text.data() + done, text.size() - done);
      written = n_written > 0;
      done += written ? static_cast<std::size_t>(n_written) : 0;
    }
    written = ::close(fd) == 0 && written;
    if (!written) {
      return make_error(ErrorCode::io, fmt::format("cannot write {}", path.string()),
                        "check free space in the backup folder");
    }
    return path;
  }
}

} // namespace

Result<transport::ssh::CommandOutput> RouterOs::run(std::string_view command) {
  auto output = m_session.run(command);
  if (output) {
    output->out = without_cr(std::move(output->out));
    output->err = without_cr(std::move(output->err));
  }
  return output;
}

Result<std::string> RouterOs::export_config() {
  auto output = run("/export");
  if (!output) {
    return output.error();
  }
  return std::move(output->out);
}

Result<std::filesystem::path> RouterOs::save_backup(std::string_view device,
                                                    const std::filesystem::path& folder,
                                                    const std::string& remote_name) {
  auto quoted = quoted_file_name(remote_name);
  if (!quoted) {
    return quoted.error();
  }
  const std::string command = fmt::format("/export file={}", *quoted);
  auto on_device = run(command);
  if (!on_device) {
    return on_device.error();
  }
  const std::string printed = on_device->out + on_device->err;
  if (const std::string_view complaint = trimmed(printed); !complaint.empty()) {
    return make_error(
        ErrorCode::remote,
        fmt::format("`{}` failed on {}: {}", command, m_session.endpoint(), complaint),
        "check free space on the device; nothing was changed");
  }
  auto text = export_config();
  if (!text) {
    return text.error();
  }
  return write_new_file(folder / safe_file_name(device), utc_stamp(), *text);
}

Status RouterOs::upload_script(std::string_view script, const std::string& remote_name) {
  return m_session.upload(script, remote_name);
}

Result<ImportVerdict> RouterOs::import_script(const std::string& remote_name,
                                              std::string_view script, std::string_view marker) {
  auto quoted = quoted_file_name(remote_name);
  if (!quoted) {
    return quoted.error();
  }
  // Not verbose=yes: MikroTik documents that it "reads each line from the
  // file and executes individually", which splits the script's multi-line
  // blocks and loses their locals; a plain import runs the file as a whole
  // and still names the failing line ("Script Error: ... (...; line N)").
  auto output = run(fmt::format("/import file-name={}", *quoted));
  if (!output) {
    return output.error();
  }
  return parse_import_output(output->out + output->err, script, marker);
}

Status RouterOs::remove_file(const std::string& remote_name) {
  if (m_session.sftp_available()) {
    auto removed = m_session.remove(remote_name);
    if (removed || m_session.sftp_available()) {
      return removed;
    }
  }
  auto quoted = quoted_file_name(remote_name);
  if (!quoted) {
    return quoted.error();
  }
  auto output = run(fmt::format("/file remove {}", *quoted));
  if (!output) {
    return output.error();
  }
  const std::string printed = output->out + output->err;
  const std::string_view complaint = trimmed(printed);
  if (!complaint.empty() && complaint.find("no such item") == std::string_view::npos) {
    return make_error(
        ErrorCode::remote,
        fmt::format("cannot remove {} on {}: {}", remote_name, m_session.endpoint(), complaint),
        fmt::format("remove it by hand: /file remove {}", *quoted));
  }
  return Ok{};
}

Result<std::vector<std::string>> RouterOs::list_files(std::string_view prefix) {
  for (const char c : prefix) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("refusing the file name prefix {}", quote(prefix)),
                        "this is a bug in vpnaas: please report it");
    }
  }
  std::vector<std::string> names;
  if (m_session.sftp_available()) {
    auto listed = m_session.list(".");
    if (listed) {
      for (auto& name : *listed) {
        if (name.starts_with(prefix)) {
          names.push_back(std::move(name));
        }
      }
      std::sort(names.begin(), names.end());
      return names;
    }
    if (m_session.sftp_available()) {
      return listed.error();
    }
  }
  // `where name~"..."` matches a regular expression (MikroTik manual, "Files":
  // `print detail where name~"sample"`); `:foreach ... in=[find ...]` and
  // `:put [get ...]` are the scripting manual's own forms. The prefix is
  // letters, digits, `-` and `_` only, so it needs no regex escaping.
  auto output =
      run(fmt::format(":foreach f in=[/file find where name~{}] do={{:put [/file get $f name]}}",
                      quote(fmt::format("^{}", prefix))));
  if (!output) {
    return output.error();
  }
  if (auto error = find_error_line(output->out + output->err)) {
    return make_error(ErrorCode::remote,
                      fmt::format("cannot list the files on {}: {}", m_session.endpoint(), *error));
  }
  for (std::string_view line : output_lines(output->out)) {
    if (line.starts_with(prefix)) {
      names.emplace_back(line);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

Status RouterOs::reboot() {
  auto output = m_session.run("/system reboot", "y\n");
  if (!output) {
    // A device that reboots at once cuts the connection before answering.
    return m_session.connected() ? Status(output.error()) : Status(Ok{});
  }
  const std::string said = without_cr(output->out + output->err);
  if (said.find("cancel") != std::string::npos ||
      said.find("not enough permissions") != std::string::npos) {
    return make_error(ErrorCode::remote,
                      fmt::format("{} did not reboot: {}", m_session.endpoint(), said),
                      "the SSH user needs the `reboot` policy on the device");
  }
  return Ok{};
}

} // namespace vpnaas::device
