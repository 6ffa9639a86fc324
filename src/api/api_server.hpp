#pragma once
// The control plane's REST and WebSocket API (docs/API.md), on the HTTP
// server's io_context: authentication, routing, JSON errors, per-request
// logging with the caller's W3C trace context, request metrics. The
// endpoints themselves live in their own files (sessions_endpoints.cpp,
// events_endpoint.cpp, cdr_endpoints.cpp, ops_endpoints.cpp) and reach the
// rest of the gateway only through ApiDependencies.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/json/value.hpp>

#include "api/api_error.hpp"
#include "api/event_journal.hpp"
#include "api/session_control.hpp"
#include "base/log.hpp"
#include "net/http/http_server.hpp"
#include "net/http/router.hpp"
#include "session/registry/session_registry.hpp"

namespace voxgate::api {

// The API speaks HTTP through net/http; these are its everyday words.
namespace http = boost::beast::http;
using net::HttpRequest;
using net::HttpResponse;
using net::PathParams;
using net::Reply;

class CdrWriter;
class Histogram;

// What the API reads and drives; every reference outlives the server.
struct ApiDependencies {
  session::SessionRegistry& registry;
  SessionControl& control;
  EventJournal& journal;
  CdrWriter* cdrs = nullptr;  // nullptr: GET /v1/cdrs answers 404 NOT_FOUND
  // The Prometheus exposition of everything but the API's own counters.
  std::function<std::string()> metrics;
  // False while draining (GET /readyz answers 503).
  std::function<bool()> ready;
};

struct ApiSettings {
  // Bearer tokens (RFC 6750 §2.1); empty: no authentication (only allowed
  // on a loopback address: the configuration refuses otherwise).
  std::vector<std::string> tokens;
};

// The API's own counters, by route pattern and status (api thread only).
struct ApiRequestCounts {
  std::map<std::pair<std::string, unsigned>, std::uint64_t> by_route_status;  // {"GET /v1/sessions", 200}
  std::uint64_t unauthorized = 0;
};

class ApiServer final : public net::HttpHandler {
 public:
  ApiServer(boost::asio::io_context& io, ApiDependencies deps, ApiSettings settings, Logger log);
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;
  ~ApiServer() override;

  // net::HttpHandler
  void on_request(net::HttpRequest request, Reply reply) override;
  void on_websocket(const net::HttpRequest& request, net::WebSocketUpgrade upgrade) override;

  [[nodiscard]] const net::Router& router() const noexcept { return router_; }
  // The API's own metrics in Prometheus text (requests by route and status,
  // latency histogram, WebSocket clients); on the io_context.
  [[nodiscard]] std::string own_metrics() const;

  // Called by the journal's notify (any thread): wakes the event streams.
  void on_journal_appended();

  class Exchange;  // one request (detail/exchange.hpp)

 private:
  class EventStream;
  friend class Exchange;
  using Handler = std::function<void(const std::shared_ptr<Exchange>& exchange)>;

  void route(http::verb method, std::string_view pattern, Handler handler);
  void add_session_routes();
  void add_cdr_routes();
  void add_ops_routes();
  [[nodiscard]] bool authorized(const net::HttpRequest& request) const;
  // The answer went out: count and log it (on the io_context).
  void finished(const Exchange& exchange, unsigned status);
  void wake_streams();

  boost::asio::io_context& io_;
  ApiDependencies deps_;
  ApiSettings settings_;
  Logger log_;
  net::Router router_;
  std::vector<Handler> handlers_;  // by route index
  ApiRequestCounts counts_;
  std::unique_ptr<Histogram> latency_;
  std::vector<std::shared_ptr<EventStream>> streams_;
  std::atomic<bool> wake_posted_{false};
  std::uint64_t says_ = 0;  // POST .../say without a handle: "say-<n>" (the API's thread only)
  // Exchanges answered from a worker loop after the server is gone check it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace voxgate::api
