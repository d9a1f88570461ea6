#include <vpnaas/acs/management_client.hpp>

#include <curl/curl.h>
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <system_error>

namespace vpnaas::acs {

namespace fs = std::filesystem;

std::string ManagementEndpoint::describe() const {
  return url.empty() ? socket_path.string() : url;
}

fs::path management_socket_in(const fs::path& data_dir) {
  return data_dir / "acs.sock";
}

Result<fs::path> default_acs_data_dir() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state != nullptr && *state == '/') {
    return fs::path(state) / "vpnaas" / "acs";
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home != '/') {
    return Error{ErrorCode::environment,
                 "neither XDG_STATE_HOME nor HOME is set",
                 {},
                 "pass --acs SOCKET or set VPNAAS_ACS"};
  }
  return fs::path(home) / ".local" / "state" / "vpnaas" / "acs";
}

namespace {

bool is_url(const std::string& text) {
  return text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0;
}

ManagementEndpoint endpoint_from(const std::string& value, std::string origin) {
  ManagementEndpoint endpoint;
  endpoint.origin = std::move(origin);
  if (is_url(value)) {
    endpoint.url = value;
    while (!endpoint.url.empty() && endpoint.url.back() == '/') {
      endpoint.url.pop_back();
    }
    if (const char* token = std::getenv("VPNAAS_ACS_TOKEN"); token != nullptr) {
      endpoint.token = token;
    }
    return endpoint;
  }
  std::error_code ec;
  endpoint.socket_path =
      fs::is_directory(value, ec) ? management_socket_in(value) : fs::path(value);
  return endpoint;
}

std::optional<ErrorCode> parse_error_code(const std::string& name) {
  for (auto code :
       {ErrorCode::invalid_input, ErrorCode::lock_out_of_date, ErrorCode::missing_secret,
        ErrorCode::io, ErrorCode::remote, ErrorCode::unknown_name, ErrorCode::environment,
        ErrorCode::usage, ErrorCode::internal}) {
    if (name == error_code_name(code)) {
      return code;
    }
  }
  return std::nullopt;
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

} // namespace

Result<ManagementEndpoint> resolve_management_endpoint(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) {
    return endpoint_from(*flag, "--acs");
  }
  if (const char* env = std::getenv("VPNAAS_ACS"); env != nullptr && *env != '\0') {
    return endpoint_from(env, "$VPNAAS_ACS");
  }
  auto dir = default_acs_data_dir();
  if (!dir) {
    return dir.error();
  }
  ManagementEndpoint endpoint;
  endpoint.socket_path = management_socket_in(dir.value());
  endpoint.origin = "default";
  return endpoint;
}

std::string encode_path_segment(const std::string& text) {
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

Result<ManagementReply> management_request(const ManagementEndpoint& endpoint,
                                           const std::string& method, const std::string& path,
                                           const std::string& body, long timeout_seconds) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    return Error{ErrorCode::internal, "libcurl could not make a handle", {}, ""};
  }
  CURL* h = curl.get();
  std::string url;
  if (endpoint.url.empty()) {
    // The host part is not used on a Unix socket; it only fills the Host header.
    url = "http://localhost" + path;
    curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, endpoint.socket_path.c_str());
  } else {
    url = endpoint.url + path;
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  add_header("Accept: application/json");
  if (!body.empty() || method == "POST") {
    add_header("Content-Type: application/json");
  }
  std::string auth;
  if (!endpoint.token.empty()) {
    auth = "Authorization: Bearer " + endpoint.token;
    add_header(auth);
  }
  std::string answer;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_seconds);
  auto code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    std::string why = error_buffer[0] != '\0' ? error_buffer.data() : curl_easy_strerror(code);
    std::string hint =
        endpoint.url.empty()
            ? fmt::format("start the server with `vpnaas acs serve --data {}`, or point at it "
                          "with --acs SOCKET|URL or $VPNAAS_ACS",
                          endpoint.socket_path.parent_path().string())
            : "check the URL and that `vpnaas acs serve` runs there, or use --acs SOCKET";
    return Error{ErrorCode::io,
                 fmt::format("cannot reach the ACS management API at {} (from {}): {}",
                             endpoint.describe(), endpoint.origin, why),
                 {},
                 hint};
  }
  ManagementReply reply;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply.status);
  reply.body = std::move(answer);
  if (reply.status >= 200 && reply.status < 300) {
    return reply;
  }
  auto parsed = nlohmann::json::parse(reply.body, nullptr, false);
  if (!parsed.is_discarded() && parsed.is_object() && parsed.contains("error") &&
      parsed["error"].is_object()) {
    const auto& e = parsed["error"];
    auto code_name = e.value("code", std::string());
    return Error{parse_error_code(code_name).value_or(ErrorCode::remote),
                 e.value("message", std::string("the ACS refused the request")),
                 {},
                 e.value("hint", std::string())};
  }
  return Error{ErrorCode::remote,
               fmt::format("the ACS at {} answered HTTP {} without an error body",
                           endpoint.describe(), reply.status),
               {},
               "is that address really the management API of `vpnaas acs serve`?"};
}

Result<nlohmann::json> management_call(const ManagementEndpoint& endpoint,
                                       const std::string& method, const std::string& path,
                                       const std::string& body, long timeout_seconds) {
  auto reply = management_request(endpoint, method, path, body, timeout_seconds);
  if (!reply) {
    return reply.error();
  }
  auto parsed = nlohmann::json::parse(reply->body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return make_error(
        ErrorCode::remote,
        fmt::format("the ACS at {} answered something that is not JSON", endpoint.describe()),
        "is that address really the management API of `vpnaas acs serve`?");
  }
  return parsed;
}

} // namespace vpnaas::acs
