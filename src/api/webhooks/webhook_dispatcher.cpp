#include "api/webhooks/webhook_dispatcher.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <stdexcept>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "api/webhooks/webhook_signature.hpp"
#include "net/http/http_client.hpp"

namespace voxgate::api {

namespace {

enum class DeliveryVerdict { Delivered, Retry, GiveUp };

DeliveryVerdict judge(const Result<net::HttpResponseData>& answer) {
  if (!answer) {
    switch (answer.error().code) {
      case Errc::Timeout:
      case Errc::Io:
      case Errc::LimitExceeded:  // a broken answer; the next may be fine
        return DeliveryVerdict::Retry;
      default:  // the URL or request is unusable: it will not get better
        return DeliveryVerdict::GiveUp;
    }
  }
  const auto status = answer->status;
  if (status >= 200 && status < 300) return DeliveryVerdict::Delivered;
  // The statuses that say "not now" rather than "not this": 408 (RFC 9110
  // §15.5.9), 429 (RFC 6585 §4) and server errors (RFC 9110 §15.6).
  if (status == 408 || status == 429 || status >= 500) return DeliveryVerdict::Retry;
  return DeliveryVerdict::GiveUp;
}

std::string describe(const Result<net::HttpResponseData>& answer) {
  return answer ? fmt::format("HTTP {}", answer->status) : answer.error().message;
}

// The wait after `attempts_made` failed attempts: initial * factor^(n-1),
// at most max_backoff (and without overflowing on the way there).
std::chrono::milliseconds backoff_after(unsigned attempts_made, const WebhookDeliveryConfig& config) {
  auto delay = std::min(config.initial_backoff, config.max_backoff);
  for (unsigned i = 1; i < attempts_made && delay < config.max_backoff; ++i) {
    delay = delay > config.max_backoff / config.backoff_factor ? config.max_backoff : delay * config.backoff_factor;
  }
  return std::min(delay, config.max_backoff);
}

std::uint64_t first_event_id(const Clock& clock) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(clock.wall_now().time_since_epoch());
  return static_cast<std::uint64_t>(std::max<std::int64_t>(micros.count(), 1));
}

}  // namespace

class WebhookDispatcher::Core : public std::enable_shared_from_this<Core> {
 private:
  struct PendingEvent {
    std::uint64_t id = 0;
    std::string body;
  };

  // The events of one target. The front one is in flight or waiting for its
  // retry; the others wait behind it.
  struct TargetQueue {
    TargetQueue(boost::asio::io_context& io, WebhookTarget webhook_target)
        : target(std::move(webhook_target)), backoff(io) {}

    WebhookTarget target;
    std::deque<PendingEvent> events;
    unsigned attempts = 0;  // made for the front event
    boost::asio::steady_timer backoff;
  };

 public:
  Core(boost::asio::io_context& io, const Clock& clock, WebhookDeliveryConfig config, Logger logger)
      : io_(io),
        clock_(clock),
        config_(config),
        logger_(std::move(logger)),
        next_event_id_(first_event_id(clock)),
        client_(io, client_config(config_)) {}

  [[nodiscard]] boost::asio::io_context& io() const noexcept { return io_; }

  // On any thread.
  void count_enqueued() noexcept { in_queue_.fetch_add(1, std::memory_order_relaxed); }

  [[nodiscard]] WebhookStats stats() const noexcept {
    return WebhookStats{delivered_.load(std::memory_order_relaxed), retried_.load(std::memory_order_relaxed),
                        failed_.load(std::memory_order_relaxed), dropped_.load(std::memory_order_relaxed),
                        in_queue_.load(std::memory_order_relaxed)};
  }

  // On the io_context's thread: takes an event into its target's queue.
  void accept(WebhookTarget target, std::string body) {
    auto& slot = targets_[TargetKey{target.url, target.secret}];
    if (!slot) slot = std::make_unique<TargetQueue>(io_, std::move(target));
    auto& queue = *slot;
    const auto id = next_event_id_++;
    if (queue.events.size() >= config_.max_queued_per_target) {
      // Drop the oldest waiting event; with a bound of 1 the only queued
      // event is in flight, and the new one is what goes.
      const bool drop_new = queue.events.size() < 2;
      const auto dropped_id = drop_new ? id : queue.events[1].id;
      if (!drop_new) queue.events.erase(queue.events.begin() + 1);
      dropped_.fetch_add(1, std::memory_order_relaxed);
      in_queue_.fetch_sub(1, std::memory_order_relaxed);
      logger_.warn("webhook event {} to {} dropped: {} events queued", dropped_id, queue.target.url,
                   config_.max_queued_per_target);
      if (drop_new) return;
    }
    queue.events.push_back(PendingEvent{id, std::move(body)});
    if (queue.events.size() == 1) send(queue);
  }

