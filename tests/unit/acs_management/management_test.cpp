// The management API on a real HttpServer (Unix socket in a temp dir, TCP with
// a token) over a real SQLite store, driven by the library's own client.

#include <vpnaas/acs/cwmp_executor.hpp>
#include <vpnaas/acs/http/server.hpp>
#include <vpnaas/acs/management.hpp>
#include <vpnaas/acs/management_client.hpp>
#include <vpnaas/acs/sqlite_store.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/paths.hpp"

using namespace vpnaas;
using namespace vpnaas::acs;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct Api {
  test::TempDir dir;
  std::unique_ptr<Store> store;
  Metrics metrics;
  std::shared_ptr<ManagementHandler> handler;
  std::unique_ptr<http::HttpServer> server;
  ManagementEndpoint endpoint;

  explicit Api(ManagementOptions options = {}, bool tcp = false, unsigned threads = 2) {
    auto opened = open_sqlite_store(dir.path() / "acs.db");
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : to_string(opened.error())));
    store = std::move(*opened);
    handler = ManagementHandler::create(*store, metrics, std::move(options));
    http::ServerOptions server_options;
    http::Listener unix_listener;
    unix_listener.kind = http::Listener::Kind::unix_socket;
    unix_listener.name = "management";
    unix_listener.socket_path = management_socket_in(dir.path());
    server_options.listeners.push_back(unix_listener);
    if (tcp) {
      http::Listener tcp_listener;
      tcp_listener.name = "management-tcp";
      server_options.listeners.push_back(tcp_listener);
    }
    server_options.threads = threads;
    auto started = http::HttpServer::start(server_options, handler);
    REQUIRE_MESSAGE(started.ok(), (started.ok() ? "" : to_string(started.error())));
    server = std::move(*started);
    endpoint.socket_path = unix_listener.socket_path;
    endpoint.origin = "test";
  }

  ~Api() {
    server->stop(2s);
    handler->stop();
  }

  std::string tcp_url() const {
    return "http://127.0.0.1:" + std::to_string(server->bound().at(1).port);
  }

  void inform(const std::string& serial, const std::string& inventory_device = "") {
    InformRecord record;
    record.serial = serial;
    record.oui = "E48D8C";
    record.product_class = "RB5009";
    record.manufacturer = "MikroTik";
    record.events = {{"1 BOOT", ""}};
    record.remote_address = "192.0.2.7";
    record.software_version = "7.16";
    record.data_model_root = "Device.";
    record.at = Clock::now();
    auto stored = store->record_inform(record, inventory_device);
    REQUIRE(stored.ok());
  }
};

// The reply's JSON on success; fails the test otherwise.
json call(const ManagementEndpoint& endpoint, const std::string& method, const std::string& path,
          const std::string& body = {}) {
  auto reply = management_request(endpoint, method, path, body);
  REQUIRE_MESSAGE(reply.ok(), (reply.ok() ? "" : to_string(reply.error())));
  auto parsed = json::parse(reply->body, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  return parsed;
}

Error call_error(const ManagementEndpoint& endpoint, const std::string& method,
                 const std::string& path, const std::string& body = {}) {
  auto reply = management_request(endpoint, method, path, body);
  REQUIRE_FALSE(reply.ok());
  return reply.error();
}

} // namespace

TEST_CASE("management API: an empty ACS lists no devices and unknown paths answer JSON errors") {
  Api api;
  auto list = call(api.endpoint, "GET", "/v1/devices");
  CHECK(list["devices"].is_array());
  CHECK(list["devices"].empty());

  auto missing = call_error(api.endpoint, "GET", "/v2/devices");
  CHECK(missing.code == ErrorCode::usage);
  CHECK(missing.message == "no API path /v2/devices");

  auto unknown = call_error(api.endpoint, "GET", "/v1/devices/acme-bru-r1");
  CHECK(unknown.code == ErrorCode::unknown_name);
  CHECK(unknown.message == "no device or serial 'acme-bru-r1' has called in to this ACS");
  CHECK(unknown.hint.find("vpnaas device list") != std::string::npos);

  auto wrong_method = call_error(api.endpoint, "DELETE", "/v1/devices");
  CHECK(wrong_method.code == ErrorCode::usage);
  CHECK(wrong_method.hint == "use GET");
}

