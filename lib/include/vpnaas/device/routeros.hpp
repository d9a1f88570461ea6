#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/device/import_output.hpp>
#include <vpnaas/transport/ssh/session.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

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
  // (mode 0600; the folders it creates are 0700). Returns that file. Fails with
  // io when it cannot be written, with invalid_input for a remote name
  // quoted_file_name() refuses, and with remote when the device prints anything
  // for the `/export file=`.
  Result<std::filesystem::path> save_backup(std::string_view device,
                                            const std::filesystem::path& folder,
                                            const std::string& remote_name);

  // Uploads `script` as the file `remote_name` (SFTP, else SCP).
  Status upload_script(std::string_view script, const std::string& remote_name);

  // Runs `/import file-name=<remote_name>` and reads RouterOS's verdict on
  // `script` (the uploaded text, which ends with a statement printing
  // `marker`; see parse_import_output). A rejected or unproven import is a
  // verdict, not an error; an error means the command broke off (connection
  // lost, command timeout), so the outcome is unknown too.
  Result<ImportVerdict> import_script(const std::string& remote_name, std::string_view script,
                                      std::string_view marker = {});

  // Deletes a file by SFTP, or with `/file remove` when the device has no SFTP.
  // A file already gone is success.
  Status remove_file(const std::string& remote_name);

  // The names of the files in the device's top folder that start with
  // `prefix`, sorted: SFTP readdir, or when the device has no SFTP
  // `:foreach f in=[/file find where name~"^<prefix>"] do={:put [/file get $f
  // name]}`. `prefix` must be letters, digits and `-_` only (invalid_input).
  Result<std::vector<std::string>> list_files(std::string_view prefix);

  // One attempt to take the router-wide apply lock for `run_id`: a
  // `/system scheduler` item named kLockName whose comment is the holder's
  // run id and whose on-event removes it `expiry` after it was taken, so a
  // lock left by a run that died expires by itself. Returns the holder's run
  // id (== run_id when taken now), or an empty holder when the device's
  // answer names none (busy: try again). See router_lock.cpp for the RouterOS
  // behaviour this relies on.
  Result<std::string> try_lock(std::string_view run_id, std::chrono::seconds expiry);

  // Removes the lock if `run_id` holds it; someone else's lock is left alone.
  Status unlock(std::string_view run_id);

  static constexpr std::string_view kLockName = "vpnaas-apply-lock";

  // `/system reboot`, answering its "Reboot, yes? [y/N]" prompt. Succeeds when
  // the device acknowledges or drops the connection; fails when it cancels.
  Status reboot();

private:
  transport::ssh::Session& m_session;
};

} // namespace vpnaas::device
