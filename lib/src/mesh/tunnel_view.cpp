#include "tunnel_view.hpp"

#include <vpnaas/net/ipv4.hpp>
#include <vpnaas/secrets/fingerprint.hpp>

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <optional>

#include "props.hpp"

namespace vpnaas::mesh::detail {
namespace {
constexpr std::string_view kTagPrefix = "vpnaas:";
} // namespace

namespace {

// "10.255.0.1/30" -> host address and its subnet (host bits allowed).
std::optional<std::pair<Ipv4Address, Ipv4Prefix>> interface_address(const std::string& text) {
  auto slash = text.find('/');
  if (slash == std::string::npos) {
    return std::nullopt;
  }
  auto host = Ipv4Address::parse(text.substr(0, slash));
  int length = -1;
  std::string_view len = std::string_view(text).substr(slash + 1);
  auto [ptr, ec] = std::from_chars(len.data(), len.data() + len.size(), length);
  if (!host || ec != std::errc() || ptr != len.data() + len.size() || length < 0 || length > 32) {
    return std::nullopt;
  }
  return std::make_pair(*host, Ipv4Prefix(*host, length));
}

const Props* by_name(const routeros::Router& router, const std::string& menu,
                     const std::string& name) {
  for (const auto& item : router.items(menu)) {
    if (prop(item.props, "name") == name) {
      return &item.props;
    }
  }
  return nullptr;
}

} // namespace

std::map<std::string, TunnelView> tunnel_views(const routeros::Router& router,
                                               const std::string& file) {
  static const std::array<std::pair<const char*, const char*>, 6> kinds{{
      {"/interface gre", "vpnaas:gre:"},
      {"/ip address", "vpnaas:address:"},
      {"/ip ipsec peer", "vpnaas:peer:"},
      {"/ip ipsec identity", "vpnaas:identity:"},
      {"/ip ipsec policy", "vpnaas:policy:"},
      {"/routing ospf interface-template", "vpnaas:ospf-interface:"},
  }};
  std::map<std::string, TunnelView> views;
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    std::string prefix = kinds[k].second;
    // Inside a customer's VRF on a cluster router the template's kind is
    // "vrf-ospf-interface" (render/routeros/plan.hpp, vrf_kind).
    std::string in_vrf = std::string(kTagPrefix) + "vrf-" + (prefix.c_str() + kTagPrefix.size());
    for (const auto& item : router.items(kinds[k].first)) {
      std::string comment = prop(item.props, "comment");
      std::size_t skip = comment.rfind(prefix, 0) == 0             ? prefix.size()
                         : k == 5 && comment.rfind(in_vrf, 0) == 0 ? in_vrf.size()
                                                                   : 0;
      if (skip == 0) {
        continue;
      }
      TunnelView& v = views[comment.substr(skip)];
      v.file = file;
      Props* slots[] = {&v.gre, &v.address, &v.peer, &v.identity, &v.policy, &v.ospf};
      *slots[k] = item.props;
    }
  }
  // RouterOS 6 OSPF interface entries carry no tag: they are the ones on
  // the tunnel's GRE interface. Indexed once, not scanned per tunnel.
  std::map<std::string, const Props*> ospf_by_interface;
  for (const auto& item : router.items("/routing ospf interface")) {
    ospf_by_interface[prop(item.props, "interface")] = &item.props;
  }
  for (auto& [id, v] : views) {
    if (auto it = ospf_by_interface.find(prop(v.gre, "name"));
        !v.gre.empty() && it != ospf_by_interface.end()) {
      v.ospf = *it->second;
    }
    if (const Props* p = by_name(router, "/ip ipsec profile", prop(v.peer, "profile"))) {
      v.profile = *p;
    }
    if (const Props* p = by_name(router, "/ip ipsec proposal", prop(v.policy, "proposal"))) {
      v.proposal = *p;
    }
  }
  return views;
}

