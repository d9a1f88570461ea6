#include <fmt/format.h>

#include "load_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

std::optional<SshTarget> load_ssh(YamlFile& file, const YAML::Node& node, const Device& device) {
  Mapping map(file, node, "ssh", {"host", "port", "user"});
  if (!map.ok()) {
    return std::nullopt;
  }
  SshTarget ssh;
  ssh.host = device.public_ip.value.to_string();
  if (auto v = map.get("host")) {
    if (auto host = file.safe_text(*v, "ssh host")) {
      if (host->value.empty() || host->value.find_first_of(" /@") != std::string::npos) {
        file.error(host->where, "invalid-host",
                   fmt::format("ssh host \"{}\" is not a host name or address", host->value),
                   "write an IP address or a DNS name, without user@ or a port");
      } else {
        ssh.host = host->value;
      }
    }
  }
  if (auto v = map.get("port")) {
    if (auto port = file.integer(*v, "ssh port", 1, 65535)) {
      ssh.port = *port;
    }
  }
  if (auto v = map.get("user")) {
    if (auto user = file.name(*v, "ssh user")) {
      ssh.user = user->value;
    }
  }
  return ssh;
}

} // namespace

std::optional<Device> load_device(YamlFile& file, const YAML::Node& node,
                                  const DeviceSettings& inherited) {
  std::vector<std::string> keys{"name",   "public-ip", "router-id", "model",
                                "serial", "ssh",       "psk-epoch"};
  keys.insert(keys.end(), setting_keys().begin(), setting_keys().end());
  Mapping map(file, node, "device", keys);
  if (!map.ok()) {
    return std::nullopt;
  }
  Device device;
  device.where = map.where();
  device.settings = inherited;
  bool complete = true;
  if (auto v = map.require("name")) {
    if (auto name = file.name(*v, "device name")) {
      device.name = *name;
    } else {
      complete = false;
    }
  } else {
    complete = false;
  }
  if (auto v = map.require("public-ip")) {
    if (auto ip = file.address(*v, "public-ip")) {
      device.public_ip = *ip;
    } else {
      complete = false;
    }
  } else {
    complete = false;
  }
  if (auto v = map.require("router-id")) {
    if (auto id = file.address(*v, "router-id")) {
      device.router_id = *id;
    } else {
      complete = false;
    }
  } else {
    complete = false;
  }
  if (auto v = map.get("model")) {
    if (auto model = file.safe_text(*v, "model")) {
      device.model = model->value;
    }
  }
  if (auto v = map.get("serial")) {
    if (auto serial = file.safe_text(*v, "serial")) {
      if (serial->value.empty()) {
        file.error(serial->where, "empty-value", "serial is empty",
                   "remove the key or write the router's serial number");
      } else {
        device.serial = *serial;
      }
    }
  }
  if (auto v = map.get("ssh")) {
    device.ssh = load_ssh(file, *v, device);
  }
  if (auto v = map.get("psk-epoch")) {
    device.psk_epoch = file.integer(*v, "psk-epoch", 0, 1000000).value_or(0);
  }
  apply_settings(file, map, {SettingLevel::device, {}}, device.settings);
  if (!complete) {
    return std::nullopt;
  }
  return device;
}

} // namespace vpnaas::inventory::detail