TEST_CASE("management API: a pending CPE is accepted under a name and then found by it") {
  ManagementOptions options;
  options.inventory_has_device = [](const std::string& name) { return name == "acme-bru-r1"; };
  Api api(options);
  api.inform("HC1234567");

  auto list = call(api.endpoint, "GET", "/v1/devices");
  REQUIRE(list["devices"].size() == 1);
  CHECK(list["devices"][0]["serial"] == "HC1234567");
  CHECK(list["devices"][0]["binding"] == "pending");
  CHECK(list["devices"][0]["name"].is_null());
  CHECK(list["devices"][0]["last_events"][0]["code"] == "1 BOOT");

  auto not_in_inventory =
      call_error(api.endpoint, "POST", "/v1/devices/HC1234567/accept", R"({"device":"nope"})");
  CHECK(not_in_inventory.code == ErrorCode::unknown_name);
  CHECK(not_in_inventory.message == "the inventory has no device 'nope'");

  auto never_called =
      call_error(api.endpoint, "POST", "/v1/devices/XX999/accept", R"({"device":"acme-bru-r1"})");
  CHECK(never_called.code == ErrorCode::unknown_name);
  CHECK(never_called.message == "serial 'XX999' has never called in to this ACS");

  auto accepted =
      call(api.endpoint, "POST", "/v1/devices/HC1234567/accept", R"({"device":"acme-bru-r1"})");
  CHECK(accepted["binding"] == "accepted");
  CHECK(accepted["inventory"] == "serial: HC1234567");
  CHECK(accepted["hint"].get<std::string>().find("git") != std::string::npos);

  auto shown = call(api.endpoint, "GET", "/v1/devices/acme-bru-r1");
  CHECK(shown["device"]["serial"] == "HC1234567");
  CHECK(shown["device"]["binding"] == "accepted");
  CHECK(shown["device"]["parameters"].is_object());
  CHECK(shown["device"]["open_tasks"] == 0);
  CHECK(call(api.endpoint, "GET", "/v1/devices/HC1234567")["device"]["name"] == "acme-bru-r1");

  SUBCASE("a second serial cannot take a name already bound") {
    api.inform("HC7654321");
    auto taken = call_error(api.endpoint, "POST", "/v1/devices/HC7654321/accept",
                            R"({"device":"acme-bru-r1"})");
    CHECK(taken.code == ErrorCode::invalid_input);
    CHECK(taken.message == "device 'acme-bru-r1' is already bound to serial 'HC1234567'");
  }
  SUBCASE("reject forgets the serial with its tasks, and a new Inform makes it pending again") {
    call(api.endpoint, "POST", "/v1/devices/acme-bru-r1/tasks", R"({"kind":"reboot"})");
    REQUIRE(api.store
                ->store_upload("HC1234567", std::nullopt, "1 Vendor Configuration File", "x",
                               Clock::now())
                .ok());
    auto forgotten = call(api.endpoint, "POST", "/v1/devices/HC1234567/reject");
    CHECK(forgotten["forgotten"] == true);
    CHECK(forgotten["tasks_removed"] == 1);
    CHECK(forgotten["uploads_removed"] == 1);
    CHECK(call(api.endpoint, "GET", "/v1/devices")["devices"].empty());
    CHECK(call_error(api.endpoint, "GET", "/v1/devices/HC1234567").code == ErrorCode::unknown_name);
    CHECK(api.store->tasks("HC1234567", 10).value().empty());
    CHECK(api.store->uploads("HC1234567").value().empty());
    api.inform("HC1234567");
    auto again = call(api.endpoint, "GET", "/v1/devices/HC1234567");
    CHECK(again["device"]["binding"] == "pending");
    CHECK(again["device"]["name"].is_null());
    CHECK(call_error(api.endpoint, "POST", "/v1/devices/NOPE/reject").code ==
          ErrorCode::unknown_name);
  }
}

