#include <vpnaas/acs/metrics.hpp>

#include <doctest/doctest.h>

#include <thread>
#include <vector>

using vpnaas::acs::Metrics;

TEST_CASE("metrics: counters, gauges and histograms render as Prometheus text") {
  Metrics m;
  m.describe("vpnaas_acs_informs_total", Metrics::Type::counter, "Informs by event code");
  m.add("vpnaas_acs_informs_total", {{"event", "2 PERIODIC"}});
  m.add("vpnaas_acs_informs_total", {{"event", "2 PERIODIC"}});
  m.add("vpnaas_acs_informs_total", {{"event", "1 BOOT"}});
  m.set("vpnaas_acs_sessions_open", {}, 3);
  m.describe("vpnaas_acs_session_duration_seconds", Metrics::Type::histogram, "Session length",
             {0.1, 1});
  m.observe("vpnaas_acs_session_duration_seconds", {}, 0.05);
  m.observe("vpnaas_acs_session_duration_seconds", {}, 0.5);
  m.observe("vpnaas_acs_session_duration_seconds", {}, 5);
  CHECK(m.render() == "# HELP vpnaas_acs_informs_total Informs by event code\n"
                      "# TYPE vpnaas_acs_informs_total counter\n"
                      "vpnaas_acs_informs_total{event=\"1 BOOT\"} 1\n"
                      "vpnaas_acs_informs_total{event=\"2 PERIODIC\"} 2\n"
                      "# HELP vpnaas_acs_session_duration_seconds Session length\n"
                      "# TYPE vpnaas_acs_session_duration_seconds histogram\n"
                      "vpnaas_acs_session_duration_seconds_bucket{le=\"0.1\"} 1\n"
                      "vpnaas_acs_session_duration_seconds_bucket{le=\"1\"} 2\n"
                      "vpnaas_acs_session_duration_seconds_bucket{le=\"+Inf\"} 3\n"
                      "vpnaas_acs_session_duration_seconds_sum 5.55\n"
                      "vpnaas_acs_session_duration_seconds_count 3\n"
                      "# TYPE vpnaas_acs_sessions_open gauge\n"
                      "vpnaas_acs_sessions_open 3\n");
  CHECK(m.value("vpnaas_acs_informs_total", {{"event", "2 PERIODIC"}}) == 2);
  CHECK(m.value("vpnaas_acs_nothing") == 0);
}

TEST_CASE("metrics: label values are escaped and concurrent adds are all counted") {
  Metrics m;
  m.set("g", {{"path", "a\"b\\c\nd"}}, 1);
  CHECK(m.render().find("g{path=\"a\\\"b\\\\c\\nd\"} 1\n") != std::string::npos);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        m.add("c_total");
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(m.value("c_total") == 4000);
}
