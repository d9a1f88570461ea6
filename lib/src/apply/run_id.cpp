#include <vpnaas/apply/apply.hpp>

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <ctime>
#include <random>

namespace vpnaas::apply {

std::string make_run_id(const std::optional<std::string>& revision) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &parts);
  // Two runs started in the same second (two CI jobs) still get two names.
  std::random_device random;
  const unsigned suffix = random() & 0xFFFFU;
  std::string short_revision;
  for (const char c : revision.value_or("")) {
    if (short_revision.size() == 7) {
      break;
    }
    if (std::isalnum(static_cast<unsigned char>(c))) {
      short_revision += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return short_revision.empty() ? fmt::format("{}-{:04x}", stamp, suffix)
                                : fmt::format("{}-{}-{:04x}", stamp, short_revision, suffix);
}

std::string remote_script_name(std::string_view run_id) {
  return fmt::format("vpnaas-apply-{}.rsc", run_id);
}

std::string remote_backup_name(std::string_view run_id) {
  return fmt::format("vpnaas-backup-{}", run_id);
}

std::string end_marker(std::string_view run_id) {
  return fmt::format("vpnaas:done:{}", run_id);
}

const char* to_string(Outcome outcome) {
  switch (outcome) {
  case Outcome::applied:
    return "applied";
  case Outcome::failed:
    return "failed";
  case Outcome::unknown:
    return "unknown";
  }
  return "unknown";
}

} // namespace vpnaas::apply
