// The TCP side of the transport on real sockets (127.0.0.1, ::1, port 0).

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "sip/message/builder.hpp"
#include "sip/transport/connection_id.hpp"
#include "sip/transport/transport_test_support.hpp"

namespace voxgate::sip {
namespace {

using namespace test;

// TCP_NODELAY of this process's TCP socket whose remote end is `peer` (an
// IPv4 address), found among the open descriptors; nullopt when none is.
std::optional<bool> nodelay_of_socket_connected_to(const Address& peer) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    const int fd = std::stoi(entry.path().filename().string());
    sockaddr_in remote{};
    socklen_t length = sizeof remote;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&remote), &length) != 0 || remote.sin_family != AF_INET) {
      continue;
    }
    if (ntohs(remote.sin_port) != peer.port || ntohl(remote.sin_addr.s_addr) != peer.ip.to_v4().to_uint()) continue;
    int nodelay = 0;
    socklen_t size = sizeof nodelay;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &size) != 0) continue;
    return nodelay != 0;
  }
  return std::nullopt;
}

Message options_request(std::string_view call_id, std::string_view body = {}) {
  MessageBuilder builder = MessageBuilder::request(Method::Options, "sip:peer@127.0.0.1");
  builder.header(HeaderId::From, "<sip:gw@example.com>;tag=g1")
      .header(HeaderId::To, "<sip:peer@example.com>")
      .header(HeaderId::CallId, call_id)
      .header(HeaderId::CSeq, "1 OPTIONS")
      .header(HeaderId::MaxForwards, "70");
  if (!body.empty()) builder.body("text/plain", body);
  return builder.build();
}

TEST(TransportTcp, FramesSeveralMessagesInOneSegment) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  std::string segment;
  for (int i = 0; i < 3; ++i) {
    segment += client_request("OPTIONS", fmt::format("tcp-{}", i), "TCP", "client.invalid:5070", true);
  }
  stream.write(segment);
  std::set<std::string> call_ids;
  ConnectionId connection{};
  for (int i = 0; i < 3; ++i) {
    auto d = h.inbox.wait();
    ASSERT_TRUE(d);
    call_ids.insert(std::string(*d->inbound.message.call_id()));
    EXPECT_EQ(d->loop, h.pool.index_for(*d->inbound.message.call_id()));
    EXPECT_TRUE(d->on_loop_thread);
    const Flow& flow = d->inbound.flow;
    EXPECT_EQ(flow.transport, TransportKind::Tcp);
    EXPECT_EQ(flow.remote, stream.local());
    EXPECT_EQ(flow.local, h.local(TransportKind::Tcp));
    EXPECT_NE(flow.connection, ConnectionId{});
    if (connection != ConnectionId{}) {
      EXPECT_EQ(flow.connection, connection);
    }
    connection = flow.connection;
    const auto via = d->inbound.message.top_via();
    ASSERT_TRUE(via);
    EXPECT_EQ(via->received(), "127.0.0.1");
    EXPECT_EQ(via->rport(), stream.local().port);
  }
  EXPECT_EQ(call_ids, (std::set<std::string>{"tcp-0", "tcp-1", "tcp-2"}));
  EXPECT_EQ(h.transport.stats().tcp.messages_in, 3U);
}

TEST(TransportTcp, FramesAMessageSplitAcrossSegments) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  const std::string message = client_request("MESSAGE", "split-1", "TCP", "127.0.0.1:5070", false, "hello body");
  const std::size_t cut = message.find("Call-ID") + 3;  // mid-header
  stream.write(message.substr(0, cut));
  EXPECT_FALSE(h.inbox.wait(kQuiet));
  stream.write(message.substr(cut, message.size() - cut - 4));  // all but the end of the body
  EXPECT_FALSE(h.inbox.wait(kQuiet));
  stream.write(message.substr(message.size() - 4));
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->inbound.message.body(), "hello body");
  EXPECT_FALSE(h.inbox.wait(kQuiet));
}

