#pragma once
// A hand-written Prometheus text exposition (format 0.0.4,
// https://prometheus.io/docs/instrumenting/exposition_formats/): what
// GET /metrics returns. Declare each metric family once, then give its
// samples; every line of a family stays together as the format requires.
//
//   api::PrometheusText text;
//   text.family("voxgate_sip_messages_total", "SIP messages by direction and method.", api::MetricType::Counter);
//   text.sample({{"direction", "in"}, {"method", "INVITE"}}, in.requests_of(sip::Method::Invite));
//   text.family("voxgate_sessions", "Sessions by state.", api::MetricType::Gauge);
//   text.sample({{"state", "connected"}}, connected);
//   text.family("voxgate_call_setup_seconds", "Time from INVITE to answer.", api::MetricType::Histogram);
//   text.histogram({}, setup_latency.snapshot());
//   body = std::move(text).str();  // served as kPrometheusTextContentType
//
// Metric and label names are the program's own, so one that breaks the
// Prometheus grammar (metric_names.hpp) or its conventions is a bug and
// throws std::logic_error: counters end in _total and nothing else does, a
// family is declared once and has HELP text, "le" belongs to histograms.
// Label values and HELP text are data: escaped, any bytes accepted.
//
// Not thread-safe: one exposition is built by one thread, from snapshots.

#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "api/metrics/histogram.hpp"

namespace voxgate::api {

inline constexpr std::string_view kPrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";

enum class MetricType : std::uint8_t { Counter, Gauge, Histogram };

// "counter", "gauge", "histogram": the word of the # TYPE line.
std::string_view to_string(MetricType type) noexcept;

struct Label {
  std::string_view name;
  std::string_view value;
};

// The labels of one sample, in the order they are written. A view: what it
// refers to must outlive the call it is passed to, as a braced list does.
class Labels {
 public:
  Labels() = default;
  Labels(std::initializer_list<Label> labels) noexcept : labels_(labels.begin(), labels.size()) {}
  // A span, vector or array of labels.
  template <class Contiguous>
  requires std::is_convertible_v<const Contiguous&, std::span<const Label>> Labels(const Contiguous& labels)
  noexcept : labels_(labels) {}

  [[nodiscard]] std::span<const Label> get() const noexcept { return labels_; }

 private:
  std::span<const Label> labels_;
};

// A sample's number: integers are written as integers (no exponent, no
// rounding above 2^53), doubles in their shortest exact form, and the
// non-finite ones as Prometheus spells them (+Inf, -Inf, NaN).
class SampleValue {
 public:
  // Implicit: any number is a sample value.
  template <std::integral T>
  requires(!std::same_as<T, bool>) SampleValue(T value)
  noexcept {
    if constexpr (std::signed_integral<T>) {
      value_ = static_cast<std::int64_t>(value);
    } else {
      value_ = static_cast<std::uint64_t>(value);
    }
  }
  SampleValue(double value) noexcept : value_(value) {}

  [[nodiscard]] bool is_negative_or_nan() const noexcept;
  void append_to(std::string& out) const;

 private:
  std::variant<std::int64_t, std::uint64_t, double> value_{std::uint64_t{0}};
};

class PrometheusText {
 public:
  // Starts family `name`: writes its # HELP and # TYPE lines. The samples
  // that follow belong to it. A histogram's name is its base name (the
  // exposition adds _bucket, _sum, _count).
  void family(std::string_view name, std::string_view help, MetricType type);

  // One sample of the current counter or gauge family. A counter's value
  // may not be negative or NaN.
  void sample(Labels labels, SampleValue value);
  void sample(SampleValue value) { sample(Labels{}, value); }

  // One histogram of the current histogram family, with its labels: the
  // cumulative _bucket series (le="+Inf" last), _sum and _count.
  void histogram(Labels labels, const HistogramSnapshot& snapshot);

  [[nodiscard]] const std::string& str() const& noexcept { return out_; }
  [[nodiscard]] std::string str() && noexcept { return std::move(out_); }

 private:
  struct Family {
    std::string name;
    MetricType type = MetricType::Gauge;
  };

  // The family samples go to; none yet is a bug.
  const Family& current_family(std::string_view operation) const;
  // Writes `name{labels[,le="..."]}` after checking the labels.
  void write_series(std::string_view name, Labels labels, std::string_view le = {});
  void reserve_name(std::string name);

  std::string out_;
  std::optional<Family> family_;
  std::set<std::string, std::less<>> names_;  // every series name declared so far
};

}  // namespace voxgate::api
