#include "sip/transport/sip_transport.hpp"

#include <utility>

#include "sip/message/parser.hpp"
#include "sip/transport/via_rewrite.hpp"

namespace voxgate::sip {

namespace {

// Reason phrases must be printable whatever bytes the peer sent.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  return out;
}

std::string_view skip_crlf(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == '\r' || text.front() == '\n')) text.remove_prefix(1);
  return text;
}

}  // namespace

SipTransport::SipTransport(std::size_t loop_index, TransportShared& shared)
    : loop_index_(loop_index),
      shared_(shared),
      loop_(shared.pool.loop(loop_index)),
      limiter_(shared.config.rate_limit, shared.clock),
      udp_(shared.config.listeners.size()),
      connection_ids_(loop_index),
      maintenance_timer_(loop_.context()) {}

SipTransport::~SipTransport() = default;

void SipTransport::add_udp_socket(std::size_t listener_index, std::unique_ptr<UdpListener> socket) {
  udp_.at(listener_index) = std::move(socket);
}

// ---- lifecycle ----

void SipTransport::start() {
  if (stopped_) return;
  for (auto& socket : udp_) {
    if (socket) socket->start(*this);
  }
  schedule_maintenance();
}

void SipTransport::stop() {
  if (stopped_) return;
  stopped_ = true;
  maintenance_timer_.cancel();
  for (auto& socket : udp_) {
    if (socket) socket->close();
  }
  // close() calls on_closed, which erases from connections_: iterate a copy.
  std::vector<std::shared_ptr<TcpConnection>> open;
  open.reserve(connections_.size());
  for (auto& [id, connection] : connections_) open.push_back(connection);
  for (auto& connection : open) connection->close(TcpCloseCause::Stopped, "SIP transport stopped");
  connections_.clear();
  by_remote_.clear();
}

void SipTransport::schedule_maintenance() {
  maintenance_timer_.expires_after(shared_.config.maintenance_interval);
  maintenance_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || stopped_) return;
    maintain();
    schedule_maintenance();
  });
}

void SipTransport::maintain() {
  const Clock::TimePoint now = shared_.clock.now();
  std::vector<std::shared_ptr<TcpConnection>> open;
  open.reserve(connections_.size());
  for (auto& [id, connection] : connections_) open.push_back(connection);
  for (auto& connection : open) connection->check_timeouts(now);
}

// ---- receiving ----

void SipTransport::on_datagram(UdpListener& listener, std::string&& bytes, const Address& source) {
  counters_.datagrams_in.add();
  counters_.udp.bytes_in.add(bytes.size());
  const Flow flow{TransportKind::Udp, source, listener.local(), ConnectionId{}};
  act(process_received(std::move(bytes), flow, shared_.datagram_policy, limiter_), flow);
}

void SipTransport::on_frame(TcpConnection& connection, std::string&& frame) {
  const Flow flow = connection.flow();
  act(process_received(std::move(frame), flow, shared_.stream_policy, limiter_), flow);
}

void SipTransport::act(ReceiveOutcome&& outcome, const Flow& flow) {
  switch (outcome.disposition) {
    case ReceiveDisposition::Deliver:
      counters_.of(flow.transport).messages_in.add();
      counters_.messages_in_by_kind.count(*outcome.message);
      dispatch(InboundMessage{std::move(*outcome.message), flow, shared_.clock.now()});
      return;
    case ReceiveDisposition::KeepAlive: counters_.keepalives_in.add(); return;
    case ReceiveDisposition::Rejected:
      counters_.parse_errors.add();
      counters_.error_responses_sent.add();
      shared_.log.debug("answering {} from {}: {}", outcome.message->status(), flow.remote, outcome.reason);
      send_stateless(*outcome.message, flow);
      return;
    case ReceiveDisposition::Dropped:
      counters_.parse_errors.add();
      counters_.dropped.add();
      shared_.log.debug("dropping a {} message from {}: {}", to_string(flow.transport), flow.remote, outcome.reason);
      return;
    case ReceiveDisposition::RateLimited:
      counters_.rate_limited.add();
      send_stateless(*outcome.message, flow);
      return;
    case ReceiveDisposition::RateLimitedDropped:
      counters_.rate_limited.add();
      counters_.dropped.add();
      return;
  }
}

