#include <vpnaas/acs/connection_request_login.hpp>
#include <vpnaas/acs/management.hpp>
#include <vpnaas/core/hex.hpp>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <ctime>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace vpnaas::acs {

using json = nlohmann::json;

std::string format_utc(TimePoint at) {
  std::time_t t = Clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer.data();
}

namespace {

// What a handler answers on failure; `code` is an error_code_name.
struct ApiError {
  int status = 500;
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::string hint;
};

http::Response json_response(int status, const json& body) {
  http::Response response;
  response.status = status;
  response.headers.push_back({"Content-Type", "application/json"});
  response.body = body.dump() + "\n";
  return response;
}

http::Response error_response(const ApiError& e) {
  json error{{"code", error_code_name(e.code)}, {"message", e.message}};
  if (!e.hint.empty()) {
    error["hint"] = e.hint;
  }
  auto response = json_response(e.status, json{{"error", error}});
  if (e.status == 401) {
    response.headers.push_back({"WWW-Authenticate", "Bearer realm=\"vpnaas\""});
  }
  return response;
}

ApiError from_store(const Error& e) {
  int status = 500;
  if (e.code == ErrorCode::unknown_name) {
    status = 404;
  } else if (e.code == ErrorCode::invalid_input || e.code == ErrorCode::usage) {
    status = 400;
  }
  return {status, e.code, e.message, e.hint};
}

// Compares digests, so neither the token's bytes nor its length leak through timing.
bool token_matches(std::string_view given, std::string_view expected) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> a{};
  std::array<unsigned char, EVP_MAX_MD_SIZE> b{};
  unsigned int a_len = 0;
  unsigned int b_len = 0;
  if (EVP_Digest(given.data(), given.size(), a.data(), &a_len, EVP_sha256(), nullptr) != 1 ||
      EVP_Digest(expected.data(), expected.size(), b.data(), &b_len, EVP_sha256(), nullptr) != 1) {
    return false;
  }
  return a_len == b_len && CRYPTO_memcmp(a.data(), b.data(), a_len) == 0;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) {
      parts.emplace_back(path.substr(start, end - start));
    }
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  return parts;
}

// Serials and names come percent-encoded from clients that quote them.
std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string query_value(std::string_view query, std::string_view key) {
  std::size_t start = 0;
  while (start < query.size()) {
    auto amp = query.find('&', start);
    auto item = query.substr(start, amp == std::string_view::npos ? amp : amp - start);
    auto eq = item.find('=');
    if (item.substr(0, eq) == key) {
      return eq == std::string_view::npos ? std::string() : percent_decode(item.substr(eq + 1));
    }
    if (amp == std::string_view::npos) {
      break;
    }
    start = amp + 1;
  }
  return {};
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    return {};
  }
  std::string out;
  for (auto b : raw) {
    out += fmt::format("{:02x}", b);
  }
  return out;
}

json parse_or_null(const std::string& text) {
  auto parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json(text) : parsed;
}

json device_json(const DeviceRecord& d, bool with_parameters) {
  json events = json::array();
  for (const auto& e : d.last_events) {
    events.push_back({{"code", e.code}, {"command_key", e.command_key}});
  }
  json out{{"serial", d.serial},
           {"name", d.device_name.empty() ? json(nullptr) : json(d.device_name)},
           {"binding", binding_name(d.binding)},
           {"oui", d.oui},
           {"product_class", d.product_class},
           {"manufacturer", d.manufacturer},
           {"last_inform", d.last_inform ? json(format_utc(*d.last_inform)) : json(nullptr)},
           {"last_events", events},
           {"remote_address", d.remote_address},
           {"software_version", d.software_version},
           {"data_model_root", d.data_model_root},
           {"connection_request_url", d.connection_request_url},
           {"unreachable", d.unreachable}};
  if (with_parameters) {
    out["parameters"] = parse_or_null(d.parameters_json);
  }
  return out;
}

json task_json(const Task& t, const std::string& device_name) {
  json out{{"id", t.id},
           {"serial", t.serial},
           {"device", device_name.empty() ? json(nullptr) : json(device_name)},
           {"kind", task_kind_name(t.kind)},
           {"state", task_state_name(t.state)},
           {"final", is_final(t.state)},
           {"outcome_unknown", t.outcome_unknown},
           {"attempts", t.attempts},
           {"command_key", t.command_key},
           {"inventory_revision", t.inventory_revision},
           {"created_at", format_utc(t.created_at)},
           {"updated_at", format_utc(t.updated_at)},
           {"expires_at", t.expires_at ? json(format_utc(*t.expires_at)) : json(nullptr)}};
  if (t.state == TaskState::fault || t.fault_code != 0) {
    out["fault"] = {{"code", t.fault_code}, {"text", t.fault_text}};
  }
  if (t.state == TaskState::done) {
    out["result"] = parse_or_null(t.result_json.empty() ? "{}" : t.result_json);
  }
  return out;
}

