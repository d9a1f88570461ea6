// `vpnaas acs serve` end to end: the server runs as its own process on
// 127.0.0.1:0, the CPE simulator talks to it over real TCP (and TLS), and the
// test reads what happened from the server's SQLite file and its log.

#include <vpnaas/acs/auth.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <optional>
#include <sqlite3.h>

#include "support/cwmp/acs_process.hpp"
#include "support/cwmp/cpe_simulator.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

namespace vpnaas::test {
namespace {

using acs::TaskKind;
using acs::TaskState;

acs::TaskId enqueue(AcsProcess& server, const std::string& serial, TaskKind kind,
                    const std::string& payload = "{}", const std::string& command_key = {}) {
  acs::NewTask task;
  task.serial = serial;
  task.kind = kind;
  task.payload_json = payload;
  task.command_key = command_key;
  auto id = server.store().enqueue(task, acs::Clock::now());
  REQUIRE(id.ok());
  return *id;
}

acs::Task task_of(AcsProcess& server, acs::TaskId id) {
  auto task = server.store().task(id);
  REQUIRE(task.ok());
  REQUIRE(task->has_value());
  return **task;
}

// The Digest answer a client computes for a challenge, with a given nc.
std::string digest_header(const std::string& challenge, const std::string& serial,
                          const std::string& password, const std::string& nc) {
  auto parsed = acs::auth::parse_authorization(challenge);
  REQUIRE(parsed.has_value());
  const std::string realm = parsed->params["realm"];
  const std::string nonce = parsed->params["nonce"];
  const std::string response =
      acs::auth::digest_response(serial, realm, password, "POST", "/", nonce, nc, "0a4f113b");
  return "Authorization: Digest username=\"" + serial + "\", realm=\"" + realm + "\", nonce=\"" +
         nonce + "\", uri=\"/\", qop=auth, nc=" + nc + ", cnonce=\"0a4f113b\", response=\"" +
         response + "\", algorithm=MD5, opaque=\"" + parsed->params["opaque"] + "\"";
}

std::string inform_xml(const std::string& serial) {
  auto path = shared_path("data/cwmp/mikrotik-inform-haplite-6.42rc49.xml");
  REQUIRE(path.has_value());
  std::string xml = read_file(*path);
  const auto at = xml.find("XXXXXXXXXXXX");
  REQUIRE(at != std::string::npos);
  return xml.replace(at, 12, serial);
}

} // namespace

TEST_CASE("an unknown serial is recorded as pending and gets nothing but its InformResponse") {
  AcsProcess server;
  INFO("server log:\n", server.log());
  auto config = routeros_cpe(server, "PENDING0001");
  if (!config) {
    return;
  }
  CpeSimulator cpe(*config);
  // A task queued for a serial nobody accepted stays where it is.
  const auto id = enqueue(server, "PENDING0001", TaskKind::get_rpc_methods);
  const SessionLog session = cpe.run_session({{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}});
  CHECK(session.error == "");
  CHECK(session.inform_status == 200);
  CHECK(session.final_status == 204);
  CHECK(session.rpcs.empty());
  auto device = server.store().device("PENDING0001");
  REQUIRE(device.ok());
  REQUIRE(device->has_value());
  CHECK((*device)->binding == acs::Binding::pending);
  CHECK((*device)->data_model_root == "Device.");
  CHECK(task_of(server, id).state == TaskState::queued);
  CHECK(server.wait_for_log("session serial=PENDING0001 device=- binding=pending"));
  CHECK(server.log().find("events=\"0 BOOTSTRAP,1 BOOT\"") != std::string::npos);

  // Accepted (as `vpnaas device accept` will): the next session runs the task.
  REQUIRE(server.store().set_binding("PENDING0001", acs::Binding::accepted, "lab-r9").ok());
  const SessionLog next = cpe.run_session();
  CHECK(next.error == "");
  CHECK(next.rpcs == std::vector<std::string>{"GetRPCMethods"});
  CHECK(task_of(server, id).state == TaskState::done);
}

TEST_CASE("a serial the inventory lists is bound and its queued Reboot is settled by M Reboot") {
  AcsProcess server;
  INFO("server log:\n", server.log());
  auto config = routeros_cpe(server, kInventorySerial);
  if (!config) {
    return;
  }
  CpeSimulator cpe(*config);
  CHECK(cpe.run_session().final_status == 204);
  auto device = server.store().device(kInventorySerial);
  REQUIRE(device.ok());
  REQUIRE(device->has_value());
  CHECK((*device)->binding == acs::Binding::accepted);
  CHECK((*device)->device_name == "dc1-r1");

  const auto id = enqueue(server, kInventorySerial, TaskKind::reboot, "{}", "reboot-1");
  const SessionLog session = cpe.run_session();
  CHECK(session.rpcs == std::vector<std::string>{"Reboot"});
  CHECK(session.final_status == 204);
  // Answered, not yet done: the router has not come back.
  CHECK(task_of(server, id).state == TaskState::sent);

  const SessionLog after = cpe.run_session({});
  REQUIRE(after.events.size() >= 2);
  CHECK(after.events[0].event_code == "1 BOOT");
  CHECK(after.events[1].event_code == "M Reboot");
  CHECK(after.rpcs.empty());
  CHECK(task_of(server, id).state == TaskState::done);
  CHECK(server.wait_for_log("device=dc1-r1 binding=accepted"));
}

TEST_CASE("a .alter Download is fetched once and settled by a later TransferComplete") {
  AcsProcess server;
  INFO("server log:\n", server.log());
  auto config = routeros_cpe(server, kInventorySerial);
  if (!config) {
    return;
  }
  config->download_later = true;
  config->transfer_complete_without_event_7 = true;
  CpeSimulator cpe(*config);
  const std::string script = "/system identity set name=dc1-r1\n";
  const auto id =
      enqueue(server, kInventorySerial, TaskKind::download,
              R"({"file_type": "3 Vendor Configuration File", "file_name": "vpnaas-dc1-r1.alter",
                  "content": "/system identity set name=dc1-r1\n"})",
              "push-1");
  const SessionLog first = cpe.run_session();
  CHECK(first.rpcs == std::vector<std::string>{"Download"});
  REQUIRE(first.fetched.size() == 1);
  CHECK(first.fetched[0] == script);
  CHECK(task_of(server, id).state == TaskState::sent);

  // The link worked once: a second fetch (the file name is the same) is 404.
  const std::string log = server.log();
  const auto at = log.find("file task=");
  CHECK(at != std::string::npos);
  const SessionLog second = cpe.run_session();
  CHECK(second.error == "");
  for (const auto& e : second.events) {
    CHECK(e.event_code != "7 TRANSFER COMPLETE");
  }
  CHECK(task_of(server, id).state == TaskState::done);
}

