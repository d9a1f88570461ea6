#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/device/import_output.hpp>
#include <vpnaas/transport/ssh/session.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace vpnaas::device {

// RouterOS console operations over an authenticated SSH session. Command
// output is returned with RouterOS's CRLF line ends turned into LF. Errors are
// the session's (ErrorCode::remote) unless stated otherwise.
class RouterOs {
public:
  explicit RouterOs(transport::ssh::Session& session) : m_session(session) {}

  // Runs one console command and returns what it printed.
  Result<transport::ssh::CommandOutput> run(std::string_view command);

  // The configuration as `/export` prints it (v7 hides secrets by default).
  Result<std::string> export_config();

  // Saves the running configuration before a change: `/export file=<remote_name>`
  // on the device (kept there as <remote_name>.rsc) and the `/export` text in a
  // new file <folder>/<device>/<UTC time>.rsc, readable by the owner only
  // (mode 0600; the folders it creates are 0700). Returns that file. Fails with io when it cannot
  // be written.
  Result<std::filesystem::path> save_backup(std::string_view device,
                                            const std::filesystem::path& folder,
                                            const std::string& remote_name);

  // Uploads `script` as the file `remote_name` (SFTP, else SCP).
  Status upload_script(std::string_view script, const std::string& remote_name);

  // Runs `/import file-name=<remote_name> verbose=yes` and reads RouterOS's
  // verdict on `script` (the uploaded text). An import RouterOS rejected is a
  // verdict with ok == false, not an error; an error means it could not run.
  Result<ImportVerdict> import_script(const std::string& remote_name, std::string_view script);

  // Deletes a file by SFTP, or with `/file remove` when the device has no SFTP.
  Status remove_file(const std::string& remote_name);

  // `/system reboot`, answering its "Reboot, yes? [y/N]" prompt. Succeeds when
  // the device acknowledges or drops the connection; fails when it cancels.
  Status reboot();

private:
  transport::ssh::Session& m_session;
};

} // namespace vpnaas::device