TEST(TransportTcp, SendsResponsesBackOnTheRequestsConnection) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  // Call-IDs owned by every loop: most responses are posted to the loop that
  // owns the connection.
  std::set<std::size_t> owners;
  std::set<std::string> sent;
  for (int i = 0; owners.size() < h.pool.size(); ++i) {
    const std::string call_id = fmt::format("resp-{}", i);
    owners.insert(h.pool.index_for(call_id));
    sent.insert(call_id);
    // The sent-by port is closed: only the connection can carry the answer.
    stream.write(client_request("OPTIONS", call_id, "TCP", "127.0.0.1:9", true));
  }
  for (std::size_t i = 0; i < sent.size(); ++i) {
    auto d = h.inbox.wait();
    ASSERT_TRUE(d);
    ASSERT_TRUE(respond(h, *d, 200));
  }
  std::set<std::string> answered;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    auto response = stream.read_message();
    ASSERT_TRUE(response) << "response " << i;
    EXPECT_EQ(response->status(), 200);
    answered.insert(std::string(*response->call_id()));
  }
  EXPECT_EQ(answered, sent);
  EXPECT_EQ(h.transport.stats().connections_accepted, 1U);
}

TEST(TransportTcp, ReconnectsToReceivedAndTheSentByPortWhenTheConnectionHasClosed) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  const Address peer_server = peer.listen("127.0.0.1");
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  stream.write(client_request("INVITE", "reconnect-1", "TCP", fmt::format("127.0.0.1:{}", peer_server.port), false));
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  stream.close();
  ASSERT_TRUE(h.stats_reach([](const TransportStats& s) { return s.connections_closed == 1; }));
  ASSERT_TRUE(respond(h, *d, 486));  // §18.2.2: a new connection to the Via address
  auto back = peer.accept();
  ASSERT_TRUE(back);
  auto response = back->read_message();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 486);
}

TEST(TransportTcp, SendsARequestTooLargeForUdpOverTcp) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  const Address target = peer.listen("127.0.0.1");
  const std::string big_body(1400, 'x');  // over MTU 1500 - 200 with the headers
  auto flow = call_on(h.pool, 0, [&] {
    Message request = options_request("big-1", big_body);
    return h.transport.message_transport(0).send_request(request, Target{TransportKind::Udp, target}, "z9hG4bKbig", {});
  });
  ASSERT_TRUE(flow) << flow.error().message;
  EXPECT_EQ(flow->transport, TransportKind::Tcp);  // §18.1.1
  EXPECT_EQ(owning_loop(flow->connection), 0U);
  auto accepted = peer.accept();
  ASSERT_TRUE(accepted);
  auto request = accepted->read_message();
  ASSERT_TRUE(request);
  EXPECT_EQ(request->body(), big_body);
  EXPECT_EQ(*request->first_value(HeaderId::Via),
            fmt::format("SIP/2.0/TCP 127.0.0.1:{};branch=z9hG4bKbig;rport", h.local(TransportKind::Tcp).port));

  // The answer on that connection is read and delivered like any message.
  accepted->write(make_response(*request, 200).build().serialize());
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->inbound.message.is_response());
  EXPECT_EQ(d->inbound.flow.connection, flow->connection);
}

TEST(TransportTcp, KeepsSmallRequestsOnUdp) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  UdpPeer peer("127.0.0.1");
  auto flow = call_on(h.pool, 0, [&] {
    Message request = options_request("small-1", std::string(1000, 'x'));
    return h.transport.message_transport(0).send_request(request, Target{TransportKind::Udp, peer.address()},
                                                         "z9hG4bKsmall", {});
  });
  ASSERT_TRUE(flow);
  EXPECT_EQ(flow->transport, TransportKind::Udp);
  EXPECT_TRUE(peer.receive());
}

// Each SIP message leaves in one write: Nagle's algorithm must not hold it
// back waiting for the ACK of the previous one.
TEST(TransportTcp, AcceptedAndOpenedConnectionsSendWithoutNagleDelay) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  stream.write(client_request("OPTIONS", "nodelay-in", "TCP", "127.0.0.1:9", true));
  ASSERT_TRUE(h.inbox.wait()) << "the connection is accepted and read";
  EXPECT_EQ(nodelay_of_socket_connected_to(stream.local()), std::optional<bool>(true));

  const Address target = peer.listen("127.0.0.1");
  auto sent = call_on(h.pool, 0, [&] {
    Message request = options_request("nodelay-out");
    return h.transport.message_transport(0).send_request(request, Target{TransportKind::Tcp, target}, "z9hG4bKnodelay",
                                                         {});
  });
  ASSERT_TRUE(sent);
  auto accepted = peer.accept();
  ASSERT_TRUE(accepted);
  ASSERT_TRUE(accepted->read_message()) << "connected and written";
  EXPECT_EQ(nodelay_of_socket_connected_to(target), std::optional<bool>(true));
}

