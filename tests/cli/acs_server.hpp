#pragma once

// The ACS's management API served in the test process (a real HttpServer on
// a Unix socket in a temp dir, a real SQLite store), for the CLI's `device`
// commands run as a child process. Until the session engine drives tasks
// from a CPE, a stand-in thread plays its part on the store: it claims each
// due task and answers it (done, or a CWMP fault on demand) as a CPE session
// would, and tells the handler, as the engine will.

#include <vpnaas/acs/http/server.hpp>
#include <vpnaas/acs/management.hpp>
#include <vpnaas/acs/management_client.hpp>
#include <vpnaas/acs/sqlite_store.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "support/paths.hpp"

namespace vpnaas::test {

class AcsServer {
public:
  AcsServer() {
    auto opened = acs::open_sqlite_store(m_dir.path() / "acs.db");
    REQUIRE(opened.ok());
    m_store = std::move(*opened);
    acs::ManagementOptions options;
    options.poll_interval = std::chrono::milliseconds(100);
    m_handler = acs::ManagementHandler::create(*m_store, m_metrics, options);
    acs::http::ServerOptions server_options;
    acs::http::Listener listener;
    listener.kind = acs::http::Listener::Kind::unix_socket;
    listener.name = "management";
    listener.socket_path = acs::management_socket_in(m_dir.path());
    server_options.listeners.push_back(listener);
    server_options.threads = 1;
    auto started = acs::http::HttpServer::start(server_options, m_handler);
    REQUIRE(started.ok());
    m_server = std::move(*started);
    m_cpe = std::thread([this] { play_cpe(); });
  }

  ~AcsServer() {
    m_stop = true;
    m_cpe.join();
    m_server->stop(std::chrono::seconds(2));
    m_handler->stop();
  }

  AcsServer(const AcsServer&) = delete;
  AcsServer& operator=(const AcsServer&) = delete;

  // The data dir `vpnaas acs serve --data` would have been given.
  const std::filesystem::path& data_dir() const { return m_dir.path(); }
  std::string socket() const { return acs::management_socket_in(m_dir.path()).string(); }
  acs::Store& store() { return *m_store; }

  void inform(const std::string& serial, const std::string& inventory_device = "") {
    acs::InformRecord record;
    record.serial = serial;
    record.oui = "E48D8C";
    record.product_class = "RB5009UG+S+";
    record.manufacturer = "MikroTik";
    record.events = {{"1 BOOT", ""}};
    record.remote_address = "192.0.2.7";
    record.software_version = "7.16";
    record.data_model_root = "Device.";
    record.at = acs::Clock::now();
    REQUIRE(m_store->record_inform(record, inventory_device).ok());
  }

  // The configuration the stand-in CPE uploads for an Upload task.
  static std::string exported_config(const std::string& serial) {
    return "# exported by the stand-in CPE " + serial + "\n/system identity\nset name=" + serial +
           "\n";
  }

  // 0: the stand-in CPE answers every task; a CWMP fault code: it faults them.
  std::atomic<int> fault_code{0};
  // false: it never answers (a CPE that does not call in).
  std::atomic<bool> answering{true};

private:
  void play_cpe() {
    while (!m_stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (!answering) {
        continue;
      }
      auto devices = m_store->devices();
      if (!devices) {
        continue;
      }
      for (const auto& device : *devices) {
        auto claimed = m_store->claim_next(device.serial, acs::Clock::now());
        if (!claimed || !claimed->has_value()) {
          continue;
        }
        const auto& task = **claimed;
        if (fault_code != 0) {
          acs::RetryPolicy once;
          once.max_attempts = 1;
          (void)m_store->record_fault(task.id, fault_code, "Invalid parameter name", once,
                                      acs::Clock::now());
        } else {
          nlohmann::json result = nlohmann::json::object();
          if (task.kind == acs::TaskKind::get_parameter_values) {
            const auto payload = nlohmann::json::parse(task.payload_json);
            for (const auto& name : payload["names"]) {
              result["parameters"][name.get<std::string>()] = "value of " + name.get<std::string>();
            }
          }
          if (task.kind == acs::TaskKind::upload) {
            // What a RouterOS CPE sends for "1 Vendor Configuration File": its /export.
            (void)m_store->store_upload(task.serial, task.id, "1 Vendor Configuration File",
                                        exported_config(task.serial), acs::Clock::now());
          }
          (void)m_store->complete(task.id, result.dump(), acs::Clock::now());
        }
        m_handler->task_changed(task.id);
      }
    }
  }

  TempDir m_dir;
  std::unique_ptr<acs::Store> m_store;
  acs::Metrics m_metrics;
  std::shared_ptr<acs::ManagementHandler> m_handler;
  std::unique_ptr<acs::http::HttpServer> m_server;
  std::atomic<bool> m_stop{false};
  std::thread m_cpe;
};

} // namespace vpnaas::test
