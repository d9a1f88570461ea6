#include <vpnaas/routeros/firewall.hpp>

#include <algorithm>

#include "item_text.hpp"

namespace vpnaas::routeros {
namespace {

constexpr Version kVrfInterfaceMatching{7, 14, 0};

using detail::prop;
using detail::split;

std::optional<Ipv4Prefix> prefix_of(const std::string& text) {
  auto p = Ipv4Prefix::parse(text.find('/') == std::string::npos ? text + "/32" : text);
  return p.ok() ? std::optional<Ipv4Prefix>(*p) : std::nullopt;
}

// A matcher's value and whether it is negated ("!gre-a").
std::pair<std::string, bool> negation(const std::string& value) {
  if (!value.empty() && value.front() == '!') {
    return {value.substr(1), true};
  }
  return {value, false};
}

const std::vector<std::string> kModelled{"chain",
                                         "action",
                                         "comment",
                                         "disabled",
                                         "protocol",
                                         "in-interface",
                                         "out-interface",
                                         "in-interface-list",
                                         "out-interface-list",
                                         "src-address",
                                         "dst-address",
                                         "src-address-list",
                                         "dst-address-list",
                                         "log",
                                         "log-prefix"};

} // namespace

Firewall::Firewall(const Router& router) : m_version(router.version()) {
  m_rules = router.items("/ip firewall filter");
  for (const Item& vrf : router.items("/ip vrf")) {
    m_vrfs.emplace_back(prop(vrf, "name"), split(prop(vrf, "interfaces")));
  }
  for (const Item& m : router.items("/interface list member")) {
    m_interface_lists[prop(m, "list")].push_back(prop(m, "interface"));
  }
  for (const Item& entry : router.items("/ip firewall address-list")) {
    if (auto p = prefix_of(prop(entry, "address"))) {
      m_address_lists[prop(entry, "list")].push_back(*p);
    }
  }
}

std::string Firewall::seen_as(const std::string& interface) const {
  if (m_version < kVrfInterfaceMatching) {
    return interface;
  }
  // The first VRF listing the interface holds it (VRFs match top to bottom).
  for (const auto& [name, members] : m_vrfs) {
    if (std::find(members.begin(), members.end(), interface) != members.end()) {
      return name == "main" ? interface : name;
    }
    if (members.size() == 1 && members.front() == "all") {
      return interface;
    }
  }
  return interface;
}

bool Firewall::matches(const Item& rule, const FilterPacket& packet) const {
  for (const auto& [name, value] : rule.props) {
    if (std::find(kModelled.begin(), kModelled.end(), name) == kModelled.end()) {
      return false;
    }
  }
  if (prop(rule, "disabled") == "yes" || prop(rule, "chain") != packet.chain) {
    return false;
  }
  if (!packet.src && (rule.props.count("src-address") || rule.props.count("src-address-list"))) {
    return false;
  }
  auto test = [&](const std::string& matcher, auto&& holds) {
    auto it = rule.props.find(matcher);
    if (it == rule.props.end()) {
      return true;
    }
    auto [value, negated] = negation(it->second);
    return holds(value) != negated;
  };
  auto interface_is = [&](const std::string& interface) {
    return [this, interface](const std::string& value) {
      return !interface.empty() && seen_as(interface) == value;
    };
  };
  auto interface_in = [&](const std::string& interface) {
    return [this, interface](const std::string& list) {
      auto it = m_interface_lists.find(list);
      return !interface.empty() && it != m_interface_lists.end() &&
             std::find(it->second.begin(), it->second.end(), seen_as(interface)) !=
                 it->second.end();
    };
  };
  auto address_is = [](std::optional<Ipv4Address> address) {
    return [address](const std::string& value) {
      auto p = prefix_of(value);
      return p && p->contains(*address);
    };
  };
  auto address_in = [&](std::optional<Ipv4Address> address) {
    return [this, address](const std::string& list) {
      auto it = m_address_lists.find(list);
      return it != m_address_lists.end() &&
             std::any_of(it->second.begin(), it->second.end(),
                         [&](const Ipv4Prefix& p) { return p.contains(*address); });
    };
  };
  return test("protocol", [&](const std::string& v) { return v == packet.protocol; }) &&
         test("in-interface", interface_is(packet.in_interface)) &&
         test("out-interface", interface_is(packet.out_interface)) &&
         test("in-interface-list", interface_in(packet.in_interface)) &&
         test("out-interface-list", interface_in(packet.out_interface)) &&
         test("src-address", address_is(packet.src)) &&
         test("dst-address", address_is(packet.dst)) &&
         test("src-address-list", address_in(packet.src)) &&
         test("dst-address-list", address_in(packet.dst));
}

FilterVerdict Firewall::verdict(const FilterPacket& packet) const {
  for (std::size_t i = 0; i < m_rules.size(); ++i) {
    if (matches(m_rules[i], packet)) {
      return {prop(m_rules[i], "action"), i, prop(m_rules[i], "comment")};
    }
  }
  return {};
}

} // namespace vpnaas::routeros
