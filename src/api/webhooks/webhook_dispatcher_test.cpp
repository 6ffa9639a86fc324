#include "api/webhooks/webhook_dispatcher.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "api/webhooks/webhook_signature.hpp"
#include "support/io_run.hpp"

namespace voxgate::api {
namespace {

namespace beast_http = boost::beast::http;
using Tcp = boost::asio::ip::tcp;
using ErrorCode = boost::system::error_code;
using namespace std::chrono_literals;

constexpr std::string_view kSecret = "s3cret";
constexpr unsigned kNoAnswer = 0;

struct ReceivedWebhook {
  std::string target;
  std::string body;
  std::string content_type;
  std::string event_id;
  std::string attempt;
  std::string signature;
  std::chrono::steady_clock::time_point at;
};

// A webhook receiver on 127.0.0.1 (port 0): reads each request, records it,
// and answers with the status the script gives for the n-th request (0-based),
// or never (kNoAnswer).
class WebhookReceiver {
 public:
  using Script = std::function<unsigned(std::size_t index)>;

  WebhookReceiver(boost::asio::io_context& io, Script script)
      : acceptor_(io, Tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)), script_(std::move(script)) {
    accept();
  }

  [[nodiscard]] std::string url(std::string_view path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + std::string(path);
  }
  [[nodiscard]] const std::vector<ReceivedWebhook>& received() const { return received_; }

 private:
  struct Connection {
    explicit Connection(Tcp::socket s) : socket(std::move(s)) {}
    Tcp::socket socket;
    boost::beast::flat_buffer buffer;
    beast_http::request<beast_http::string_body> request;
    beast_http::response<beast_http::string_body> response;
  };

  void accept() {
    acceptor_.async_accept([this](const ErrorCode& ec, Tcp::socket socket) {
      if (ec) return;
      serve(std::make_shared<Connection>(std::move(socket)));
      accept();
    });
  }

  void serve(const std::shared_ptr<Connection>& connection) {
    beast_http::async_read(
        connection->socket, connection->buffer, connection->request,
        [this, connection](const ErrorCode& ec, std::size_t) {
          if (ec) return;
          const auto& request = connection->request;
          received_.push_back(ReceivedWebhook{
              std::string(request.target()), request.body(), std::string(request[beast_http::field::content_type]),
              std::string(request["X-Voxgate-Event-Id"]), std::string(request["X-Voxgate-Delivery-Attempt"]),
              std::string(request["X-Voxgate-Signature"]), std::chrono::steady_clock::now()});
          answer(connection, script_(received_.size() - 1));
        });
  }

  void answer(const std::shared_ptr<Connection>& connection, unsigned status) {
    if (status == kNoAnswer) {
      hung_.push_back(connection);
      return;
    }
    auto& response = connection->response;
    response.version(11);
    response.result(status);
    response.keep_alive(false);
    if (status != 204) response.body() = "{}";  // 204 has no content (RFC 9110 §15.3.5)
    response.prepare_payload();
    beast_http::async_write(connection->socket, response, [connection](const ErrorCode&, std::size_t) {
      ErrorCode ignored;
      connection->socket.shutdown(Tcp::socket::shutdown_send, ignored);
      connection->socket.close(ignored);
    });
  }

  Tcp::acceptor acceptor_;
  Script script_;
  std::vector<ReceivedWebhook> received_;
  std::vector<std::shared_ptr<Connection>> hung_;
};

WebhookReceiver::Script answer_always(unsigned status) {
  return [status](std::size_t) { return status; };
}

// `statuses` for the first requests, then 200.
WebhookReceiver::Script answer_first(std::vector<unsigned> statuses) {
  return
      [statuses = std::move(statuses)](std::size_t index) { return index < statuses.size() ? statuses[index] : 200U; };
}

using test::run_for;
using test::run_until;

// Fast settings, so retries happen within a test's time.
WebhookDeliveryConfig fast_config() {
  WebhookDeliveryConfig config;
  config.request_timeout = 1000ms;
  config.initial_backoff = 20ms;
  config.backoff_factor = 2;
  config.max_backoff = 200ms;
  config.max_attempts = 6;
  return config;
}

WebhookStats stats_of(std::uint64_t delivered, std::uint64_t retried, std::uint64_t failed, std::uint64_t dropped,
                      std::uint64_t in_queue) {
  return WebhookStats{delivered, retried, failed, dropped, in_queue};
}

TEST(WebhookDispatcher, ServerErrorsAreRetriedWithBackoffUntilDeliveredSignedEachTime) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver receiver(io, answer_first({500, 500}));
  auto config = fast_config();
  config.initial_backoff = 30ms;
  WebhookDispatcher dispatcher(io, clock, config);
  const std::string event = R"({"type":"session.ended","session":"s-1"})";