// The state of a device's connection-request login task: queued, sent,
// done, or failed (with the CPE's fault, or expired).
json login_json(const Task& login) {
  const bool failed = connection_request_login_failed(login);
  json out{{"task", login.id},
           {"state", failed ? "failed" : task_state_name(login.state)},
           {"task_state", task_state_name(login.state)},
           {"attempts", login.attempts},
           {"updated_at", format_utc(login.updated_at)}};
  if (login.fault_code != 0) {
    out["fault"] = {{"code", login.fault_code}, {"text", login.fault_text}};
  }
  if (failed) {
    out["hint"] = "not queued again until the inventory is reloaded (SIGHUP) or the device is "
                  "accepted again (vpnaas device accept SERIAL --device NAME)";
  }
  return out;
}

template <class T>
struct Outcome {
  std::optional<T> value;
  ApiError error;
  bool ok() const { return value.has_value(); }
};

struct Waiter {
  TaskId task = 0;
  std::chrono::steady_clock::time_point deadline;
  http::Responder respond;
};

} // namespace

class ManagementHandler::Impl {
public:
  Impl(Store& store, Metrics& metrics, ManagementOptions options)
      : m_store(store), m_metrics(metrics), m_options(std::move(options)) {}

  void start() {
    m_thread = std::thread([this] { run_waiters(); });
  }

  void stop() {
    std::vector<Waiter> left;
    {
      std::lock_guard lock(m_mutex);
      if (m_stopped) {
        return;
      }
      m_stopped = true;
      left.swap(m_waiters);
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
      m_thread.join();
    }
    for (auto& w : left) {
      answer_task(w.task, w.respond, true);
    }
  }

  void task_changed(TaskId) {
    {
      std::lock_guard lock(m_mutex);
      // With nobody waiting there is nothing to answer: waking the waiter
      // thread at every task change of every session costs a context switch
      // each. A wait parked later reads the task's state when it is parked.
      if (m_waiters.empty()) {
        return;
      }
      m_dirty = true;
    }
    m_wake.notify_all();
  }