TEST_CASE("management API: reject refuses a serial the inventory binds") {
  ManagementOptions options;
  options.inventory_binding = [](const std::string& serial) {
    return serial == "HC1" ? std::string("acme-bru-r1") : std::string();
  };
  Api api(options);
  api.inform("HC1", "acme-bru-r1");
  auto refused = call_error(api.endpoint, "POST", "/v1/devices/HC1/reject");
  CHECK(refused.code == ErrorCode::invalid_input);
  CHECK(refused.message == "serial 'HC1' is bound to device acme-bru-r1 by the inventory");
  CHECK(refused.hint == "remove `serial: HC1` from device acme-bru-r1 in the inventory (and "
                        "reload the ACS) first");
  CHECK(call(api.endpoint, "GET", "/v1/devices/HC1")["device"]["binding"] == "accepted");
}

TEST_CASE("management API: tasks of every kind are queued with the payload the engine reads") {
  ManagementOptions options;
  options.inventory_revision = [] { return std::string("abc123"); };
  Api api(options);
  api.inform("HC1", "acme-bru-r1"); // listed in the inventory: bound at once
  api.inform("HC2");                // pending

  auto pending = call_error(api.endpoint, "POST", "/v1/devices/HC2/tasks", R"({"kind":"reboot"})");
  CHECK(pending.code == ErrorCode::invalid_input);
  CHECK(pending.hint == "accept it first: vpnaas device accept HC2 --device NAME");

  struct Case {
    const char* body;
    TaskKind kind;
    json payload;
    bool command_key;
  };
  const std::vector<Case> cases{
      {R"({"kind":"reboot"})", TaskKind::reboot, json::object(), true},
      {R"({"kind":"factory-reset"})", TaskKind::factory_reset, json::object(), false},
      {R"({"kind":"get-params","paths":["Device.DeviceInfo.","Device.IP."]})",
       TaskKind::get_parameter_values, json{{"names", {"Device.DeviceInfo.", "Device.IP."}}},
       false},
      {R"({"kind":"set-params","values":{"Device.X.A":"1"}})", TaskKind::set_parameter_values,
       json{{"parameters", {{{"name", "Device.X.A"}, {"value", "1"}, {"type", "string"}}}}}, true},
      {R"({"kind":"push-config","script":"/system identity set name=r1\n"})", TaskKind::download,
       json{{"file_type", "3 Vendor Configuration File"},
            {"file_name", "vpnaas.alter"},
            {"content", "/system identity set name=r1\n"}},
       true},
      {R"({"kind":"upload"})", TaskKind::upload, json{{"file_type", "1 Vendor Configuration File"}},
       true},
  };
  std::vector<TaskId> ids;
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto queued = call(api.endpoint, "POST", "/v1/devices/acme-bru-r1/tasks", c.body);
    CHECK(queued["task"]["state"] == "queued");
    CHECK(queued["task"]["device"] == "acme-bru-r1");
    CHECK(queued["task"]["kind"] == task_kind_name(c.kind));
    auto id = queued["task"]["id"].get<TaskId>();
    ids.push_back(id);
    auto stored = api.store->task(id);
    REQUIRE(stored.ok());
    REQUIRE(stored->has_value());
    const auto& task = **stored;
    CHECK(task.serial == "HC1");
    CHECK(task.kind == c.kind);
    CHECK(json::parse(task.payload_json) == c.payload);
    CHECK(task.inventory_revision == "abc123");
    CHECK(task.command_key.empty() == !c.command_key);
  }
  auto listed = call(api.endpoint, "GET", "/v1/devices/HC1/tasks");
  REQUIRE(listed["tasks"].size() == cases.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    CHECK(listed["tasks"][i]["id"] == ids[i]);
  }
  CHECK(api.metrics.value("vpnaas_acs_tasks_queued_total", {{"kind", "Reboot"}}) == 1);
}

