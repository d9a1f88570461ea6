// Connection requests over real sockets: our HttpServer plays the CPE's
// connection-request server and challenges with Digest (acs/auth.hpp).

#include <vpnaas/acs/connection_request.hpp>
#include <vpnaas/acs/sqlite_store.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "cpe_endpoint.hpp"
#include "support/paths.hpp"
#include "support/run.hpp"

using namespace vpnaas;
using namespace vpnaas::acs;
using namespace vpnaas::test::connreq;
using namespace std::chrono_literals;
using Outcome = ConnectionRequestOutcome;

namespace {

const secrets::CpeLogin kLogin{"HCQ09EX6AZK", "5b1d0c1e8e2a4f7b9a6c3d2e1f0a9b8c"};

ConnectionRequestOptions quick() {
  ConnectionRequestOptions options;
  options.connect_timeout = 1s;
  options.total_timeout = 2s;
  return options;
}

secrets::MasterKey test_key() {
  std::vector<unsigned char> bytes(secrets::kMasterKeyBytes);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<unsigned char>(i * 7 + 1);
  }
  return secrets::MasterKey(bytes, "test");
}

secrets::CpeLogin derived_login(const std::string& serial) {
  auto credentials = secrets::derive_cpe_credentials(test_key(), serial);
  REQUIRE(credentials);
  return credentials->connection_request;
}

void record_device(Store& store, const std::string& serial, const std::string& url) {
  InformRecord inform;
  inform.serial = serial;
  inform.oui = "E48D8C";
  inform.manufacturer = "MikroTik";
  inform.data_model_root = "Device.";
  inform.connection_request_url = url;
  inform.at = Clock::now();
  REQUIRE(store.record_inform(inform, ""));
}

// Collects the requester's callbacks.
struct Results {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::pair<std::string, ConnectionRequestResult>> all;

  ConnectionRequester::Callback callback() {
    return [this](const std::string& serial, const ConnectionRequestResult& result) {
      std::lock_guard lock(mutex);
      all.emplace_back(serial, result);
      arrived.notify_all();
    };
  }
  bool wait(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    return arrived.wait_for(lock, timeout, [&] { return all.size() >= n; });
  }
};

} // namespace

TEST_CASE("accepted: the CPE challenges with Digest and takes the right login") {
  auto cpe = std::make_shared<CpeHandler>(kLogin.username, kLogin.password);
  auto server = start_cpe(cpe);
  auto result = send_connection_request(cpe_url(*server), kLogin, quick());
  INFO(result.detail);
  CHECK(result.outcome == Outcome::accepted);
  CHECK(result.http_status == 204);
  CHECK(result.challenges == 1);
  CHECK(cpe->accepted() == 1);
  auto requests = cpe->requests();
  REQUIRE(requests.size() == 2);
  // Nothing before the challenge, and the password never in clear after it.
  CHECK(requests[0].header("authorization") == nullptr);
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].target == "/cr-7f3c");
  REQUIRE(requests[1].header("authorization") != nullptr);
  CHECK(requests[1].header("authorization")->rfind("Digest ", 0) == 0);
  for (const auto& request : requests) {
    for (const auto& header : request.headers) {
      CHECK(header.value.find(kLogin.password) == std::string::npos);
    }
  }
}

TEST_CASE("auth refused: a wrong password gets a 401 after the challenge is answered") {
  auto cpe = std::make_shared<CpeHandler>(kLogin.username, "another-password");
  auto server = start_cpe(cpe);
  auto result = send_connection_request(cpe_url(*server), kLogin, quick());
  CHECK(result.outcome == Outcome::auth_refused);
  CHECK(result.http_status == 401);
  CHECK(cpe->accepted() == 0);
  CHECK(cpe->requests().size() == 2);
  CHECK(std::string(connection_request_outcome_name(result.outcome)) == "auth-refused");
}

TEST_CASE("a CPE asking for Basic gets no password: refused after its one challenge") {
  auto cpe =
      std::make_shared<CpeHandler>(kLogin.username, kLogin.password, CpeHandler::Mode::basic_only);
  auto server = start_cpe(cpe);
  auto result = send_connection_request(cpe_url(*server), kLogin, quick());
  CHECK(result.outcome == Outcome::auth_refused);
  CHECK(result.challenges == 1);
  CHECK(result.detail.find("without a Digest challenge") != std::string::npos);
  auto requests = cpe->requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].header("authorization") == nullptr);
}

