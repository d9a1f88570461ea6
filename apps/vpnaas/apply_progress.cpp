#include "apply_progress.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstdio>

namespace vpnaas::cli {
namespace {

constexpr std::array kRunning = {apply::Stage::connect,      apply::Stage::host_key,
                                 apply::Stage::authenticate, apply::Stage::lock,
                                 apply::Stage::backup,       apply::Stage::upload,
                                 apply::Stage::import,       apply::Stage::cleanup};

std::string seconds(std::chrono::milliseconds duration) {
  return fmt::format("{:.1f}s", static_cast<double>(duration.count()) / 1000.0);
}

} // namespace

ApplyProgress::ApplyProgress(std::size_t total, bool terminal)
    : m_terminal(terminal), m_stages(total, apply::Stage::queued) {}

void ApplyProgress::update(const apply::Progress& progress) {
  m_stages[progress.index] = progress.stage;
  if (progress.stage == apply::Stage::done && progress.result != nullptr) {
    const apply::DeviceResult& result = *progress.result;
    ++m_done;
    m_failed += result.ok ? 0 : 1;
    if (!m_terminal) {
      fmt::print(stderr, "[{}/{}] {} {} ({})\n", m_done, m_stages.size(), result.device,
                 result.ok
                     ? "ok"
                     : fmt::format("{} at {}: {}",
                                   result.outcome == apply::Outcome::unknown ? "outcome unknown"
                                                                             : "failed",
                                   apply::to_string(result.failed_stage), result.message),
                 seconds(result.duration));
      return;
    }
    if (!result.ok) {
      fmt::print(stderr, "\r\033[K{}: {} at {}: {}\n", result.device,
                 result.outcome == apply::Outcome::unknown ? "outcome unknown" : "failed",
                 apply::to_string(result.failed_stage), result.message);
    }
  }
  if (m_terminal) {
    redraw();
  }
}

void ApplyProgress::redraw() {
  std::string running;
  for (apply::Stage stage : kRunning) {
    std::size_t count = 0;
    for (apply::Stage s : m_stages) {
      count += s == stage ? 1 : 0;
    }
    if (count > 0) {
      running +=
          fmt::format("{}{} {}", running.empty() ? "" : ", ", apply::to_string(stage), count);
    }
  }
  fmt::print(stderr, "\r\033[Kapply: {}/{} done, {} failed{}{}", m_done, m_stages.size(), m_failed,
             running.empty() ? "" : " | ", running);
  std::fflush(stderr);
}

void ApplyProgress::finish() {
  if (m_terminal) {
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

} // namespace vpnaas::cli
