#include "ha_check.hpp"

#include <fmt/format.h>

#include <charconv>

#include "props.hpp"

namespace vpnaas::mesh::detail {
namespace {

int number(const std::string& text) {
  int value = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size() ? value : -1;
}

// The priorities a tracking script sets on `tag`'s interface: when no
// tracked tunnel is up (its `do=` branch) and otherwise (`else=`); -1 where
// it sets none.
std::pair<int, int> scripted_priorities(const std::string& script, const std::string& tag) {
  const std::string target = fmt::format("[find where comment=\"{}\"] priority=", tag);
  auto branch = [&](const std::string& opener) {
    auto at = script.find(opener);
    auto set = at == std::string::npos ? at : script.find(target, at);
    if (set == std::string::npos) {
      return -1;
    }
    auto start = set + target.size();
    return number(script.substr(start, script.find('}', start) - start));
  };
  return {branch("do={"), branch("else={")};
}

} // namespace

std::map<std::string, VrrpView> vrrp_views(const routeros::Router& router,
                                           const std::string& file) {
  static const std::string kVrrp = "vpnaas:vrrp:";
  static const std::string kAddress = "vpnaas:vrrp-address:";
  static const std::string kNetwatch = "vpnaas:netwatch:";
  std::map<std::string, VrrpView> views;
  auto collect = [&](const char* menu, const std::string& prefix, Props VrrpView::*slot) {
    for (const auto& item : router.items(menu)) {
      std::string comment = prop(item.props, "comment");
      if (comment.rfind(prefix, 0) == 0) {
        VrrpView& v = views[comment.substr(prefix.size())];
        v.file = file;
        v.*slot = item.props;
      }
    }
  };
  collect("/interface vrrp", kVrrp, &VrrpView::vrrp);
  collect("/ip address", kAddress, &VrrpView::address);
  // One tracking entry per tunnel: "vpnaas:netwatch:<site>:<tunnel>".
  for (const auto& item : router.items("/tool netwatch")) {
    std::string comment = prop(item.props, "comment");
    if (comment.rfind(kNetwatch, 0) == 0) {
      std::string rest = comment.substr(kNetwatch.size());
      VrrpView& v = views[rest.substr(0, rest.find(':'))];
      v.file = file;
      v.netwatch.push_back(item.props);
    }
  }
  return views;
}

std::vector<Finding> compare_vrrp(const std::string& site, const std::vector<VrrpView>& views) {
  std::vector<Finding> out;
  const std::string first = views.front().file;
  if (views.size() != 2) {
    out.push_back(
        {first, site,
         fmt::format("the VRRP group of site {} is on {} router(s), not two", site, views.size())});
    return out;
  }
  const VrrpView& a = views[0];
  const VrrpView& b = views[1];
  for (const VrrpView* v : {&a, &b}) {
    if (v->vrrp.empty() || v->address.empty() || v->netwatch.empty()) {
      out.push_back({v->file, site,
                     "lacks part of the VRRP group (VRRP interface, gateway address or tracking)"});
      return out;
    }
    if (prop(v->address, "interface") != prop(v->vrrp, "name")) {
      out.push_back({v->file, site, "the gateway address is not on the VRRP interface"});
    }
  }
  auto same = [&](const char* what, const std::string& x, const std::string& y) {
    if (x != y) {
      out.push_back(
          {first, site,
           fmt::format("{} differ: {} has \"{}\", {} has \"{}\"", what, a.file, x, b.file, y)});
    }
  };
  same("VRRP vrid", prop(a.vrrp, "vrid"), prop(b.vrrp, "vrid"));
  same("VRRP interfaces", prop(a.vrrp, "interface"), prop(b.vrrp, "interface"));
  same("VRRP gateway addresses", prop(a.address, "address"), prop(b.address, "address"));
  const int pa = number(prop(a.vrrp, "priority"));
  const int pb = number(prop(b.vrrp, "priority"));
  if (pa < 1 || pb < 1 || pa == pb) {
    out.push_back({first, site,
                   fmt::format("VRRP priorities {} and {} do not make one router primary",
                               prop(a.vrrp, "priority"), prop(b.vrrp, "priority"))});
    return out;
  }
  const std::string tag = "vpnaas:vrrp:" + site;
  for (const VrrpView* v : {&a, &b}) {
    const int start = number(prop(v->vrrp, "priority"));
    for (const auto& watch : v->netwatch) {
      if (prop(watch, "up-script") != prop(watch, "down-script")) {
        out.push_back({v->file, site, "tracking runs different up and down scripts"});
        continue;
      }
      const auto [down, up] = scripted_priorities(prop(watch, "up-script"), tag);
      if (up != start) {
        out.push_back(
            {v->file, site, fmt::format("tracking restores priority {} instead of {}", up, start)});
      }
      if (down < 1 || down >= std::min(pa, pb)) {
        out.push_back({v->file, site,
                       fmt::format("tracking lowers the priority to {}, not below both routers' "
                                   "priorities ({}, {})",
                                   down, pa, pb)});
      }
    }
  }
  return out;
}

} // namespace vpnaas::mesh::detail
