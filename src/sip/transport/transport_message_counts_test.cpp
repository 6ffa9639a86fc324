// The transport's counts of SIP messages by method and status, on real
// sockets (127.0.0.1, port 0): every message counted in messages_in and
// messages_out is also counted by kind, retransmissions included.

#include <gtest/gtest.h>

#include <string>

#include "sip/message/builder.hpp"
#include "sip/transport/transport_test_support.hpp"

namespace voxgate::sip {
namespace {

using namespace test;

// The transaction layer's part in these tests: answer on the loop the
// request was delivered to.
TEST(TransportMessageCounts, CountsAnOptionsReceivedOverUdpByMethodAndItsResponseSentByStatus) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer peer("127.0.0.1");
  peer.send(client_request("OPTIONS", "count-udp-1", "UDP", "127.0.0.1:9", true), h.local(TransportKind::Udp));
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  ASSERT_TRUE(respond(h, *d, 200));
  auto response = peer.receive_message();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 200);

  const TransportStats stats = h.transport.stats();
  EXPECT_EQ(stats.messages_in_by_kind.requests_of(Method::Options), 1U);
  EXPECT_EQ(stats.messages_in_by_kind.requests_of(Method::Invite), 0U);
  EXPECT_EQ(stats.messages_out_by_kind.responses_of(200), 1U);
  EXPECT_EQ(stats.messages_out_by_kind.requests_of(Method::Options), 0U);
  EXPECT_EQ(stats.messages_in_by_kind.responses_of(200), 0U);
}

TEST(TransportMessageCounts, CountsAnOptionsReceivedOverTcpByMethodAndItsResponseSentByStatus) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  stream.write(client_request("OPTIONS", "count-tcp-1", "TCP", "client.invalid:5070", true));
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  ASSERT_TRUE(respond(h, *d, 486));
  auto response = stream.read_message();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 486);

  EXPECT_EQ(h.transport.stats().messages_in_by_kind.requests_of(Method::Options), 1U);
  // Counted when the write completes, which may be after the peer reads it.
  EXPECT_TRUE(h.stats_reach([](const TransportStats& s) { return s.messages_out_by_kind.responses_of(486) == 1; }));
  EXPECT_EQ(h.transport.stats().tcp.messages_out, 1U);
}

TEST(TransportMessageCounts, CountsARequestSentAndItsRetransmissionByMethod) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer peer("127.0.0.1");
  auto resent = call_on(h.pool, 0, [&]() -> Result<void> {
    Message request = MessageBuilder::request(Method::Invite, "sip:peer@127.0.0.1")
                          .header(HeaderId::From, "<sip:gw@example.com>;tag=g1")
                          .header(HeaderId::To, "<sip:peer@example.com>")
                          .header(HeaderId::CallId, "count-out-1")
                          .header(HeaderId::CSeq, "1 INVITE")
                          .header(HeaderId::MaxForwards, "70")
                          .build();
    MessageTransport& transport = h.transport.message_transport(0);
    auto flow = transport.send_request(request, Target{TransportKind::Udp, peer.address()}, "z9hG4bKcount1", {});
    if (!flow) return tl::unexpected(flow.error());
    return transport.resend(request.serialize(), *flow);  // Timer A fired (§17.1.1.2)
  });
  ASSERT_TRUE(resent) << resent.error().message;
  ASSERT_TRUE(peer.receive_message());
  ASSERT_TRUE(peer.receive_message());

  const TransportStats stats = h.transport.stats();
  EXPECT_EQ(stats.udp.messages_out, 2U);
  EXPECT_EQ(stats.messages_out_by_kind.requests_of(Method::Invite), 2U);
}

TEST(TransportMessageCounts, CountsAStatelessErrorResponseSentByStatusButNotTheMalformedRequest) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer peer("127.0.0.1");
  std::string missing_cseq = client_request("OPTIONS", "count-bad-1", "UDP", "127.0.0.1:9", true);
  missing_cseq.erase(missing_cseq.find("CSeq: 1 OPTIONS\r\n"), 17);
  peer.send(missing_cseq, h.local(TransportKind::Udp));
  auto response = peer.receive_message();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 400);

  // Sent from the loop: counted just after the bytes left, maybe after they arrived.
  EXPECT_TRUE(h.stats_reach([](const TransportStats& s) { return s.messages_out_by_kind.responses_of(400) == 1; }));
  EXPECT_EQ(h.transport.stats().messages_in_by_kind.requests_of(Method::Options), 0U);
}

}  // namespace
}  // namespace voxgate::sip
