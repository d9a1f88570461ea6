#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "load_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

// A SHA-256 digest is 32 bytes: 43 base64 characters without the padding
// OpenSSH leaves off (one "=" is accepted and dropped).
constexpr std::size_t kSha256Base64Length = 43;

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// "SHA256:<base64>" as `ssh-keygen -lf` prints it, without the padding; nullopt
// when `text` is not in that form.
std::optional<std::string> normalised_fingerprint(std::string text) {
  constexpr std::string_view prefix = "SHA256:";
  if (!text.starts_with(prefix)) {
    return std::nullopt;
  }
  if (text.ends_with('=')) {
    text.pop_back();
  }
  const std::string_view digest = std::string_view(text).substr(prefix.size());
  if (digest.size() != kSha256Base64Length ||
      !std::all_of(digest.begin(), digest.end(), is_base64_char)) {
    return std::nullopt;
  }
  return text;
}

std::optional<SshTarget> load_ssh(YamlFile& file, const YAML::Node& node, const Device& device) {
  Mapping map(file, node, "ssh", {"host", "port", "user", "host-key"});
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
  if (auto v = map.get("host-key")) {
    if (auto pin = file.safe_text(*v, "ssh host-key")) {
      if (auto fingerprint = normalised_fingerprint(pin->value)) {
        ssh.host_key = Located<std::string>{*fingerprint, pin->where};
      } else {
        file.error(pin->where, "invalid-host-key",
                   fmt::format("ssh host-key \"{}\" is not an SSH key fingerprint", pin->value),
                   fmt::format("write the SHA256: form (SHA256: and {} base64 characters) that "
                               "`vpnaas device host-key NAME` or `ssh-keygen -lf KEY.pub` prints",
                               kSha256Base64Length));
      }
    }
  }
  return ssh;
}

// `interfaces: { lan: ... }`. vpnaas names its own interfaces "gre-<peer>",
// and its VRFs and VRRP interface "vpnaas-...": a LAN so named would be
// taken for one of them.
void load_interfaces(YamlFile& file, const YAML::Node& node, Device& device) {
  Mapping map(file, node, "interfaces", {"lan"});
  if (!map.ok()) {
    return;
  }
  auto v = map.get("lan");
  if (!v) {
    return;
  }
  auto lan = file.name(*v, "interfaces lan");
  if (!lan) {
    return;
  }
  if (lan->value.starts_with("gre-") || lan->value.starts_with("vpnaas-")) {
    file.error(lan->where, "reserved-interface",
               fmt::format("interfaces lan \"{}\" is named like the interfaces vpnaas creates "
                           "(gre-..., vpnaas-...)",
                           lan->value),
               "name the router's LAN interface as RouterOS knows it, like bridge, ether2 or "
               "vlan10");
    return;
  }
  device.lan = *lan;
}

} // namespace

std::optional<Device> load_device(YamlFile& file, const YAML::Node& node,
                                  const DeviceSettings& inherited) {
  std::vector<std::string> keys{"name", "public-ip", "router-id",  "model",     "serial",
                                "ssh",  "psk-epoch", "management", "interfaces"};
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
  if (auto v = map.get("management")) {
    device.management = file.choice(*v, "management", {"ssh", "cwmp"});
  }
  if (auto v = map.get("ssh")) {
    device.ssh = load_ssh(file, *v, device);
  }
  if (auto v = map.get("interfaces")) {
    load_interfaces(file, *v, device);
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
