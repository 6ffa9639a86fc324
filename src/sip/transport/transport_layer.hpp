#pragma once
// The SIP transport of the process (RFC 3261 §18, RFC 3581): every listener
// on every worker loop. main() wires it:
//
//   runtime::LoopPool workers(n);
//   sip::TransportLayer transport(workers, clock, config, log);
//   for (i < workers.size()) transport.set_handler(i, transaction_layer[i]);
//       // each transaction layer sends through transport.message_transport(i)
//   workers.start();
//   if (auto started = transport.start(); !started) { print started.error(); exit }
//   for (auto& l : transport.listeners()) print l.transport, l.address;  // real ports
//   ... run ...
//   transport.stop();             // from the main thread, loops still running
//   workers.stop(); workers.join();
//
// Threading: start(), stop() and listeners() are for the main thread,
// stats() for any thread; message_transport(i) is used on loop i only, and
// only after start() returned; handler i is called on loop i only.
//
// Lifetime: stop() before the loops stop (or after they were joined), and
// destroy the TransportLayer before the LoopPool. stop() waits for each loop,
// so the loops must be running (or already stopped) when it is called.

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "base/clock.hpp"
#include "base/log.hpp"
#include "base/result.hpp"
#include "runtime/loop_pool.hpp"
#include "sip/transport/listener_set.hpp"
#include "sip/transport/message_transport.hpp"
#include "sip/transport/tcp_listener.hpp"
#include "sip/transport/transport_config.hpp"
#include "sip/transport/transport_stats.hpp"

namespace voxgate::sip {

class SipTransport;
struct TransportShared;

class TransportLayer final : private AcceptSink {
 public:
  TransportLayer(runtime::LoopPool& pool, const Clock& clock, TransportConfig config, Logger log = {});
  TransportLayer(const TransportLayer&) = delete;
  TransportLayer& operator=(const TransportLayer&) = delete;
  // Calls stop().
  ~TransportLayer() override;

  // The handler for messages whose Call-ID loop i owns. Before start().
  void set_handler(std::size_t loop_index, InboundMessageHandler& handler);
  // Loop i's MessageTransport, for the layer above to send through on loop i.
  [[nodiscard]] MessageTransport& message_transport(std::size_t loop_index);

  // Validates the configuration, binds every listener (all UDP sockets, one
  // per loop, and the TCP acceptors) and starts them on their loops. The
  // error names the listener that failed ("UDP bind 127.0.0.1:5060: Address
  // already in use"); nothing stays open then. The loops may already run or
  // be started afterwards.
  Result<void> start();

  // Closes every listener, socket and connection, on their loops, and waits
  // until no loop runs transport code any more. Call from a thread that is
  // not a worker loop, while the loops run or after they were stopped and
  // joined. Idempotent.
  void stop();

  // After start(): each configured listener with the port actually bound.
  [[nodiscard]] const std::vector<BoundListener>& listeners() const noexcept;
  // The first listener of `transport` (in the address family of `ipv6`).
  [[nodiscard]] std::optional<Address> local_address(TransportKind transport, bool ipv6 = false) const noexcept;

  // Sum of every loop's counters. Any thread.
  [[nodiscard]] TransportStats stats() const;

  [[nodiscard]] std::size_t loop_count() const noexcept;

 private:
  // AcceptSink, on the acceptor loop.
  std::size_t next_owner() override;
  boost::asio::io_context& context_of(std::size_t loop_index) override;
  void on_accepted(std::size_t owner, boost::asio::ip::tcp::socket socket) override;

  Result<void> bind_all();
  // Runs `fn` on loop `index` and waits for it (inline when the loop is not
  // running any more).
  template <class Fn>
  void run_on(std::size_t index, Fn&& fn);

  std::unique_ptr<TransportShared> shared_;
  std::vector<std::unique_ptr<SipTransport>> loops_;
  std::vector<std::unique_ptr<TcpListener>> tcp_listeners_;
  std::size_t next_owner_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace voxgate::sip
