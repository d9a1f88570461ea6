#pragma once

// Many CPE simulators at once, one thread each, every one running sessions
// back to back with a random pause between them, as a fleet of periodic
// Informs does. A broken session (the ACS went away) is simply retried in
// the next round, as a real CPE retries.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include "support/cwmp/cpe_simulator.hpp"

namespace vpnaas::test {

struct FleetOptions {
  std::chrono::milliseconds pause_min{20}; // between two sessions of one CPE
  std::chrono::milliseconds pause_max{200};
  // After a broken session (no ACS there) a CPE backs off, doubling from
  // retry_min up to retry_max while its sessions keep failing (TR-069
  // 3.2.1.1 has CPEs retry with an exponential back-off).
  std::chrono::milliseconds retry_min{100};
  std::chrono::milliseconds retry_max{800};
  unsigned seed = 1;
};

class CpeFleet {
public:
  explicit CpeFleet(std::vector<CpeConfig> configs);
  ~CpeFleet();
  CpeFleet(const CpeFleet&) = delete;
  CpeFleet& operator=(const CpeFleet&) = delete;

  void start(const FleetOptions& options);
  // Lets every CPE finish its current session, then joins the threads.
  void stop();

  std::size_t size() const { return m_cpes.size(); }
  // Only between start() and stop() from the CPE's own thread; the test
  // reads it after stop().
  CpeSimulator& cpe(std::size_t i) { return *m_cpes[i]; }

  std::size_t sessions() const { return m_sessions.load(); }
  std::size_t broken_sessions() const { return m_broken.load(); }
  std::size_t rpcs() const { return m_rpcs.load(); }

private:
  void run(std::size_t index, FleetOptions options);

  std::vector<std::unique_ptr<CpeSimulator>> m_cpes;
  std::vector<std::thread> m_threads;
  std::atomic<bool> m_stop{false};
  std::atomic<std::size_t> m_sessions{0};
  std::atomic<std::size_t> m_broken{0};
  std::atomic<std::size_t> m_rpcs{0};
};

} // namespace vpnaas::test
