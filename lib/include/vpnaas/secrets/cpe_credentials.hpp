#pragma once

#include <vpnaas/core/error.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <string>
#include <string_view>

namespace vpnaas::secrets {

// A username and password pair for one CPE, derived, never stored: both the
// ACS and `vpnaas acs credentials` compute the same value from the master key.
struct CpeLogin {
  std::string username;
  std::string password;
};

// The two logins of a CPE, both with the serial number as username.
struct CpeCredentials {
  // CPE -> ACS (the tr069-client's username/password): 32 lowercase hex
  // digits of HKDF-SHA256(master, salt "vpnaas/cpe-acs-login/v1", info serial).
  CpeLogin acs;
  // ACS -> CPE connection requests (ManagementServer.ConnectionRequestUsername
  // /Password): the same with salt "vpnaas/cpe-connection-request/v1".
  CpeLogin connection_request;
};

// Derives a CPE's credentials. The serial is taken as given (case matters,
// as in the Inform's DeviceId). Fails with usage when the serial is empty,
// longer than 64 characters (TR-069's SerialNumber is a string(64)) or holds
// a control character or ':' (which HTTP Basic cannot carry in a username),
// and with missing_secret when the master key is too short.
Result<CpeCredentials> derive_cpe_credentials(const MasterKey& key, std::string_view serial);

// The bearer token of `vpnaas acs serve --management-listen` (the management
// API over TCP): 64 lowercase hex digits of HKDF-SHA256(master, salt
// "vpnaas/acs-management-token/v1", info "management"). Fails with
// missing_secret when the key is too short.
Result<std::string> derive_acs_management_token(const MasterKey& key);

} // namespace vpnaas::secrets