  dispatcher.enqueue({receiver.url(), std::string(kSecret)}, event);

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().delivered == 1; }));
  run_for(io, 100ms);  // nothing more arrives
  const auto& received = receiver.received();
  ASSERT_EQ(received.size(), 3U);
  for (std::size_t i = 0; i < received.size(); ++i) {
    EXPECT_EQ(received[i].attempt, std::to_string(i + 1));
    EXPECT_EQ(received[i].event_id, received[0].event_id);
    EXPECT_EQ(received[i].body, event);
    EXPECT_EQ(received[i].content_type, "application/json");
    EXPECT_EQ(received[i].target, "/hook");
    const auto verified = verify_webhook_signature(received[i].signature, received[i].body, kSecret, clock.wall_now());
    EXPECT_TRUE(verified) << received[i].signature << ": " << verified.error().message;
  }
  // Exponential: 30 ms, then 60 ms.
  EXPECT_GE(received[1].at - received[0].at, 30ms);
  EXPECT_GE(received[2].at - received[1].at, 60ms);
  EXPECT_EQ(dispatcher.stats(), stats_of(1, 2, 0, 0, 0));
}

TEST(WebhookDispatcher, ClientErrorIsNotRetriedAndCountsAsFailed) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver receiver(io, answer_always(400));
  WebhookDispatcher dispatcher(io, clock, fast_config());

  dispatcher.enqueue({receiver.url(), std::string(kSecret)}, "{}");

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().failed == 1; }));
  run_for(io, 100ms);  // several back-offs long
  EXPECT_EQ(receiver.received().size(), 1U);
  EXPECT_EQ(dispatcher.stats(), stats_of(0, 0, 1, 0, 0));
}

TEST(WebhookDispatcher, TooManyRequestsRequestTimeoutAndUnavailableAreRetried) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver receiver(io, answer_first({429, 408, 503}));
  WebhookDispatcher dispatcher(io, clock, fast_config());

  dispatcher.enqueue({receiver.url(), std::string(kSecret)}, "{}");

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().delivered == 1; }));
  EXPECT_EQ(receiver.received().size(), 4U);
  EXPECT_EQ(dispatcher.stats(), stats_of(1, 3, 0, 0, 0));
}

TEST(WebhookDispatcher, ReceiverThatDoesNotAnswerInTimeIsRetried) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver receiver(io, answer_first({kNoAnswer}));
  auto config = fast_config();
  config.request_timeout = 100ms;
  WebhookDispatcher dispatcher(io, clock, config);

  dispatcher.enqueue({receiver.url(), std::string(kSecret)}, "{}");

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().delivered == 1; }));
  ASSERT_EQ(receiver.received().size(), 2U);
  EXPECT_GE(receiver.received()[1].at - receiver.received()[0].at, 100ms);
  EXPECT_EQ(dispatcher.stats(), stats_of(1, 1, 0, 0, 0));
}

TEST(WebhookDispatcher, GivesUpAfterMaxAttempts) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver receiver(io, answer_always(503));
  auto config = fast_config();
  config.max_attempts = 3;
  WebhookDispatcher dispatcher(io, clock, config);

  dispatcher.enqueue({receiver.url(), std::string(kSecret)}, "{}");

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().failed == 1; }));
  run_for(io, 100ms);
  EXPECT_EQ(receiver.received().size(), 3U);
  EXPECT_EQ(dispatcher.stats(), stats_of(0, 2, 1, 0, 0));
}

TEST(WebhookDispatcher, UnreachableReceiverIsRetriedThenFails) {
  boost::asio::io_context io;
  ManualClock clock;
  std::string url;
  {
    Tcp::acceptor probe(io, Tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    url = "http://127.0.0.1:" + std::to_string(probe.local_endpoint().port()) + "/hook";
  }
  auto config = fast_config();
  config.max_attempts = 2;
  WebhookDispatcher dispatcher(io, clock, config);

  dispatcher.enqueue({url, std::string(kSecret)}, "{}");

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().failed == 1; }));
  EXPECT_EQ(dispatcher.stats(), stats_of(0, 1, 1, 0, 0));
}

