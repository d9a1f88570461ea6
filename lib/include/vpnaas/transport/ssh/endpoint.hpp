#pragma once

// Where an SSH session goes and which host keys it may trust, in the
// transport's own terms: the inventory maps its devices to these in one place
// (apply/targets.hpp), so the transport does not depend on the inventory.

#include <optional>
#include <string>

namespace vpnaas::transport::ssh {

// A host key a device must present, in the form `ssh-keygen -lf` prints
// ("SHA256:<base64>"), and where it was written down, for messages.
struct HostKeyPin {
  std::string fingerprint;
  std::string where; // "inventory/customers/acme.yaml:12:7"
};

struct Endpoint {
  std::string host;
  int port = 22;
  std::string user = "vpnaas";
  // The only host key this device may present. Absent: the known_hosts files decide.
  std::optional<HostKeyPin> host_key;
};

// A known_hosts file committed with the configuration: host keys pinned for
// every run, whatever the machine.
struct PinnedKnownHosts {
  std::string where; // the file as messages name it
  std::string text;
};

} // namespace vpnaas::transport::ssh