TEST_CASE("stale nonce: a 401 with stale=true is answered again with the new nonce") {
  auto cpe =
      std::make_shared<CpeHandler>(kLogin.username, kLogin.password, CpeHandler::Mode::stale_first);
  auto server = start_cpe(cpe);
  auto result = send_connection_request(cpe_url(*server), kLogin, quick());
  INFO(result.detail);
  CHECK(result.outcome == Outcome::accepted);
  CHECK(result.challenges == 2);
  CHECK(cpe->accepted() == 1);
  auto requests = cpe->requests();
  REQUIRE(requests.size() == 3);
  auto first = requests[1].header("authorization");
  auto second = requests[2].header("authorization");
  REQUIRE(first != nullptr);
  REQUIRE(second != nullptr);
  CHECK(*first != *second); // the new nonce, not the old one again
}

TEST_CASE("a CPE calling every nonce stale is refused after one retry, not until the deadline") {
  auto cpe = std::make_shared<CpeHandler>(kLogin.username, kLogin.password,
                                          CpeHandler::Mode::always_stale);
  auto server = start_cpe(cpe);
  auto options = quick();
  options.total_timeout = 5s;
  auto result = send_connection_request(cpe_url(*server), kLogin, options);
  CHECK(result.outcome == Outcome::auth_refused);
  CHECK(result.challenges == 3);
  CHECK(cpe->requests().size() == 3);
  CHECK(result.elapsed < 2s);
}

TEST_CASE("unreachable fast: nothing listens on the port") {
  auto url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/cr";
  auto options = quick();
  options.connect_timeout = 3s;
  options.total_timeout = 5s;
  auto result = send_connection_request(url, kLogin, options);
  CHECK(result.outcome == Outcome::unreachable);
  CHECK(result.http_status == 0);
  CHECK_FALSE(result.detail.empty());
  CHECK(result.elapsed < 1s); // refused at once, not waiting for a timeout
  MESSAGE("closed port answered in " << result.elapsed.count() << " ms");
}

TEST_CASE("unreachable within the limit: a CPE that accepts but never answers") {
  auto cpe =
      std::make_shared<CpeHandler>(kLogin.username, kLogin.password, CpeHandler::Mode::never);
  auto server = start_cpe(cpe);
  auto options = quick();
  options.total_timeout = 700ms;
  auto result = send_connection_request(cpe_url(*server), kLogin, options);
  CHECK(result.outcome == Outcome::unreachable);
  CHECK(result.elapsed >= 650ms);
  CHECK(result.elapsed < 3s);
  CHECK(cpe->requests().size() == 1);
  MESSAGE("silent CPE given up after " << result.elapsed.count() << " ms");
  server->stop(100ms); // its parked request would hold the default 10 s
}

TEST_CASE("unreachable: a name that does not resolve") {
  auto result = send_connection_request("http://cpe.vpnaas-test.invalid:7547/cr", kLogin, quick());
  CHECK(result.outcome == Outcome::unreachable);
  CHECK(result.http_status == 0);
}

TEST_CASE("a redirect is not followed and counts as another status") {
  auto cpe =
      std::make_shared<CpeHandler>(kLogin.username, kLogin.password, CpeHandler::Mode::redirect);
  auto server = start_cpe(cpe);
  cpe->location = cpe_url(*server, "/elsewhere");
  auto result = send_connection_request(cpe_url(*server), kLogin, quick());
  CHECK(result.outcome == Outcome::other_status);
  CHECK(result.http_status == 302);
  CHECK(result.detail.find("redirect") != std::string::npos);
  auto requests = cpe->requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/cr-7f3c");
}

