#pragma once

// A small, thread-safe Prometheus metrics registry. The session engine feeds
// it (sessions, Informs by event code, session durations); the management
// listener's GET /metrics renders it, together with what it reads from the
// store at that moment (devices by binding, tasks by state, faults by code).
// Text exposition format 0.0.4:
// https://prometheus.io/docs/instrumenting/exposition_formats/

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vpnaas::acs {

// Label name -> value, kept sorted so that one set of labels is one series.
using Labels = std::map<std::string, std::string>;

class Metrics {
public:
  enum class Type { counter, gauge, histogram };

  // Declares a family with its HELP text; a family used without it is
  // declared on first use with an empty help. Histograms get `buckets`
  // (upper bounds, ascending), the default suits durations in seconds.
  void describe(std::string_view name, Type type, std::string_view help,
                std::vector<double> buckets = {});

  // counter: adds `value` (>= 0) to the series.
  void add(std::string_view name, const Labels& labels = {}, double value = 1);
  // gauge: sets the series.
  void set(std::string_view name, const Labels& labels, double value);
  // histogram: counts one observation.
  void observe(std::string_view name, const Labels& labels, double value);

  // Every family, sorted by name, each series sorted by labels.
  std::string render() const;

  // The value of a counter or gauge series, 0 when it does not exist (tests).
  double value(std::string_view name, const Labels& labels = {}) const;

  static const std::vector<double>& default_buckets();

private:
  struct Histogram {
    std::vector<std::uint64_t> counts; // one per bucket, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    Type type = Type::counter;
    std::string help;
    std::vector<double> buckets;
    std::map<Labels, double> values;
    std::map<Labels, Histogram> histograms;
  };
  Family& family(std::string_view name, Type type);

  mutable std::mutex m_mutex;
  std::map<std::string, Family, std::less<>> m_families;
};

// Renders one sample line value as Prometheus text does ("+Inf", integers without a dot).
std::string format_metric_value(double value);

} // namespace vpnaas::acs
