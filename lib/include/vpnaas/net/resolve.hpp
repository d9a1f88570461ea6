#pragma once

#include <vpnaas/core/error.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <sys/socket.h>
#include <vector>

namespace vpnaas::net {

// One address of a host, ready for connect().
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  std::string text; // "192.0.2.1", "2001:db8::1", for messages
};

// What one blocking lookup found: the addresses, or the resolver's error text.
struct Lookup {
  std::vector<SocketAddress> addresses;
  std::string error;
};

using LookupFunction = std::function<Lookup(const std::string& host, int port)>;

// The system resolver (getaddrinfo, TCP, IPv4 and IPv6, in its order). It blocks for as long
// as the resolver configuration lets it (several times 5 s against a DNS
// server that does not answer).
Lookup lookup_host(const std::string& host, int port);

// The addresses of `host` for a TCP connection to `port`, within `limit`. A
// numeric address is converted at once. A name is looked up by `lookup` in a
// helper thread while this thread waits at most `limit`: the C resolver has
// no time limit of its own. A lookup still running then is left to finish in
// the background and its answer dropped (so `lookup` is copied, and must not
// refer to anything that may be gone by then). Fails with remote when the name does
// not resolve or the lookup outlives `limit`, naming the host either way.
Result<std::vector<SocketAddress>> resolve(const std::string& host, int port,
                                           std::chrono::milliseconds limit,
                                           const LookupFunction& lookup = lookup_host);

} // namespace vpnaas::net