TEST_CASE("nothing is sent to a URL that is not http or https") {
  auto cpe = std::make_shared<CpeHandler>(kLogin.username, kLogin.password);
  auto server = start_cpe(cpe);
  auto port = std::to_string(server->bound().at(0).port);
  const std::vector<std::string> urls = {
      "ftp://127.0.0.1:" + port + "/cr",   "file:///etc/passwd",
      "gopher://127.0.0.1:" + port,        "127.0.0.1:" + port + "/cr",
      "http://127.0.0.1:" + port + "/a b", ""};
  for (const auto& url : urls) {
    CAPTURE(url);
    auto result = send_connection_request(url, kLogin, quick());
    CHECK(result.outcome == Outcome::invalid_url);
  }
  CHECK(cpe->requests().empty());
  // Upper-case schemes are still http.
  auto result = send_connection_request("HTTP://127.0.0.1:" + port + "/cr", kLogin, quick());
  CHECK(result.outcome == Outcome::accepted);
}

TEST_CASE("requester: a failure marks the device unreachable, its task stays queued, "
          "an accepted request clears the mark") {
  vpnaas::test::TempDir dir;
  auto opened = open_sqlite_store(dir.path() / "acs.sqlite");
  REQUIRE(opened);
  auto& store = *opened.value();
  const std::string serial = "HCQ09EX6AZK";
  auto login = derived_login(serial);
  auto cpe = std::make_shared<CpeHandler>(login.username, login.password);
  auto server = start_cpe(cpe);
  record_device(store, serial, cpe_url(*server));
  NewTask reboot;
  reboot.serial = serial;
  reboot.kind = TaskKind::reboot;
  reboot.command_key = "reboot-1";
  auto task_id = store.enqueue(reboot, Clock::now());
  REQUIRE(task_id);

  RequesterOptions options;
  options.request = quick();
  ConnectionRequester requester(test_key(), &store, options);
  Results results;
  auto dead_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/cr";
  auto submitted = requester.submit(serial, dead_url, results.callback());
  REQUIRE(submitted);
  CHECK(submitted.value() == ConnectionRequester::Submitted::queued);
  REQUIRE(results.wait(1, 5s));
  CHECK(results.all[0].second.outcome == Outcome::unreachable);
  auto device = store.device(serial);
  REQUIRE(device);
  REQUIRE(device.value().has_value());
  CHECK(device.value()->unreachable);
  auto open = store.open_tasks(serial);
  REQUIRE(open);
  REQUIRE(open.value().size() == 1);
  CHECK(open.value()[0].id == task_id.value());
  CHECK(open.value()[0].state == TaskState::queued);
  CHECK(open.value()[0].attempts == 0);

  submitted = requester.submit(serial, cpe_url(*server), results.callback());
  REQUIRE(submitted);
  REQUIRE(results.wait(2, 5s));
  INFO(results.all[1].second.detail);
  CHECK(results.all[1].second.outcome == Outcome::accepted);
  CHECK(cpe->accepted() == 1);
  device = store.device(serial);
  REQUIRE(device);
  CHECK_FALSE(device.value()->unreachable);
}

TEST_CASE("requester: at most one request per device in flight, others go in parallel") {
  auto cpe = std::make_shared<CpeHandler>("any", "any", CpeHandler::Mode::never);
  auto server = start_cpe(cpe);
  RequesterOptions options;
  options.request = quick();
  options.request.total_timeout = 800ms;
  options.workers = 3;
  ConnectionRequester requester(test_key(), nullptr, options);
  Results results;
  using Submitted = ConnectionRequester::Submitted;
  auto first = requester.submit("SERIAL-A", cpe_url(*server), results.callback());
  auto again = requester.submit("SERIAL-A", cpe_url(*server), results.callback());
  auto other = requester.submit("SERIAL-B", cpe_url(*server), results.callback());
  REQUIRE(first);
  REQUIRE(again);
  REQUIRE(other);
  CHECK(first.value() == Submitted::queued);
  CHECK(again.value() == Submitted::already_pending);
  CHECK(other.value() == Submitted::queued);
  REQUIRE(results.wait(2, 5s));
  CHECK(requester.wait_idle(2s));
  CHECK(results.all.size() == 2);
  CHECK(cpe->most_in_flight() == 2); // A and B at once, A only once
  for (const auto& [serial, result] : results.all) {
    CHECK(result.outcome == Outcome::unreachable);
  }
  // Once answered, the device can be asked again.
  auto later = requester.submit("SERIAL-A", cpe_url(*server), results.callback());
  REQUIRE(later);
  CHECK(later.value() == Submitted::queued);
  requester.stop();
  auto stopped = requester.submit("SERIAL-C", cpe_url(*server));
  REQUIRE(stopped);
  CHECK(stopped.value() == Submitted::stopped);
  server->stop(100ms);
}

