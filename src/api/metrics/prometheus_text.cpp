#include "api/metrics/prometheus_text.hpp"

#include <cmath>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

#include "api/metrics/exposition_escaping.hpp"
#include "api/metrics/metric_names.hpp"

namespace voxgate::api {

namespace {

constexpr std::string_view kCounterSuffix = "_total";

void append_double(std::string& out, double value) {
  // Go's strconv.ParseFloat, which Prometheus reads samples with, takes
  // these spellings and fmt's shortest round-trip form for finite values.
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

[[noreturn]] void bug(const std::string& what) {
  throw std::logic_error("Prometheus exposition: " + what);
}

}  // namespace

std::string_view to_string(MetricType type) noexcept {
  switch (type) {
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Histogram: return "histogram";
  }
  return "untyped";
}

bool SampleValue::is_negative_or_nan() const noexcept {
  if (const auto* i = std::get_if<std::int64_t>(&value_)) return *i < 0;
  if (const auto* d = std::get_if<double>(&value_)) return std::isnan(*d) || *d < 0;
  return false;
}

void SampleValue::append_to(std::string& out) const {
  if (const auto* d = std::get_if<double>(&value_)) {
    append_double(out, *d);
  } else {
    std::visit([&out](auto v) { fmt::format_to(std::back_inserter(out), "{}", v); }, value_);
  }
}

void PrometheusText::family(std::string_view name, std::string_view help, MetricType type) {
  if (!is_valid_metric_name(name)) bug(fmt::format("invalid metric name \"{}\"", name));
  if (help.empty()) bug(fmt::format("metric {} has no HELP text", name));
  // https://prometheus.io/docs/practices/naming/: "_total" marks an
  // accumulating count, and only that.
  const bool total = name.ends_with(kCounterSuffix);
  if (type == MetricType::Counter && !total) bug(fmt::format("counter {} does not end in _total", name));
  if (type != MetricType::Counter && total) bug(fmt::format("{} {} ends in _total", to_string(type), name));
  if (type == MetricType::Histogram) {
    for (const std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (name.ends_with(suffix)) bug(fmt::format("histogram {} ends in {}", name, suffix));
    }
    for (const std::string_view suffix : {"", "_bucket", "_sum", "_count"}) {
      reserve_name(fmt::format("{}{}", name, suffix));
    }
  } else {
    reserve_name(std::string(name));
  }
  family_ = Family{std::string(name), type};

  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  append_escaped_help(out_, help);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += to_string(type);
  out_ += '\n';
}

void PrometheusText::sample(Labels labels, SampleValue value) {
  const Family& f = current_family("sample");
  if (f.type == MetricType::Histogram) bug(fmt::format("histogram {} given a plain sample", f.name));
  if (f.type == MetricType::Counter && value.is_negative_or_nan()) {
    bug(fmt::format("counter {} given a negative or NaN value", f.name));
  }
  write_series(f.name, labels);
  value.append_to(out_);
  out_ += '\n';
}

void PrometheusText::histogram(Labels labels, const HistogramSnapshot& snapshot) {
  const Family& f = current_family("histogram");
  if (f.type != MetricType::Histogram) bug(fmt::format("{} {} given a histogram", to_string(f.type), f.name));
  if (snapshot.cumulative.size() != snapshot.upper_bounds.size()) {
    bug(fmt::format("histogram {}: {} bucket counts for {} bounds", f.name, snapshot.cumulative.size(),
                    snapshot.upper_bounds.size()));
  }
  const std::string bucket = f.name + "_bucket";
  std::string le;
  for (std::size_t i = 0; i < snapshot.upper_bounds.size(); ++i) {
    le.clear();
    append_double(le, snapshot.upper_bounds[i]);
    write_series(bucket, labels, le);
    SampleValue(snapshot.cumulative[i]).append_to(out_);
    out_ += '\n';
  }
  write_series(bucket, labels, "+Inf");
  SampleValue(snapshot.count).append_to(out_);
  out_ += '\n';
  write_series(f.name + "_sum", labels);
  append_double(out_, snapshot.sum);
  out_ += '\n';
  write_series(f.name + "_count", labels);
  SampleValue(snapshot.count).append_to(out_);
  out_ += '\n';
}

const PrometheusText::Family& PrometheusText::current_family(std::string_view operation) const {
  if (!family_) bug(fmt::format("{} before any family was declared", operation));
  return *family_;
}

void PrometheusText::write_series(std::string_view name, Labels labels, std::string_view le) {
  const std::span<const Label> list = labels.get();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string_view label = list[i].name;
    if (!is_valid_label_name(label)) bug(fmt::format("{}: invalid label name \"{}\"", name, label));
    // "le" is the bucket bound of a histogram series, written here.
    if (label == "le" && family_->type == MetricType::Histogram) bug(fmt::format("{}: label le is reserved", name));
    for (std::size_t j = 0; j < i; ++j) {
      if (list[j].name == label) bug(fmt::format("{}: label {} given twice", name, label));
    }
  }
  out_ += name;
  if (!list.empty() || !le.empty()) {
    out_ += '{';
    const char* separator = "";
    for (const Label& l : list) {
      out_ += separator;
      out_ += l.name;
      out_ += "=\"";
      append_escaped_label_value(out_, l.value);
      out_ += '"';
      separator = ",";
    }
    if (!le.empty()) {
      out_ += separator;
      out_ += "le=\"";
      out_ += le;
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
}

void PrometheusText::reserve_name(std::string name) {
  const auto [at, inserted] = names_.insert(std::move(name));
  if (!inserted) bug(fmt::format("series name {} declared twice", *at));
}

}  // namespace voxgate::api
