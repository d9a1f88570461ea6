#include <fmt/format.h>

#include "load_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

// Records that `layer` chose a value written at `node`.
void chosen(SettingOrigin& origin, const SettingLayer& layer, YamlFile& file,
            const YAML::Node& node) {
  origin = SettingOrigin{layer.level, layer.owner, file.at(node)};
}

// Merges key by key onto the inherited timers, as a device always did: a
// customer's `ospf: { cost: 20 }` keeps the area and timers of `defaults:`.
void load_ospf(YamlFile& file, const YAML::Node& node, const SettingLayer& layer,
               DeviceSettings& settings) {
  Mapping map(file, node, "ospf", {"area", "hello", "dead", "cost"});
  if (!map.ok()) {
    return;
  }
  OspfSettings& ospf = settings.ospf;
  SettingOrigins& origins = settings.origins;
  if (auto v = map.get("area")) {
    // OSPF area ids are written as dotted quads; RouterOS accepts that form only.
    if (auto area = file.address(*v, "ospf area")) {
      ospf.area = area->value.to_string();
      chosen(origins.ospf_area, layer, file, *v);
    }
  }
  if (auto v = map.get("hello")) {
    if (auto d = file.duration(*v, "ospf hello")) {
      ospf.hello = *d;
      chosen(origins.ospf_hello, layer, file, *v);
    }
  }
  if (auto v = map.get("dead")) {
    if (auto d = file.duration(*v, "ospf dead")) {
      ospf.dead = *d;
      chosen(origins.ospf_dead, layer, file, *v);
    }
  }
  if (auto v = map.get("cost")) {
    if (auto c = file.integer(*v, "ospf cost", 1, 65535)) {
      ospf.cost = *c;
      chosen(origins.ospf_cost, layer, file, *v);
    }
  }
  // Checked on the merged timers, at the level that produced them.
  if (ospf.dead <= ospf.hello) {
    file.error(map.where(), "ospf-timers",
               fmt::format("ospf dead interval {} must be longer than the hello interval {}",
                           ospf.dead.to_string(), ospf.hello.to_string()),
               "make dead about four times hello, e.g. hello: 1s, dead: 4s");
  }
}

std::optional<Keepalive> parse_keepalive(YamlFile& file, const YAML::Node& node) {
  auto text = file.string(node, "keepalive");
  if (!text) {
    return std::nullopt;
  }
  auto comma = text->find(',');
  auto bad = [&] {
    file.error(file.at(node), "invalid-keepalive",
               fmt::format("keepalive \"{}\" must be <interval>,<retries>", *text),
               "write it like 10s,3");
    return std::nullopt;
  };
  if (comma == std::string::npos) {
    return bad();
  }
  auto interval = Duration::parse(std::string_view(*text).substr(0, comma));
  std::string retries_text = text->substr(comma + 1);
  if (!interval || retries_text.empty() ||
      retries_text.find_first_not_of("0123456789") != std::string::npos ||
      retries_text.size() > 3) {
    return bad();
  }
  int retries = std::stoi(retries_text);
  if (retries < 1 || retries > 255) {
    file.error(file.at(node), "out-of-range",
               fmt::format("keepalive retries {} is outside the allowed range 1..255", retries));
    return std::nullopt;
  }
  return Keepalive{*interval, retries};
}

// `routeros: 6`, `7` or a release such as `7.16`; a plain major means its
// oldest supported release.
std::optional<routeros::Version> parse_routeros(YamlFile& file, const YAML::Node& node) {
  auto text = file.string(node, "routeros version");
  if (!text) {
    return std::nullopt;
  }
  auto version = routeros::parse_version(*text);
  if (!version) {
    file.error(
        file.at(node), "wrong-type",
        fmt::format("routeros version must be 6, 7 or a release such as 7.16, not \"{}\"", *text),
        "write the version the router runs, as /system resource print shows it");
    return std::nullopt;
  }
  if (text->find('.') == std::string::npos && (version->major == 6 || version->major == 7)) {
    return routeros::oldest_supported(version->major);
  }
  if (!routeros::is_supported(*version)) {
    file.error(file.at(node), "unsupported-version",
               version->major == 6 || version->major == 7
                   ? fmt::format("RouterOS {} is older than {}, the oldest {}.x release vpnaas "
                                 "supports",
                                 *text,
                                 routeros::to_string(routeros::oldest_supported(version->major)),
                                 version->major)
                   : fmt::format("RouterOS {} is not supported: vpnaas renders for RouterOS 6 "
                                 "and 7",
                                 *text),
               version->major == 6 || version->major == 7
                   ? "upgrade the router; README lists the supported releases"
                   : "write 6, 7 or the 6.x/7.x release the router runs");
    return std::nullopt;
  }
  return version;
}

} // namespace

const std::vector<std::string>& setting_keys() {
  static const std::vector<std::string> keys{"routeros",  "crypto",  "mtu",
                                             "keepalive", "routing", "ospf"};
  return keys;
}

DeviceSettings builtin_settings(const SourceLocation& global_file) {
  DeviceSettings settings;
  const SettingOrigin builtin{SettingLevel::builtin, {}, global_file};
  SettingOrigins& o = settings.origins;
  for (SettingOrigin* origin : {&o.routeros, &o.crypto, &o.mtu, &o.keepalive, &o.routing,
                                &o.ospf_area, &o.ospf_hello, &o.ospf_dead, &o.ospf_cost}) {
    *origin = builtin;
  }
  return settings;
}

void apply_settings(YamlFile& file, const Mapping& map, const SettingLayer& layer,
                    DeviceSettings& settings) {
  SettingOrigins& origins = settings.origins;
  if (auto v = map.get("routeros")) {
    if (auto version = parse_routeros(file, *v)) {
      settings.routeros = *version;
      chosen(origins.routeros, layer, file, *v);
    }
  }
  if (auto v = map.get("crypto")) {
    if (auto name = file.string(*v, "crypto suite name")) {
      settings.crypto = *name;
      chosen(origins.crypto, layer, file, *v);
    }
  }
  if (auto v = map.get("mtu")) {
    if (auto mtu = file.integer(*v, "mtu", 576, 9000)) {
      settings.mtu = *mtu;
      chosen(origins.mtu, layer, file, *v);
    }
  }
  if (auto v = map.get("keepalive")) {
    if (auto k = parse_keepalive(file, *v)) {
      settings.keepalive = *k;
      chosen(origins.keepalive, layer, file, *v);
    }
  }
  if (auto v = map.get("routing")) {
    if (auto mode = file.choice(*v, "routing", {"ospf", "static"})) {
      settings.routing = mode->value == "ospf" ? RoutingMode::ospf : RoutingMode::static_routes;
      chosen(origins.routing, layer, file, *v);
    }
  }
  if (auto v = map.get("ospf")) {
    load_ospf(file, *v, layer, settings);
  }
}

} // namespace vpnaas::inventory::detail
