// The UDP side of the transport on real sockets (127.0.0.1, ::1, port 0).

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sip/message/builder.hpp"
#include "sip/transport/transport_test_support.hpp"

namespace voxgate::sip {
namespace {

using namespace test;

void expect_delivered_on_owning_loops(TransportHarness& h, UdpPeer& peer, std::string_view local_ip) {
  const Address server = h.local(TransportKind::Udp, peer.address().ip.is_v6());
  std::set<std::size_t> loops;
  constexpr int kCalls = 12;
  for (int i = 0; i < kCalls; ++i) {
    peer.send(client_request("OPTIONS", fmt::format("udp-call-{}", i), "UDP", "client.invalid:5070", true), server);
  }
  for (int i = 0; i < kCalls; ++i) {
    auto d = h.inbox.wait();
    ASSERT_TRUE(d) << "message " << i << " not delivered";
    const Message& m = d->inbound.message;
    const auto call_id = m.call_id();
    ASSERT_TRUE(call_id);
    EXPECT_EQ(d->loop, h.pool.index_for(*call_id));
    EXPECT_TRUE(d->on_loop_thread);
    loops.insert(d->loop);
    EXPECT_EQ(d->inbound.flow.transport, TransportKind::Udp);
    EXPECT_EQ(d->inbound.flow.remote, peer.address());
    EXPECT_EQ(d->inbound.flow.local, server);
    const auto via = m.top_via();
    ASSERT_TRUE(via);
    EXPECT_EQ(via->received(), local_ip);
    EXPECT_EQ(via->rport(), peer.address().port);
  }
  // One peer socket lands on one loop's socket; the Call-IDs spread over
  // every loop, so most messages were handed over between loops.
  EXPECT_GT(loops.size(), 1U);
}

TEST(TransportUdp, DeliversARequestOnTheLoopOwningItsCallIdWithReceivedAndRport) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer peer("127.0.0.1");
  expect_delivered_on_owning_loops(h, peer, "127.0.0.1");
  EXPECT_EQ(h.transport.stats().udp.messages_in, 12U);
}

TEST(TransportUdp, DeliversOverIPv6) {
  if (!has_ipv6_loopback()) GTEST_SKIP() << "no IPv6 loopback on this machine";
  TransportHarness h(loopback_config("::1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer peer("::1");
  expect_delivered_on_owning_loops(h, peer, "::1");
}

TEST(TransportUdp, ReportsTheBoundPorts) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  const auto& listeners = h.transport.listeners();
  ASSERT_EQ(listeners.size(), 2U);
  for (const auto& l : listeners) {
    EXPECT_NE(l.address.port, 0);
    EXPECT_EQ(l.sent_by, fmt::format("127.0.0.1:{}", l.address.port));
  }
  EXPECT_EQ(h.transport.local_address(TransportKind::Udp), listeners[0].address);
  EXPECT_FALSE(h.transport.local_address(TransportKind::Udp, true));
}

TEST(TransportUdp, ReportsABindFailureNamingTheAddress) {
  // A socket without SO_REUSEPORT holds the port.
  boost::asio::io_context io;
  Udp::socket holder(io, Udp::endpoint(ip("127.0.0.1"), 0));
  TransportConfig config = loopback_config("127.0.0.1", {TransportKind::Udp});
  config.listeners[0].address.port = holder.local_endpoint().port();
  TransportHarness h(config);
  const auto started = h.transport.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code, Errc::Io);
  EXPECT_NE(started.error().message.find(fmt::format("127.0.0.1:{}", config.listeners[0].address.port)),
            std::string::npos)
      << started.error().message;
}

// The transaction layer's part in these tests: answer on the loop the
// request was delivered to.
TEST(TransportUdp, SendsTheResponseToTheSourcePortWhenTheRequestHasRport) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer peer("127.0.0.1");
  // The sent-by port is one nobody listens on: only rport can bring the
  // response back (RFC 3581 §4).
  peer.send(client_request("INVITE", "rport-1", "UDP", "127.0.0.1:9", true), h.local(TransportKind::Udp));
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  ASSERT_TRUE(respond(h, *d, 180));
  auto response = peer.receive_message();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 180);
  EXPECT_EQ(h.transport.stats().udp.messages_out, 1U);
}

TEST(TransportUdp, SendsTheResponseToTheSentByPortWithoutRport) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer sender("127.0.0.1");
  UdpPeer listener("127.0.0.1");
  // §18.2.2: no rport, sent-by host = source, so the response goes to the
  // sent-by port, not the source port.
  sender.send(
      client_request("INVITE", "no-rport-1", "UDP", fmt::format("127.0.0.1:{}", listener.address().port), false),
      h.local(TransportKind::Udp));
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  ASSERT_FALSE(d->inbound.message.top_via()->received());  // sent-by is the source
  ASSERT_TRUE(respond(h, *d, 200));
  auto response = listener.receive_message();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 200);
  EXPECT_FALSE(sender.receive(kQuiet));
}

