#include <fmt/format.h>

#include "load_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

// Records that `layer` chose a value written at `node`.
void chosen(SettingOrigin& origin, const SettingLayer& layer, YamlFile& file,
            const YAML::Node& node) {
  origin = SettingOrigin{layer.level, layer.owner, file.at(node)};
}

// Reads `key` of `map` when it is there: `read` parses it (reporting what is
// wrong), and a value it accepts goes to `target`, with `origin` recording
// which layer wrote it and where.
template <class T, class Read>
void take(YamlFile& file, const Mapping& map, const SettingLayer& layer, std::string_view key,
          T& target, SettingOrigin& origin, Read read) {
  if (auto v = map.get(key)) {
    if (auto value = read(*v)) {
      target = std::move(*value);
      chosen(origin, layer, file, *v);
    }
  }
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
  // OSPF area ids are written as dotted quads; RouterOS accepts that form only.
  take(file, map, layer, "area", ospf.area, origins.ospf_area,
       [&](const YAML::Node& n) -> std::optional<std::string> {
         auto area = file.address(n, "ospf area");
         return area ? std::optional(area->value.to_string()) : std::nullopt;
       });
  take(file, map, layer, "hello", ospf.hello, origins.ospf_hello,
       [&](const YAML::Node& n) { return file.duration(n, "ospf hello"); });
  take(file, map, layer, "dead", ospf.dead, origins.ospf_dead,
       [&](const YAML::Node& n) { return file.duration(n, "ospf dead"); });
  take(file, map, layer, "cost", ospf.cost, origins.ospf_cost,
       [&](const YAML::Node& n) { return file.integer(n, "ospf cost", 1, 65535); });
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
  take(file, map, layer, "routeros", settings.routeros, origins.routeros,
       [&](const YAML::Node& n) { return parse_routeros(file, n); });
  take(file, map, layer, "crypto", settings.crypto, origins.crypto,
       [&](const YAML::Node& n) { return file.string(n, "crypto suite name"); });
  take(file, map, layer, "mtu", settings.mtu, origins.mtu,
       [&](const YAML::Node& n) { return file.integer(n, "mtu", 576, 9000); });
  take(file, map, layer, "keepalive", settings.keepalive, origins.keepalive,
       [&](const YAML::Node& n) { return parse_keepalive(file, n); });
  take(file, map, layer, "routing", settings.routing, origins.routing,
       [&](const YAML::Node& n) -> std::optional<RoutingMode> {
         auto mode = file.choice(n, "routing", {"ospf", "static"});
         if (!mode) {
           return std::nullopt;
         }
         return mode->value == "ospf" ? RoutingMode::ospf : RoutingMode::static_routes;
       });
  if (auto v = map.get("ospf")) {
    load_ospf(file, *v, layer, settings);
  }
}

} // namespace vpnaas::inventory::detail