TEST(WebhookDispatcher, UnusableUrlFailsWithoutRetry) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookDispatcher dispatcher(io, clock, fast_config());

  dispatcher.enqueue({"https://example.com/hook", std::string(kSecret)}, "{}");
  dispatcher.enqueue({"not a url", std::string(kSecret)}, "{}");

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().failed == 2; }));
  EXPECT_EQ(dispatcher.stats(), stats_of(0, 0, 2, 0, 0));
}

TEST(WebhookDispatcher, EventsToOneTargetArriveInOrderEvenAcrossRetries) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver receiver(io, answer_first({500}));
  WebhookDispatcher dispatcher(io, clock, fast_config());

  for (int i = 0; i < 5; ++i) dispatcher.enqueue({receiver.url(), std::string(kSecret)}, std::to_string(i));

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().delivered == 5; }));
  const auto& received = receiver.received();
  ASSERT_EQ(received.size(), 6U);
  const std::vector<std::string> expected_bodies = {"0", "0", "1", "2", "3", "4"};
  for (std::size_t i = 0; i < received.size(); ++i) EXPECT_EQ(received[i].body, expected_bodies[i]) << i;
  for (std::size_t i = 2; i < received.size(); ++i) {
    EXPECT_GT(std::stoull(received[i].event_id), std::stoull(received[i - 1].event_id));
  }
  EXPECT_EQ(dispatcher.stats(), stats_of(5, 1, 0, 0, 0));
}

TEST(WebhookDispatcher, ASilentReceiverHoldsUpOnlyItsOwnTarget) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver silent(io, answer_always(kNoAnswer));
  WebhookReceiver healthy(io, answer_always(204));
  auto config = fast_config();
  config.request_timeout = 5000ms;
  WebhookDispatcher dispatcher(io, clock, config);

  dispatcher.enqueue({silent.url(), std::string(kSecret)}, "a");
  dispatcher.enqueue({healthy.url(), std::string(kSecret)}, "b");

  // Well before the silent receiver's 5 s timeout.
  const auto healthy_served = [&] { return dispatcher.stats().delivered == 1; };
  ASSERT_TRUE(run_until(io, healthy_served, 1000ms));
  EXPECT_EQ(healthy.received().size(), 1U);
  EXPECT_EQ(dispatcher.stats().in_queue, 1U);
}

TEST(WebhookDispatcher, SameUrlWithAnotherSecretIsAnotherTarget) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver receiver(io, answer_always(200));
  WebhookDispatcher dispatcher(io, clock, fast_config());

  dispatcher.enqueue({receiver.url(), "first"}, "1");
  dispatcher.enqueue({receiver.url(), "second"}, "2");

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().delivered == 2; }));
  for (const auto& webhook : receiver.received()) {
    const auto secret = webhook.body == "1" ? "first" : "second";
    EXPECT_TRUE(verify_webhook_signature(webhook.signature, webhook.body, secret, clock.wall_now()));
  }
}

TEST(WebhookDispatcher, FullQueueDropsTheOldestWaitingEventNeverTheOneInFlight) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver receiver(io, answer_always(200));
  auto config = fast_config();
  config.max_queued_per_target = 2;
  WebhookDispatcher dispatcher(io, clock, config);

  // Queued before the loop runs: "1" goes in flight, "2" then "3" are pushed
  // out by the events after them.
  for (int i = 1; i <= 4; ++i) dispatcher.enqueue({receiver.url(), std::string(kSecret)}, std::to_string(i));
  EXPECT_EQ(dispatcher.stats().in_queue, 4U);

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().delivered == 2; }));
  const auto& received = receiver.received();
  ASSERT_EQ(received.size(), 2U);
  EXPECT_EQ(received[0].body, "1");
  EXPECT_EQ(received[1].body, "4");
  EXPECT_EQ(dispatcher.stats(), stats_of(2, 0, 0, 2, 0));
}

