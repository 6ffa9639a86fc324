#include "sip/transport/transport_config.hpp"

#include <gtest/gtest.h>

namespace voxgate::sip {
namespace {

TEST(TransportConfig, DefaultsToUdpAndTcpOnLoopbackPort5060) {
  const TransportConfig config = default_transport_config();
  ASSERT_EQ(config.listeners.size(), 2U);
  EXPECT_EQ(config.listeners[0].transport, TransportKind::Udp);
  EXPECT_EQ(config.listeners[1].transport, TransportKind::Tcp);
  for (const auto& l : config.listeners) {
    EXPECT_EQ(l.address.ip.to_string(), "127.0.0.1");
    EXPECT_EQ(l.address.port, 5060);
  }
  EXPECT_TRUE(validate(config));
}

TEST(TransportConfig, KeepsUdpRequestsAtLeast200BytesBelowTheMtu) {
  TransportConfig config;
  EXPECT_EQ(max_udp_request_bytes(config), 1300U);
}

TEST(TransportConfig, RejectsNoListener) {
  TransportConfig config;
  EXPECT_FALSE(validate(config));
}

TEST(TransportConfig, RejectsAWildcardAddressWithoutAdvertisedHost) {
  TransportConfig config;
  config.listeners.push_back({TransportKind::Udp, {boost::asio::ip::make_address("0.0.0.0"), 5060}, std::nullopt});
  const auto invalid = validate(config);
  ASSERT_FALSE(invalid);
  EXPECT_NE(invalid.error().message.find("advertised"), std::string::npos);
  config.listeners[0].advertised_host = "sip.example.com";
  EXPECT_TRUE(validate(config));
}

TEST(TransportConfig, RejectsTheSameListenerTwice) {
  TransportConfig config = default_transport_config();
  config.listeners.push_back(config.listeners[0]);
  EXPECT_FALSE(validate(config));
}

TEST(TransportConfig, RejectsAnInputLimitSmallerThanOneMessage) {
  TransportConfig config = default_transport_config();
  config.tcp.max_input_bytes = config.stream_limits.max_message_bytes - 1;
  EXPECT_FALSE(validate(config));
}

TEST(TransportConfig, RejectsAnEnabledRateLimitWithoutRate) {
  TransportConfig config = default_transport_config();
  config.rate_limit.requests_per_second = 0;
  EXPECT_FALSE(validate(config));
  config.rate_limit.enabled = false;
  EXPECT_TRUE(validate(config));
}

}  // namespace
}  // namespace voxgate::sip