TEST_CASE("management API: bad JSON and bad arguments answer 400, never a crash") {
  Api api;
  api.inform("HC1", "r1");
  for (const char* body :
       {"{", "[]", "\"reboot\"", "{\"kind\":5}", "{\"kind\":\"format-disk\"}",
        "{\"kind\":\"get-params\"}", "{\"kind\":\"get-params\",\"paths\":[]}",
        "{\"kind\":\"get-params\",\"paths\":[1]}", "{\"kind\":\"set-params\",\"values\":{\"a\":1}}",
        "{\"kind\":\"push-config\"}", "{\"kind\":\"reboot\",\"expires_in\":-1}", "\xff\xfe"}) {
    CAPTURE(body);
    auto e = call_error(api.endpoint, "POST", "/v1/devices/r1/tasks", body);
    CHECK((e.code == ErrorCode::usage || e.code == ErrorCode::invalid_input));
    CHECK_FALSE(e.message.empty());
  }
  // Random bytes into every POST path.
  std::mt19937 random(11);
  for (int i = 0; i < 200; ++i) {
    std::string body(random() % 64, '\0');
    for (auto& c : body) {
      c = static_cast<char>(random() % 256);
    }
    for (const char* path : {"/v1/devices/HC1/accept", "/v1/devices/r1/tasks"}) {
      auto reply = management_request(api.endpoint, "POST", path, body);
      if (!reply.ok()) {
        CHECK(reply.error().code != ErrorCode::io);
      }
    }
  }
  CHECK(call_error(api.endpoint, "GET", "/v1/tasks/abc").message == "'abc' is not a task id");
  CHECK(call_error(api.endpoint, "GET", "/v1/tasks/1?wait=soon").message ==
        "wait must be a number of seconds");
  CHECK(call_error(api.endpoint, "GET", "/v1/tasks/4242").code == ErrorCode::unknown_name);
  CHECK(call(api.endpoint, "GET", "/v1/devices")["devices"].size() == 1);
}

TEST_CASE("management API: waits park without a server thread and answer when the task ends") {
  ManagementOptions options;
  options.poll_interval = 10s; // only task_changed() can answer in time
  Api api(options, false, 1);  // one server thread for everything
  api.inform("HC1", "r1");
  auto id = call(api.endpoint, "POST", "/v1/devices/r1/tasks", R"({"kind":"reboot"})")["task"]["id"]
                .get<TaskId>();
  auto path = "/v1/tasks/" + std::to_string(id) + "?wait=30";
  std::vector<std::future<Result<ManagementReply>>> waits;
  for (int i = 0; i < 3; ++i) {
    waits.push_back(std::async(
        std::launch::async, [&] { return management_request(api.endpoint, "GET", path, {}, 60); }));
  }
  std::this_thread::sleep_for(300ms);
  // The single server thread is free while three waits are parked.
  CHECK(call(api.endpoint, "GET", "/v1/devices")["devices"].size() == 1);
  for (auto& w : waits) {
    CHECK(w.wait_for(0s) == std::future_status::timeout);
  }
  auto claimed = api.store->claim_next("HC1", Clock::now());
  REQUIRE(claimed.ok());
  REQUIRE(claimed->has_value());
  REQUIRE(api.store->complete(id, "{}", Clock::now()).ok());
  auto began = std::chrono::steady_clock::now();
  api.handler->task_changed(id);
  for (auto& w : waits) {
    REQUIRE(w.wait_for(5s) == std::future_status::ready);
    auto reply = w.get();
    REQUIRE(reply.ok());
    auto task = json::parse(reply->body)["task"];
    CHECK(task["state"] == "done");
    CHECK(task["timed_out"] == false);
  }
  CHECK(std::chrono::steady_clock::now() - began < 5s);
}

