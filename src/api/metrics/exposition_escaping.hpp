#pragma once
// Escaping for the Prometheus text format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details):
// HELP text escapes backslash and line feed; label values also escape the
// double quote. Both must be UTF-8, and a Prometheus server rejects the
// whole scrape over one invalid byte, so invalid sequences (a peer's
// User-Agent, a reason phrase) become U+FFFD instead. PrometheusText uses
// these; they append to `out` so a whole exposition builds in one string.

#include <string>
#include <string_view>

namespace voxgate::api {

void append_escaped_help(std::string& out, std::string_view help);
void append_escaped_label_value(std::string& out, std::string_view value);

}  // namespace voxgate::api