TEST(TransportTcp, ReusesTheOpenConnectionToATarget) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  const Address target = peer.listen("127.0.0.1");
  auto send = [&](std::string_view call_id) {
    return call_on(h.pool, 2, [&] {
      Message request = options_request(call_id);
      return h.transport.message_transport(2).send_request(request, Target{TransportKind::Tcp, target},
                                                           fmt::format("z9hG4bK{}", call_id), {});
    });
  };
  auto first = send("reuse-1");
  auto second = send("reuse-2");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->connection, second->connection);
  auto accepted = peer.accept();
  ASSERT_TRUE(accepted);
  EXPECT_TRUE(accepted->read_message());
  EXPECT_TRUE(accepted->read_message());
  EXPECT_FALSE(peer.accept(kQuiet));
  EXPECT_EQ(h.transport.stats().connections_connected, 1U);
}

TEST(TransportTcp, ReportsAConnectFailureOnTheSendingLoop) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  Address closed_port;
  {
    TcpPeer gone;
    closed_port = gone.listen("127.0.0.1");
  }  // nobody listens there any more
  std::promise<std::pair<bool, Errc>> failed;
  auto flow = call_on(h.pool, 1, [&] {
    Message request = options_request("refused-1");
    return h.transport.message_transport(1).send_request(
        request, Target{TransportKind::Tcp, closed_port}, "z9hG4bKrefused", [&](const Error& error) {
          failed.set_value({h.pool.loop(1).in_loop_thread(), error.code});
        });
  });
  ASSERT_TRUE(flow);  // the connect is asynchronous
  auto future = failed.get_future();
  ASSERT_EQ(future.wait_for(kWait), std::future_status::ready);
  const auto [on_sending_loop, code] = future.get();
  EXPECT_TRUE(on_sending_loop);
  EXPECT_EQ(code, Errc::Io);
  EXPECT_TRUE(h.stats_reach([](const TransportStats& s) { return s.send_errors == 1 && s.connections_open == 0; }));
}

TEST(TransportTcp, ClosesAConnectionAfterTheIdleTimeout) {
  TransportConfig config = loopback_config("127.0.0.1");
  config.tcp.idle_timeout = 30s;
  TransportHarness h(config);
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  stream.write(client_request("OPTIONS", "idle-1", "TCP", "127.0.0.1:9", true));
  ASSERT_TRUE(h.inbox.wait());
  h.clock.advance(29s);
  EXPECT_FALSE(stream.wait_closed(kQuiet));  // many maintenance ticks, not idle long enough
  stream.write("\r\n\r\n");                  // a keep-alive counts as traffic (and gets a pong)
  EXPECT_EQ(stream.read_raw(), "\r\n");      // RFC 5626 §4.4.1 pong
  h.clock.advance(29s);
  EXPECT_FALSE(stream.wait_closed(kQuiet));
  h.clock.advance(2s);
  EXPECT_TRUE(stream.wait_closed());
  EXPECT_TRUE(
      h.stats_reach([](const TransportStats& s) { return s.connections_timed_out == 1 && s.connections_open == 0; }));
}

TEST(TransportTcp, RefusesConnectionsOverThePerSourceLimit) {
  TransportConfig config = loopback_config("127.0.0.1");
  config.tcp.max_connections_per_source = 2;
  TransportHarness h(config);
  ASSERT_TRUE(h.transport.start());
  const Address server = h.local(TransportKind::Tcp);
  TcpPeer peer;
  std::vector<TcpStream> streams;
  for (int i = 0; i < 2; ++i) {
    streams.push_back(peer.connect(server, "127.0.0.1"));
    streams.back().write(client_request("OPTIONS", fmt::format("limit-{}", i), "TCP", "127.0.0.1:9", true));
    ASSERT_TRUE(h.inbox.wait());
  }
  TcpStream third = peer.connect(server, "127.0.0.1");
  EXPECT_TRUE(third.wait_closed());
  TcpStream other_source = peer.connect(server, "127.0.0.2");
  other_source.write(client_request("OPTIONS", "limit-other", "TCP", "127.0.0.2:9", true));
  EXPECT_TRUE(h.inbox.wait());
  EXPECT_FALSE(streams[0].wait_closed(kQuiet));
  EXPECT_TRUE(h.stats_reach([](const TransportStats& s) { return s.connections_refused == 1; }));
}