TEST(WebhookDispatcher, QueueBoundOfOneDropsTheNewEvent) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver receiver(io, answer_always(200));
  auto config = fast_config();
  config.max_queued_per_target = 1;
  WebhookDispatcher dispatcher(io, clock, config);

  dispatcher.enqueue({receiver.url(), std::string(kSecret)}, "1");
  dispatcher.enqueue({receiver.url(), std::string(kSecret)}, "2");

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().delivered == 1; }));
  ASSERT_EQ(receiver.received().size(), 1U);
  EXPECT_EQ(receiver.received()[0].body, "1");
  EXPECT_EQ(dispatcher.stats(), stats_of(1, 0, 0, 1, 0));
}

TEST(WebhookDispatcher, EnqueueFromManyThreadsKeepsEachThreadsOrder) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver receiver(io, answer_always(200));
  WebhookDispatcher dispatcher(io, clock, fast_config());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  constexpr std::uint64_t kEvents = std::uint64_t{kThreads} * kPerThread;

  const auto url = receiver.url();

  std::vector<std::thread> producers;
  producers.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&dispatcher, &url, t] {
      for (int i = 0; i < kPerThread; ++i) {
        dispatcher.enqueue({url, std::string(kSecret)}, std::to_string(t) + ":" + std::to_string(i));
      }
    });
  }
  const auto all_delivered_now = [&] { return dispatcher.stats().delivered == kEvents; };
  const bool all_delivered = run_until(io, all_delivered_now, 20000ms);
  for (auto& producer : producers) producer.join();

  ASSERT_TRUE(all_delivered);
  std::vector<int> next(kThreads, 0);
  std::uint64_t last_id = 0;
  for (const auto& webhook : receiver.received()) {
    const auto colon = webhook.body.find(':');
    const auto thread = std::stoi(webhook.body.substr(0, colon));
    EXPECT_EQ(std::stoi(webhook.body.substr(colon + 1)), next[static_cast<std::size_t>(thread)]++);
    const auto id = std::stoull(webhook.event_id);
    EXPECT_GT(id, last_id);
    last_id = id;
  }
  EXPECT_EQ(dispatcher.stats(), stats_of(kEvents, 0, 0, 0, 0));
}

TEST(WebhookDispatcher, SignatureTimestampComesFromTheInjectedClock) {
  boost::asio::io_context io;
  ManualClock clock(Clock::WallTime(std::chrono::seconds(1800000000)));
  clock.advance(1h);
  WebhookReceiver receiver(io, answer_always(200));
  WebhookDispatcher dispatcher(io, clock, fast_config());

  dispatcher.enqueue({receiver.url(), std::string(kSecret)}, "{}");

  ASSERT_TRUE(run_until(io, [&] { return dispatcher.stats().delivered == 1; }));
  EXPECT_EQ(receiver.received()[0].signature.substr(0, 13), "t=1800003600,");
}

TEST(WebhookDispatcher, DestroyingItWithWorkPendingIsClean) {
  boost::asio::io_context io;
  ManualClock clock;
  WebhookReceiver silent(io, answer_always(kNoAnswer));
  WebhookReceiver failing(io, answer_always(500));
  auto config = fast_config();
  config.initial_backoff = 100ms;
  auto dispatcher = std::make_unique<WebhookDispatcher>(io, clock, config);
  for (int i = 0; i < 3; ++i) {
    dispatcher->enqueue({silent.url(), std::string(kSecret)}, "a");
    dispatcher->enqueue({failing.url(), std::string(kSecret)}, "b");
  }
  // A request in flight to `silent`, a back-off under way for `failing`,
  // and more events waiting behind both, plus some not yet taken in.
  ASSERT_TRUE(run_until(io, [&] { return !silent.received().empty() && !failing.received().empty(); }));
  run_for(io, 20ms);
  dispatcher->enqueue({failing.url(), std::string(kSecret)}, "c");

  dispatcher.reset();
  run_for(io, 300ms);

  EXPECT_EQ(silent.received().size(), 1U);
  EXPECT_EQ(failing.received().size(), 1U);
}

TEST(WebhookDispatcher, ZeroAttemptsOrQueueBoundIsAConfigurationError) {
  boost::asio::io_context io;
  ManualClock clock;
  auto no_attempts = fast_config();
  no_attempts.max_attempts = 0;
  auto no_queue = fast_config();
  no_queue.max_queued_per_target = 0;
  EXPECT_THROW(WebhookDispatcher(io, clock, no_attempts), std::invalid_argument);
  EXPECT_THROW(WebhookDispatcher(io, clock, no_queue), std::invalid_argument);
}

}  // namespace
}  // namespace voxgate::api