  void handle(const http::Request& request, const http::Responder& respond) {
    if (auto denied = check_access(request)) {
      respond(error_response(*denied));
      return;
    }
    auto query_at = request.target.find('?');
    std::string path = request.target.substr(0, query_at);
    std::string query = query_at == std::string::npos ? "" : request.target.substr(query_at + 1);
    auto parts = split_path(path);
    for (auto& p : parts) {
      p = percent_decode(p);
    }
    const auto& method = request.method;

    if (parts.size() == 1 && parts[0] == "metrics") {
      if (method != "GET") {
        return respond(method_not_allowed("GET"));
      }
      http::Response response;
      response.headers.push_back({"Content-Type", "text/plain; version=0.0.4"});
      response.body = render_metrics();
      return respond(std::move(response));
    }
    if (parts.empty() || parts[0] != "v1") {
      return respond(not_found(path));
    }
    if (parts.size() == 2 && parts[1] == "devices") {
      if (method != "GET") {
        return respond(method_not_allowed("GET"));
      }
      return respond(list_devices());
    }
    if (parts.size() == 3 && parts[1] == "devices") {
      if (method != "GET") {
        return respond(method_not_allowed("GET"));
      }
      return respond(show_device(parts[2]));
    }
    if (parts.size() == 4 && parts[1] == "devices") {
      const auto& id = parts[2];
      if (parts[3] == "accept") {
        return respond(method == "POST" ? accept(id, request.body) : method_not_allowed("POST"));
      }
      if (parts[3] == "reject") {
        return respond(method == "POST" ? reject(id) : method_not_allowed("POST"));
      }
      if (parts[3] == "tasks") {
        if (method == "POST") {
          return respond(queue_task(id, request.body));
        }
        if (method == "GET") {
          return respond(list_tasks(id));
        }
        return respond(method_not_allowed("GET, POST"));
      }
    }
    if (parts.size() == 5 && parts[1] == "devices" && parts[3] == "uploads" &&
        parts[4] == "latest") {
      return respond(method == "GET" ? latest_upload(parts[2]) : method_not_allowed("GET"));
    }
    if (parts.size() == 4 && parts[1] == "tasks" && parts[3] == "upload") {
      return respond(method == "GET" ? task_upload(parts[2]) : method_not_allowed("GET"));
    }
    if (parts.size() == 3 && parts[1] == "tasks") {
      if (method != "GET") {
        return respond(method_not_allowed("GET"));
      }
      return get_task(parts[2], query, respond);
    }
    respond(not_found(path));
  }

private:
  std::optional<ApiError> check_access(const http::Request& request) const {
    if (request.remote_address == "unix") {
      return std::nullopt;
    }
    if (m_options.bearer_token.empty()) {
      return ApiError{401, ErrorCode::environment,
                      "the management API takes no TCP clients without a token",
                      "use the Unix socket, or start the server with a management token"};
    }
    const auto* header = request.header("authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header == nullptr || header->size() < kBearer.size() ||
        !std::equal(kBearer.begin(), kBearer.end(), header->begin(),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b));
                    }) ||
        !token_matches(std::string_view(*header).substr(kBearer.size()), m_options.bearer_token)) {
      return ApiError{401, ErrorCode::environment, "missing or wrong bearer token",
                      "set VPNAAS_ACS_TOKEN to the server's management token"};
    }
    return std::nullopt;
  }

  static http::Response not_found(const std::string& path) {
    return error_response({404, ErrorCode::usage, fmt::format("no API path {}", path),
                           "the management API's paths start with /v1/ (see README)"});
  }

  static http::Response method_not_allowed(const char* allowed) {
    auto response = error_response(
        {405, ErrorCode::usage, "method not allowed here", fmt::format("use {}", allowed)});
    response.headers.push_back({"Allow", allowed});
    return response;
  }

  // A serial first, then the name of the device an accepted serial is bound to.
  Outcome<DeviceRecord> find_device(const std::string& id) {
    auto by_serial = m_store.device(id);
    if (!by_serial) {
      return {std::nullopt, from_store(by_serial.error())};
    }
    if (by_serial.value()) {
      return {*by_serial.value(), {}};
    }
    auto all = m_store.devices();
    if (!all) {
      return {std::nullopt, from_store(all.error())};
    }
    for (const auto& d : all.value()) {
      if (d.binding == Binding::accepted && d.device_name == id) {
        return {d, {}};
      }
    }
    return {std::nullopt,
            {404, ErrorCode::unknown_name,
             fmt::format("no device or serial '{}' has called in to this ACS", id),
             "a CPE appears after its first Inform: check its tr069-client acs-url and "
             "credentials, or list what called in with `vpnaas device list`"}};
  }

  std::string name_of(const std::string& serial) {
    auto d = m_store.device(serial);
    return d && d.value() ? d.value()->device_name : std::string();
  }

  http::Response list_devices() {
    auto all = m_store.devices();
    if (!all) {
      return error_response(from_store(all.error()));
    }
    json out = json::array();
    for (const auto& d : all.value()) {
      out.push_back(device_json(d, false));
    }
    return json_response(200, json{{"devices", out}});
  }

  http::Response show_device(const std::string& id) {
    auto found = find_device(id);
    if (!found.ok()) {
      return error_response(found.error);
    }
    auto open = m_store.open_tasks(found.value->serial);
    json out = device_json(*found.value, true);
    out["open_tasks"] = open ? open.value().size() : 0;
    auto tasks = m_store.tasks(found.value->serial, 100000);
    auto login = tasks ? latest_connection_request_login(tasks.value()) : std::nullopt;
    out["connection_request_login"] = login ? login_json(*login) : json(nullptr);
    return json_response(200, json{{"device", out}});
  }

  static std::optional<json> parse_body(const std::string& body, ApiError& error) {
    if (body.empty()) {
      return json::object();
    }
    auto parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      error = {400, ErrorCode::invalid_input, "the request body is not a JSON object",
               "send a JSON object, e.g. {\"device\": \"acme-bru-r1\"}"};
      return std::nullopt;
    }
    return parsed;
  }

  http::Response accept(const std::string& serial, const std::string& body) {
    ApiError error;
    auto args = parse_body(body, error);
    if (!args) {
      return error_response(error);
    }
    auto name_it = args->find("device");
    if (name_it == args->end() || !name_it->is_string() || name_it->get<std::string>().empty()) {
      return error_response({400, ErrorCode::usage, "accept needs the inventory device's name",
                             "send {\"device\": NAME}"});
    }
    auto name = name_it->get<std::string>();
    if (m_options.inventory_has_device && !m_options.inventory_has_device(name)) {
      return error_response({404, ErrorCode::unknown_name,
                             fmt::format("the inventory has no device '{}'", name),
                             "add the device to the inventory first, or check the name"});
    }
    auto known = m_store.device(serial);
    if (!known) {
      return error_response(from_store(known.error()));
    }
    if (!known.value()) {
      return error_response({404, ErrorCode::unknown_name,
                             fmt::format("serial '{}' has never called in to this ACS", serial),
                             "`vpnaas device list` shows the serials that did"});
    }
    auto all = m_store.devices();
    if (!all) {
      return error_response(from_store(all.error()));
    }
    for (const auto& d : all.value()) {
      if (d.serial != serial && d.binding == Binding::accepted && d.device_name == name) {
        return error_response(
            {409, ErrorCode::invalid_input,
             fmt::format("device '{}' is already bound to serial '{}'", name, d.serial),
             fmt::format("reject serial '{}' first if the router was replaced", d.serial)});
      }
    }
    if (auto st = m_store.set_binding(serial, Binding::accepted, name); !st) {
      return error_response(from_store(st.error()));
    }
    if (m_options.device_accepted) {
      m_options.device_accepted(serial);
    }
    return json_response(
        200, json{{"serial", serial},
                  {"device", name},
                  {"binding", "accepted"},
                  {"inventory", fmt::format("serial: {}", serial)},
                  {"hint", fmt::format("add `serial: {}` to device {} in the inventory and "
                                       "commit it, so git stays the source of truth",
                                       serial, name)}});
  }

  http::Response reject(const std::string& serial) {
    // Forgetting a serial the inventory binds would last until its next
    // Inform binds it again: the inventory is the source of truth.
    if (m_options.inventory_binding) {
      if (auto bound = m_options.inventory_binding(serial); !bound.empty()) {
        return error_response(
            {409, ErrorCode::invalid_input,
             fmt::format("serial '{}' is bound to device {} by the inventory", serial, bound),
             fmt::format("remove `serial: {}` from device {} in the inventory (and reload the "
                         "ACS) first",
                         serial, bound)});
      }
    }
    auto forgotten = m_store.forget_device(serial);
    if (!forgotten) {
      auto e = from_store(forgotten.error());
      if (forgotten.error().code == ErrorCode::unknown_name) {
        e.message = fmt::format("serial '{}' has never called in to this ACS", serial);
        e.hint = "`vpnaas device list` shows the serials that did";
      }
      return error_response(e);
    }
    return json_response(200, json{{"serial", serial},
                                   {"forgotten", true},
                                   {"tasks_removed", forgotten.value().tasks},
                                   {"uploads_removed", forgotten.value().uploads}});
  }

  // Builds the NewTask for an API kind, or an error for bad arguments.
  static std::optional<NewTask> make_task(const json& args, ApiError& error) {
    auto kind_it = args.find("kind");
    std::string kind =
        kind_it != args.end() && kind_it->is_string() ? kind_it->get<std::string>() : std::string();
    NewTask task;
    auto bad = [&](std::string message, std::string hint) {
      error = {400, ErrorCode::usage, std::move(message), std::move(hint)};
      return std::nullopt;
    };
    auto strings = [&](const char* key) -> std::optional<std::vector<std::string>> {
      auto it = args.find(key);
      if (it == args.end() || !it->is_array() || it->empty()) {
        return std::nullopt;
      }
      std::vector<std::string> out;
      for (const auto& v : *it) {
        if (!v.is_string() || v.get<std::string>().empty()) {
          return std::nullopt;
        }
        out.push_back(v.get<std::string>());
      }
      return out;
    };
    if (kind == "reboot") {
      task.kind = TaskKind::reboot;
      task.command_key = "vpnaas-" + random_hex(8);
    } else if (kind == "factory-reset") {
      task.kind = TaskKind::factory_reset;
    } else if (kind == "get-params") {
      auto paths = strings("paths");
      if (!paths) {
        return bad("get-params needs \"paths\": a non-empty list of parameter paths",
                   "e.g. {\"kind\": \"get-params\", \"paths\": [\"Device.DeviceInfo.\"]}");
      }
      task.kind = TaskKind::get_parameter_values;
      task.payload_json = json{{"names", *paths}}.dump();
    } else if (kind == "set-params") {
      auto it = args.find("values");
      if (it == args.end() || !it->is_object() || it->empty()) {
        return bad("set-params needs \"values\": a non-empty object of path: value",
                   "e.g. {\"kind\": \"set-params\", \"values\": {\"Device.X\": \"1\"}}");
      }
      json parameters = json::array();
      for (const auto& [name, value] : it->items()) {
        if (!value.is_string()) {
          return bad(fmt::format("the value of {} is not a string", name),
                     "send every value as a JSON string");
        }
        parameters.push_back({{"name", name}, {"value", value}, {"type", "string"}});
      }
      task.kind = TaskKind::set_parameter_values;
      task.command_key = "vpnaas-" + random_hex(8);
      task.payload_json = json{{"parameters", parameters}}.dump();
    } else if (kind == "push-config") {
      auto it = args.find("script");
      if (it == args.end() || !it->is_string() || it->get<std::string>().empty()) {
        return bad("push-config needs \"script\": the RouterOS script to run",
                   "`vpnaas device push-config NAME` renders it from the inventory");
      }
      task.kind = TaskKind::download;
      task.command_key = "vpnaas-" + random_hex(8);
      // RouterOS runs a Vendor Configuration File whose name ends in .alter
      // as a script on the live configuration (see the cwmp reference).
      task.payload_json = json{
          {"file_type", "3 Vendor Configuration File"},
          {"file_name", "vpnaas.alter"},
          {"content", *it}}.dump();
    } else if (kind == "get-rpc-methods") {
      task.kind = TaskKind::get_rpc_methods;
    } else if (kind == "get-names") {
      auto it = args.find("path");
      if (it == args.end() || !it->is_string()) {
        return bad("get-names needs \"path\": a parameter path (\"\" for the whole tree)",
                   "e.g. {\"kind\": \"get-names\", \"path\": \"Device.\", \"next_level\": true}");
      }
      auto next = args.find("next_level");
      if (next != args.end() && !next->is_boolean()) {
        return bad("\"next_level\" must be true or false", "");
      }
      task.kind = TaskKind::get_parameter_names;
      task.payload_json =
          json{{"path", *it}, {"next_level", next != args.end() && next->get<bool>()}}.dump();
    } else if (kind == "get-attributes") {
      auto paths = strings("paths");
      if (!paths) {
        return bad("get-attributes needs \"paths\": a non-empty list of parameter paths",
                   "e.g. {\"kind\": \"get-attributes\", \"paths\": [\"Device.DeviceInfo.\"]}");
      }
      task.kind = TaskKind::get_parameter_attributes;
      task.payload_json = json{{"names", *paths}}.dump();
    } else if (kind == "set-attributes") {
      auto it = args.find("attributes");
      if (it == args.end() || !it->is_array() || it->empty()) {
        return bad("set-attributes needs \"attributes\": a non-empty list",
                   "e.g. {\"kind\": \"set-attributes\", \"attributes\": [{\"name\": "
                   "\"Device.DeviceInfo.SoftwareVersion\", \"notification\": 2}]}");
      }
      json attributes = json::array();
      for (const auto& a : *it) {
        const bool named = a.is_object() && a.contains("name") && a["name"].is_string() &&
                           !a["name"].get<std::string>().empty();
        if (!named) {
          return bad("every attribute needs a \"name\"", "");
        }
        json out{{"name", a["name"]}};
        if (a.contains("notification")) {
          // TR-069 Table 26: 0 off, 1 passive, 2 active.
          if (!a["notification"].is_number_integer() || a["notification"].get<int>() < 0 ||
              a["notification"].get<int>() > 2) {
            return bad(fmt::format("the notification of {} is not 0, 1 or 2",
                                   a["name"].get<std::string>()),
                       "0 off, 1 passive, 2 active");
          }
          out["notification"] = a["notification"];
        }
        if (a.contains("access_list")) {
          if (!a["access_list"].is_array()) {
            return bad("\"access_list\" must be a list of strings", "e.g. [\"Subscriber\"]");
          }
          for (const auto& entry : a["access_list"]) {
            if (!entry.is_string()) {
              return bad("\"access_list\" must be a list of strings", "e.g. [\"Subscriber\"]");
            }
          }
          out["access_list"] = a["access_list"];
        }
        if (!out.contains("notification") && !out.contains("access_list")) {
          return bad(fmt::format("the attribute {} changes nothing", a["name"].get<std::string>()),
                     "give \"notification\" or \"access_list\"");
        }
        attributes.push_back(std::move(out));
      }
      task.kind = TaskKind::set_parameter_attributes;
      task.payload_json = json{{"attributes", attributes}}.dump();
    } else if (kind == "add-object" || kind == "delete-object") {
      auto it = args.find("object");
      const bool ok = it != args.end() && it->is_string() && it->get<std::string>().size() > 1 &&
                      it->get<std::string>().back() == '.';
      if (!ok) {
        return bad(fmt::format("{} needs \"object\": an object path ending in '.'", kind),
                   kind == "add-object" ? "e.g. \"Device.IP.Interface.\""
                                        : "e.g. \"Device.IP.Interface.3.\"");
      }
      task.kind = kind == "add-object" ? TaskKind::add_object : TaskKind::delete_object;
      task.command_key = "vpnaas-" + random_hex(8);
      task.payload_json = json{{"object", *it}}.dump();
    } else if (kind == "upload") {
      task.kind = TaskKind::upload;
      task.command_key = "vpnaas-" + random_hex(8);
      task.payload_json = json{{"file_type", "1 Vendor Configuration File"}}.dump();
    } else {
      return bad(kind.empty() ? std::string("the task has no \"kind\"")
                              : fmt::format("unknown task kind '{}'", kind),
                 "kind is one of reboot, factory-reset, get-params, set-params, push-config, "
                 "upload, get-rpc-methods, get-names, get-attributes, set-attributes, "
                 "add-object, delete-object");
    }
    if (auto it = args.find("expires_in"); it != args.end()) {
      if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0) {
        return bad("\"expires_in\" must be a positive number of seconds", "");
      }
      task.expires_at = Clock::now() + std::chrono::seconds(std::min<std::uint64_t>(
                                           it->get<std::uint64_t>(), std::uint64_t{1} << 31));
    }
    return task;
  }

  http::Response queue_task(const std::string& id, const std::string& body) {
    ApiError error;
    auto args = parse_body(body, error);
    if (!args) {
      return error_response(error);
    }
    auto found = find_device(id);
    if (!found.ok()) {
      return error_response(found.error);
    }
    const auto& device = *found.value;
    if (device.binding != Binding::accepted) {
      return error_response(
          {409, ErrorCode::invalid_input,
           fmt::format("serial '{}' is {}: it gets no tasks", device.serial,
                       binding_name(device.binding)),
           fmt::format("accept it first: vpnaas device accept {} --device NAME", device.serial)});
    }
    auto task = make_task(*args, error);
    if (!task) {
      return error_response(error);
    }
    task->serial = device.serial;
    if (m_options.inventory_revision) {
      task->inventory_revision = m_options.inventory_revision();
    }
    auto queued = m_store.enqueue(*task, Clock::now());
    if (!queued) {
      return error_response(from_store(queued.error()));
    }
    m_metrics.add("vpnaas_acs_tasks_queued_total", {{"kind", task_kind_name(task->kind)}});
    auto stored = m_store.task(queued.value());
    if (!stored || !stored.value()) {
      return json_response(201, json{{"task", {{"id", queued.value()}}}});
    }
    if (m_options.task_queued) {
      m_options.task_queued(device, *stored.value());
    }
    return json_response(201, json{{"task", task_json(*stored.value(), device.device_name)}});
  }

  // The file the device uploaded last.
  http::Response latest_upload(const std::string& id) {
    auto found = find_device(id);
    if (!found.ok()) {
      return error_response(found.error);
    }
    auto files = m_store.uploads(found.value->serial);
    if (!files) {
      return error_response(from_store(files.error()));
    }
    if (files.value().empty()) {
      return error_response({404, ErrorCode::unknown_name,
                             fmt::format("'{}' has uploaded no file to this ACS", id),
                             fmt::format("queue one: vpnaas device upload {} --wait", id)});
    }
    // uploads() lists them oldest first.
    return upload_response(files.value().back());
  }

  // The file an Upload task's RPC produced (`vpnaas device export --via cwmp`).
  http::Response task_upload(const std::string& id_text) {
    auto id = parse_task_id(id_text);
    if (!id) {
      return error_response(bad_task_id(id_text));
    }
    auto task = m_store.task(*id);
    if (!task) {
      return error_response(from_store(task.error()));
    }
    if (!task.value()) {
      return error_response(unknown_task(*id));
    }
    auto file = m_store.task_upload(*id);
    if (!file) {
      return error_response(from_store(file.error()));
    }
    if (!file.value()) {
      const Task& t = *task.value();
      return error_response(
          {404, ErrorCode::unknown_name,
           fmt::format("task {} ({} of {}, {}) has no uploaded file", *id, task_kind_name(t.kind),
                       t.serial, task_state_name(t.state)),
           t.kind != TaskKind::upload ? std::string("only Upload tasks produce files")
           : is_final(t.state)
               ? std::string("the file was dropped to keep the device under its upload limit, "
                             "or never arrived; queue another upload")
               : fmt::format("wait for the task: GET /v1/tasks/{}?wait=SECONDS", *id)});
    }
    return upload_response(*file.value());
  }

  http::Response upload_response(const UploadedFile& file) {
    auto content = m_store.upload_content(file.id);
    if (!content) {
      return error_response(from_store(content.error()));
    }
    json upload{{"id", file.id},
                {"serial", file.serial},
                {"task", file.task ? json(*file.task) : json(nullptr)},
                {"file_type", file.file_type},
                {"size", file.size},
                {"received_at", format_utc(file.received_at)},
                {"content", content.value()}};
    http::Response response;
    response.status = 200;
    response.headers.push_back({"Content-Type", "application/json"});
    // A CPE's file need not be UTF-8: such bytes become U+FFFD, never an exception.
    response.body =
        json{{"upload", upload}}.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    return response;
  }

  http::Response list_tasks(const std::string& id) {
    auto found = find_device(id);
    if (!found.ok()) {
      return error_response(found.error);
    }
    auto tasks = m_store.tasks(found.value->serial, 1000);
    if (!tasks) {
      return error_response(from_store(tasks.error()));
    }
    json out = json::array();
    for (const auto& t : tasks.value()) {
      out.push_back(task_json(t, found.value->device_name));
    }
    return json_response(200, json{{"tasks", out}});
  }

  static std::optional<TaskId> parse_task_id(const std::string& text) {
    TaskId id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
      return std::nullopt;
    }
    return id;
  }

  static ApiError bad_task_id(const std::string& text) {
    return {400, ErrorCode::usage, fmt::format("'{}' is not a task id", text),
            "task ids are positive integers"};
  }

  void get_task(const std::string& id_text, const std::string& query,
                const http::Responder& respond) {
    auto parsed = parse_task_id(id_text);
    if (!parsed) {
      return respond(error_response(bad_task_id(id_text)));
    }
    const TaskId id = *parsed;
    auto wait_text = query_value(query, "wait");
    if (wait_text.empty()) {
      return answer_task(id, respond, false);
    }
    unsigned long long wait = 0;
    auto [wend, wec] = std::from_chars(wait_text.data(), wait_text.data() + wait_text.size(), wait);
    if (wec != std::errc() || wend != wait_text.data() + wait_text.size()) {
      return respond(error_response(
          {400, ErrorCode::usage, "wait must be a number of seconds", "e.g. /v1/tasks/7?wait=30"}));
    }
    auto task = m_store.task(id);
    if (!task) {
      return respond(error_response(from_store(task.error())));
    }
    if (!task.value()) {
      return respond(error_response(unknown_task(id)));
    }
    if (is_final(task.value()->state) || wait == 0) {
      return answer_task(id, respond, !is_final(task.value()->state));
    }
    auto seconds = std::min<unsigned long long>(
        wait, static_cast<unsigned long long>(std::max<long long>(m_options.max_wait.count(), 0)));
    {
      std::lock_guard lock(m_mutex);
      if (!m_stopped) {
        m_waiters.push_back({id,
                             std::chrono::steady_clock::now() +
                                 std::chrono::seconds(static_cast<std::int64_t>(seconds)),
                             respond});
        // Read again once parked: a change between the read above and
        // here found no waiter to mark (task_changed).
        m_dirty = true;
        m_wake.notify_all();
        return;
      }
    }
    answer_task(id, respond, true);
  }

  static ApiError unknown_task(TaskId id) {
    return {404, ErrorCode::unknown_name, fmt::format("no task {}", id),
            "`vpnaas device tasks NAME` lists a device's tasks"};
  }

  void answer_task(TaskId id, const http::Responder& respond, bool timed_out) {
    auto task = m_store.task(id);
    if (!task) {
      return respond(error_response(from_store(task.error())));
    }
    if (!task.value()) {
      return respond(error_response(unknown_task(id)));
    }
    auto out = task_json(*task.value(), name_of(task.value()->serial));
    out["timed_out"] = timed_out && !is_final(task.value()->state);
    respond(json_response(200, json{{"task", out}}));
  }

  // One thread for every parked wait: a wait costs a list entry, not a thread.
  void run_waiters() {
    std::unique_lock lock(m_mutex);
    while (!m_stopped) {
      m_wake.wait_for(lock, m_options.poll_interval, [this] { return m_stopped || m_dirty; });
      if (m_stopped) {
        break;
      }
      m_dirty = false;
      auto pending = std::move(m_waiters);
      m_waiters.clear();
      lock.unlock();
      std::vector<Waiter> keep;
      auto now = std::chrono::steady_clock::now();
      for (auto& w : pending) {
        auto task = m_store.task(w.task);
        bool final = task && task.value() && is_final(task.value()->state);
        if (final || now >= w.deadline || !task || !task.value()) {
          answer_task(w.task, w.respond, !final);
        } else {
          keep.push_back(std::move(w));
        }
      }
      lock.lock();
      for (auto& w : keep) {
        m_waiters.push_back(std::move(w));
      }
    }
  }

  std::string render_metrics() {
    // What the store holds right now, as gauges set at each scrape.
    std::map<std::string, double> by_binding{{"pending", 0}, {"accepted", 0}};
    std::map<std::string, double> by_state{
        {"queued", 0}, {"sent", 0}, {"done", 0}, {"fault", 0}, {"expired", 0}};
    std::map<std::string, double> faults;
    double unreachable = 0;
    auto all = m_store.devices();
    if (all) {
      for (const auto& d : all.value()) {
        by_binding[binding_name(d.binding)] += 1;
        unreachable += d.unreachable ? 1 : 0;
        auto tasks = m_store.tasks(d.serial, std::numeric_limits<std::size_t>::max() / 2);
        if (!tasks) {
          continue;
        }
        for (const auto& t : tasks.value()) {
          by_state[task_state_name(t.state)] += 1;
          if (t.state == TaskState::fault) {
            faults[std::to_string(t.fault_code)] += 1;
          }
        }
      }
    }
    m_metrics.describe("vpnaas_acs_devices", Metrics::Type::gauge,
                       "CPEs known to the ACS, by binding");
    for (const auto& [binding, n] : by_binding) {
      m_metrics.set("vpnaas_acs_devices", {{"binding", binding}}, n);
    }
    m_metrics.describe("vpnaas_acs_devices_unreachable", Metrics::Type::gauge,
                       "CPEs whose last connection request failed");
    m_metrics.set("vpnaas_acs_devices_unreachable", {}, unreachable);
    m_metrics.describe("vpnaas_acs_tasks", Metrics::Type::gauge, "Tasks in the store, by state");
    for (const auto& [state, n] : by_state) {
      m_metrics.set("vpnaas_acs_tasks", {{"state", state}}, n);
    }
    m_metrics.describe("vpnaas_acs_task_faults", Metrics::Type::gauge,
                       "Tasks that ended in a fault, by CWMP fault code");
    for (const auto& [code, n] : faults) {
      m_metrics.set("vpnaas_acs_task_faults", {{"code", code}}, n);
    }
    m_metrics.set("vpnaas_acs_store_up", {}, all ? 1 : 0);
    return m_metrics.render();
  }

  Store& m_store;
  Metrics& m_metrics;
  ManagementOptions m_options;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::vector<Waiter> m_waiters;
  bool m_dirty = false;
  bool m_stopped = false;
  std::thread m_thread;
};

std::shared_ptr<ManagementHandler> ManagementHandler::create(Store& store, Metrics& metrics,
                                                             ManagementOptions options) {
  auto impl = std::make_unique<Impl>(store, metrics, std::move(options));
  impl->start();
  return std::shared_ptr<ManagementHandler>(new ManagementHandler(std::move(impl)));
}

ManagementHandler::ManagementHandler(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

ManagementHandler::~ManagementHandler() {
  stop();
}

void ManagementHandler::handle(http::Request request, http::Responder respond) {
  m_impl->handle(request, respond);
}

void ManagementHandler::task_changed(TaskId id) {
  m_impl->task_changed(id);
}

void ManagementHandler::stop() {
  m_impl->stop();
}

} // namespace vpnaas::acs
