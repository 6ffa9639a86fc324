#pragma once
// One worker loop's share of the SIP transport (RFC 3261 §18, RFC 3581):
// its UDP sockets (one per UDP listener), the TCP connections it owns, its
// per-source rate limiter and counters. It is the MessageTransport the
// loop's transaction layer sends through, and it hands received messages to
// the InboundMessageHandler of the loop that owns their Call-ID. Everything
// here runs on its own loop; other loops reach it only by post().
//
// TCP connection reuse: each loop keeps its own map remote address ->
// connection. A request to a target reuses a connection this loop owns
// (accepted from, or opened to, that address); it does not look at other
// loops' connections (that would need a shared table on the send path), so
// up to one connection per loop may be opened to the same target. Responses
// always go on the request's connection, whichever loop owns it, by post().

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sip/transport/connection_id.hpp"
#include "sip/transport/message_transport.hpp"
#include "sip/transport/receive_path.hpp"
#include "sip/transport/response_routing.hpp"
#include "sip/transport/source_limiter.hpp"
#include "sip/transport/tcp_connection.hpp"
#include "sip/transport/transport_shared.hpp"
#include "sip/transport/transport_stats.hpp"
#include "sip/transport/udp_listener.hpp"

namespace voxgate::sip {

class SipTransport final : public MessageTransport, private DatagramSink, private TcpConnectionEvents {
 public:
  SipTransport(std::size_t loop_index, TransportShared& shared);
  SipTransport(const SipTransport&) = delete;
  SipTransport& operator=(const SipTransport&) = delete;
  ~SipTransport() override;

  // ---- wiring, before start() ----
  void set_handler(InboundMessageHandler& handler) noexcept { handler_ = &handler; }
  [[nodiscard]] bool has_handler() const noexcept { return handler_ != nullptr; }
  // The socket of listener `listener_index` for this loop.
  void add_udp_socket(std::size_t listener_index, std::unique_ptr<UdpListener> socket);

  // ---- on this loop ----
  // Starts reading the UDP sockets and the maintenance tick.
  void start();
  // Closes every socket and connection; sends fail from now on.
  void stop();
  // Takes over a connection accepted from `remote` (its slot in the
  // connection limits already acquired for that address).
  void adopt(boost::asio::ip::tcp::socket socket, const Address& remote);
  // Hands a message to this loop's handler (posted here by the receiving loop).
  void handle(InboundMessage&& message);
  // Sends on connection `id`, owned by this loop; when it has closed and
  // `reconnect_to` is set, on a connection to that address (§18.2.2).
  Result<void> send_on_connection(ConnectionId id, std::string bytes, const std::optional<Address>& reconnect_to,
                                  SendFailureHandler on_failure);

  // ---- MessageTransport ----
  Result<Flow> send_request(Message& request, const Target& target, std::string_view branch,
                            SendFailureHandler on_failure) override;
  Result<void> resend(std::string_view bytes, const Flow& flow) override;
  Result<void> send_response(const Message& response, const Flow& request_flow, SendFailureHandler on_failure) override;

  // ---- any thread ----
  [[nodiscard]] const TransportCounters& counters() const noexcept { return counters_; }
  TransportCounters& counters() noexcept { return counters_; }
  [[nodiscard]] std::size_t loop_index() const noexcept { return loop_index_; }

  // ---- on this loop, for tests ----
  [[nodiscard]] std::size_t connection_count() const noexcept { return connections_.size(); }

 private:
  // DatagramSink
  void on_datagram(UdpListener& listener, std::string&& bytes, const Address& source) override;
  // TcpConnectionEvents
  void on_frame(TcpConnection& connection, std::string&& frame) override;
  std::optional<std::string> on_framing_error(TcpConnection& connection, std::string_view unframed,
                                              const FramingError& error) override;
  void on_closed(TcpConnection& connection, TcpCloseCause cause, const Error& reason) override;

  void act(ReceiveOutcome&& outcome, const Flow& flow);
  void dispatch(InboundMessage&& message);
  void send_stateless(const Message& response, const Flow& request_flow);
  Result<void> send_routed(std::string bytes, const ResponseRoute& route, const Flow& request_flow,
                           SendFailureHandler on_failure);
  Result<void> send_udp(std::string_view bytes, const Address& destination, const Address* local);
  // Sends over this loop's connection to `remote`, opening one if needed.
  Result<ConnectionId> send_tcp_to(const Address& remote, std::string bytes, SendFailureHandler on_failure);
  // `on_failure` wrapped to run on `origin` whatever loop calls it.
  static SendFailureHandler report_on(runtime::EventLoop& origin, SendFailureHandler on_failure);
  TcpConnection::Context connection_context() noexcept;
  void schedule_maintenance();
  void maintain();

  std::size_t loop_index_;
  TransportShared& shared_;
  runtime::EventLoop& loop_;
  InboundMessageHandler* handler_ = nullptr;
  TransportCounters counters_;
  SourceLimiter limiter_;
  std::vector<std::unique_ptr<UdpListener>> udp_;  // by listener index; null for TCP listeners
  ConnectionIdAllocator connection_ids_;
  std::unordered_map<ConnectionId, std::shared_ptr<TcpConnection>> connections_;
  std::unordered_map<Address, ConnectionId, AddressHash> by_remote_;
  boost::asio::steady_timer maintenance_timer_;
  bool stopped_ = false;
};

}  // namespace voxgate::sip
