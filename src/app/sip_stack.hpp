#pragma once
// The SIP stack of a process, wired: one TransportLayer over every worker
// loop, and per loop its timers, SDP session ids and DialogLayer (which owns
// that loop's TransactionLayer). Both `voxgate serve` and `voxgate call`
// build one; what differs is the IncomingCallHandler each loop gets.
//
// Order (the transport binds before the dialog layers exist, because their
// Contact needs the bound port, and before the loops run, so no message can
// arrive in between):
//
//   SipStack stack(pool, clock, config, handler_for_loop, log);
//   stack.start();     // binds every listener, builds the dialog layers
//   pool.start();
//   ...                // post work onto loops: stack.dialogs(i) on loop i
//   stack.stop();      // closes the transport while the loops still run
//   pool.stop(); pool.join();

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "base/log.hpp"
#include "base/result.hpp"
#include "runtime/loop_pool.hpp"
#include "sip/dialog/call_observer.hpp"
#include "sip/dialog/dialog_layer.hpp"
#include "sip/transport/transport_layer.hpp"

namespace voxgate::app {

struct SipStackConfig {
  sip::TransportConfig transport;
  sip::TimerSettings timers;
  sip::TransactionLimits limits;
  std::string contact_user = "voxgate";  // the user part of our Contact URI
  std::uint32_t retry_after_seconds = 5;
  sip::SessionTimerSettings session_timer;
};

// Counters of every loop, summed.
struct SipStackStats {
  sip::TransportStats transport;
  sip::DialogLayerStats dialogs;
  sip::TransactionStats transactions;
  std::size_t calls_in_progress = 0;
};

class SipStack {
 public:
  using HandlerForLoop = std::function<sip::IncomingCallHandler&(std::size_t loop_index)>;

  SipStack(runtime::LoopPool& pool, const Clock& clock, SipStackConfig config, HandlerForLoop handler_for_loop,
           Logger log);
  SipStack(const SipStack&) = delete;
  SipStack& operator=(const SipStack&) = delete;
  ~SipStack();

  // Binds the listeners and builds each loop's dialog layer. Before the
  // loops run.
  Result<void> start();
  // Closes the transport; from the main thread, while the loops still run.
  void stop();

  [[nodiscard]] sip::DialogLayer& dialogs(std::size_t loop_index) { return *loops_.at(loop_index)->dialogs; }
  [[nodiscard]] runtime::Timers& timers(std::size_t loop_index) { return *loops_.at(loop_index)->timers; }
  [[nodiscard]] const std::vector<sip::BoundListener>& listeners() const noexcept { return transport_.listeners(); }
  // The Contact URI peers reach us at ("sip:voxgate@127.0.0.1:5060").
  [[nodiscard]] const std::string& contact_uri() const noexcept { return contact_uri_; }

  // Runs on every loop in turn and waits: call while the loops run.
  [[nodiscard]] SipStackStats stats();

 private:
  // Forwards loop i's messages to its dialog layer once it exists: the
  // transport needs its handlers before it binds, the dialog layer needs the
  // bound port.
  class LoopInbound final : public sip::InboundMessageHandler {
   public:
    void on_message(sip::InboundMessage&& message) override;
    sip::InboundMessageHandler* target = nullptr;
  };

  struct Loop {
    LoopInbound inbound;
    std::unique_ptr<runtime::Timers> timers;
    std::unique_ptr<sdp::SessionIdSource> session_ids;
    std::unique_ptr<sip::DialogLayer> dialogs;
  };

  runtime::LoopPool& pool_;
  const Clock& clock_;
  SipStackConfig config_;
  HandlerForLoop handler_for_loop_;
  Logger log_;
  sip::TransportLayer transport_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::string contact_uri_;
};

// The Contact URI for a bound listener: "sip:user@127.0.0.1:5060",
// "sip:user@[::1]:5070;transport=tcp".
std::string contact_uri_for(std::string_view user, const sip::BoundListener& listener);

}  // namespace voxgate::app
