#include "sip/transport/tcp_connection_state.hpp"

#include <gtest/gtest.h>

namespace voxgate::sip {
namespace {

TcpState after(TcpState state, TcpEvent event) {
  auto next = tcp_transition(state, event);
  EXPECT_TRUE(next) << to_string(state) << " + " << to_string(event);
  return next ? *next : state;
}

TEST(TcpConnectionState, ConnectsThenOpens) {
  EXPECT_EQ(after(TcpState::Connecting, TcpEvent::Connected), TcpState::Open);
  EXPECT_EQ(after(TcpState::Connecting, TcpEvent::ConnectFailed), TcpState::Closed);
  EXPECT_EQ(after(TcpState::Connecting, TcpEvent::CloseNow), TcpState::Closed);
}

TEST(TcpConnectionState, DrainsAfterAFramingErrorThenCloses) {
  EXPECT_EQ(after(TcpState::Open, TcpEvent::DrainRequested), TcpState::Draining);
  EXPECT_EQ(after(TcpState::Draining, TcpEvent::Flushed), TcpState::Closed);
  EXPECT_EQ(after(TcpState::Draining, TcpEvent::Failed), TcpState::Closed);
}

TEST(TcpConnectionState, ClosesOnFailureOrRequest) {
  EXPECT_EQ(after(TcpState::Open, TcpEvent::Failed), TcpState::Closed);
  EXPECT_EQ(after(TcpState::Open, TcpEvent::CloseNow), TcpState::Closed);
}

TEST(TcpConnectionState, RejectsInvalidTransitionsNamingStateAndEvent) {
  const auto connected_twice = tcp_transition(TcpState::Open, TcpEvent::Connected);
  ASSERT_FALSE(connected_twice);
  EXPECT_EQ(connected_twice.error().code, Errc::InvalidState);
  EXPECT_NE(connected_twice.error().message.find("Connected"), std::string::npos);
  EXPECT_NE(connected_twice.error().message.find("Open"), std::string::npos);
  EXPECT_FALSE(tcp_transition(TcpState::Connecting, TcpEvent::DrainRequested));
  EXPECT_FALSE(tcp_transition(TcpState::Open, TcpEvent::Flushed));
  for (auto event : {TcpEvent::Connected, TcpEvent::ConnectFailed, TcpEvent::Failed, TcpEvent::DrainRequested,
                     TcpEvent::Flushed, TcpEvent::CloseNow}) {
    EXPECT_FALSE(tcp_transition(TcpState::Closed, event)) << to_string(event);
  }
}

}  // namespace
}  // namespace voxgate::sip
