#pragma once
// One request on its way through the API: what was asked, and the one
// answer it gets, from the io_context or from a worker loop (answers are
// carried back to the io_context, where they are counted and logged).

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "api/api_error.hpp"
#include "api/api_server.hpp"
#include "base/result.hpp"
#include "net/http/http_server.hpp"
#include "net/http/router.hpp"

namespace voxgate::api {

// Shared: an answer queued for the io_context keeps its exchange alive
// until it is counted and logged there.
class ApiServer::Exchange : public std::enable_shared_from_this<ApiServer::Exchange> {
 public:
  Exchange(ApiServer& server, net::HttpRequest the_request, PathParams the_params, Reply reply, std::string the_route,
           std::string the_trace_id)
      : request(std::move(the_request)),
        params(std::move(the_params)),
        route(std::move(the_route)),
        trace_id(std::move(the_trace_id)),
        server_(server),
        reply_(std::move(reply)),
        alive_(server.alive_) {}

  net::HttpRequest request;
  PathParams params;
  std::string route;     // "GET /v1/sessions/{id}"
  std::string trace_id;  // from traceparent, or "" (W3C Trace Context §3.2)
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  void respond(http::status status, const boost::json::value& body);
  // A response built by the caller (extra headers: Allow, WWW-Authenticate).
  void respond(net::HttpResponse response) { send(std::move(response)); }
  void respond_text(http::status status, std::string body, std::string_view content_type);
  void no_content();
  void fail(ApiErrorCode code, std::string_view message);
  void fail(const Error& error, ApiErrorCode not_found = ApiErrorCode::SessionNotFound) {
    fail(code_for(error, not_found), error.message);
  }
  // The body as a JSON object ({} when empty); InvalidArgument otherwise.
  [[nodiscard]] Result<boost::json::object> body_object() const;
  // Runs `fn` on the API's io_context while the server lives.
  template <class Fn>
  void on_api_thread(Fn fn) {
    boost::asio::post(server_.io_, [alive = alive_, fn = std::move(fn)]() mutable {
      if (*alive) fn();
    });
  }
  [[nodiscard]] ApiServer& server() noexcept { return server_; }

 private:
  void send(net::HttpResponse response);

  ApiServer& server_;
  Reply reply_;
  std::shared_ptr<bool> alive_;
};

using ExchangePtr = std::shared_ptr<ApiServer::Exchange>;

}  // namespace voxgate::api
