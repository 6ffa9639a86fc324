#pragma once
// Delivers control-plane events (JSON) to webhook receivers: one POST per
// event, signed (webhook_signature.hpp), retried with bounded exponential
// back-off, in order per target, with counters for what happened.
//
//   WebhookDispatcher webhooks(control_io, clock);
//   webhooks.enqueue({"http://app.example/voxgate", secret}, R"({"type":"session.ended",...})");
//
// The request: POST <url> with Content-Type: application/json, the event as
// the body, and
//   X-Voxgate-Event-Id: <decimal>     the same on every attempt of an event;
//                                     increasing in the order events reach
//                                     the dispatcher, starting from its
//                                     start time in microseconds since the
//                                     Unix epoch, so ids stay unique and
//                                     increasing across restarts. Receivers
//                                     deduplicate on it.
//   X-Voxgate-Delivery-Attempt: <n>   1 for the first attempt
//   X-Voxgate-Signature: t=...,v1=... signed at each attempt, with the
//                                     time of the injected Clock
//
// The answer decides:
//   2xx                                delivered
//   5xx, 408, 429, a timeout, a refused
//   or broken connection               retried after initial_backoff, then
//                                      times backoff_factor each time, at
//                                      most max_backoff, up to max_attempts
//                                      attempts in all; then failed
//   anything else (other 4xx, 3xx:     failed at once: asking again would
//   redirects are not followed), or    get the same answer
//   a URL the client cannot use
//
// Per target (url and secret) one event is in flight at a time, later ones
// wait behind it: a receiver sees events in the order they were enqueued
// (from any one thread). A receiver that fails holds up only its own
// target's events.
//
// A target's queue is bounded (max_queued_per_target, counting the event in
// flight). When it is full, the OLDEST WAITING event is dropped (never the
// one in flight) and counted: a receiver that comes back gets the most
// recent events, which say what is true now, rather than stale ones.
//
// Threads: construct, destroy and read stats() anywhere; enqueue() from any
// thread (it posts to the io_context). The dispatcher works on the thread
// running the io_context. Destroy it on that thread or while the io_context
// is not running: events not yet delivered are discarded (nothing is
// persisted), requests in flight are cancelled.
//
// Back-off and request timeouts use the io_context's (real) steady timers;
// the Clock provides only the signature timestamps.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "base/clock.hpp"
#include "base/log.hpp"

namespace voxgate::api {

struct WebhookTarget {
  std::string url;     // http:// (see api/http/url.hpp)
  std::string secret;  // the HMAC key of X-Voxgate-Signature, shared with the receiver

  friend bool operator==(const WebhookTarget&, const WebhookTarget&) = default;
};

struct WebhookDeliveryConfig {
  std::chrono::milliseconds request_timeout{5000};  // per attempt: connect, send and answer
  std::chrono::milliseconds initial_backoff{500};   // before the second attempt
  unsigned backoff_factor = 2;
  std::chrono::milliseconds max_backoff{60000};
  unsigned max_attempts = 6;  // 1 means never retry
  std::size_t max_queued_per_target = 1000;
  // The receiver's answer body is not used; a larger one counts as a broken
  // answer (retried).
  std::size_t max_response_body_bytes = std::size_t{64} << 10;
};

struct WebhookStats {
  std::uint64_t delivered = 0;  // answered 2xx
  std::uint64_t retried = 0;    // attempts after an event's first
  std::uint64_t failed = 0;     // given up on (see above)
  std::uint64_t dropped = 0;    // pushed out of a full queue
  std::uint64_t in_queue = 0;   // enqueued and not yet delivered, failed or dropped

  friend bool operator==(const WebhookStats&, const WebhookStats&) = default;
};

class WebhookDispatcher {
 public:
  // Throws std::invalid_argument when max_attempts, backoff_factor or
  // max_queued_per_target is 0 (a configuration error found at start-up).
  WebhookDispatcher(boost::asio::io_context& io, const Clock& clock, WebhookDeliveryConfig config = {},
                    Logger logger = {});
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;
  WebhookDispatcher(WebhookDispatcher&&) = delete;
  WebhookDispatcher& operator=(WebhookDispatcher&&) = delete;
  ~WebhookDispatcher();

  // Queues `event_json` for `target`. Any thread; never blocks on the network.
  void enqueue(WebhookTarget target, std::string event_json);

  // A snapshot of the counters; any thread.
  [[nodiscard]] WebhookStats stats() const noexcept;

 private:
  class Core;
  // Shared so that tasks posted by enqueue() and back-off timers can hold a
  // weak_ptr: they find it gone after the dispatcher is destroyed.
  std::shared_ptr<Core> core_;
};

}  // namespace voxgate::api
