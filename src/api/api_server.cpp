#include "api/api_server.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/detail/exchange.hpp"
#include "api/metrics/histogram.hpp"

namespace voxgate::api {
namespace {

// W3C Trace Context §3.2: version "00", a 32-hex trace id (not all zero),
// a 16-hex parent id, 2-hex flags. Anything else is ignored (§3.2.2.1:
// the receiver restarts the trace).
std::string trace_id_of(const net::HttpRequest& request) {
  const auto found = request.find("traceparent");
  if (found == request.end()) return {};
  const std::string_view value = found->value();
  if (value.size() < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-') return {};
  const std::string_view trace = value.substr(3, 32);
  const bool hex =
      std::all_of(trace.begin(), trace.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (!hex || trace.find_first_not_of('0') == std::string_view::npos) return {};
  return std::string(trace);
}

// Constant time in the token's length, so a wrong token's timing says
// nothing about how much of it matched.
bool same_token(std::string_view given, std::string_view expected) {
  if (given.size() != expected.size()) return false;
  unsigned char differ = 0;
  for (std::size_t i = 0; i < given.size(); ++i) {
    differ |= static_cast<unsigned char>(given[i] ^ expected[i]);
  }
  return differ == 0;
}

// An API answer takes well under the call-setup buckets' 5 ms.
constexpr std::array<double, 12> kApiLatencyBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                    0.01,   0.025,   0.05,   0.1,   0.25,   1.0};

}  // namespace

// --- Exchange ----------------------------------------------------------------

void ApiServer::Exchange::send(net::HttpResponse response) {
  if (!trace_id.empty()) response.set("traceparent", request["traceparent"]);
  const unsigned status = response.result_int();
  // `self` keeps the exchange alive for finished(), which reads it: the
  // handler that answered has usually dropped its reference by then.
  boost::asio::post(server_.io_, [alive = alive_, server = &server_, reply = reply_, response = std::move(response),
                                  self = shared_from_this(), status]() mutable {
    if (*alive) server->finished(*self, status);
    reply(std::move(response));
  });
}

void ApiServer::Exchange::respond(http::status status, const boost::json::value& body) {
  send(net::make_response(request, status, boost::json::serialize(body)));
}

void ApiServer::Exchange::respond_text(http::status status, std::string body, std::string_view content_type) {
  send(net::make_response(request, status, std::move(body), content_type));
}

void ApiServer::Exchange::no_content() {
  net::HttpResponse response(http::status::no_content, request.version());
  response.set(http::field::server, "voxgate");
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  send(std::move(response));
}

void ApiServer::Exchange::fail(ApiErrorCode code, std::string_view message) {
  send(net::make_response(request, http_status(code), net::error_body(to_string(code), message)));
}

Result<boost::json::object> ApiServer::Exchange::body_object() const {
  if (request.body().empty()) return boost::json::object();
  boost::system::error_code ec;
  auto value = boost::json::parse(request.body(), ec);
  if (ec) return make_error(Errc::InvalidArgument, "the body is not JSON: {}", ec.message());
  if (!value.is_object()) return make_error(Errc::InvalidArgument, "the body must be a JSON object");
  return std::move(value.as_object());
}

// --- ApiServer -----------------------------------------------------------------

ApiServer::ApiServer(boost::asio::io_context& io, ApiDependencies deps, ApiSettings settings, Logger log)
    : io_(io),
      deps_(std::move(deps)),
      settings_(std::move(settings)),
      log_(std::move(log)),
      latency_(std::make_unique<Histogram>(kApiLatencyBuckets)) {
  add_session_routes();
  add_cdr_routes();
  add_ops_routes();
}

ApiServer::~ApiServer() {
  *alive_ = false;
}

void ApiServer::route(http::verb method, std::string_view pattern, Handler handler) {
  const std::size_t index = router_.add(method, pattern);
  handlers_.resize(index + 1);
  handlers_[index] = std::move(handler);
}

bool ApiServer::authorized(const net::HttpRequest& request) const {
  if (settings_.tokens.empty()) return true;
  const auto found = request.find(http::field::authorization);
  if (found == request.end()) return false;
  std::string_view value = found->value();
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() <= kScheme.size() || !boost::beast::iequals(value.substr(0, kScheme.size()), kScheme)) return false;
  value.remove_prefix(kScheme.size());
  return std::any_of(settings_.tokens.begin(), settings_.tokens.end(),
                     [&](const std::string& token) { return same_token(value, token); });
}

void ApiServer::on_request(net::HttpRequest request, Reply reply) {
  const std::string path(net::path_of(request.target()));
  auto lookup = router_.find(request.method(), path);
  std::string route = lookup.outcome == net::Router::Outcome::Found
                          ? fmt::format("{} {}", request.method_string(), lookup.pattern)
                          : std::string("unmatched");
  std::string trace_id = trace_id_of(request);
  // Liveness and readiness answer without a token: probes carry none.
  const bool open = path == "/healthz" || path == "/readyz";
  auto exchange = std::make_shared<Exchange>(*this, std::move(request), std::move(lookup.params), std::move(reply),
                                             std::move(route), std::move(trace_id));
  if (!open && !authorized(exchange->request)) {
    ++counts_.unauthorized;
    net::HttpResponse response =
        net::make_response(exchange->request, http::status::unauthorized,
                           net::error_body("UNAUTHORIZED", "a valid bearer token is required"));
    response.set(http::field::www_authenticate, "Bearer realm=\"voxgate\"");  // RFC 6750 §3
    return exchange->respond(std::move(response));
  }
  switch (lookup.outcome) {
    case net::Router::Outcome::Found: return handlers_[lookup.index](exchange);
    case net::Router::Outcome::NotFound:
      return exchange->fail(ApiErrorCode::NotFound, fmt::format("no route for {}", path));
    case net::Router::Outcome::MethodNotAllowed: {
      net::HttpResponse response =
          net::make_response(exchange->request, http::status::method_not_allowed,
                             net::error_body("METHOD_NOT_ALLOWED", fmt::format("{} allows {}", path, lookup.allow)));
      response.set(http::field::allow, lookup.allow);
      return exchange->respond(std::move(response));
    }
  }
}

void ApiServer::finished(const Exchange& exchange, unsigned status) {
  ++counts_.by_route_status[{exchange.route, status}];
  const auto elapsed = std::chrono::steady_clock::now() - exchange.started;
  latency_->observe(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed));
  if (log_.enabled(LogLevel::Debug) || status >= 500) {
    log_.log(status >= 500 ? LogLevel::Warn : LogLevel::Debug, "api: {} {} {} {:.2f} ms{}{}",
             exchange.request.method_string(), exchange.request.target(), status,
             std::chrono::duration<double, std::milli>(elapsed).count(),
             exchange.trace_id.empty() ? "" : " trace_id=", exchange.trace_id);
  }
}

}  // namespace voxgate::api
