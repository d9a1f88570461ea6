#pragma once

#include <libssh/libssh.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace vpnaas::transport::ssh {

// Cuts the connection of `session` when the guarded operation is still running
// after `limit`. libssh bounds single waits, but some of its loops (SFTP
// replies in particular) wait again and again on a server that stays silent;
// shutting the socket down makes every pending and later call fail at once.
// The socket itself stays owned, and closed, by libssh.
class ConnectionWatchdog {
public:
  ConnectionWatchdog(ssh_session session, std::chrono::milliseconds limit);
  ~ConnectionWatchdog();
  ConnectionWatchdog(const ConnectionWatchdog&) = delete;
  ConnectionWatchdog& operator=(const ConnectionWatchdog&) = delete;

  // True when the limit passed and the connection was cut.
  bool fired() const { return m_fired; }

private:
  std::mutex m_mutex;
  std::condition_variable m_done_changed;
  bool m_done = false;
  std::atomic<bool> m_fired{false};
  std::thread m_thread;
};

} // namespace vpnaas::transport::ssh
