#include "api/metrics/prometheus_text.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "api/metrics/metric_names.hpp"

namespace voxgate::api {
namespace {

using namespace std::chrono_literals;

TEST(PrometheusText, RendersACounterWithLabelsAGaugeAndAHistogramExactly) {
  PrometheusText text;
  text.family("voxgate_sip_messages_total", "SIP messages by direction and method.", MetricType::Counter);
  text.sample({{"direction", "in"}, {"method", "INVITE"}}, 3);
  text.sample({{"direction", "out"}, {"method", "BYE"}}, std::uint64_t{7});
  text.family("voxgate_sessions", "Sessions now.", MetricType::Gauge);
  text.sample(2);
  text.family("voxgate_call_setup_seconds", "Time from INVITE to answer.", MetricType::Histogram);
  const std::vector<double> bounds{0.1, 1.0};
  Histogram setup(bounds);
  setup.observe(50ms);
  setup.observe(100ms);  // on a bound: in that bucket (le is "less or equal")
  setup.observe(2s);
  text.histogram({{"direction", "inbound"}}, setup.snapshot());

  EXPECT_EQ(text.str(),
            "# HELP voxgate_sip_messages_total SIP messages by direction and method.\n"
            "# TYPE voxgate_sip_messages_total counter\n"
            "voxgate_sip_messages_total{direction=\"in\",method=\"INVITE\"} 3\n"
            "voxgate_sip_messages_total{direction=\"out\",method=\"BYE\"} 7\n"
            "# HELP voxgate_sessions Sessions now.\n"
            "# TYPE voxgate_sessions gauge\n"
            "voxgate_sessions 2\n"
            "# HELP voxgate_call_setup_seconds Time from INVITE to answer.\n"
            "# TYPE voxgate_call_setup_seconds histogram\n"
            "voxgate_call_setup_seconds_bucket{direction=\"inbound\",le=\"0.1\"} 2\n"
            "voxgate_call_setup_seconds_bucket{direction=\"inbound\",le=\"1\"} 2\n"
            "voxgate_call_setup_seconds_bucket{direction=\"inbound\",le=\"+Inf\"} 3\n"
            "voxgate_call_setup_seconds_sum{direction=\"inbound\"} 2.15\n"
            "voxgate_call_setup_seconds_count{direction=\"inbound\"} 3\n");
}

TEST(PrometheusText, RendersAnEmptyHistogramWithoutLabelsAsZeros) {
  PrometheusText text;
  text.family("voxgate_api_request_duration_seconds", "API request latency.", MetricType::Histogram);
  const std::vector<double> bounds{0.005};
  const Histogram empty(bounds);
  text.histogram({}, empty.snapshot());
  EXPECT_EQ(text.str(),
            "# HELP voxgate_api_request_duration_seconds API request latency.\n"
            "# TYPE voxgate_api_request_duration_seconds histogram\n"
            "voxgate_api_request_duration_seconds_bucket{le=\"0.005\"} 0\n"
            "voxgate_api_request_duration_seconds_bucket{le=\"+Inf\"} 0\n"
            "voxgate_api_request_duration_seconds_sum 0\n"
            "voxgate_api_request_duration_seconds_count 0\n");
}

// The sample lines of a gauge family holding `values`, one per line.
std::string gauge_lines(const std::vector<SampleValue>& values) {
  PrometheusText text;
  text.family("g", "help", MetricType::Gauge);
  for (const SampleValue& v : values) text.sample(v);
  const std::string& all = text.str();
  return all.substr(all.find("gauge\n") + 6);
}

TEST(PrometheusText, WritesIntegersWithoutExponentOrRounding) {
  EXPECT_EQ(gauge_lines({std::numeric_limits<std::uint64_t>::max(), std::numeric_limits<std::int64_t>::min(), 0,
                         std::uint16_t{65535}}),
            "g 18446744073709551615\n"
            "g -9223372036854775808\n"
            "g 0\n"
            "g 65535\n");
}

TEST(PrometheusText, WritesDoublesInTheirShortestExactFormAndNonFiniteAsPrometheusSpellsThem) {
  EXPECT_EQ(gauge_lines({0.1, 0.1 + 0.2, -2.5, 1e-7, 1e300, std::numeric_limits<double>::infinity(),
                         -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()}),
            "g 0.1\n"
            "g 0.30000000000000004\n"
            "g -2.5\n"
            "g 1e-07\n"
            "g 1e+300\n"
            "g +Inf\n"
            "g -Inf\n"
            "g NaN\n");
}

TEST(PrometheusText, EscapesBackslashAndNewlineInHelpButNotQuotes) {
  PrometheusText text;
  text.family("g", "a \\ b\nc \"d\"", MetricType::Gauge);
  EXPECT_EQ(text.str(), "# HELP g a \\\\ b\\nc \"d\"\n# TYPE g gauge\n");
}

TEST(PrometheusText, EscapesBackslashQuoteAndNewlineInLabelValues) {
  PrometheusText text;
  text.family("g", "help", MetricType::Gauge);
  text.sample({{"path", "C:\\dir"}, {"ua", "say \"hi\"\nbye"}}, 1);
  EXPECT_EQ(text.str().substr(text.str().find("gauge\n") + 6), "g{path=\"C:\\\\dir\",ua=\"say \\\"hi\\\"\\nbye\"} 1\n");
}

TEST(PrometheusText, KeepsValidUtf8AndReplacesInvalidBytesInLabelValues) {
  PrometheusText text;
  text.family("g", "help", MetricType::Gauge);
  // "é", "€", "😀", then a lone continuation byte, a truncated sequence, an
  // overlong '/', a surrogate half.
  text.sample({{"v", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80|\x80|\xE2\x82|\xC0\xAF|\xED\xA0\x80"}}, 1);
  EXPECT_EQ(text.str().substr(text.str().find("gauge\n") + 6),
            "g{v=\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80|\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD|"
            "\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"} 1\n");
}

TEST(PrometheusText, AcceptsLabelsFromASpan) {
  PrometheusText text;
  text.family("g", "help", MetricType::Gauge);
  const std::vector<Label> labels{{"a", "1"}, {"b", "2"}};
  text.sample(labels, 5);
  EXPECT_EQ(text.str().substr(text.str().find("gauge\n") + 6), "g{a=\"1\",b=\"2\"} 5\n");
}

TEST(PrometheusText, RejectsNamesOutsideThePrometheusGrammarAsBugs) {
  PrometheusText text;
  EXPECT_THROW(text.family("", "help", MetricType::Gauge), std::logic_error);
  EXPECT_THROW(text.family("1abc", "help", MetricType::Gauge), std::logic_error);
  EXPECT_THROW(text.family("voxgate-sessions", "help", MetricType::Gauge), std::logic_error);
  EXPECT_THROW(text.family("voxgate sessions", "help", MetricType::Gauge), std::logic_error);
  text.family("g", "help", MetricType::Gauge);
  EXPECT_THROW(text.sample({{"__reserved", "x"}}, 1), std::logic_error);
  EXPECT_THROW(text.sample({{"a:b", "x"}}, 1), std::logic_error);
  EXPECT_THROW(text.sample({{"9a", "x"}}, 1), std::logic_error);
  EXPECT_THROW(text.sample({{"", "x"}}, 1), std::logic_error);
  EXPECT_THROW(text.sample({{"a", "x"}, {"a", "y"}}, 1), std::logic_error);
}

TEST(PrometheusText, RequiresCountersAndOnlyCountersToEndInTotal) {
  PrometheusText text;
  EXPECT_THROW(text.family("voxgate_calls", "help", MetricType::Counter), std::logic_error);
  EXPECT_THROW(text.family("voxgate_calls_total", "help", MetricType::Gauge), std::logic_error);
  EXPECT_THROW(text.family("voxgate_calls_total", "help", MetricType::Histogram), std::logic_error);
  EXPECT_THROW(text.family("voxgate_setup_count", "help", MetricType::Histogram), std::logic_error);
  EXPECT_NO_THROW(text.family("voxgate_calls_total", "help", MetricType::Counter));
}

TEST(PrometheusText, RejectsAFamilyDeclaredTwiceOrCollidingWithAHistogramSeries) {
  PrometheusText text;
  text.family("voxgate_calls_total", "help", MetricType::Counter);
  EXPECT_THROW(text.family("voxgate_calls_total", "help", MetricType::Counter), std::logic_error);
  text.family("voxgate_setup_seconds", "help", MetricType::Histogram);
  EXPECT_THROW(text.family("voxgate_setup_seconds_count", "help", MetricType::Gauge), std::logic_error);
}

TEST(PrometheusText, RequiresHelpText) {
  PrometheusText text;
  EXPECT_THROW(text.family("g", "", MetricType::Gauge), std::logic_error);
}

TEST(PrometheusText, RejectsSamplesThatDoNotFitTheCurrentFamily) {
  PrometheusText text;
  EXPECT_THROW(text.sample(1), std::logic_error);  // no family yet
  text.family("voxgate_calls_total", "help", MetricType::Counter);
  EXPECT_THROW(text.sample(-1), std::logic_error);
  EXPECT_THROW(text.sample(std::numeric_limits<double>::quiet_NaN()), std::logic_error);
  const Histogram h;
  EXPECT_THROW(text.histogram({}, h.snapshot()), std::logic_error);
  text.family("voxgate_setup_seconds", "help", MetricType::Histogram);
  EXPECT_THROW(text.sample(1), std::logic_error);
  EXPECT_THROW(text.histogram({{"le", "1"}}, h.snapshot()), std::logic_error);
  HistogramSnapshot broken = h.snapshot();
  broken.cumulative.pop_back();
  EXPECT_THROW(text.histogram({}, broken), std::logic_error);
}

TEST(MetricNames, FollowThePrometheusGrammar) {
  EXPECT_TRUE(is_valid_metric_name("voxgate_sessions"));
  EXPECT_TRUE(is_valid_metric_name("_x:y_Z9"));
  EXPECT_TRUE(is_valid_metric_name(":recorded"));
  EXPECT_FALSE(is_valid_metric_name("9x"));
  EXPECT_FALSE(is_valid_metric_name("a.b"));
  EXPECT_FALSE(is_valid_metric_name("é"));
  EXPECT_TRUE(is_valid_label_name("method"));
  EXPECT_TRUE(is_valid_label_name("_private"));
  EXPECT_FALSE(is_valid_label_name("__name__"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
  EXPECT_FALSE(is_valid_label_name("0a"));
}

TEST(MetricType, NamesItsTypeLineWord) {
  EXPECT_EQ(to_string(MetricType::Counter), "counter");
  EXPECT_EQ(to_string(MetricType::Gauge), "gauge");
  EXPECT_EQ(to_string(MetricType::Histogram), "histogram");
}

}  // namespace
}  // namespace voxgate::api
