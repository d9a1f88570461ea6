#include <vpnaas/net/resolve.hpp>

#include <fmt/format.h>

#include <arpa/inet.h>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <netdb.h>
#include <optional>
#include <system_error>
#include <thread>

namespace vpnaas::net {
namespace {

struct AddrInfoFree {
  void operator()(addrinfo* list) const { freeaddrinfo(list); }
};

Lookup getaddrinfo_lookup(const std::string& host, int port, int flags) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags | AI_NUMERICSERV;
  addrinfo* raw = nullptr;
  const std::string service = std::to_string(port);
  Lookup found;
  const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &raw);
  std::unique_ptr<addrinfo, AddrInfoFree> list(raw);
  if (rc != 0) {
    found.error = rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc);
    return found;
  }
  for (const addrinfo* entry = list.get(); entry != nullptr; entry = entry->ai_next) {
    if (entry->ai_addrlen > sizeof(sockaddr_storage)) {
      continue;
    }
    SocketAddress address;
    std::memcpy(&address.storage, entry->ai_addr, entry->ai_addrlen);
    address.length = entry->ai_addrlen;
    char text[INET6_ADDRSTRLEN] = "?";
    ::getnameinfo(entry->ai_addr, entry->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST);
    address.text = text;
    found.addresses.push_back(std::move(address));
  }
  if (found.addresses.empty()) {
    found.error = "no address";
  }
  return found;
}

std::string seconds_text(std::chrono::milliseconds duration) {
  return duration.count() % 1000 == 0
             ? fmt::format("{}s", duration.count() / 1000)
             : fmt::format("{:.1f}s", static_cast<double>(duration.count()) / 1000.0);
}

Result<std::vector<SocketAddress>> answer(const std::string& host, Lookup found) {
  if (!found.error.empty() || found.addresses.empty()) {
    return make_error(ErrorCode::remote,
                      fmt::format("cannot resolve the host name {}: {}", host,
                                  found.error.empty() ? "no address" : found.error),
                      "check the device's ssh: host in the inventory, and this machine's DNS "
                      "settings (/etc/resolv.conf)");
  }
  return std::move(found.addresses);
}

} // namespace

Lookup lookup_host(const std::string& host, int port) {
  return getaddrinfo_lookup(host, port, 0);
}

Result<std::vector<SocketAddress>> resolve(const std::string& host, int port,
                                           std::chrono::milliseconds limit,
                                           const LookupFunction& lookup) {
  if (Lookup numeric = getaddrinfo_lookup(host, port, AI_NUMERICHOST); numeric.error.empty()) {
    return std::move(numeric.addresses);
  }
  // Shared with the helper thread, which may outlive this call.
  struct Pending {
    std::mutex mutex;
    std::condition_variable finished;
    std::optional<Lookup> found;
  };
  auto pending = std::make_shared<Pending>();
  try {
    std::thread([pending, host, port, lookup] {
      Lookup found = lookup(host, port);
      std::lock_guard lock(pending->mutex);
      pending->found = std::move(found);
      pending->finished.notify_all();
    }).detach();
  } catch (const std::system_error&) {
    return answer(host, lookup(host, port)); // no thread to spare: wait as the resolver does
  }
  std::unique_lock lock(pending->mutex);
  if (!pending->finished.wait_for(lock, limit, [&] { return pending->found.has_value(); })) {
    return make_error(
        ErrorCode::remote,
        fmt::format("looking up the host name {} did not finish within {}", host,
                    seconds_text(limit)),
        fmt::format("this machine's DNS server does not answer: check /etc/resolv.conf, or give "
                    "the device's address as its ssh: host (time limit {}, see --connect-timeout)",
                    seconds_text(limit)));
  }
  return answer(host, std::move(*pending->found));
}

} // namespace vpnaas::net