TEST_CASE("requester: a serial without a derivable login is refused before anything is queued") {
  ConnectionRequester requester(test_key(), nullptr);
  auto submitted = requester.submit("", "http://127.0.0.1:1/cr");
  REQUIRE_FALSE(submitted);
  CHECK(submitted.error().code == ErrorCode::usage);
  CHECK(requester.wait_idle(100ms));
}

TEST_CASE("requester: a full queue refuses more") {
  auto cpe = std::make_shared<CpeHandler>("any", "any", CpeHandler::Mode::never);
  auto server = start_cpe(cpe);
  RequesterOptions options;
  options.request = quick();
  options.request.total_timeout = 500ms;
  options.workers = 1;
  options.max_pending = 2;
  ConnectionRequester requester(test_key(), nullptr, options);
  std::vector<ConnectionRequester::Submitted> answers;
  for (int i = 0; i < 4; ++i) {
    auto submitted = requester.submit("S" + std::to_string(i), cpe_url(*server));
    REQUIRE(submitted);
    answers.push_back(submitted.value());
  }
  // One may already be with the worker, so two or three are queued.
  auto full =
      std::count(answers.begin(), answers.end(), ConnectionRequester::Submitted::queue_full);
  CHECK(full >= 1);
  CHECK(full <= 2);
  CHECK(answers[0] == ConnectionRequester::Submitted::queued);
  requester.stop();
  server->stop(100ms);
}

namespace {

// The private CA and the certificate signed by it, made with the openssl
// commands of the README's TLS set-up (with 127.0.0.1 added to the names).
struct PrivateCa {
  std::filesystem::path ca;
  std::filesystem::path cert;
  std::filesystem::path key;
};

PrivateCa make_private_ca(const std::filesystem::path& dir) {
  auto in = [&](const char* name) { return (dir / name).string(); };
  vpnaas::test::write_file(dir / "san.ext", "subjectAltName=DNS:acs.example.net,IP:127.0.0.1\n"
                                            "extendedKeyUsage=serverAuth\n");
  const std::vector<std::vector<std::string>> steps = {
      {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-sha256", "-days", "3650", "-nodes",
       "-keyout", in("ca.key"), "-out", in("ca.pem"), "-subj", "/CN=vpnaas ACS CA"},
      {"openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", in("acs.key"), "-out",
       in("acs.csr"), "-subj", "/CN=acs.example.net"},
      {"openssl", "x509", "-req", "-in", in("acs.csr"), "-CA", in("ca.pem"), "-CAkey", in("ca.key"),
       "-CAcreateserial", "-days", "825", "-sha256", "-extfile", in("san.ext"), "-out",
       in("acs.pem")},
  };
  for (const auto& step : steps) {
    auto ran = vpnaas::test::run(step);
    REQUIRE_MESSAGE(ran.exit_code == 0, ran.err);
  }
  return {dir / "ca.pem", dir / "acs.pem", dir / "acs.key"};
}

} // namespace

TEST_CASE("https: accepted with the CPE's CA, unreachable when its certificate is not trusted") {
  vpnaas::test::TempDir dir;
  auto made = make_private_ca(dir.path());
  auto cpe = std::make_shared<CpeHandler>(kLogin.username, kLogin.password);
  auto server = start_cpe(cpe, made.cert, made.key);
  auto url = "https://127.0.0.1:" + std::to_string(server->bound().at(0).port) + "/cr";

  auto options = quick();
  options.ca_file = made.ca;
  auto trusted = send_connection_request(url, kLogin, options);
  INFO(trusted.detail);
  CHECK(trusted.outcome == Outcome::accepted);
  CHECK(trusted.challenges == 1);
  CHECK(cpe->accepted() == 1);

  // The system's CAs do not know this one: no request reaches the handler.
  auto untrusted = send_connection_request(url, kLogin, quick());
  CHECK(untrusted.outcome == Outcome::unreachable);
  CHECK(untrusted.http_status == 0);
  CHECK(cpe->requests().size() == 2);
}
