#pragma once

// Internal to the SSH transport: the TCP connection a session runs over,
// opened here rather than by libssh so that the host name can be looked up
// within the connect time limit (see net::resolve) while libssh still checks
// the host key under that name.

#include <vpnaas/net/resolve.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace vpnaas::transport::ssh {

struct TcpConnection {
  int fd = -1;            // connected, non-blocking, close-on-exec; -1 on failure
  int error = 0;          // errno of the last failed attempt
  bool timed_out = false; // the deadline passed while connecting
  std::string address;    // the address connected to, or last tried
};

// Tries `addresses` in order until one accepts, all before `deadline`. The
// caller owns the returned descriptor.
TcpConnection connect_tcp(const std::vector<net::SocketAddress>& addresses,
                          std::chrono::steady_clock::time_point deadline);

} // namespace vpnaas::transport::ssh