TEST_CASE("management API: a wait that runs out answers the open task with timed_out") {
  ManagementOptions options;
  options.poll_interval = 50ms;
  Api api(options);
  api.inform("HC1", "r1");
  auto id = call(api.endpoint, "POST", "/v1/devices/r1/tasks", R"({"kind":"upload"})")["task"]["id"]
                .get<TaskId>();
  auto began = std::chrono::steady_clock::now();
  auto task = call(api.endpoint, "GET", "/v1/tasks/" + std::to_string(id) + "?wait=1")["task"];
  auto waited = std::chrono::steady_clock::now() - began;
  CHECK(task["state"] == "queued");
  CHECK(task["timed_out"] == true);
  CHECK(waited >= 900ms);
  CHECK(waited < 5s);
  // Without wait, at once and not timed out.
  CHECK(call(api.endpoint, "GET", "/v1/tasks/" + std::to_string(id))["task"]["timed_out"] == false);

  SUBCASE("stopping the handler answers parked waits at once") {
    auto parked = std::async(std::launch::async, [&] {
      return management_request(api.endpoint, "GET", "/v1/tasks/" + std::to_string(id) + "?wait=60",
                                {}, 60);
    });
    std::this_thread::sleep_for(300ms);
    api.handler->stop();
    REQUIRE(parked.wait_for(5s) == std::future_status::ready);
    auto reply = parked.get();
    REQUIRE(reply.ok());
    CHECK(json::parse(reply->body)["task"]["timed_out"] == true);
  }
}