 private:
  using TargetKey = std::pair<std::string, std::string>;  // url, secret

  static net::HttpClientConfig client_config(const WebhookDeliveryConfig& config) {
    net::HttpClientConfig out;
    out.max_body_bytes = config.max_response_body_bytes;
    out.user_agent = "voxgate-webhooks";
    return out;
  }

  void send(TargetQueue& queue) {
    const auto& event = queue.events.front();
    ++queue.attempts;
    if (queue.attempts > 1) retried_.fetch_add(1, std::memory_order_relaxed);
    net::HttpRequestSpec spec;
    spec.method = boost::beast::http::verb::post;
    spec.url = queue.target.url;
    spec.headers = {
        {"Content-Type", "application/json"},
        {"X-Voxgate-Event-Id", std::to_string(event.id)},
        {"X-Voxgate-Delivery-Attempt", std::to_string(queue.attempts)},
        {std::string(kWebhookSignatureHeader),
         webhook_signature_header(queue.target.secret, unix_seconds(clock_.wall_now()), event.body)},
    };
    spec.body = event.body;
    // `this` and `queue` outlive the request: the client is a member (its
    // completions never run after it is destroyed), and a queue is erased
    // only when it has nothing in flight.
    client_.request(std::move(spec), config_.request_timeout,
                    [this, &queue](const Result<net::HttpResponseData>& answer) { on_answer(queue, answer); });
  }

  void on_answer(TargetQueue& queue, const Result<net::HttpResponseData>& answer) {
    const auto id = queue.events.front().id;
    switch (judge(answer)) {
      case DeliveryVerdict::Delivered:
        delivered_.fetch_add(1, std::memory_order_relaxed);
        logger_.debug("webhook event {} to {} delivered, attempt {}", id, queue.target.url, queue.attempts);
        finish_front(queue);
        return;
      case DeliveryVerdict::GiveUp:
        failed_.fetch_add(1, std::memory_order_relaxed);
        logger_.warn("webhook event {} to {} failed, not retried: {}", id, queue.target.url, describe(answer));
        finish_front(queue);
        return;
      case DeliveryVerdict::Retry: break;
    }
    if (queue.attempts >= config_.max_attempts) {
      failed_.fetch_add(1, std::memory_order_relaxed);
      logger_.warn("webhook event {} to {} failed after {} attempts: {}", id, queue.target.url, queue.attempts,
                   describe(answer));
      finish_front(queue);
      return;
    }
    const auto delay = backoff_after(queue.attempts, config_);
    logger_.debug("webhook event {} to {}: {}; attempt {} in {} ms", id, queue.target.url, describe(answer),
                  queue.attempts + 1, delay.count());
    queue.backoff.expires_after(delay);
    // Weak: a timer that already fired may still be queued when the
    // dispatcher is destroyed.
    queue.backoff.async_wait([weak = weak_from_this(), &queue](const boost::system::error_code& ec) {
      if (ec) return;
      if (auto core = weak.lock()) core->send(queue);
    });
  }

  // The front event is done with: on to the next, or forget the target.
  void finish_front(TargetQueue& queue) {
    queue.events.pop_front();
    queue.attempts = 0;
    in_queue_.fetch_sub(1, std::memory_order_relaxed);
    if (!queue.events.empty()) {
      send(queue);
      return;
    }
    targets_.erase(TargetKey{queue.target.url, queue.target.secret});
  }

  boost::asio::io_context& io_;
  const Clock& clock_;
  WebhookDeliveryConfig config_;
  Logger logger_;
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<std::uint64_t> retried_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> in_queue_{0};
  std::uint64_t next_event_id_;
  std::map<TargetKey, std::unique_ptr<TargetQueue>> targets_;
  net::HttpClient client_;
};

WebhookDispatcher::WebhookDispatcher(boost::asio::io_context& io, const Clock& clock, WebhookDeliveryConfig config,
                                     Logger logger) {
  if (config.max_attempts == 0 || config.backoff_factor == 0 || config.max_queued_per_target == 0) {
    throw std::invalid_argument("webhook delivery: max_attempts, backoff_factor and max_queued_per_target must be > 0");
  }
  core_ = std::make_shared<Core>(io, clock, config, std::move(logger));
}

WebhookDispatcher::~WebhookDispatcher() = default;

void WebhookDispatcher::enqueue(WebhookTarget target, std::string event_json) {
  core_->count_enqueued();
  boost::asio::post(core_->io(), [weak = std::weak_ptr<Core>(core_), target = std::move(target),
                                  body = std::move(event_json)]() mutable {
    if (auto core = weak.lock()) core->accept(std::move(target), std::move(body));
  });
}

WebhookStats WebhookDispatcher::stats() const noexcept {
  return core_->stats();
}

}  // namespace voxgate::api
