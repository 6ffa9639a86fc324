#include "sip/transport/transport_layer.hpp"

#include <future>
#include <utility>

#include "sip/transport/connection_id.hpp"
#include "sip/transport/sip_transport.hpp"
#include "sip/transport/transport_shared.hpp"
#include "sip/transport/udp_listener.hpp"
#include "sip/transport/via_rewrite.hpp"

namespace voxgate::sip {

TransportLayer::TransportLayer(runtime::LoopPool& pool, const Clock& clock, TransportConfig config, Logger log)
    : shared_(std::make_unique<TransportShared>(std::move(config), clock, pool, std::move(log))) {
  loops_.reserve(pool.size());
  for (std::size_t i = 0; i < pool.size(); ++i) {
    loops_.push_back(std::make_unique<SipTransport>(i, *shared_));
    shared_->loops.push_back(loops_.back().get());
  }
}

TransportLayer::~TransportLayer() {
  stop();
}

void TransportLayer::set_handler(std::size_t loop_index, InboundMessageHandler& handler) {
  loops_.at(loop_index)->set_handler(handler);
}

MessageTransport& TransportLayer::message_transport(std::size_t loop_index) {
  return *loops_.at(loop_index);
}

std::size_t TransportLayer::loop_count() const noexcept {
  return loops_.size();
}

const std::vector<BoundListener>& TransportLayer::listeners() const noexcept {
  return shared_->listeners.all();
}

std::optional<Address> TransportLayer::local_address(TransportKind transport, bool ipv6) const noexcept {
  for (const BoundListener& l : shared_->listeners.all()) {
    if (l.transport == transport && l.address.ip.is_v6() == ipv6) return l.address;
  }
  return std::nullopt;
}

TransportStats TransportLayer::stats() const {
  TransportStats total;
  for (const auto& loop : loops_) total += loop->counters().snapshot();
  return total;
}

Result<void> TransportLayer::start() {
  if (started_) return make_error(Errc::InvalidState, "SIP transport already started");
  if (stopped_) return make_error(Errc::InvalidState, "SIP transport stopped; build a new one");
  if (auto valid = validate(shared_->config); !valid) return valid;
  if (shared_->config.acceptor_loop >= loops_.size()) {
    return make_error(Errc::InvalidArgument, "transport: acceptor loop {} but only {} loops",
                      shared_->config.acceptor_loop, loops_.size());
  }
  if (loops_.size() > kMaxConnectionLoops) {
    return make_error(Errc::InvalidArgument, "transport: at most {} loops", kMaxConnectionLoops);
  }
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    if (!loops_[i]->has_handler()) return make_error(Errc::InvalidState, "transport: no handler for loop {}", i);
  }
  if (auto bound = bind_all(); !bound) return bound;
  started_ = true;

  for (std::size_t i = 0; i < loops_.size(); ++i) {
    SipTransport* loop = loops_[i].get();
    shared_->pool.loop(i).post([loop] { loop->start(); });
  }
  shared_->pool.loop(shared_->config.acceptor_loop).post([this] {
    for (auto& listener : tcp_listeners_) listener->start(*this);
  });
  for (const BoundListener& l : shared_->listeners.all()) {
    shared_->log.info("SIP listening on {} {} (Via sent-by {})", to_string(l.transport), l.address, l.sent_by);
  }
  return {};
}

Result<void> TransportLayer::bind_all() {
  const TransportConfig& config = shared_->config;
  const UdpSocketOptions udp_options{config.udp_receive_buffer_bytes, config.udp_send_buffer_bytes};
  std::vector<BoundListener> bound;
  std::vector<std::vector<std::unique_ptr<UdpListener>>> udp_sockets(loops_.size());
  std::vector<std::unique_ptr<TcpListener>> tcp;

  for (std::size_t index = 0; index < config.listeners.size(); ++index) {
    const ListenerConfig& wanted = config.listeners[index];
    Address actual;
    if (wanted.transport == TransportKind::Udp) {
      // The first socket picks the port (ephemeral when 0); the others of
      // the other loops share it with SO_REUSEPORT.
      Address address = wanted.address;
      for (std::size_t loop = 0; loop < loops_.size(); ++loop) {
        auto socket = UdpListener::open(shared_->pool.loop(loop).context(), address, udp_options);
        if (!socket) return tl::unexpected(std::move(socket.error()));
        address = (*socket)->local();
        udp_sockets[loop].resize(config.listeners.size());
        udp_sockets[loop][index] = std::move(*socket);
      }
      actual = address;
    } else {
      auto listener = TcpListener::open(shared_->pool.loop(config.acceptor_loop).context(), wanted.address);
      if (!listener) return tl::unexpected(std::move(listener.error()));
      actual = (*listener)->local();
      tcp.push_back(std::move(*listener));
    }
    const std::string host = wanted.advertised_host.value_or(format_host(actual.ip));
    bound.push_back(BoundListener{index, wanted.transport, actual, format_host_port(host, actual.port)});
  }

  // Everything bound: hand the sockets over (nothing runs on them yet).
  shared_->listeners = ListenerSet(std::move(bound));
  for (std::size_t loop = 0; loop < loops_.size(); ++loop) {
    for (std::size_t index = 0; index < udp_sockets[loop].size(); ++index) {
      if (udp_sockets[loop][index]) loops_[loop]->add_udp_socket(index, std::move(udp_sockets[loop][index]));
    }
  }
  tcp_listeners_ = std::move(tcp);
  return {};
}

template <class Fn>
void TransportLayer::run_on(std::size_t index, Fn&& fn) {
  runtime::EventLoop& loop = shared_->pool.loop(index);
  if (loop.in_loop_thread() || loop.context().stopped()) {
    fn();
    return;
  }
  std::promise<void> done;
  loop.post([&fn, &done] {
    fn();
    done.set_value();
  });
  done.get_future().wait();
}

void TransportLayer::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (!started_) return;
  run_on(shared_->config.acceptor_loop, [this] {
    for (auto& listener : tcp_listeners_) listener->close();
  });
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    run_on(i, [loop = loops_[i].get()] { loop->stop(); });
  }
  // A second round, so that whatever one loop posted to another before it
  // stopped (a message hand-over, a send on a connection, a socket's aborted
  // completion) has run before the SipTransports can be destroyed.
  for (std::size_t i = 0; i < loops_.size(); ++i) run_on(i, [] {});
}

// ---- accepting (on the acceptor loop) ----

std::size_t TransportLayer::next_owner() {
  const std::size_t owner = next_owner_;
  next_owner_ = (next_owner_ + 1) % loops_.size();
  return owner;
}

boost::asio::io_context& TransportLayer::context_of(std::size_t loop_index) {
  return shared_->pool.loop(loop_index).context();
}

void TransportLayer::on_accepted(std::size_t owner, boost::asio::ip::tcp::socket socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return;  // reset before we looked: the socket closes here
  if (auto slot = shared_->connection_limits.acquire(ConnectionDirection::Inbound, remote.address()); !slot) {
    loops_[shared_->config.acceptor_loop]->counters().connections_refused.add();
    shared_->log.debug("refusing TCP connection from {}: {}", Address{remote.address(), remote.port()},
                       slot.error().message);
    socket.close(ec);
    return;
  }
  SipTransport* target = loops_[owner].get();
  shared_->pool.loop(owner).post(
      [target, s = std::move(socket), from = Address{remote.address(), remote.port()}]() mutable {
        target->adopt(std::move(s), from);
      });
}

}  // namespace voxgate::sip