TEST_CASE("management API: /metrics counts devices by binding, tasks by state, faults by code") {
  Api api;
  api.inform("HC1", "r1");
  api.inform("HC2");
  api.inform("HC3");
  REQUIRE(api.store->forget_device("HC3").ok());
  auto reboot = call(api.endpoint, "POST", "/v1/devices/r1/tasks", R"({"kind":"reboot"})");
  auto params = call(api.endpoint, "POST", "/v1/devices/r1/tasks",
                     R"({"kind":"get-params","paths":["Device.Nope."]})");
  (void)reboot;
  (void)params;
  // The reboot is sent; then the get-params faults 9005 (not worth a retry).
  REQUIRE(api.store->claim_next("HC1", Clock::now()).ok());
  REQUIRE(api.store->complete(reboot["task"]["id"].get<TaskId>(), "{}", Clock::now()).ok());
  auto claimed = api.store->claim_next("HC1", Clock::now());
  REQUIRE(claimed.ok());
  REQUIRE(claimed->has_value());
  REQUIRE(api.store
              ->record_fault((*claimed)->id, 9005, "Invalid parameter name", RetryPolicy{},
                             Clock::now())
              .ok());
  api.metrics.observe("vpnaas_acs_session_duration_seconds", {}, 0.02);

  auto reply = management_request(api.endpoint, "GET", "/metrics");
  REQUIRE(reply.ok());
  const auto& text = reply->body;
  CHECK(text.find("# TYPE vpnaas_acs_devices gauge\n") != std::string::npos);
  CHECK(text.find("vpnaas_acs_devices{binding=\"accepted\"} 1\n") != std::string::npos);
  CHECK(text.find("vpnaas_acs_devices{binding=\"pending\"} 1\n") != std::string::npos);
  CHECK(text.find("rejected") == std::string::npos);
  CHECK(text.find("vpnaas_acs_tasks{state=\"done\"} 1\n") != std::string::npos);
  CHECK(text.find("vpnaas_acs_tasks{state=\"fault\"} 1\n") != std::string::npos);
  CHECK(text.find("vpnaas_acs_tasks{state=\"queued\"} 0\n") != std::string::npos);
  CHECK(text.find("vpnaas_acs_task_faults{code=\"9005\"} 1\n") != std::string::npos);
  CHECK(text.find("vpnaas_acs_session_duration_seconds_bucket{le=\"0.025\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("vpnaas_acs_session_duration_seconds_count 1\n") != std::string::npos);

  auto faulted = call(api.endpoint, "GET", "/v1/tasks/" + std::to_string((*claimed)->id))["task"];
  CHECK(faulted["state"] == "fault");
  CHECK(faulted["fault"]["code"] == 9005);
  CHECK(faulted["fault"]["text"] == "Invalid parameter name");
}

TEST_CASE("management API over TCP: a bearer token is required and compared exactly") {
  SUBCASE("with a token configured") {
    ManagementOptions options;
    options.bearer_token = "s3cret-token-for-tests";
    Api api(options, true);
    ManagementEndpoint tcp;
    tcp.url = api.tcp_url();
    tcp.origin = "test";
    auto none = call_error(tcp, "GET", "/v1/devices");
    CHECK(none.code == ErrorCode::environment);
    CHECK(none.message == "missing or wrong bearer token");
    tcp.token = "s3cret-token-for-test";
    CHECK(call_error(tcp, "GET", "/v1/devices").message == "missing or wrong bearer token");
    tcp.token = "s3cret-token-for-testss";
    CHECK(call_error(tcp, "GET", "/v1/devices").message == "missing or wrong bearer token");
    tcp.token = "s3cret-token-for-tests";
    CHECK(call(tcp, "GET", "/v1/devices")["devices"].empty());
    // The Unix socket needs none: its 0600 mode is the access control.
    CHECK(call(api.endpoint, "GET", "/v1/devices")["devices"].empty());
  }
  SUBCASE("without a token, TCP is refused") {
    Api api({}, true);
    ManagementEndpoint tcp;
    tcp.url = api.tcp_url();
    tcp.token = "anything";
    auto refused = call_error(tcp, "GET", "/v1/devices");
    CHECK(refused.message == "the management API takes no TCP clients without a token");
  }
}

TEST_CASE("management client: no server names the socket and how to start one") {
  test::TempDir dir;
  ManagementEndpoint endpoint;
  endpoint.socket_path = dir.path() / "acs.sock";
  endpoint.origin = "--acs";
  auto e = call_error(endpoint, "GET", "/v1/devices");
  CHECK(e.code == ErrorCode::io);
  CHECK(e.message.find("cannot reach the ACS management API at " + endpoint.socket_path.string() +
                       " (from --acs)") == 0);
  CHECK(e.hint.find("vpnaas acs serve --data " + dir.path().string()) != std::string::npos);
}

TEST_CASE("management client: --acs, then $VPNAAS_ACS, then the default data dir's socket") {
  test::TempDir dir;
  auto with_env = [](const char* name, const char* value) {
    if (value == nullptr) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value, 1);
    }
  };
  with_env("VPNAAS_ACS", nullptr);
  with_env("XDG_STATE_HOME", dir.path().c_str());
  auto fallback = resolve_management_endpoint(std::nullopt);
  REQUIRE(fallback.ok());
  CHECK(fallback->socket_path == dir.path() / "vpnaas" / "acs" / "acs.sock");
  CHECK(fallback->origin == "default");

  with_env("VPNAAS_ACS", "/run/vpnaas/acs.sock");
  auto from_env = resolve_management_endpoint(std::nullopt);
  REQUIRE(from_env.ok());
  CHECK(from_env->socket_path == "/run/vpnaas/acs.sock");
  CHECK(from_env->origin == "$VPNAAS_ACS");

  // A directory is the data dir `acs serve --data DIR` was given.
  auto from_dir = resolve_management_endpoint(dir.path().string());
  REQUIRE(from_dir.ok());
  CHECK(from_dir->socket_path == dir.path() / "acs.sock");
  CHECK(from_dir->origin == "--acs");

  with_env("VPNAAS_ACS_TOKEN", "tok");
  auto url = resolve_management_endpoint(std::string("https://acs.example.net:8443/"));
  REQUIRE(url.ok());
  CHECK(url->url == "https://acs.example.net:8443");
  CHECK(url->token == "tok");
  CHECK(url->socket_path.empty());
  with_env("VPNAAS_ACS_TOKEN", nullptr);
  with_env("VPNAAS_ACS", nullptr);
  with_env("XDG_STATE_HOME", nullptr);
  CHECK(encode_path_segment("a b/c") == "a%20b%2Fc");
}

