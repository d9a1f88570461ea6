// The whole-mesh check on generated fixtures, and on sets tampered with in
// each way it must catch.
#include <vpnaas/mesh/check.hpp>
#include <vpnaas/render/generate.hpp>
#include <vpnaas/secrets/fingerprint.hpp>
#include <vpnaas/workspace/workspace.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <regex>

#include "support/paths.hpp"

namespace vpnaas::test {
namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

Files generated(const std::string& fixture) {
  WorkspaceOptions options;
  options.root = data_path("render/" + fixture);
  options.write_lock = false;
  auto ws = open_workspace(options);
  REQUIRE(ws.ok());
  REQUIRE((*ws)->valid());
  secrets::MasterKey key(std::vector<unsigned char>(32, 0x42), "test key");
  render::RenderInput input{(*ws)->inventory, (*ws)->tunnels, (*ws)->allocation.lock, key, {}};
  Files files;
  for (const auto& ref : render::index_devices((*ws)->inventory, (*ws)->tunnels)) {
    auto text = render::render_device(ref, input);
    REQUIRE(text.ok());
    files.emplace_back(ref.relative_path(), *text);
  }
  return files;
}

std::string& file(Files& files, const std::string& path) {
  for (auto& [p, text] : files) {
    if (p == path) {
      return text;
    }
  }
  FAIL("no file " << path);
  static std::string none;
  return none;
}

bool mentions(const mesh::CheckReport& report, const std::string& what) {
  for (const auto& p : report.problems) {
    if (p.message.find(what) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST_CASE("every generated fixture is consistent") {
  for (const char* fixture : {"small7", "small6"}) {
    CAPTURE(fixture);
    auto report = mesh::check_scripts(generated(fixture));
    for (const auto& p : report.problems) {
      INFO(p.file << ": " << p.message);
      CHECK(false);
    }
    CHECK(report.files == 5);
    CHECK(report.tunnels == 9);
    CHECK(report.one_sided == 0);
  }
}

TEST_CASE("an HA fixture is consistent, VRRP groups included") {
  auto report = mesh::check_scripts(generated("ha7"));
  for (const auto& p : report.problems) {
    INFO(p.file << ": " << p.message);
    CHECK(false);
  }
  CHECK(report.files == 7);
  CHECK(report.tunnels == 18); // 5 site routers x 2 cluster routers + 8 between sites
  CHECK(report.ha_sites == 2);
  CHECK(report.one_sided == 0);
  CHECK(mesh::check_scripts(generated("small7")).ha_sites == 0);
}

TEST_CASE("an HA site whose routers disagree is found") {
  auto files = generated("ha7");
  std::string& backup = file(files, "acme/acme-bru-r2.rsc");
  REQUIRE(backup.find("vrid=10") != std::string::npos);
  backup = std::regex_replace(backup, std::regex("vrid=10"), "vrid=11");
  backup = std::regex_replace(backup, std::regex("priority=100"), "priority=200");
  auto report = mesh::check_scripts(files);
  CHECK(mentions(report, "VRRP vrid differ"));
  CHECK(mentions(report, "do not make one router primary"));

  auto lone = generated("ha7");
  lone.erase(std::find_if(lone.begin(), lone.end(),
                          [](const auto& f) { return f.first == "acme/acme-ant-r2.rsc"; }));
  CHECK(mentions(mesh::check_scripts(lone), "the VRRP group of site acme/antwerp is on 1 "
                                            "router(s), not two"));
}

TEST_CASE("a different pre-shared key on one end is found") {
  auto files = generated("small7");
  std::string& text = file(files, "acme/acme-bru-r1.rsc");
  // The keys are the 64-hex-digit elements of the identities' data lines.
  text = std::regex_replace(text, std::regex(",[0-9a-f]{4}([0-9a-f]{60})\""), ",0000$1\"");
  auto report = mesh::check_scripts(files);
  CHECK(mentions(report, "pre-shared keys differ"));
  // Neither key is shown, only fingerprints.
  std::smatch key;
  const std::string& other = file(files, "acme/acme-ant-r1.rsc");
  REQUIRE(std::regex_search(other, key, std::regex("[0-9a-f]{64}")));
  for (const auto& p : report.problems) {
    CHECK(p.message.find(key.str()) == std::string::npos);
    CHECK(p.message.find(key.str().substr(4)) == std::string::npos);
    CHECK(std::regex_search(p.message, std::regex("[0-9a-f]{20}")) == false);
  }
  CHECK(mentions(report, "(fingerprints; the keys are not shown)"));
  CHECK(mentions(report, "has key sha256:"));
}

TEST_CASE("a fingerprint names a key without showing it") {
  CHECK(secrets::fingerprint("abc") == "sha256:ba7816bf"); // FIPS 180-2 test vector
  CHECK(secrets::fingerprint("") == "sha256:e3b0c442");
}

TEST_CASE("MTU, proposal and address mismatches are found") {
  auto files = generated("small7");
  std::string& text = file(files, "dc1/dc1-r1.rsc");
  text = std::regex_replace(text, std::regex("mtu=1400"), "mtu=1500");
  text = std::regex_replace(text, std::regex("pfs-group=\"modp2048\""), "pfs-group=\"modp4096\"");
  text =
      std::regex_replace(text, std::regex("address=10\\.255\\.0\\.2/30"), "address=10.255.0.1/30");
  auto report = mesh::check_scripts(files);
  CHECK(mentions(report, "GRE MTU differ"));
  CHECK(mentions(report, "ESP proposal pfs-group differ"));
  CHECK_FALSE(report.ok());
}

TEST_CASE("a missing counterpart is one-sided, a broken script is a problem") {
  auto files = generated("small7");
  files.erase(files.begin());
  auto report = mesh::check_scripts(files);
  CHECK(report.ok());
  CHECK(report.one_sided > 0);
  files[0].second += "\n/ip ipsec peer add name=x profile=missing\n";
  CHECK(mentions(mesh::check_scripts(files), "does not run"));
}

TEST_CASE("a script that does not converge, or declares no release, is a problem") {
  auto files = generated("small7");
  auto report = mesh::check_scripts(files);
  CHECK(report.ok());
  CHECK(report.minimums == std::map<std::string, std::size_t>{{"7.1", 5}});
  files[0].second += "/ip route add dst-address=10.77.0.0/16 gateway=192.0.2.1\n";
  auto twice = mesh::check_scripts(files);
  CHECK(mentions(twice, "importing it a second time changes 1 item(s), first: added /ip route"));
  auto undeclared = generated("small7");
  auto& text = undeclared[0].second;
  text.erase(text.find("# Needs RouterOS"),
             text.find('\n', text.find("# Needs RouterOS")) + 1 - text.find("# Needs RouterOS"));
  CHECK(mentions(mesh::check_scripts(undeclared), "does not say which RouterOS it needs"));
}

TEST_CASE("check_tree reads a folder and refuses an empty one") {
  TempDir tmp;
  auto empty = mesh::check_tree(tmp.path());
  REQUIRE_FALSE(empty.ok());
  for (const auto& [path, text] : generated("small6")) {
    std::filesystem::create_directories((tmp.path() / path).parent_path());
    write_file(tmp.path() / path, text);
  }
  auto report = mesh::check_tree(tmp.path());
  REQUIRE(report.ok());
  CHECK(report->ok());
  CHECK(report->files == 5);
}

} // namespace
} // namespace vpnaas::test