void SipTransport::dispatch(InboundMessage&& message) {
  // validate_message() guarantees a well-formed Call-ID.
  const auto call_id = message.message.call_id();
  const std::size_t owner = call_id ? shared_.pool.index_for(*call_id) : loop_index_;
  if (owner == loop_index_) {
    handle(std::move(message));
    return;
  }
  SipTransport* target = shared_.loops[owner];
  shared_.pool.loop(owner).post([target, m = std::move(message)]() mutable { target->handle(std::move(m)); });
}

void SipTransport::handle(InboundMessage&& message) {
  if (stopped_ || handler_ == nullptr) return;
  handler_->on_message(std::move(message));
}

std::optional<std::string> SipTransport::on_framing_error(TcpConnection& connection, std::string_view unframed,
                                                          const FramingError& error) {
  counters_.parse_errors.add();
  shared_.log.debug("closing TCP connection from {}: {}", connection.remote(), error.reason);
  // The framer cannot delimit the message, but its header section may still
  // identify a request to answer (§18.3: "the server MUST ... respond with 400").
  const std::string_view text = skip_crlf(unframed);
  if (text.empty()) return std::nullopt;
  // Parsed as a datagram: Content-Length is what failed, the rest may not have.
  auto parsed = parse_message(std::string(text), ParseOptions{Framing::Datagram, shared_.config.stream_limits});
  std::optional<Message> request;
  if (parsed) {
    request = std::move(*parsed);
  } else if (parsed.error().request) {
    request = std::move(parsed.error().request);
  }
  if (!request || !request->is_request() || request->method() == Method::Ack) return std::nullopt;
  stamp_received_rport(*request, connection.remote());
  counters_.error_responses_sent.add();
  return make_stateless_response(*request, 400, printable("Bad framing: " + error.reason)).serialize();
}

// ---- TCP connections ----

TcpConnection::Context SipTransport::connection_context() noexcept {
  return TcpConnection::Context{shared_.config.tcp, shared_.config.stream_limits, shared_.clock, counters_, *this};
}

void SipTransport::adopt(boost::asio::ip::tcp::socket socket, const Address& remote) {
  auto connection = TcpConnection::accepted(std::move(socket), connection_ids_.next(), remote, connection_context());
  if (stopped_) {
    shared_.connection_limits.release(ConnectionDirection::Inbound, connection->remote().ip);
    return;  // the socket closes with the connection
  }
  counters_.connections_accepted.add();
  connections_.emplace(connection->id(), connection);
  by_remote_[connection->remote()] = connection->id();
  connection->start();
}

void SipTransport::on_closed(TcpConnection& connection, TcpCloseCause cause, const Error& reason) {
  counters_.connections_closed.add();
  switch (cause) {
    case TcpCloseCause::IdleTimeout: counters_.connections_timed_out.add(); break;
    case TcpCloseCause::Overflow: counters_.connections_overflowed.add(); break;
    case TcpCloseCause::ConnectFailed:
      counters_.send_errors.add();
      if (reason.code == Errc::Timeout) counters_.connections_timed_out.add();
      break;
    case TcpCloseCause::PeerClosed:
    case TcpCloseCause::BadFraming:
    case TcpCloseCause::Stopped: break;
  }
  shared_.log.debug("TCP connection {} with {} closed: {}", connection.id(), connection.remote(), reason.message);
  shared_.connection_limits.release(connection.direction(), connection.remote().ip);
  if (const auto found = by_remote_.find(connection.remote());
      found != by_remote_.end() && found->second == connection.id()) {
    by_remote_.erase(found);
  }
  connections_.erase(connection.id());
}

