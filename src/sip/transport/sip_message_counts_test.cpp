#include "sip/transport/sip_message_counts.hpp"

#include <gtest/gtest.h>

#include "sip/message/builder.hpp"
#include "sip/transport/transport_stats.hpp"

namespace voxgate::sip {
namespace {

std::uint64_t total_requests(const SipMessageCounts& c) {
  std::uint64_t n = 0;
  for (const std::uint64_t v : c.requests) n += v;
  return n;
}

std::uint64_t total_responses(const SipMessageCounts& c) {
  std::uint64_t n = 0;
  for (const std::uint64_t v : c.responses) n += v;
  return n;
}

TEST(SipMessageCounters, CountsSerializedRequestsByTheMethodOfTheirRequestLine) {
  SipMessageCounters counters;
  counters.count_serialized("INVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\n\r\n");
  counters.count_serialized("ACK sip:bob@example.com SIP/2.0\r\n\r\n");
  counters.count_serialized("INVITE sip:carol@example.com SIP/2.0\r\n\r\n");
  counters.count_serialized("PUBLISH sip:p@example.com SIP/2.0\r\n\r\n");
  counters.count_serialized("invite sip:bob@example.com SIP/2.0\r\n\r\n");  // methods are case-sensitive (§7.1)
  counters.count_serialized("FOO sip:bob@example.com SIP/2.0\r\n\r\n");
  counters.count_serialized("AVERYLONGEXTENSIONMETHODNAME sip:bob@example.com SIP/2.0\r\n\r\n");
  const SipMessageCounts s = counters.snapshot();
  EXPECT_EQ(s.requests_of(Method::Invite), 2U);
  EXPECT_EQ(s.requests_of(Method::Ack), 1U);
  EXPECT_EQ(s.requests_of(Method::Publish), 1U);
  EXPECT_EQ(s.requests_of(Method::Extension), 3U);
  EXPECT_EQ(total_requests(s), 7U);
  EXPECT_EQ(total_responses(s), 0U);
}

TEST(SipMessageCounters, CountsSerializedResponsesByTheCodeOfTheirStatusLine) {
  SipMessageCounters counters;
  counters.count_serialized("SIP/2.0 100 Trying\r\n\r\n");
  counters.count_serialized("SIP/2.0 200 OK\r\n\r\n");
  counters.count_serialized("SIP/2.0 200 OK\r\n\r\n");
  counters.count_serialized("SIP/2.0 699 Custom\r\n\r\n");
  counters.count_serialized("SIP/2.0 099 Too low\r\n\r\n");  // not a status code: not counted
  counters.count_serialized("SIP/2.0 2x0 Bad\r\n\r\n");
  counters.count_serialized("SIP/2.0 20");
  const SipMessageCounts s = counters.snapshot();
  EXPECT_EQ(s.responses_of(100), 1U);
  EXPECT_EQ(s.responses_of(200), 2U);
  EXPECT_EQ(s.responses_of(699), 1U);
  EXPECT_EQ(s.responses_of(99), 0U);
  EXPECT_EQ(s.responses_of(700), 0U);
  EXPECT_EQ(total_responses(s), 4U);
  EXPECT_EQ(total_requests(s), 0U);
}

TEST(SipMessageCounters, CountsParsedMessagesByMethodOrStatus) {
  SipMessageCounters counters;
  const Message bye = MessageBuilder::request(Method::Bye, "sip:bob@example.com")
                          .header(HeaderId::Via, "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1")
                          .header(HeaderId::From, "<sip:a@example.com>;tag=1")
                          .header(HeaderId::To, "<sip:b@example.com>;tag=2")
                          .header(HeaderId::CallId, "c1")
                          .header(HeaderId::CSeq, "2 BYE")
                          .build();
  counters.count(bye);
  counters.count(make_response(bye, 481).build());
  const SipMessageCounts s = counters.snapshot();
  EXPECT_EQ(s.requests_of(Method::Bye), 1U);
  EXPECT_EQ(s.responses_of(481), 1U);
  EXPECT_EQ(total_requests(s) + total_responses(s), 2U);
}

TEST(SipMessageCounts, SumWithPlusEqualsAsPartOfTransportStats) {
  TransportCounters loop_a;
  TransportCounters loop_b;
  loop_a.messages_in_by_kind.count_request(Method::Options);
  loop_b.messages_in_by_kind.count_request(Method::Options);
  loop_b.messages_out_by_kind.count_response(200);
  loop_a.messages_out_by_kind.count_response(200);
  loop_a.messages_out_by_kind.count_response(503);
  TransportStats total;
  total += loop_a.snapshot();
  total += loop_b.snapshot();
  EXPECT_EQ(total.messages_in_by_kind.requests_of(Method::Options), 2U);
  EXPECT_EQ(total.messages_out_by_kind.responses_of(200), 2U);
  EXPECT_EQ(total.messages_out_by_kind.responses_of(503), 1U);
  EXPECT_EQ(total_requests(total.messages_out_by_kind), 0U);
}

}  // namespace
}  // namespace voxgate::sip
