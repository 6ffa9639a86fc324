#pragma once
// An asynchronous HTTP/1.1 client (RFC 9112) for the control plane's calls
// out: webhook deliveries, routing decisions, the CLI's REST calls. It runs
// on a caller-given io_context and is used only on the thread that runs it.
// Each request opens its own connection (Connection: close) and is bounded
// by one total timeout covering name resolution, connect, send and receive.
//
//   HttpClient client(io);
//   HttpRequestSpec spec;
//   spec.method = boost::beast::http::verb::post;
//   spec.url = "http://127.0.0.1:8080/hook";
//   spec.headers = {{"Content-Type", "application/json"}};
//   spec.body = json;
//   client.request(std::move(spec), std::chrono::seconds(5), [](Result<HttpResponseData> response) { ... });
//
// Any status code is a response, not an error: the caller decides what a 500
// means. Errors are: Errc::InvalidArgument (a malformed URL, header or
// method), Errc::Unsupported (https), Errc::Timeout, Errc::LimitExceeded (the
// response head or body is larger than the configured limit) and Errc::Io
// (name resolution, connect, send, receive or a malformed response). Every
// error message names the method and URL.
//
// For a process with no event loop (the CLI), fetch() runs a request on its
// own io_context and blocks until it completes.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>

#include "base/result.hpp"

namespace voxgate::net {

// Header fields as name/value pairs, in order; names compare
// case-insensitively (RFC 9110 §5.1).
using HttpHeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponseData;

struct HttpRequestSpec {
  // GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS.
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string url;  // http://host[:port]/path?query (see url.hpp)
  // Sent as given, after the client's Host and User-Agent unless they are
  // given here. Connection, Content-Length and Transfer-Encoding belong to
  // the client: giving them is an InvalidArgument.
  HttpHeaderList headers;
  std::string body;  // sent with a Content-Length when non-empty (and always for POST and PUT)

  // Streaming the response, for a body the caller uses as it arrives (the
  // voice bot's HTTP agent speaks a reply before it is complete). With
  // on_body_data set, the body is not accumulated: on_head (optional) gets
  // the final response's status and header fields as soon as they are read,
  // on_body_data each piece of the body as it arrives, transfer coding
  // removed (a chunked body's data, RFC 9112 §7.1), and `done` the head again
  // with an empty body once the body is complete, or the error that cut it.
  // Both run on the io_context and may destroy the client (nothing more is
  // called then). on_head is not called without on_body_data.
  std::function<void(const HttpResponseData& head)> on_head;
  std::function<void(std::string_view data)> on_body_data;
};

struct HttpResponseData {
  unsigned status = 0;
  std::string reason;
  HttpHeaderList headers;
  std::string body;

  // The value of the first field named `name` (case-insensitive), if any.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const noexcept;
};

struct HttpClientConfig {
  std::size_t max_body_bytes = std::size_t{1} << 20;     // a larger response body fails with LimitExceeded
  std::size_t max_header_bytes = std::size_t{16} << 10;  // the same for the status line and header fields
  std::string user_agent = "voxgate";
};

class HttpClientExchange;

class HttpClient {
 public:
  using Completion = std::function<void(Result<HttpResponseData>)>;

  explicit HttpClient(boost::asio::io_context& io, HttpClientConfig config = {});
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpClient(HttpClient&&) = delete;
  HttpClient& operator=(HttpClient&&) = delete;
  // Cancels the requests still outstanding. Their completions are NOT
  // called (they typically capture the object that owns this client, which
  // is being destroyed too). Their sockets close at once; the cancelled
  // operations release their memory when the io_context next runs or is
  // destroyed. Destroy the client on the io_context's thread, or while the
  // io_context is not running.
  ~HttpClient();

  // Starts a request. `done` is called exactly once, from the io_context
  // (never from inside request()), with the response or the error, unless
  // the client is destroyed first. It may destroy the client or start new
  // requests. The timeout covers the whole exchange.
  //
  // A host name is resolved with the system resolver (getaddrinfo on a
  // background thread of the io_context): a timeout during resolution is
  // reported on time, but the lookup itself cannot be aborted and finishes
  // in the background.
  void request(HttpRequestSpec spec, std::chrono::milliseconds timeout, Completion done);

  // Requests started and not yet completed (or cancelled).
  [[nodiscard]] std::size_t in_flight() const noexcept { return exchanges_.size(); }

 private:
  friend class HttpClientExchange;
  void forget(std::uint64_t exchange_id) noexcept;

  boost::asio::io_context& io_;
  HttpClientConfig config_;
  std::uint64_t next_exchange_id_ = 1;
  // Weak: a pending asynchronous operation is what keeps an exchange alive,
  // so an io_context destroyed first takes its exchanges with it.
  std::unordered_map<std::uint64_t, std::weak_ptr<HttpClientExchange>> exchanges_;
};

// Runs one request on a private io_context and blocks until it completes or
// times out. For callers with no event loop (the CLI); never call it on an
// event loop's thread. One exception to the timeout: a host name lookup
// that hangs delays the return until getaddrinfo gives up, since the
// io_context's destructor joins the thread blocked in it.
Result<HttpResponseData> fetch(HttpRequestSpec spec, std::chrono::milliseconds timeout, HttpClientConfig config = {});

}  // namespace voxgate::net