Result<ConnectionId> SipTransport::send_tcp_to(const Address& remote, std::string bytes,
                                               SendFailureHandler on_failure) {
  if (const auto found = by_remote_.find(remote); found != by_remote_.end()) {
    const auto connection = connections_.find(found->second);
    // A connection closing after a framing error takes no more sends: open
    // a new one instead.
    if (connection != connections_.end() &&
        (connection->second->state() == TcpState::Open || connection->second->state() == TcpState::Connecting)) {
      if (auto sent = connection->second->send(std::move(bytes), std::move(on_failure)); !sent) {
        counters_.send_errors.add();
        return tl::unexpected(std::move(sent.error()));
      }
      return connection->second->id();
    }
  }
  if (auto slot = shared_.connection_limits.acquire(ConnectionDirection::Outbound, remote.ip); !slot) {
    counters_.send_errors.add();
    return tl::unexpected(std::move(slot.error()));
  }
  auto connection = TcpConnection::connecting(loop_.context(), connection_ids_.next(), remote, connection_context());
  counters_.connections_connected.add();
  connections_.emplace(connection->id(), connection);
  by_remote_[remote] = connection->id();
  connection->start();
  // Queued until connected; a connect failure runs on_failure.
  (void)connection->send(std::move(bytes), std::move(on_failure));
  return connection->id();
}

Result<void> SipTransport::send_on_connection(ConnectionId id, std::string bytes,
                                              const std::optional<Address>& reconnect_to,
                                              SendFailureHandler on_failure) {
  if (stopped_) return make_error(Errc::InvalidState, "SIP transport stopped");
  if (const auto found = connections_.find(id); found != connections_.end()) {
    auto sent = found->second->send(std::move(bytes), std::move(on_failure));
    if (!sent) counters_.send_errors.add();
    return sent;
  }
  // §18.2.2: the connection is gone; open one to received + sent-by port.
  if (!reconnect_to) {
    counters_.send_errors.add();
    return make_error(Errc::NotFound, "TCP connection {} has closed and the Via gives no address", id);
  }
  auto sent = send_tcp_to(*reconnect_to, std::move(bytes), std::move(on_failure));
  if (!sent) return tl::unexpected(std::move(sent.error()));
  return {};
}

SendFailureHandler SipTransport::report_on(runtime::EventLoop& origin, SendFailureHandler on_failure) {
  if (!on_failure) return {};
  return [loop = &origin, f = std::move(on_failure)](const Error& error) {
    if (loop->in_loop_thread()) {
      f(error);
    } else {
      loop->post([f, error] { f(error); });
    }
  };
}

// ---- sending ----

Result<void> SipTransport::send_udp(std::string_view bytes, const Address& destination, const Address* local) {
  const BoundListener* listener = local != nullptr ? shared_.listeners.at(TransportKind::Udp, *local) : nullptr;
  if (listener == nullptr) listener = shared_.listeners.for_destination(TransportKind::Udp, destination.ip);
  if (listener == nullptr || !udp_[listener->index]) {
    counters_.send_errors.add();
    return make_error(Errc::Unsupported, "no UDP listener for {}", destination);
  }
  auto sent = udp_[listener->index]->send_to(bytes, destination);
  if (!sent) {
    counters_.send_errors.add();
    return sent;
  }
  counters_.udp.messages_out.add();
  counters_.messages_out_by_kind.count_serialized(bytes);
  counters_.udp.bytes_out.add(bytes.size());
  return {};
}

Result<Flow> SipTransport::send_request(Message& request, const Target& target, std::string_view branch,
                                        SendFailureHandler on_failure) {
  if (stopped_) return make_error(Errc::InvalidState, "SIP transport stopped");
  const auto& ip = target.address.ip;
  TransportKind transport = target.transport;
  const BoundListener* listener = shared_.listeners.for_destination(transport, ip);
  if (transport == TransportKind::Udp) {
    if (listener == nullptr) return make_error(Errc::Unsupported, "no UDP listener to send to {}", target.address);
    request.insert_header(0, HeaderId::Via, make_via_value(TransportKind::Udp, listener->sent_by, branch));
    std::string bytes = request.serialize();
    const BoundListener* tcp = shared_.listeners.for_destination(TransportKind::Tcp, ip);
    if (bytes.size() <= max_udp_request_bytes(shared_.config) || tcp == nullptr) {
      if (auto sent = send_udp(bytes, target.address, &listener->address); !sent) {
        return tl::unexpected(std::move(sent.error()));
      }
      return Flow{TransportKind::Udp, target.address, listener->address, ConnectionId{}};
    }
    // §18.1.1: too close to the MTU for UDP; the top Via says TCP now.
    request.set_field_value(0, make_via_value(TransportKind::Tcp, tcp->sent_by, branch));
    transport = TransportKind::Tcp;
  } else {
    // Without a TCP listener the connection still carries the responses;
    // the sent-by names whatever we listen on in that family.
    if (listener == nullptr) listener = shared_.listeners.for_destination(TransportKind::Udp, ip);
    if (listener == nullptr) return make_error(Errc::Unsupported, "no local address to send to {}", target.address);
    request.insert_header(0, HeaderId::Via, make_via_value(TransportKind::Tcp, listener->sent_by, branch));
  }
  auto id = send_tcp_to(target.address, request.serialize(), std::move(on_failure));
  if (!id) return tl::unexpected(std::move(id.error()));
  const auto connection = connections_.find(*id);
  const Address local = connection != connections_.end() ? connection->second->local() : Address{};
  return Flow{transport, target.address, local, *id};
}