TEST_CASE("a Download link is served once and a guessed one is 404") {
  AcsProcess server;
  INFO("server log:\n", server.log());
  auto config = routeros_cpe(server, kInventorySerial);
  if (!config) {
    return;
  }
  CpeSimulator cpe(*config);
  CHECK(cpe.run_session().final_status == 204);
  enqueue(server, kInventorySerial, TaskKind::download,
          R"({"file_name": "vpnaas-dc1-r1.alter", "content": "# x\n"})", "push-2");
  // Fetch the file by hand from the RPC, as a second party would.
  HttpReply inform = http_call(
      {"POST", server.url() + "/", inform_xml(kInventorySerial), {"Content-Type: text/xml"}, {}});
  CHECK(inform.status == 401);
  const std::string challenge = inform.headers["www-authenticate"];
  const std::string auth =
      digest_header(challenge, kInventorySerial, cpe_password(kInventorySerial), "00000001");
  inform = http_call({"POST", server.url() + "/", inform_xml(kInventorySerial), {auth}, {}});
  REQUIRE(inform.status == 200);
  const std::string cookie = inform.headers["set-cookie"];
  REQUIRE(cookie.find("vpnaas-session=") == 0);
  // The cookie echoed back with its attributes, on a new connection.
  HttpReply rpc = http_call({"POST", server.url() + "/", "", {"Cookie: " + cookie}, {}});
  REQUIRE(rpc.status == 200);
  const auto start = rpc.body.find(server.url() + "/files/");
  REQUIRE(start != std::string::npos);
  const std::string url = rpc.body.substr(start, rpc.body.find('<', start) - start);
  CHECK(url.ends_with("/vpnaas-dc1-r1.alter"));
  CHECK(http_call({"GET", url, {}, {}, {}}).status == 200);
  CHECK(http_call({"GET", url, {}, {}, {}}).status == 404);
  CHECK(http_call({"GET", server.url() + "/files/" + std::string(64, '0') + "/x.alter", {}, {}, {}})
            .status == 404);
}

TEST_CASE("an Upload stores the CPE's file and faults are recorded with code and text") {
  AcsProcess server;
  INFO("server log:\n", server.log());
  auto config = routeros_cpe(server, kInventorySerial);
  if (!config) {
    return;
  }
  config->faults["GetParameterValues"] = {9005, "Invalid parameter name"};
  CpeSimulator cpe(*config);
  const auto upload = enqueue(server, kInventorySerial, TaskKind::upload,
                              R"({"file_type": "1 Vendor Configuration File"})", "export-1");
  const auto get = enqueue(server, kInventorySerial, TaskKind::get_parameter_values,
                           R"({"names": ["Device.Nope."]})");
  const auto set =
      enqueue(server, kInventorySerial, TaskKind::set_parameter_values,
              R"({"parameters": {"Device.DeviceInfo.X_MIKROTIK_SystemIdentity": "r1"}})", "pk-1");
  const SessionLog session = cpe.run_session();
  CHECK(session.error == "");
  CHECK(session.rpcs ==
        std::vector<std::string>{"Upload", "GetParameterValues", "SetParameterValues"});
  CHECK(task_of(server, upload).state == TaskState::done);
  auto files = server.store().uploads(kInventorySerial);
  REQUIRE(files.ok());
  REQUIRE(files->size() == 1);
  CHECK((*files)[0].file_type == "1 Vendor Configuration File");
  auto content = server.store().upload_content((*files)[0].id);
  REQUIRE(content.ok());
  CHECK(*content == config->upload_content);

  const acs::Task faulted = task_of(server, get);
  CHECK(faulted.state == TaskState::fault);
  CHECK(faulted.fault_code == 9005);
  CHECK(faulted.fault_text == "Invalid parameter name");
  CHECK(task_of(server, set).state == TaskState::done);
  CHECK(cpe.parameters().at("Device.DeviceInfo.X_MIKROTIK_SystemIdentity") == "r1");
}

TEST_CASE("a wrong password, a replayed nonce and an unknown nonce are refused and store nothing") {
  AcsProcess server;
  INFO("server log:\n", server.log());
  const std::string serial = "ATTACKER01";
  HttpReply first = http_call({"POST", server.url() + "/", inform_xml(serial), {}, {}});
  if (first.status == 0) {
    FAIL(first.error);
  }
  CHECK(first.status == 401);
  const std::string challenge = first.headers["www-authenticate"];
  CHECK(challenge.find("Digest") == 0);

  const HttpReply wrong =
      http_call({"POST",
                 server.url() + "/",
                 inform_xml(serial),
                 {digest_header(challenge, serial, "not-the-password", "00000001")},
                 {}});
  CHECK(wrong.status == 401);

  // A username other than the Inform's serial number, with that user's right password.
  const HttpReply other =
      http_call({"POST",
                 server.url() + "/",
                 inform_xml(serial),
                 {digest_header(challenge, "OTHER0001", cpe_password("OTHER0001"), "00000001")},
                 {}});
  CHECK(other.status == 401);

  // Basic over plain HTTP: refused even with the right password.
  const HttpReply basic = http_call({"POST",
                                     server.url() + "/",
                                     inform_xml(serial),
                                     {"Authorization: Basic QVRUQUNLRVIwMTp4"},
                                     {}});
  CHECK(basic.status == 401);

  auto device = server.store().device(serial);
  REQUIRE(device.ok());
  CHECK_FALSE(device->has_value());

  // The right answer works once; the same nonce count again is a replay.
  const std::string right = digest_header(challenge, serial, cpe_password(serial), "00000001");
  CHECK(http_call({"POST", server.url() + "/", inform_xml(serial), {right}, {}}).status == 200);
  CHECK(http_call({"POST", server.url() + "/", inform_xml(serial), {right}, {}}).status == 401);

  // A nonce this server never issued (as an expired one): stale=true, so
  // that a CPE with the right password retries with a fresh nonce.
  std::string forged = challenge;
  const auto nonce_at = forged.find("nonce=\"") + 7;
  forged.replace(nonce_at, 32, std::string(32, 'a'));
  HttpReply stale = http_call({"POST",
                               server.url() + "/",
                               inform_xml(serial),
                               {digest_header(forged, serial, cpe_password(serial), "00000001")},
                               {}});
  CHECK(stale.status == 401);
  CHECK(stale.headers["www-authenticate"].find("stale=true") != std::string::npos);
  CHECK(server.wait_for_log("reason=\"replayed\""));
  CHECK(server.log().find("reason=\"bad-credentials\"") != std::string::npos);
  // No secret in the log.
  CHECK(server.log().find(cpe_password(serial)) == std::string::npos);
  CHECK(server.log().find(kTestMasterKey) == std::string::npos);
}

TEST_CASE("malformed XML, another namespace and an oversized body get 400 and 413") {
  AcsProcess server;
  INFO("server log:\n", server.log());
  const HttpReply malformed =
      http_call({"POST", server.url() + "/", "<soap:Envelope><unclosed>", {}, {}});
  CHECK(malformed.status == 400);
  const HttpReply foreign =
      http_call({"POST",
                 server.url() + "/",
                 "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                 "xmlns:c=\"urn:example:not-cwmp\"><s:Body><c:Inform/></s:Body></s:Envelope>",
                 {},
                 {}});
  CHECK(foreign.status == 400);
  const HttpReply huge =
      http_call({"POST", server.url() + "/", std::string(5 * 1024 * 1024, 'x'), {}, {}});
  CHECK(huge.status == 413);
  // An empty POST outside a session: challenged (curl probes Digest so),
  // and with credentials but no session, refused.
  HttpReply stray = http_call({"POST", server.url() + "/", "", {}, {}});
  CHECK(stray.status == 401);
  CHECK(stray.headers["www-authenticate"].find("Digest") == 0);
  const HttpReply stray_auth =
      http_call({"POST", server.url() + "/", "", {"Authorization: Digest username=\"X1\""}, {}});
  CHECK(stray_auth.status == 400);
  CHECK(server.wait_for_log("refused status=400"));
  auto devices = server.store().devices();
  REQUIRE(devices.ok());
  CHECK(devices->empty());
  // The server is still there.
  CHECK(http_call({"POST", server.url() + "/", inform_xml("X1"), {}, {}}).status == 401);
}

TEST_CASE("SIGHUP reloads the inventory and SIGTERM exits 0 with an intact database") {
  AcsProcess server;
  INFO("server log:\n", server.log());
  auto config = routeros_cpe(server, kInventorySerial);
  if (!config) {
    return;
  }
  CpeSimulator cpe(*config);
  CHECK(cpe.run_session().final_status == 204);
  server.send(SIGHUP);
  CHECK(server.wait_for_log("SIGHUP: inventory"));
  CHECK(server.stop(SIGTERM) == 0);
  CHECK(server.log().find("stopped") != std::string::npos);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(server.database().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
          SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0))) == "ok");
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST_CASE("over TLS a TR-098 CPE with pre-emptive Basic runs its tasks and gets no .alter file") {
  TempDir certs;
  const auto cert = certs.path() / "acs.pem";
  const auto key = certs.path() / "acs.key";
  const RunResult made =
      run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
           "-nodes", "-keyout", key.string(), "-out", cert.string(), "-days", "1", "-subj",
           "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
  REQUIRE(made.exit_code == 0);
  AcsProcess server({"--tls-cert", cert.string(), "--tls-key", key.string()});
  INFO("server log:\n", server.log());
  REQUIRE(server.url().starts_with("https://127.0.0.1:"));
  CpeConfig config;
  config.mode = CpeConfig::Mode::tr098;
  config.acs_url = server.url() + "/";
  config.serial = "GW-0042";
  config.username = config.serial;
  config.password = cpe_password(config.serial);
  config.ca_file = cert.string();
  CpeSimulator cpe(config);
  SessionLog first = cpe.run_session({{"0 BOOTSTRAP", ""}});
  CHECK(first.error == "");
  CHECK(first.final_status == 204);
  auto device = server.store().device("GW-0042");
  REQUIRE(device.ok());
  REQUIRE(device->has_value());
  CHECK((*device)->binding == acs::Binding::pending);
  CHECK((*device)->data_model_root == "InternetGatewayDevice.");

  REQUIRE(server.store().set_binding("GW-0042", acs::Binding::accepted, "gw-42").ok());
  const auto get = enqueue(server, "GW-0042", TaskKind::get_parameter_values,
                           R"({"names": ["InternetGatewayDevice.DeviceInfo."]})");
  const auto alter = enqueue(server, "GW-0042", TaskKind::download,
                             R"({"file_name": "vpnaas-gw-42.alter", "content": "# x"})", "p-1");
  const SessionLog second = cpe.run_session();
  CHECK(second.error == "");
  CHECK(second.rpcs == std::vector<std::string>{"GetParameterValues"});
  const acs::Task read = task_of(server, get);
  CHECK(read.state == TaskState::done);
  CHECK(read.result_json.find("\"InternetGatewayDevice.DeviceInfo.SoftwareVersion\":\"1.0.3\"") !=
        std::string::npos);
  const acs::Task refused = task_of(server, alter);
  CHECK(refused.state == TaskState::fault);
  CHECK(refused.fault_text.find("RouterOS-only") != std::string::npos);

  // Wrong Basic password over TLS: 401 with a Basic challenge.
  config.password = "wrong";
  CpeSimulator intruder(config);
  const SessionLog denied = intruder.run_session();
  CHECK(denied.inform_status == 401);
}

} // namespace vpnaas::test