std::vector<std::string> compare_ends(const TunnelView& a, const TunnelView& b) {
  std::vector<std::string> out;
  for (const TunnelView* v : {&a, &b}) {
    for (const auto* part :
         {&v->gre, &v->address, &v->peer, &v->identity, &v->policy, &v->profile, &v->proposal}) {
      if (part->empty()) {
        out.push_back(fmt::format("{} lacks part of the tunnel (GRE, address, IPsec peer, "
                                  "identity, policy, profile or proposal)",
                                  v->file));
        return out;
      }
    }
  }
  auto same = [&](const std::string& what, const std::string& x, const std::string& y) {
    if (x != y) {
      out.push_back(
          fmt::format("{} differ: {} has \"{}\", {} has \"{}\"", what, a.file, x, b.file, y));
    }
  };
  same("public addresses (local vs remote)", prop(a.gre, "local-address"),
       prop(b.gre, "remote-address"));
  same("public addresses (remote vs local)", prop(a.gre, "remote-address"),
       prop(b.gre, "local-address"));
  for (const TunnelView* v : {&a, &b}) {
    std::string local = prop(v->gre, "local-address");
    std::string remote = prop(v->gre, "remote-address");
    if (prop(v->peer, "address") != remote + "/32" || prop(v->peer, "local-address") != local ||
        prop(v->policy, "src-address") != local + "/32" ||
        prop(v->policy, "dst-address") != remote + "/32") {
      out.push_back(fmt::format("{}: the IPsec peer or policy does not match the GRE endpoints "
                                "{} -> {}",
                                v->file, local, remote));
    }
  }
  auto x = interface_address(prop(a.address, "address"));
  auto y = interface_address(prop(b.address, "address"));
  if (!x || !y) {
    out.push_back("a transit address does not read as address/length");
  } else if (x->second != y->second || x->second.length() != 30) {
    out.push_back(fmt::format("transit subnets differ or are not /30: {} vs {}",
                              x->second.to_string(), y->second.to_string()));
  } else {
    auto usable = [](const auto& at) {
      return at.first != at.second.network() && at.first != at.second.last();
    };
    if (x->first == y->first || !usable(*x) || !usable(*y)) {
      out.push_back(fmt::format("transit hosts {} and {} are not two distinct usable addresses",
                                x->first.to_string(), y->first.to_string()));
    }
  }
  if (prop(a.identity, "secret").empty()) {
    out.push_back(fmt::format("{} has an empty pre-shared key", a.file));
  }
  // Keys are named by fingerprint: a report may be pasted anywhere.
  if (prop(a.identity, "secret") != prop(b.identity, "secret")) {
    out.push_back(fmt::format("pre-shared keys differ: {} has key {}, {} has key {} (fingerprints; "
                              "the keys are not shown)",
                              a.file, secrets::fingerprint(prop(a.identity, "secret")), b.file,
                              secrets::fingerprint(prop(b.identity, "secret"))));
  }
  for (const char* key : {"hash-algorithm", "enc-algorithm", "dh-group", "lifetime"}) {
    same(fmt::format("IKE profile {}", key), prop(a.profile, key), prop(b.profile, key));
  }
  for (const char* key : {"auth-algorithms", "enc-algorithms", "pfs-group", "lifetime"}) {
    same(fmt::format("ESP proposal {}", key), prop(a.proposal, key), prop(b.proposal, key));
  }
  same("GRE MTU", prop(a.gre, "mtu"), prop(b.gre, "mtu"));
  if (a.ospf.empty() != b.ospf.empty()) {
    out.push_back("OSPF runs on only one end");
  } else if (!a.ospf.empty()) {
    same("OSPF hello interval", prop(a.ospf, "hello-interval"), prop(b.ospf, "hello-interval"));
    same("OSPF dead interval", prop(a.ospf, "dead-interval"), prop(b.ospf, "dead-interval"));
  }
  return out;
}

} // namespace vpnaas::mesh::detail
