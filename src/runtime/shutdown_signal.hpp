#pragma once
// Turns SIGINT/SIGTERM into a callback on an event loop, so shutdown is an
// ordinary event handled on a known thread rather than in a signal handler.

#include <functional>

#include <boost/asio/signal_set.hpp>

#include "runtime/event_loop.hpp"

namespace voxgate::runtime {

class ShutdownSignal {
 public:
  using Handler = std::function<void(int signal_number)>;

  // Installs the handlers; `on_signal` runs on `loop` once per signal received.
  ShutdownSignal(EventLoop& loop, Handler on_signal);
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

 private:
  void arm();

  boost::asio::signal_set signals_;
  Handler on_signal_;
};

}  // namespace voxgate::runtime
