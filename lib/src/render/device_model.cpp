#include <vpnaas/inventory/device_registry.hpp>
#include <vpnaas/render/device_model.hpp>
#include <vpnaas/secrets/psk.hpp>
#include <vpnaas/topology/allocation.hpp>
#include <vpnaas/topology/tunnel_settings.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace vpnaas::render {
namespace {

using inventory::Device;

std::vector<Ipv4Prefix> networks_of(const topology::Endpoint& end) {
  std::vector<Ipv4Prefix> out;
  if (end.site != nullptr) {
    for (const auto& lan : end.site->lan) {
      out.push_back(lan.value);
    }
  } else if (end.cluster != nullptr) {
    for (const auto& net : end.cluster->networks) {
      out.push_back(net.value);
    }
  }
  return out;
}

bool is_backup(const topology::Endpoint& end) {
  return end.site != nullptr && end.site->backup && end.device == &*end.site->backup;
}

bool is_ha(const topology::Endpoint& end) {
  return end.site != nullptr && end.site->highly_available();
}

} // namespace

std::string DeviceRef::relative_path() const {
  return fmt::format("{}/{}.rsc", group, device->name.value);
}

std::string gre_name(std::string_view peer_device) {
  return fmt::format("gre-{}", peer_device);
}

std::string ipsec_peer_name(std::string_view peer_device) {
  return fmt::format("vpnaas-{}", peer_device);
}

std::vector<DeviceRef> index_devices(const inventory::Inventory& inv,
                                     const std::vector<topology::Tunnel>& tunnels) {
  std::vector<DeviceRef> refs;
  const inventory::DeviceRegistry registry(inv);
  refs.reserve(registry.all().size());
  for (const auto& entry : registry.all()) {
    const bool cluster_router = entry.role == inventory::DeviceRole::cluster_router;
    refs.push_back(DeviceRef{entry.device,
                             entry.site,
                             entry.customer,
                             cluster_router ? entry.cluster : nullptr,
                             entry.group,
                             {}});
  }
  std::map<const Device*, std::size_t> position;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    position.emplace(refs[i].device, i);
  }
  for (std::size_t t = 0; t < tunnels.size(); ++t) {
    for (const auto* end : {&tunnels[t].a, &tunnels[t].b}) {
      if (auto it = position.find(end->device); it != position.end()) {
        refs[it->second].tunnels.push_back(t);
      }
    }
  }
  return refs;
}

Result<DeviceModel> build_device_model(const DeviceRef& ref, const RenderInput& input) {
  DeviceModel model;
  model.ref = &ref;
  model.device = ref.device;
  if (ref.site != nullptr && ref.site->vrrp) {
    model.vrrp = &*ref.site->vrrp;
    model.backup = ref.site->backup && ref.device == &*ref.site->backup;
  }
  std::map<std::string, const inventory::CryptoSuite*> suites;
  std::map<std::string, std::vector<Ipv4Prefix>> ospf;
  model.ends.reserve(ref.tunnels.size());
  for (std::size_t index : ref.tunnels) {
    const topology::Tunnel& t = input.tunnels[index];
    bool self_is_a = t.a.device == ref.device;
    const topology::Endpoint& self = self_is_a ? t.a : t.b;
    const topology::Endpoint& peer = self_is_a ? t.b : t.a;
    auto subnet = input.lock.tunnels.find(t.id);
    if (subnet == input.lock.tunnels.end()) {
      return make_error(ErrorCode::invalid_input,
                        fmt::format("tunnel {} has no transit subnet in the lock", t.id),
                        "run `vpnaas inventory validate` to allocate it");
    }
    // One definition of what both ends share (topology/tunnel_settings.hpp),
    // so the two ends' scripts can never disagree.
    const topology::TunnelSettings shared = topology::tunnel_settings(t);
    const auto* suite = input.inventory.find_crypto(shared.crypto);
    if (suite == nullptr) {
      return make_error(
          ErrorCode::invalid_input,
          fmt::format("tunnel {} uses crypto suite {} which does not exist", t.id, shared.crypto));
    }
    auto psk = secrets::derive_psk(input.key, t.id, topology::psk_epoch_tag(t));
    if (!psk) {
      return psk.error();
    }
    TunnelEnd end;
    end.tunnel = &t;
    end.peer = &peer;
    end.customer = t.customer->name.value;
    end.local_public = self.device->public_ip.value;
    end.remote_public = peer.device->public_ip.value;
    end.subnet = subnet->second;
    auto hosts = topology::transit_addresses(subnet->second);
    end.local_transit = self_is_a ? hosts.a : hosts.b;
    end.remote_transit = self_is_a ? hosts.b : hosts.a;
    end.interface = gre_name(peer.device->name.value);
    end.peer_name = ipsec_peer_name(peer.device->name.value);
    end.psk = std::move(*psk);
    end.suite = suite;
    end.mtu = shared.mtu;
    end.hello = shared.ospf_timers.hello;
    end.dead = shared.ospf_timers.dead;
    end.ospf = shared.ospf;
    end.cost = ref.device->settings.ospf.cost + kBackupCost * (is_backup(self) + is_backup(peer));
    end.highly_available = is_ha(self) || is_ha(peer);
    if (end.highly_available) {
      end.hello = Duration{1};
      end.dead = Duration{4};
    }
    end.remote_networks = networks_of(peer);
    if (is_backup(peer)) {
      end.distance = 2;
    }
    if (peer.cluster != nullptr) {
      const auto& devices = peer.cluster->devices;
      for (std::size_t i = 0; i < devices.size(); ++i) {
        if (&devices[i] == peer.device) {
          end.distance = static_cast<int>(i) + 1;
        }
      }
    }
    suites.emplace(suite->name, suite);
    if (end.ospf) {
      auto& nets = ospf[end.customer];
      if (nets.empty()) {
        nets = networks_of(self);
      }
    }
    model.ends.push_back(std::move(end));
  }
  for (const auto& [name, suite] : suites) {
    model.suites.push_back(suite);
  }
  for (auto& [customer, nets] : ospf) {
    model.ospf.push_back(OspfDomain{customer, std::move(nets)});
  }
  return model;
}

} // namespace vpnaas::render
