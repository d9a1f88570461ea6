#include <vpnaas/mesh/check.hpp>
#include <vpnaas/routeros/reader.hpp>
#include <vpnaas/routeros/simulator.hpp>
#include <vpnaas/routeros/version.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "ha_check.hpp"
#include "tunnel_view.hpp"

namespace vpnaas::mesh {

CheckReport check_scripts(const std::vector<std::pair<std::string, std::string>>& files) {
  CheckReport report;
  report.files = files.size();
  std::map<std::string, std::vector<detail::TunnelView>> ends;
  std::map<std::string, std::vector<detail::VrrpView>> groups;
  for (const auto& [file, text] : files) {
    routeros::ReadResult read = routeros::read_script(text);
    for (const auto& e : read.errors) {
      report.problems.push_back(
          {file, {}, fmt::format("line {}: {}", to_string(e.pos), e.message)});
    }
    if (!read.ok()) {
      continue;
    }
    // Each script runs on the oldest release it says it supports: what that
    // release lacks must make it fail here as it would on the router.
    auto minimum = routeros::declared_minimum(text);
    if (!minimum) {
      report.problems.push_back(
          {file, {}, "does not say which RouterOS it needs (no \"# Needs RouterOS X or later\")"});
      continue;
    }
    ++report.minimums[routeros::to_string(*minimum)];
    routeros::Router router(*minimum);
    auto run = routeros::run_script(read.commands, router);
    if (!run) {
      report.problems.push_back({file, {}, fmt::format("does not run: {}", run.error().message)});
      continue;
    }
    report.import_work += run->work;
    // A converging script changes nothing when it is imported again.
    auto again = routeros::run_script(read.commands, router);
    if (!again) {
      report.problems.push_back(
          {file, {}, fmt::format("does not run a second time: {}", again.error().message)});
      continue;
    }
    if (again->total() != 0) {
      report.problems.push_back(
          {file,
           {},
           fmt::format("importing it a second time changes {} item(s), first: {}", again->total(),
                       again->log.front())});
    }
    std::set<std::string> subnets;
    for (const auto& item : router.items("/ip address")) {
      auto it = item.props.find("address");
      std::string address = it == item.props.end() ? std::string() : it->second;
      auto slash = address.find('/');
      std::string net = address.substr(0, slash == std::string::npos ? address.size() : slash);
      if (!subnets.insert(net).second) {
        report.problems.push_back({file, {}, fmt::format("address {} is used twice", address)});
      }
    }
    for (auto& [id, view] : detail::tunnel_views(router, file)) {
      ends[id].push_back(std::move(view));
    }
    for (auto& [site, view] : detail::vrrp_views(router, file)) {
      groups[site].push_back(std::move(view));
    }
  }
  for (const auto& [site, views] : groups) {
    ++report.ha_sites;
    for (auto& finding : detail::compare_vrrp(site, views)) {
      report.problems.push_back(std::move(finding));
    }
  }
  for (const auto& [id, views] : ends) {
    if (views.size() == 1) {
      ++report.one_sided;
      continue;
    }
    if (views.size() > 2) {
      report.problems.push_back({views[2].file, id, "the tunnel has more than two ends"});
      continue;
    }
    ++report.tunnels;
    for (auto& message : detail::compare_ends(views[0], views[1])) {
      report.problems.push_back({views[0].file, id, std::move(message)});
    }
  }
  return report;
}

Result<CheckReport> check_tree(const std::filesystem::path& folder) {
  std::error_code ec;
  std::vector<std::filesystem::path> paths;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".rsc") {
      paths.push_back(it->path());
    }
  }
  if (ec) {
    return make_error(ErrorCode::io,
                      fmt::format("cannot read {}: {}", folder.string(), ec.message()));
  }
  if (paths.empty()) {
    return make_error(ErrorCode::io, fmt::format("{} holds no .rsc script", folder.string()),
                      "run `vpnaas mesh generate` first, or pass --out");
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      return make_error(ErrorCode::io, fmt::format("cannot read {}", path.string()));
    }
    files.emplace_back(path.lexically_relative(folder).generic_string(), text.str());
  }
  return check_scripts(files);
}

} // namespace vpnaas::mesh
