#include <vpnaas/acs/metrics.hpp>

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace vpnaas::acs {

namespace {

const char* type_name(Metrics::Type type) {
  switch (type) {
  case Metrics::Type::counter:
    return "counter";
  case Metrics::Type::gauge:
    return "gauge";
  case Metrics::Type::histogram:
    return "histogram";
  }
  return "untyped";
}

// Label values escape backslash, double quote and line feed; HELP text
// escapes backslash and line feed (exposition format 0.0.4).
std::string escape(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quotes && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string label_text(const Labels& labels, const char* extra_name = nullptr,
                       const std::string& extra_value = {}) {
  if (labels.empty() && extra_name == nullptr) {
    return {};
  }
  std::string out = "{";
  bool first = true;
  for (const auto& [name, value] : labels) {
    out += fmt::format("{}{}=\"{}\"", first ? "" : ",", name, escape(value, true));
    first = false;
  }
  if (extra_name != nullptr) {
    out += fmt::format("{}{}=\"{}\"", first ? "" : ",", extra_name, extra_value);
  }
  out += "}";
  return out;
}

} // namespace

std::string format_metric_value(double value) {
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  if (std::isnan(value)) {
    return "NaN";
  }
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<std::int64_t>(value));
  }
  return fmt::format("{}", value);
}

const std::vector<double>& Metrics::default_buckets() {
  static const std::vector<double> buckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                           0.5,   1,    2.5,   5,    10,  30};
  return buckets;
}

Metrics::Family& Metrics::family(std::string_view name, Type type) {
  auto it = m_families.find(name);
  if (it == m_families.end()) {
    Family fresh;
    fresh.type = type;
    if (type == Type::histogram) {
      fresh.buckets = default_buckets();
    }
    it = m_families.emplace(std::string(name), std::move(fresh)).first;
  }
  return it->second;
}

void Metrics::describe(std::string_view name, Type type, std::string_view help,
                       std::vector<double> buckets) {
  std::lock_guard lock(m_mutex);
  auto& f = family(name, type);
  f.type = type;
  f.help = std::string(help);
  if (type == Type::histogram && !buckets.empty()) {
    f.buckets = std::move(buckets);
  }
}

void Metrics::add(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(m_mutex);
  family(name, Type::counter).values[labels] += value;
}

void Metrics::set(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(m_mutex);
  family(name, Type::gauge).values[labels] = value;
}

void Metrics::observe(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(m_mutex);
  auto& f = family(name, Type::histogram);
  auto& h = f.histograms[labels];
  h.counts.resize(f.buckets.size());
  for (std::size_t i = 0; i < f.buckets.size(); ++i) {
    if (value <= f.buckets[i]) {
      ++h.counts[i];
      break;
    }
  }
  ++h.count;
  h.sum += value;
}

double Metrics::value(std::string_view name, const Labels& labels) const {
  std::lock_guard lock(m_mutex);
  auto it = m_families.find(name);
  if (it == m_families.end()) {
    return 0;
  }
  auto series = it->second.values.find(labels);
  return series == it->second.values.end() ? 0 : series->second;
}

std::string Metrics::render() const {
  std::lock_guard lock(m_mutex);
  std::string out;
  for (const auto& [name, f] : m_families) {
    if (!f.help.empty()) {
      out += fmt::format("# HELP {} {}\n", name, escape(f.help, false));
    }
    out += fmt::format("# TYPE {} {}\n", name, type_name(f.type));
    if (f.type != Type::histogram) {
      for (const auto& [labels, value] : f.values) {
        out += fmt::format("{}{} {}\n", name, label_text(labels), format_metric_value(value));
      }
      continue;
    }
    for (const auto& [labels, h] : f.histograms) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < f.buckets.size(); ++i) {
        cumulative += i < h.counts.size() ? h.counts[i] : 0;
        out += fmt::format("{}_bucket{} {}\n", name,
                           label_text(labels, "le", format_metric_value(f.buckets[i])), cumulative);
      }
      out += fmt::format("{}_bucket{} {}\n", name, label_text(labels, "le", "+Inf"), h.count);
      out += fmt::format("{}_sum{} {}\n", name, label_text(labels), format_metric_value(h.sum));
      out += fmt::format("{}_count{} {}\n", name, label_text(labels), h.count);
    }
  }
  return out;
}

} // namespace vpnaas::acs
