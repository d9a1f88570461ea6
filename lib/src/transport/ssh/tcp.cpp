#include "tcp.hpp"

#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vpnaas::transport::ssh {
namespace {

using Clock = std::chrono::steady_clock;

// One attempt; the descriptor is closed again unless it connected.
void try_address(const net::SocketAddress& address, Clock::time_point deadline,
                 TcpConnection& result) {
  result.address = address.text;
  const int fd = ::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    result.error = errno;
    return;
  }
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length);
  if (rc != 0 && errno == EINPROGRESS) {
    for (;;) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        result.timed_out = true;
        ::close(fd);
        return;
      }
      pollfd wait{fd, POLLOUT, 0};
      rc = ::poll(&wait, 1, static_cast<int>(std::min<long long>(left.count(), 60'000)));
      if (rc > 0) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
        rc = error == 0 ? 0 : -1;
        errno = error;
        break;
      }
      if (rc < 0 && errno != EINTR) {
        break;
      }
    }
  }
  if (rc != 0) {
    result.error = errno;
    ::close(fd);
    return;
  }
  result.fd = fd;
}

} // namespace

TcpConnection connect_tcp(const std::vector<net::SocketAddress>& addresses,
                          Clock::time_point deadline) {
  TcpConnection result;
  for (const net::SocketAddress& address : addresses) {
    try_address(address, deadline, result);
    if (result.fd >= 0 || result.timed_out) {
      break;
    }
  }
  return result;
}

} // namespace vpnaas::transport::ssh
