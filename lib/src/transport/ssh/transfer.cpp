#include <vpnaas/transport/ssh/session.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <fcntl.h>

#include "session_state.hpp"
#include "watchdog.hpp"

namespace vpnaas::transport::ssh {
namespace {

const char* sftp_status_text(int code) {
  switch (code) {
  case SSH_FX_NO_SUCH_FILE:
  case SSH_FX_NO_SUCH_PATH:
    return "no such file or folder";
  case SSH_FX_PERMISSION_DENIED:
    return "permission denied";
  case SSH_FX_FILE_ALREADY_EXISTS:
    return "file already exists";
  case SSH_FX_WRITE_PROTECT:
    return "the file system is read-only";
  default:
    return nullptr;
  }
}

// The SFTP subsystem of this session, opened on first use. nullptr when the
// server has none (the session stays usable); an error when the connection broke.
Result<sftp_session> open_sftp(Session::State& state) {
  if (state.sftp) {
    return state.sftp.get();
  }
  if (state.sftp_refused) {
    return static_cast<sftp_session>(nullptr);
  }
  SftpHandle sftp(sftp_new(state.session.get()));
  if (sftp && sftp_init(sftp.get()) == SSH_OK) {
    state.sftp = std::move(sftp);
    return state.sftp.get();
  }
  if (ssh_is_connected(state.session.get()) == 0) {
    return remote_error(state, "connection lost while starting SFTP");
  }
  state.sftp_refused = true;
  return static_cast<sftp_session>(nullptr);
}

Error sftp_error(Session::State& state, sftp_session sftp, std::string_view what) {
  const char* status = sftp_status_text(sftp_get_error(sftp));
  if (status != nullptr && ssh_is_connected(state.session.get()) != 0) {
    return make_error(ErrorCode::remote, fmt::format("{} on {}: {}", what, state.endpoint, status));
  }
  return remote_error(state, what, "the connection broke off; check the device and run again");
}

Status upload_sftp(Session::State& state, sftp_session sftp, std::string_view content,
                   const std::string& path) {
  SftpFileHandle file(sftp_open(sftp, path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600));
  if (!file) {
    return sftp_error(state, sftp, fmt::format("cannot create {} by SFTP", path));
  }
  for (std::size_t done = 0; done < content.size();) {
    const std::size_t n = std::min(kWriteChunk, content.size() - done);
    const ssize_t written = sftp_write(file.get(), content.data() + done, n);
    if (written <= 0) {
      return sftp_error(
          state, sftp,
          fmt::format("upload of {} broke off after {} of {} bytes", path, done, content.size()));
    }
    done += static_cast<std::size_t>(written);
  }
  if (sftp_close(file.release()) != SSH_NO_ERROR) {
    return sftp_error(state, sftp, fmt::format("cannot finish writing {} by SFTP", path));
  }
  return Ok{};
}

} // namespace

Status Session::upload(std::string_view content, const std::string& remote_path) {
  State& state = *m_state;
  ConnectionWatchdog watchdog(state.session.get(), state.options.command_timeout);
  auto sftp = open_sftp(state);
  Status sent = !sftp              ? Status(sftp.error())
                : *sftp != nullptr ? upload_sftp(state, *sftp, content, remote_path)
                                   : upload_scp(state, content, remote_path);
  if (sent) {
    state.last_transfer = *sftp != nullptr ? TransferMethod::sftp : TransferMethod::scp;
  } else if (watchdog.fired()) {
    return timeout_error(state, fmt::format("upload of {}", remote_path));
  }
  return sent;
}

Status Session::remove(const std::string& remote_path) {
  State& state = *m_state;
  ConnectionWatchdog watchdog(state.session.get(), state.options.command_timeout);
  auto sftp = open_sftp(state);
  if (!sftp) {
    return watchdog.fired() ? timeout_error(state, fmt::format("removal of {}", remote_path))
                            : sftp.error();
  }
  if (*sftp == nullptr) {
    return make_error(ErrorCode::remote,
                      fmt::format("cannot remove {} on {}: the server has no SFTP subsystem",
                                  remote_path, state.endpoint));
  }
  if (sftp_unlink(*sftp, remote_path.c_str()) < 0) {
    const int code = sftp_get_error(*sftp);
    if (code == SSH_FX_NO_SUCH_FILE && ssh_is_connected(state.session.get()) != 0) {
      return Ok{}; // already gone is what the caller wanted
    }
    return watchdog.fired()
               ? timeout_error(state, fmt::format("removal of {}", remote_path))
               : sftp_error(state, *sftp, fmt::format("cannot remove {}", remote_path));
  }
  return Ok{};
}

Result<std::vector<std::string>> Session::list(const std::string& folder) {
  State& state = *m_state;
  ConnectionWatchdog watchdog(state.session.get(), state.options.command_timeout);
  auto sftp = open_sftp(state);
  if (!sftp) {
    return watchdog.fired() ? timeout_error(state, fmt::format("listing of {}", folder))
                            : sftp.error();
  }
  if (*sftp == nullptr) {
    return make_error(ErrorCode::remote,
                      fmt::format("cannot list {} on {}: the server has no SFTP subsystem", folder,
                                  state.endpoint));
  }
  std::unique_ptr<sftp_dir_struct, int (*)(sftp_dir)> dir(sftp_opendir(*sftp, folder.c_str()),
                                                          sftp_closedir);
  if (!dir) {
    return watchdog.fired() ? timeout_error(state, fmt::format("listing of {}", folder))
                            : sftp_error(state, *sftp, fmt::format("cannot list {}", folder));
  }
  std::vector<std::string> names;
  while (sftp_attributes entry = sftp_readdir(*sftp, dir.get())) {
    std::string name = entry->name != nullptr ? entry->name : "";
    sftp_attributes_free(entry);
    if (name != "." && name != "..") {
      names.push_back(std::move(name));
    }
  }
  if (sftp_dir_eof(dir.get()) == 0) {
    return watchdog.fired() ? timeout_error(state, fmt::format("listing of {}", folder))
                            : sftp_error(state, *sftp, fmt::format("cannot list {}", folder));
  }
  return names;
}

} // namespace vpnaas::transport::ssh