TEST(TransportTcp, ClosesAConnectionWhoseUnframedInputExceedsTheLimit) {
  TransportConfig config = loopback_config("127.0.0.1");
  config.stream_limits.max_message_bytes = 4096;
  config.tcp.max_input_bytes = 4096;
  TransportHarness h(config);
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  std::string endless = "OPTIONS sip:bob@example.com SIP/2.0\r\n";
  while (endless.size() < 20000) endless += "X-Padding: " + std::string(100, 'p') + "\r\n";
  stream.write(endless);  // no empty line: never a complete header section
  EXPECT_TRUE(stream.wait_closed());
  EXPECT_EQ(h.inbox.size(), 0U);
  EXPECT_TRUE(h.stats_reach([](const TransportStats& s) { return s.connections_closed == 1; }));
}

TEST(TransportTcp, ClosesAConnectionWhoseOutputExceedsTheLimit) {
  TransportConfig config = loopback_config("127.0.0.1");
  config.tcp.max_output_bytes = 1000;
  TransportHarness h(config);
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  stream.write(client_request("OPTIONS", "out-limit", "TCP", "127.0.0.1:9", true));
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  const std::size_t owner = owning_loop(d->inbound.flow.connection);
  const auto sent = call_on(h.pool, owner, [&] {
    Message response = make_response(d->inbound.message, 200, {}, "srv").build();
    response.set_body(std::string(2000, 'x'), "text/plain");
    return h.transport.message_transport(owner).send_response(response, d->inbound.flow, {});
  });
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, Errc::LimitExceeded);
  EXPECT_TRUE(stream.wait_closed());
  EXPECT_TRUE(h.stats_reach([](const TransportStats& s) { return s.connections_overflowed == 1; }));
}

TEST(TransportTcp, AnswersBadFramingWith400ThenCloses) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  std::string bad = client_request("OPTIONS", "framing-1", "TCP", "127.0.0.1:9", true);
  bad.replace(bad.find("Content-Length: 0"), 17, "Content-Length: ten");
  stream.write(bad);
  auto response = stream.read_message();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 400);
  EXPECT_EQ(*response->call_id(), "framing-1");
  EXPECT_TRUE(stream.wait_closed());
  EXPECT_EQ(h.inbox.size(), 0U);
  EXPECT_TRUE(h.stats_reach([](const TransportStats& s) { return s.error_responses_sent == 1; }));
}

TEST(TransportTcp, ClosesWithout400WhenTheBadFramingIsNotARequest) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  stream.write("\r garbage\r\n\r\n");
  EXPECT_FALSE(stream.read_message(kQuiet));
  EXPECT_TRUE(stream.wait_closed());
}

TEST(TransportTcp, AnswersAFloodOverTcpWith503OnTheConnection) {
  TransportConfig config = loopback_config("127.0.0.1");
  config.rate_limit.requests_per_second = 1;
  config.rate_limit.burst = 1;
  TransportHarness h(config);
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  stream.write(client_request("INVITE", "tcp-flood-1", "TCP", "127.0.0.1:9", true) +
               client_request("INVITE", "tcp-flood-2", "TCP", "127.0.0.1:9", true));
  auto refused = stream.read_message();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status(), 503);
  EXPECT_EQ(*refused->call_id(), "tcp-flood-2");
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  EXPECT_EQ(*d->inbound.message.call_id(), "tcp-flood-1");
}

TEST(TransportTcp, WorksOverIPv6) {
  if (!has_ipv6_loopback()) GTEST_SKIP() << "no IPv6 loopback on this machine";
  TransportHarness h(loopback_config("::1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp, true));
  stream.write(client_request("OPTIONS", "v6-1", "TCP", "[::1]:9", true));
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->inbound.message.top_via()->received(), "::1");
  ASSERT_TRUE(respond(h, *d, 200));
  auto response = stream.read_message();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status(), 200);
  EXPECT_EQ(h.transport.listeners()[1].sent_by, fmt::format("[::1]:{}", h.local(TransportKind::Tcp, true).port));
}

TEST(TransportTcp, StopClosesConnectionsAndFailsLaterSends) {
  TransportHarness h(loopback_config("127.0.0.1"));
  ASSERT_TRUE(h.transport.start());
  TcpPeer peer;
  TcpStream stream = peer.connect(h.local(TransportKind::Tcp));
  stream.write(client_request("OPTIONS", "stop-1", "TCP", "127.0.0.1:9", true));
  auto d = h.inbox.wait();
  ASSERT_TRUE(d);
  h.transport.stop();
  EXPECT_TRUE(stream.wait_closed());
  const auto sent = respond(h, *d, 200);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, Errc::InvalidState);
}

}  // namespace
}  // namespace voxgate::sip
