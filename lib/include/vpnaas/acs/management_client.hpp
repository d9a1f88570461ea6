#pragma once

// The management API's client, as `vpnaas device ...` uses it: libcurl over
// the server's Unix socket, or over http(s) with a bearer token.

#include <vpnaas/core/error.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace vpnaas::acs {

// Where the management API listens.
struct ManagementEndpoint {
  std::filesystem::path socket_path; // set for a Unix socket
  std::string url;                   // set for http:// or https://, without a trailing slash
  std::string token;                 // bearer token for a URL; never printed
  std::string origin;                // how it was chosen: "--acs", "$VPNAAS_ACS", "default"

  // The socket path or the URL, for messages.
  std::string describe() const;
};

// The management socket `vpnaas acs serve --data DIR` creates: DIR/acs.sock.
std::filesystem::path management_socket_in(const std::filesystem::path& data_dir);
// The default data dir: $XDG_STATE_HOME/vpnaas/acs, else ~/.local/state/vpnaas/acs.
Result<std::filesystem::path> default_acs_data_dir();

// `flag` (the --acs value), else $VPNAAS_ACS, else the default data dir's
// socket. A value starting with http:// or https:// is a URL (token from
// $VPNAAS_ACS_TOKEN); a directory means its acs.sock; anything else is the
// socket's path.
Result<ManagementEndpoint> resolve_management_endpoint(const std::optional<std::string>& flag);

struct ManagementReply {
  long status = 0;
  std::string body;
};

// One request. Fails with io naming the socket or URL when the server cannot
// be reached (with how to start it); an HTTP error answer is returned as an
// Error rebuilt from the API's {"error": {...}} body (its code, message and
// hint), so the CLI maps it to the same exit code as a local failure.
// `timeout_seconds` bounds the whole exchange (0: none).
Result<ManagementReply> management_request(const ManagementEndpoint& endpoint,
                                           const std::string& method, const std::string& path,
                                           const std::string& body = {}, long timeout_seconds = 30);

// management_request whose answer must be a JSON object: anything else is a
// `remote` error saying the address is not the management API.
Result<nlohmann::json> management_call(const ManagementEndpoint& endpoint,
                                       const std::string& method, const std::string& path,
                                       const std::string& body = {}, long timeout_seconds = 30);

// Percent-encodes a path segment (a serial or device name).
std::string encode_path_segment(const std::string& text);

} // namespace vpnaas::acs
