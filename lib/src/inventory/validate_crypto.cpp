#include <vpnaas/core/suggest.hpp>
#include <vpnaas/inventory/crypto.hpp>

#include <fmt/format.h>

#include "validate_parts.hpp"

namespace vpnaas::inventory::detail {
namespace {

void check_algorithm(const CryptoSuite& suite, const Located<std::string>& algorithm,
                     std::string_view what, Diagnostics& diags) {
  if (!is_weak_algorithm(algorithm.value)) {
    return;
  }
  const SourceLocation& where = algorithm.where.known() ? algorithm.where : suite.where;
  if (suite.allow_weak) {
    diags.warning(where, "weak-crypto",
                  fmt::format("crypto suite \"{}\" uses weak {} \"{}\" (allowed by allow-weak)",
                              suite.name, what, algorithm.value),
                  "move to aes-256, sha256 and modp2048 when every peer supports them");
  } else {
    diags.error(
        where, "weak-crypto",
        fmt::format("crypto suite \"{}\" uses weak {} \"{}\"", suite.name, what, algorithm.value),
        "use aes-256 / aes-256-cbc, sha256 and modp2048 or stronger; if an old peer "
        "needs it, set allow-weak: true in the suite");
  }
}

void check_suite(const CryptoSuite& suite, Diagnostics& diags) {
  check_algorithm(suite, suite.ike.encryption, "ike encryption", diags);
  check_algorithm(suite, suite.ike.hash, "ike hash", diags);
  check_algorithm(suite, suite.ike.dh, "ike dh group", diags);
  check_algorithm(suite, suite.esp.encryption, "esp encryption", diags);
  if (!(suite.esp.auth.value == "null" && is_aead(suite.esp.encryption.value))) {
    check_algorithm(suite, suite.esp.auth, "esp auth", diags); // GCM needs no separate auth
  }
  check_algorithm(suite, suite.esp.pfs, "esp pfs group", diags);
  if (suite.esp.auth.value == "null" && !is_aead(suite.esp.encryption.value)) {
    diags.error(suite.esp.auth.where.known() ? suite.esp.auth.where : suite.where, "weak-crypto",
                fmt::format("crypto suite \"{}\" has esp auth null with {}, which leaves ESP "
                            "without integrity",
                            suite.name, suite.esp.encryption.value),
                "use auth sha256, or an aes-*-gcm encryption which carries its own integrity");
  }
  if (suite.ike.version == 1) {
    diags.warning(suite.where, "ikev1", fmt::format("crypto suite \"{}\" uses IKEv1", suite.name),
                  "IKEv2 is more robust and is what vpnaas tests against; use version: 2");
  }
}

} // namespace

void validate_crypto(const Inventory& inv, Diagnostics& diags) {
  for (const auto& [name, suite] : inv.crypto) {
    check_suite(suite, diags);
  }
  std::vector<std::string> names;
  for (const auto& [name, suite] : inv.crypto) {
    names.push_back(name);
  }
  auto check_device = [&](const Device& d) {
    if (inv.find_crypto(d.settings.crypto) != nullptr) {
      return;
    }
    std::string hint = fmt::format("defined suites: {}", fmt::join(names, ", "));
    if (auto near = closest_match(d.settings.crypto, names)) {
      hint = fmt::format("did you mean \"{}\"?", *near);
    }
    diags.error(d.settings.origins.crypto.where, "unknown-crypto",
                fmt::format("crypto suite \"{}\" is not defined", d.settings.crypto), hint);
  };
  for (const auto& cluster : inv.clusters) {
    for (const auto& d : cluster.devices) {
      check_device(d);
    }
  }
  for (const auto& customer : inv.customers) {
    for (const auto& site : customer.sites) {
      for (const Device* router : site.routers()) {
        check_device(*router);
      }
    }
  }
}

} // namespace vpnaas::inventory::detail
