#include "support/cwmp/cpe_fleet.hpp"

#include <algorithm>
#include <random>

namespace vpnaas::test {

CpeFleet::CpeFleet(std::vector<CpeConfig> configs) {
  for (CpeConfig& config : configs) {
    m_cpes.push_back(std::make_unique<CpeSimulator>(std::move(config)));
  }
}

CpeFleet::~CpeFleet() {
  stop();
}

void CpeFleet::start(const FleetOptions& options) {
  m_stop = false;
  for (std::size_t i = 0; i < m_cpes.size(); ++i) {
    m_threads.emplace_back([this, i, options] { run(i, options); });
  }
}

void CpeFleet::stop() {
  m_stop = true;
  for (std::thread& t : m_threads) {
    t.join();
  }
  m_threads.clear();
}

void CpeFleet::run(std::size_t index, FleetOptions options) {
  std::mt19937 rng(options.seed * 7919U + static_cast<unsigned>(index));
  std::uniform_int_distribution<long> pause(options.pause_min.count(), options.pause_max.count());
  CpeSimulator& cpe = *m_cpes[index];
  // Spread the first Informs out, as devices that booted at different times.
  std::this_thread::sleep_for(std::chrono::milliseconds(pause(rng)));
  auto retry = options.retry_min;
  while (!m_stop) {
    const SessionLog log = cpe.run_session();
    m_sessions += 1;
    m_rpcs += log.rpcs.size();
    auto wait = std::chrono::milliseconds(pause(rng));
    if (log.error.empty()) {
      retry = options.retry_min;
    } else {
      m_broken += 1;
      wait += retry;
      retry = std::min(retry * 2, options.retry_max);
    }
    // In slices, so that stop() does not wait for a whole back-off.
    for (auto left = wait; left.count() > 0 && !m_stop; left -= std::chrono::milliseconds(50)) {
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(50)));
    }
  }
}

} // namespace vpnaas::test
