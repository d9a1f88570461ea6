#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/secrets/master_key.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <optional>
#include <string>
#include <vector>

namespace vpnaas {

struct TunnelEndRow {
  std::string endpoint; // stable endpoint id, e.g. "acme/brussels"
  std::string device;
  Ipv4Address public_ip;
  Ipv4Address transit; // this end's address inside the /30
};

// One line of `vpnaas inventory show`.
struct TunnelRow {
  std::string customer;
  std::string id;
  std::string kind; // "site-site" or "site-cluster"
  TunnelEndRow a;
  TunnelEndRow b;
  Ipv4Prefix subnet;
  std::optional<std::string> psk; // only when a key was given
};

// The tunnels of a valid workspace in id order, optionally only those of
// `customers` (empty = all). With `key`, each row carries its derived
// pre-shared key; fails only if key derivation fails.
Result<std::vector<TunnelRow>> tunnel_rows(const Workspace& ws,
                                           const std::vector<std::string>& customers,
                                           const secrets::MasterKey* key);

} // namespace vpnaas