TEST_CASE("management API: a device's latest upload is read back with its content") {
  Api api;
  api.inform("HC1", "acme-bru-r1");
  auto none = call_error(api.endpoint, "GET", "/v1/devices/acme-bru-r1/uploads/latest");
  CHECK(none.code == ErrorCode::unknown_name);
  CHECK(none.hint == "queue one: vpnaas device upload acme-bru-r1 --wait");

  REQUIRE(api.store
              ->store_upload("HC1", std::nullopt, "1 Vendor Configuration File", "/ip address\n",
                             Clock::now())
              .ok());
  // Not UTF-8: the byte becomes U+FFFD instead of breaking the JSON answer.
  REQUIRE(api.store
              ->store_upload("HC1", std::nullopt, "1 Vendor Configuration File",
                             "# caf\xe9\n/system\n", Clock::now())
              .ok());
  auto latest = call(api.endpoint, "GET", "/v1/devices/acme-bru-r1/uploads/latest");
  CHECK(latest["upload"]["serial"] == "HC1");
  CHECK(latest["upload"]["file_type"] == "1 Vendor Configuration File");
  CHECK(latest["upload"]["content"] == "# caf\xef\xbf\xbd\n/system\n");
  auto by_serial = call(api.endpoint, "GET", "/v1/devices/HC1/uploads/latest");
  CHECK(by_serial["upload"]["id"] == latest["upload"]["id"]);
  auto wrong_method = call_error(api.endpoint, "POST", "/v1/devices/HC1/uploads/latest");
  CHECK(wrong_method.code == ErrorCode::usage);
}

TEST_CASE("CWMP executor: queued is not done, and a wait reports what the CPE answered") {
  Api api;
  api.inform("HC1", "acme-bru-r1");
  CwmpExecutorOptions options;
  options.endpoint = api.endpoint;
  const std::vector<delivery::Task> tasks{
      {"acme-bru-r1", delivery::TaskKind::apply_script, "/system identity set name=a\n", "abc"},
      {"acme-nope", delivery::TaskKind::reboot, "", std::nullopt},
  };
  auto queued = CwmpExecutor(options).execute(tasks);
  REQUIRE(queued.size() == 2);
  CHECK(queued[0].state == delivery::TaskState::queued);
  CHECK(queued[0].via == delivery::Transport::cwmp);
  CHECK(queued[0].acs_task > 0);
  CHECK(queued[1].state == delivery::TaskState::failed);
  REQUIRE(queued[1].error.has_value());
  CHECK(queued[1].error->code == ErrorCode::unknown_name);

  // A stand-in CPE session faults every Download and completes anything else.
  std::atomic<bool> stop{false};
  std::thread cpe([&] {
    while (!stop) {
      auto claimed = api.store->claim_next("HC1", Clock::now());
      if (claimed.ok() && claimed->has_value()) {
        const auto& task = **claimed;
        if (task.kind == TaskKind::download) {
          RetryPolicy once;
          once.max_attempts = 1;
          (void)api.store->record_fault(task.id, 9010, "Download failure", once, Clock::now());
        } else {
          (void)api.store->complete(task.id, "{}", Clock::now());
        }
        api.handler->task_changed(task.id);
      }
      std::this_thread::sleep_for(20ms);
    }
  });
  options.wait = 20s;
  auto waited = CwmpExecutor(options).execute(
      {tasks[0], {"acme-bru-r1", delivery::TaskKind::reboot, "", std::nullopt}});
  stop = true;
  cpe.join();
  REQUIRE(waited.size() == 2);
  CHECK(waited[0].state == delivery::TaskState::failed);
  CHECK(waited[0].fault_code == 9010);
  CHECK(waited[0].evidence ==
        fmt::format("ACS task {}: Download fault, CWMP fault 9010: Download failure",
                    waited[0].acs_task));
  CHECK(waited[1].state == delivery::TaskState::done);
  CHECK(waited[1].evidence == fmt::format("ACS task {}: Reboot done", waited[1].acs_task));

  // Nobody answers: at the deadline the task is still queued, not done.
  options.wait = 500ms;
  auto timed_out = CwmpExecutor(options).execute({tasks[0]});
  CHECK(timed_out[0].state == delivery::TaskState::queued);
  CHECK(timed_out[0].message == "queued: the CPE gets it in its next session");
}