Result<void> SipTransport::resend(std::string_view bytes, const Flow& flow) {
  if (stopped_) return make_error(Errc::InvalidState, "SIP transport stopped");
  if (flow.transport == TransportKind::Udp) return send_udp(bytes, flow.remote, &flow.local);
  const std::size_t owner = owning_loop(flow.connection);
  if (owner == loop_index_) return send_on_connection(flow.connection, std::string(bytes), std::nullopt, {});
  if (owner >= shared_.loops.size())
    return make_error(Errc::InvalidArgument, "no loop owns connection {}", flow.connection);
  SipTransport* target = shared_.loops[owner];
  shared_.pool.loop(owner).post([target, id = flow.connection, b = std::string(bytes)]() mutable {
    (void)target->send_on_connection(id, std::move(b), std::nullopt, {});
  });
  return {};
}

Result<void> SipTransport::send_response(const Message& response, const Flow& request_flow,
                                         SendFailureHandler on_failure) {
  if (stopped_) return make_error(Errc::InvalidState, "SIP transport stopped");
  const auto via = response.top_via();
  if (!via) return make_error(Errc::InvalidArgument, "response without a usable top Via: {}", via.error().reason);
  auto route = route_response(*via, request_flow);
  if (!route) return tl::unexpected(std::move(route.error()));
  return send_routed(response.serialize(), *route, request_flow, std::move(on_failure));
}

void SipTransport::send_stateless(const Message& response, const Flow& request_flow) {
  const auto via = response.top_via();
  auto route = via ? route_response(*via, request_flow) : Result<ResponseRoute>(route_back(request_flow));
  if (!route) route = route_back(request_flow);
  if (auto sent = send_routed(response.serialize(), *route, request_flow, {}); !sent) {
    shared_.log.debug("stateless {} to {} not sent: {}", response.status(), request_flow.remote, sent.error().message);
  }
}

Result<void> SipTransport::send_routed(std::string bytes, const ResponseRoute& route, const Flow& request_flow,
                                       SendFailureHandler on_failure) {
  if (route.connection == ConnectionId{} && !route.destination) {
    return make_error(Errc::InvalidArgument, "response route names neither a connection nor an address");
  }
  if (route.transport == TransportKind::Udp) {
    // RFC 3581 §4: from the address and port the request arrived on.
    return send_udp(bytes, *route.destination, &request_flow.local);
  }
  if (route.connection == ConnectionId{}) {
    auto sent = send_tcp_to(*route.destination, std::move(bytes), std::move(on_failure));
    if (!sent) return tl::unexpected(std::move(sent.error()));
    return {};
  }
  const std::size_t owner = owning_loop(route.connection);
  if (owner == loop_index_) {
    return send_on_connection(route.connection, std::move(bytes), route.destination, std::move(on_failure));
  }
  if (owner >= shared_.loops.size()) {
    return make_error(Errc::InvalidArgument, "no loop owns connection {}", route.connection);
  }
  SipTransport* target = shared_.loops[owner];
  shared_.pool.loop(owner).post([target, origin = &loop_, id = route.connection, b = std::move(bytes),
                                 to = route.destination, f = std::move(on_failure)]() mutable {
    // Failures are reported on the loop that sent (MessageTransport's contract).
    const SendFailureHandler back = report_on(*origin, std::move(f));
    if (auto sent = target->send_on_connection(id, std::move(b), to, back); !sent && back) back(sent.error());
  });
  return {};
}

}  // namespace voxgate::sip
