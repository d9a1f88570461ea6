#include "watchdog.hpp"

#include <sys/socket.h>

namespace vpnaas::transport::ssh {

ConnectionWatchdog::ConnectionWatchdog(ssh_session session, std::chrono::milliseconds limit) {
  const socket_t fd = ssh_get_fd(session);
  m_thread = std::thread([this, fd, limit] {
    std::unique_lock lock(m_mutex);
    if (!m_done_changed.wait_for(lock, limit, [this] { return m_done; }) && fd >= 0) {
      m_fired = true;
      ::shutdown(fd, SHUT_RDWR);
    }
  });
}

ConnectionWatchdog::~ConnectionWatchdog() {
  {
    std::lock_guard lock(m_mutex);
    m_done = true;
  }
  m_done_changed.notify_one();
  m_thread.join();
}

} // namespace vpnaas::transport::ssh