TEST_CASE("management API: an Upload task's own file is read back by task, not the newest") {
  Api api;
  api.inform("HC1", "acme-bru-r1");
  auto first = call(api.endpoint, "POST", "/v1/devices/HC1/tasks", R"({"kind":"upload"})");
  auto second = call(api.endpoint, "POST", "/v1/devices/HC1/tasks", R"({"kind":"upload"})");
  const auto a = first["task"]["id"].get<TaskId>();
  const auto b = second["task"]["id"].get<TaskId>();
  auto waiting = call_error(api.endpoint, "GET", fmt::format("/v1/tasks/{}/upload", a));
  CHECK(waiting.code == ErrorCode::unknown_name);
  CHECK(waiting.message == fmt::format("task {} (Upload of HC1, queued) has no uploaded file", a));
  CHECK(waiting.hint == fmt::format("wait for the task: GET /v1/tasks/{}?wait=SECONDS", a));

  REQUIRE(api.store->claim_next("HC1", Clock::now()).ok());
  REQUIRE(
      api.store->store_upload("HC1", a, "1 Vendor Configuration File", "# A\n", Clock::now()).ok());
  REQUIRE(api.store->complete(a, "{}", Clock::now()).ok());
  REQUIRE(api.store->claim_next("HC1", Clock::now()).ok());
  REQUIRE(
      api.store->store_upload("HC1", b, "1 Vendor Configuration File", "# B\n", Clock::now()).ok());
  REQUIRE(api.store->complete(b, "{}", Clock::now()).ok());

  auto own = call(api.endpoint, "GET", fmt::format("/v1/tasks/{}/upload", a));
  CHECK(own["upload"]["content"] == "# A\n");
  CHECK(own["upload"]["task"] == a);
  CHECK(call(api.endpoint, "GET", fmt::format("/v1/tasks/{}/upload", b))["upload"]["content"] ==
        "# B\n");
  CHECK(call(api.endpoint, "GET", "/v1/devices/HC1/uploads/latest")["upload"]["content"] ==
        "# B\n");
  CHECK(call_error(api.endpoint, "GET", "/v1/tasks/999/upload").code == ErrorCode::unknown_name);
  CHECK(call_error(api.endpoint, "GET", "/v1/tasks/x/upload").code == ErrorCode::usage);
  CHECK(call_error(api.endpoint, "POST", fmt::format("/v1/tasks/{}/upload", a)).code ==
        ErrorCode::usage);
}

TEST_CASE("CWMP executor: an export prints the file its own Upload produced") {
  Api api;
  api.inform("HC1", "acme-bru-r1");
  CwmpExecutorOptions options;
  options.endpoint = api.endpoint;
  options.wait = 20s;
  auto exported = std::async(std::launch::async, [&] {
    return CwmpExecutor(options).execute(
        {{"acme-bru-r1", delivery::TaskKind::export_config, "", std::nullopt}});
  });
  // The export's Upload is queued; a second one is queued behind it.
  std::optional<Task> own;
  for (int i = 0; i < 200 && !own; ++i) {
    auto claimed = api.store->claim_next("HC1", Clock::now());
    REQUIRE(claimed.ok());
    own = *claimed;
    if (!own) {
      std::this_thread::sleep_for(20ms);
    }
  }
  REQUIRE(own.has_value());
  auto later = call(api.endpoint, "POST", "/v1/devices/HC1/tasks", R"({"kind":"upload"})");
  const auto other = later["task"]["id"].get<TaskId>();
  // Both files arrive before the export asks for its own: the other one is newer.
  REQUIRE(api.store
              ->store_upload("HC1", own->id, "1 Vendor Configuration File", "# own\n", Clock::now())
              .ok());
  REQUIRE(api.store->claim_next("HC1", Clock::now()).ok());
  REQUIRE(api.store
              ->store_upload("HC1", other, "1 Vendor Configuration File", "# other\n", Clock::now())
              .ok());
  REQUIRE(api.store->complete(other, "{}", Clock::now()).ok());
  REQUIRE(api.store->complete(own->id, "{}", Clock::now()).ok());
  api.handler->task_changed(own->id);

  REQUIRE(exported.wait_for(20s) == std::future_status::ready);
  auto results = exported.get();
  REQUIRE(results.size() == 1);
  CHECK(results[0].state == delivery::TaskState::done);
  CHECK(results[0].output == "# own\n");
}