TEST(TransportUdp, AnswersAMalformedRequestWith400AndDropsGarbage) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer peer("127.0.0.1");
  const Address server = h.local(TransportKind::Udp);
  peer.send("\x01\x02 not SIP at all\r\n\r\n", server);
  std::string missing_cseq = client_request("OPTIONS", "bad-1", "UDP", "127.0.0.1:9", true);
  missing_cseq.erase(missing_cseq.find("CSeq: 1 OPTIONS\r\n"), 17);
  peer.send(missing_cseq, server);

  // The garbage gets nothing: the first thing back is the 400, routed by rport.
  auto response = peer.receive_message();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 400);
  EXPECT_EQ(*response->call_id(), "bad-1");
  EXPECT_FALSE(peer.receive(kQuiet));
  EXPECT_EQ(h.inbox.size(), 0U);
  const auto stats = h.transport.stats();
  EXPECT_EQ(stats.datagrams_in, 2U);
  EXPECT_EQ(stats.parse_errors, 2U);
  EXPECT_EQ(stats.dropped, 1U);
  EXPECT_EQ(stats.error_responses_sent, 1U);
}

TEST(TransportUdp, IgnoresCrlfKeepAlives) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer peer("127.0.0.1");
  peer.send("\r\n\r\n", h.local(TransportKind::Udp));
  EXPECT_TRUE(h.stats_reach([](const TransportStats& s) { return s.keepalives_in == 1; }));
  EXPECT_FALSE(peer.receive(kQuiet));
  EXPECT_EQ(h.transport.stats().parse_errors, 0U);
}

TEST(TransportUdp, SendsARequestWithOurViaFromTheListenerSocket) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer peer("127.0.0.1");
  const Address server = h.local(TransportKind::Udp);
  auto flow = call_on(h.pool, 1, [&] {
    Message request = MessageBuilder::request(Method::Options, "sip:peer@127.0.0.1")
                          .header(HeaderId::From, "<sip:gw@example.com>;tag=g1")
                          .header(HeaderId::To, "<sip:peer@example.com>")
                          .header(HeaderId::CallId, "out-1")
                          .header(HeaderId::CSeq, "1 OPTIONS")
                          .header(HeaderId::MaxForwards, "70")
                          .build();
    return h.transport.message_transport(1).send_request(request, Target{TransportKind::Udp, peer.address()},
                                                         "z9hG4bKout1", {});
  });
  ASSERT_TRUE(flow) << flow.error().message;
  EXPECT_EQ(flow->transport, TransportKind::Udp);
  EXPECT_EQ(flow->remote, peer.address());
  EXPECT_EQ(flow->local, server);
  auto received = peer.receive_message();
  ASSERT_TRUE(received);
  EXPECT_EQ(*received->first_value(HeaderId::Via),
            fmt::format("SIP/2.0/UDP 127.0.0.1:{};branch=z9hG4bKout1;rport", server.port));
  EXPECT_EQ(received->fields().front().id, HeaderId::Via);

  // A response from the peer comes back to the transport and is delivered.
  peer.send(make_response(*received, 200).build().serialize(), server);
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->inbound.message.is_response());
  EXPECT_EQ(d->loop, h.pool.index_for("out-1"));
}

TEST(TransportUdp, AnswersAFloodFromOneSourceWith503WhileAnotherSourceIsServed) {
  TransportConfig config = loopback_config("127.0.0.1");
  config.rate_limit.requests_per_second = 1;
  config.rate_limit.burst = 3;
  config.rate_limit.retry_after_seconds = 9;
  TransportHarness h(config);  // the ManualClock never moves: no refill
  ASSERT_TRUE(h.transport.start());
  const Address server = h.local(TransportKind::Udp);

  UdpPeer flooder("127.0.0.1");
  for (int i = 0; i < 6; ++i) {
    flooder.send(client_request("INVITE", fmt::format("flood-{}", i), "UDP", "127.0.0.1:9", true), server);
  }
  for (int i = 0; i < 3; ++i) {
    auto refused = flooder.receive_message();
    ASSERT_TRUE(refused) << "503 number " << i;
    EXPECT_EQ(refused->status(), 503);
    EXPECT_EQ(refused->first_value(HeaderId::RetryAfter), "9");
  }
  // An ACK over the limit is dropped, never answered.
  flooder.send(client_request("ACK", "flood-ack", "UDP", "127.0.0.1:9", true), server);
  EXPECT_FALSE(flooder.receive(kQuiet));

  UdpPeer other("127.0.0.2");  // another source address (all of 127/8 is loopback)
  other.send(client_request("INVITE", "other-1", "UDP", "127.0.0.2:9", true), server);

  std::set<std::string> delivered;
  for (int i = 0; i < 4; ++i) {
    auto d = h.inbox.wait();
    ASSERT_TRUE(d);
    delivered.insert(std::string(*d->inbound.message.call_id()));
  }
  EXPECT_TRUE(delivered.contains("other-1"));
  EXPECT_EQ(h.inbox.size(), 0U);
  EXPECT_TRUE(h.stats_reach([](const TransportStats& s) { return s.rate_limited == 4; }));
}

}  // namespace
}  // namespace voxgate::sip
