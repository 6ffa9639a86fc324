#pragma once
// The Prometheus grammar for metric and label names (data model,
// https://prometheus.io/docs/concepts/data_model/#metric-names-and-labels),
// and the naming conventions voxgate holds its metrics to
// (https://prometheus.io/docs/practices/naming/). PrometheusText checks
// every name it is given with these; call them directly to check a name
// built at run time before using it.

#include <string_view>

namespace voxgate::api {

// [a-zA-Z_:][a-zA-Z0-9_:]*
[[nodiscard]] bool is_valid_metric_name(std::string_view name) noexcept;

// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved for
// Prometheus' own use).
[[nodiscard]] bool is_valid_label_name(std::string_view name) noexcept;

}  // namespace voxgate::api
