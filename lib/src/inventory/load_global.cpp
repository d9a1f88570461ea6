#include <vpnaas/inventory/crypto.hpp>

#include <fmt/format.h>

#include <map>

#include "load_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

CryptoSuite load_suite(YamlFile& file, const std::string& name, const YAML::Node& node) {
  CryptoSuite suite;
  suite.name = name;
  suite.where = file.at(node);
  Mapping map(file, node, fmt::format("crypto suite \"{}\"", name), {"ike", "esp", "allow-weak"});
  if (!map.ok()) {
    return suite;
  }
  auto algorithm = [&](const Mapping& section, const char* key, const std::string& what,
                       const std::vector<std::string>& choices, Located<std::string>& out) {
    if (auto v = section.get(key)) {
      if (auto c = file.choice(*v, what, choices)) {
        out = *c;
      }
    }
  };
  if (auto ike = map.require("ike")) {
    Mapping m(file, *ike, "ike", {"version", "encryption", "hash", "dh", "lifetime"});
    if (auto v = m.get("version")) {
      if (auto version = file.integer(*v, "ike version", 1, 2)) {
        suite.ike.version = *version;
      }
    }
    algorithm(m, "encryption", "ike encryption", ike_encryptions(), suite.ike.encryption);
    algorithm(m, "hash", "ike hash", ike_hashes(), suite.ike.hash);
    algorithm(m, "dh", "ike dh group", dh_groups(), suite.ike.dh);
    if (auto v = m.get("lifetime")) {
      if (auto d = file.duration(*v, "ike lifetime")) {
        suite.ike.lifetime = *d;
      }
    }
  }
  if (auto esp = map.require("esp")) {
    Mapping m(file, *esp, "esp", {"encryption", "auth", "pfs", "lifetime"});
    algorithm(m, "encryption", "esp encryption", esp_encryptions(), suite.esp.encryption);
    algorithm(m, "auth", "esp auth", esp_auths(), suite.esp.auth);
    std::vector<std::string> pfs_choices = dh_groups();
    pfs_choices.emplace_back("none");
    algorithm(m, "pfs", "esp pfs group", pfs_choices, suite.esp.pfs);
    if (auto v = m.get("lifetime")) {
      if (auto d = file.duration(*v, "esp lifetime")) {
        suite.esp.lifetime = *d;
      }
    }
  }
  if (auto v = map.get("allow-weak")) {
    suite.allow_weak = file.boolean(*v, "allow-weak").value_or(false);
  }
  return suite;
}

void load_management(YamlFile& file, const YAML::Node& node, Management& management) {
  Mapping map(file, node, "management", {"ranges", "acs"});
  if (!map.ok()) {
    return;
  }
  if (auto v = map.get("ranges")) {
    management.ranges = file.prefix_list(*v, "management range", false);
  }
  if (auto v = map.get("acs")) {
    Mapping acs(file, *v, "management acs", {"url", "interval"});
    if (!acs.ok()) {
      return;
    }
    AcsSettings settings;
    if (auto url = acs.require("url")) {
      if (auto text = file.safe_text(*url, "acs url")) {
        if (text->value.rfind("http://", 0) != 0 && text->value.rfind("https://", 0) != 0) {
          file.error(text->where, "invalid-url",
                     fmt::format("acs url \"{}\" must start with http:// or https://", text->value),
                     "write it like https://acs.example.net:7547/");
        }
        settings.url = text->value;
      }
    }
    if (auto interval = acs.get("interval")) {
      if (auto d = file.duration(*interval, "acs interval")) {
        settings.interval = *d;
      }
    }
    management.acs = settings;
  }
}

} // namespace

void load_global(YamlFile& file, const YAML::Node& root, Inventory& inv) {
  inv.crypto.emplace("strong", builtin_strong_suite());
  // Built-in defaults are reported against vpnaas.yaml as a whole.
  inv.defaults.settings = builtin_settings(file.whole_file());
  inv.defaults.transit_pool.where = file.whole_file();
  Mapping map(file, root, "vpnaas.yaml", {"vpnaas", "defaults", "crypto", "management"});
  if (!map.ok()) {
    return;
  }
  if (auto v = map.require("vpnaas")) {
    if (auto schema = file.integer(*v, "schema version (vpnaas:)", 0, 1000)) {
      if (*schema != 1) {
        file.error(
            file.at(*v), "unsupported-schema",
            fmt::format("schema version {} is not supported; this vpnaas reads version 1", *schema),
            "write \"vpnaas: 1\" or upgrade vpnaas");
      }
      inv.schema = *schema;
    }
  }
  if (auto v = map.get("crypto")) {
    // Suite names are the user's own, so they are read here rather than
    // checked against a list of allowed keys.
    if (!v->IsMap()) {
      file.error(file.at(*v), "wrong-type",
                 fmt::format("crypto must be a mapping of suite names to suites, not {}",
                             describe_type(*v)));
    } else {
      std::map<std::string, SourceLocation> seen;
      for (auto it = v->begin(); it != v->end(); ++it) {
        auto name = file.name(it->first, "crypto suite name");
        if (!name) {
          continue;
        }
        if (auto [prev, fresh] = seen.emplace(name->value, name->where); !fresh) {
          file.error(name->where, "duplicate-name",
                     fmt::format("crypto suite \"{}\" is defined twice; the first is at {}",
                                 name->value, to_string(prev->second)),
                     "remove or rename one of them");
          continue;
        }
        inv.crypto.insert_or_assign(name->value, load_suite(file, name->value, it->second));
      }
    }
  }
  if (auto v = map.get("defaults")) {
    std::vector<std::string> keys = setting_keys();
    keys.emplace_back("transit-pool");
    Mapping defaults(file, *v, "defaults", keys);
    if (defaults.ok()) {
      apply_settings(file, defaults, {SettingLevel::defaults, {}}, inv.defaults.settings);
      if (auto pool = defaults.get("transit-pool")) {
        if (auto p = file.prefix(*pool, "transit-pool")) {
          inv.defaults.transit_pool = *p;
        }
      }
    }
  }
  if (auto v = map.get("management")) {
    load_management(file, *v, inv.management);
  }
}

} // namespace vpnaas::inventory::detail
