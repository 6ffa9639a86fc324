#include "net/http/http_client.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "base/ascii.hpp"
#include "net/http/url.hpp"

namespace voxgate::net {

namespace {

namespace beast_http = boost::beast::http;
using Tcp = boost::asio::ip::tcp;
using ErrorCode = boost::system::error_code;

// tchar of RFC 9110 §5.6.2: a field name is a token.
bool is_token_char(char c) noexcept {
  return ascii::is_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_supported_method(beast_http::verb method) noexcept {
  using beast_http::verb;
  return method == verb::get || method == verb::head || method == verb::post || method == verb::put ||
         method == verb::patch || method == verb::delete_ || method == verb::options;
}

// The client frames the message and owns the connection (one per request),
// so these fields are its own (RFC 9112 §6, §9.6).
bool is_client_managed(std::string_view name) noexcept {
  return ascii::iequals(name, "connection") || ascii::iequals(name, "content-length") ||
         ascii::iequals(name, "transfer-encoding");
}

}  // namespace

// One request on its own connection. Every pending asynchronous operation
// holds a shared_ptr to it; `finished_` makes late completions (after a
// timeout, a failure or abandon()) do nothing.
class HttpClientExchange : public std::enable_shared_from_this<HttpClientExchange> {
 public:
  HttpClientExchange(boost::asio::io_context& io, HttpClient& owner, std::uint64_t id, const HttpClientConfig& config,
                     HttpRequestSpec spec, std::chrono::milliseconds timeout, HttpClient::Completion done)
      : io_(io),
        owner_(&owner),
        id_(id),
        max_body_bytes_(config.max_body_bytes),
        max_header_bytes_(config.max_header_bytes),
        user_agent_(config.user_agent),
        spec_(std::move(spec)),
        timeout_(timeout),
        done_(std::move(done)),
        resolver_(io),
        resolve_timer_(io),
        stream_(io) {}

  void start() {
    deadline_ = std::chrono::steady_clock::now() + timeout_;
    if (auto prepared = prepare(); !prepared) {
      // Completions never run inside request() (the caller may hold locks
      // or be half-way through its own state change).
      boost::asio::post(io_, [self = shared_from_this(), error = prepared.error()]() mutable {
        self->finish(tl::unexpected(std::move(error)));
      });
      return;
    }
    ErrorCode not_literal;
    const auto address = boost::asio::ip::make_address(url_.host, not_literal);
    if (!not_literal) {
      endpoints_.emplace_back(address, url_.port);
      connect();
    } else {
      resolve();
    }
  }

  // The owner is going away: close everything, never call `done`.
  void abandon() noexcept {
    owner_ = nullptr;
    done_ = nullptr;
    finished_ = true;
    close();
  }

 private:
  Result<void> prepare() {
    if (!is_supported_method(spec_.method)) {
      return make_error(Errc::Unsupported, "{}: method not supported", what());
    }
    auto url = parse_http_url(spec_.url);
    if (!url) return make_error(url.error().code, "HTTP {}", url.error().message);
    url_ = std::move(*url);

    request_.method(spec_.method);
    request_.target(url_.target);
    request_.version(11);
    for (const auto& [name, value] : spec_.headers) {
      if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
        return make_error(Errc::InvalidArgument, "{}: header name '{}' is not a token (RFC 9110 §5.1)", what(), name);
      }
      // A CR or LF would let a value inject header fields (RFC 9110 §5.5).
      if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        return make_error(Errc::InvalidArgument, "{}: header {} contains CR, LF or NUL", what(), name);
      }
      if (is_client_managed(name)) {
        return make_error(Errc::InvalidArgument, "{}: header {} is set by the client", what(), name);
      }
      request_.insert(name, value);
    }
    if (request_.find(beast_http::field::host) == request_.end()) {
      request_.set(beast_http::field::host, url_.authority());
    }
    if (!user_agent_.empty() && request_.find(beast_http::field::user_agent) == request_.end()) {
      request_.set(beast_http::field::user_agent, user_agent_);
    }
    request_.set(beast_http::field::connection, "close");
    request_.body() = std::move(spec_.body);
    request_.prepare_payload();
    return {};
  }

  void resolve() {
    auto self = shared_from_this();
    resolve_timer_.expires_at(deadline_);
    resolve_timer_.async_wait([self](const ErrorCode& ec) {
      if (ec || self->finished_) return;
      self->fail(Errc::Timeout,
                 fmt::format("timed out after {} ms resolving {}", self->timeout_.count(), self->url_.host));
    });
    resolver_.async_resolve(url_.host, std::to_string(url_.port), Tcp::resolver::numeric_service,
                            [self](const ErrorCode& ec, const Tcp::resolver::results_type& results) {
                              self->resolve_timer_.cancel();
                              if (self->finished_) return;
                              if (ec || results.empty()) {
                                self->fail(Errc::Io, fmt::format("resolve {}: {}", self->url_.host,
                                                                 ec ? ec.message() : std::string("no address")));
                                return;
                              }
                              for (const auto& entry : results) self->endpoints_.push_back(entry.endpoint());
                              self->connect();
                            });
  }

  void connect() {
    // The stream's expiry covers every operation on it from here on; when
    // it passes, the stream closes and the pending operation completes with
    // beast::error::timeout.
    stream_.expires_at(deadline_);
    stream_.async_connect(endpoints_, [self = shared_from_this()](const ErrorCode& ec, const Tcp::endpoint&) {
      if (self->finished_) return;
      if (ec) {
        self->fail_on(ec, "connect");
        return;
      }
      self->write();
    });
  }

  void write() {
    beast_http::async_write(stream_, request_, [self = shared_from_this()](const ErrorCode& ec, std::size_t) {
      if (self->finished_) return;
      if (ec) {
        self->fail_on(ec, "send request");
        return;
      }
      if (self->spec_.on_body_data) {
        self->read_streamed_head();
      } else {
        self->read();
      }
    });
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(max_body_bytes_);
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(max_header_bytes_, std::numeric_limits<std::uint32_t>::max())));
    // A response to HEAD has no body whatever its Content-Length says
    // (RFC 9110 §9.3.2).
    if (spec_.method == beast_http::verb::head) parser_->skip(true);
    beast_http::async_read(stream_, buffer_, *parser_,
                           [self = shared_from_this()](const ErrorCode& ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(const ErrorCode& ec) {
    if (finished_) return;
    if (ec) {
      fail_on(ec, "receive response");
      return;
    }
    auto& response = parser_->get();
    const auto status = response.result_int();
    // An interim response (RFC 9110 §15.2); a client must accept one even
    // unasked, and the final response follows on the same connection. 101
    // is final: we never ask to upgrade, so the caller sees it as is.
    if (status >= 100 && status < 200 && status != 101) {
      read();
      return;
    }
    HttpResponseData data;
    data.status = status;
    data.reason = std::string(response.reason());
    for (const auto& field : response) data.headers.emplace_back(field.name_string(), field.value());
    data.body = std::move(response.body());
    finish(std::move(data));
  }

  // Streaming (HttpRequestSpec::on_body_data): the head first, then the
  // body a piece at a time into a fixed buffer, each piece handed over as
  // it is parsed.
  void read_streamed_head() {
    streamed_parser_.emplace();
    streamed_parser_->body_limit(max_body_bytes_);
    streamed_parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(max_header_bytes_, std::numeric_limits<std::uint32_t>::max())));
    if (spec_.method == beast_http::verb::head) streamed_parser_->skip(true);
    beast_http::async_read_header(
        stream_, buffer_, *streamed_parser_,
        [self = shared_from_this()](const ErrorCode& ec, std::size_t) { self->on_streamed_head(ec); });
  }

  void on_streamed_head(const ErrorCode& ec) {
    if (finished_) return;
    if (ec) {
      fail_on(ec, "receive response");
      return;
    }
    const auto& response = streamed_parser_->get();
    const auto status = response.result_int();
    if (status >= 100 && status < 200 && status != 101) {  // interim: as read() does
      read_streamed_head();
      return;
    }
    head_.status = status;
    head_.reason = std::string(response.reason());
    for (const auto& field : response) head_.headers.emplace_back(field.name_string(), field.value());
    if (spec_.on_head) {
      spec_.on_head(head_);
      if (finished_) return;  // the callback destroyed the client
    }
    read_streamed_body();
  }

  void read_streamed_body() {
    if (streamed_parser_->is_done()) {
      finish(std::move(head_));
      return;
    }
    auto& body = streamed_parser_->get().body();
    body.data = piece_.data();
    body.size = piece_.size();
    beast_http::async_read_some(
        stream_, buffer_, *streamed_parser_,
        [self = shared_from_this()](const ErrorCode& ec, std::size_t) { self->on_streamed_body(ec); });
  }

  void on_streamed_body(ErrorCode ec) {
    if (finished_) return;
    // need_buffer: the piece buffer is full, which is not an error here.
    if (ec == beast_http::error::need_buffer) ec = {};
    if (ec) {
      fail_on(ec, "receive response body");
      return;
    }
    const std::size_t got = piece_.size() - streamed_parser_->get().body().size;
    if (got > 0) {
      spec_.on_body_data(std::string_view(piece_.data(), got));
      if (finished_) return;  // the callback destroyed the client
    }
    read_streamed_body();
  }

  [[nodiscard]] std::string what() const {
    return fmt::format("HTTP {} {}", std::string_view(beast_http::to_string(spec_.method)), spec_.url);
  }

  void fail(Errc code, std::string_view detail) {
    finish(tl::unexpected(Error{code, fmt::format("{}: {}", what(), detail)}));
  }

  void fail_on(const ErrorCode& ec, std::string_view step) {
    if (ec == boost::beast::error::timeout) {
      fail(Errc::Timeout, fmt::format("timed out after {} ms ({})", timeout_.count(), step));
    } else if (ec == beast_http::error::body_limit) {
      fail(Errc::LimitExceeded, fmt::format("the response body exceeds the limit of {} bytes", max_body_bytes_));
    } else if (ec == beast_http::error::header_limit) {
      fail(Errc::LimitExceeded, fmt::format("the response head exceeds the limit of {} bytes", max_header_bytes_));
    } else if (ec == beast_http::error::end_of_stream || ec == beast_http::error::partial_message) {
      fail(Errc::Io, "the server closed the connection before a complete response");
    } else if (ec.category() == beast_http::make_error_code(beast_http::error::bad_version).category()) {
      fail(Errc::Io, fmt::format("malformed response: {}", ec.message()));
    } else {
      fail(Errc::Io, fmt::format("{}: {}", step, ec.message()));
    }
  }

  void finish(Result<HttpResponseData> result) {
    if (finished_) return;
    finished_ = true;
    close();
    if (owner_ != nullptr) std::exchange(owner_, nullptr)->forget(id_);
    // Moved out first: the completion may destroy the client, or start a
    // request that reuses nothing of this one.
    auto done = std::move(done_);
    done_ = nullptr;
    if (done) done(std::move(result));
  }

  void close() noexcept {
    resolve_timer_.cancel();
    resolver_.cancel();
    stream_.close();
  }

  boost::asio::io_context& io_;
  HttpClient* owner_;
  std::uint64_t id_;
  std::size_t max_body_bytes_;
  std::size_t max_header_bytes_;
  std::string user_agent_;
  HttpRequestSpec spec_;
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point deadline_;
  HttpClient::Completion done_;
  HttpUrl url_;
  std::vector<Tcp::endpoint> endpoints_;
  Tcp::resolver resolver_;
  boost::asio::steady_timer resolve_timer_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  beast_http::request<beast_http::string_body> request_;
  std::optional<beast_http::response_parser<beast_http::string_body>> parser_;
  // Streaming only.
  std::optional<beast_http::response_parser<beast_http::buffer_body>> streamed_parser_;
  HttpResponseData head_;
  std::array<char, 4096> piece_{};
  bool finished_ = false;
};

std::optional<std::string_view> HttpResponseData::header(std::string_view name) const noexcept {
  for (const auto& [field, value] : headers) {
    if (ascii::iequals(field, name)) return std::string_view(value);
  }
  return std::nullopt;
}

HttpClient::HttpClient(boost::asio::io_context& io, HttpClientConfig config) : io_(io), config_(std::move(config)) {}

HttpClient::~HttpClient() {
  auto exchanges = std::move(exchanges_);
  exchanges_.clear();
  for (auto& [id, weak] : exchanges) {
    if (auto exchange = weak.lock()) exchange->abandon();
  }
}

void HttpClient::request(HttpRequestSpec spec, std::chrono::milliseconds timeout, Completion done) {
  const auto id = next_exchange_id_++;
  auto exchange =
      std::make_shared<HttpClientExchange>(io_, *this, id, config_, std::move(spec), timeout, std::move(done));
  exchanges_.emplace(id, exchange);
  exchange->start();
}

void HttpClient::forget(std::uint64_t exchange_id) noexcept {
  exchanges_.erase(exchange_id);
}

Result<HttpResponseData> fetch(HttpRequestSpec spec, std::chrono::milliseconds timeout, HttpClientConfig config) {
  boost::asio::io_context io;
  std::optional<Result<HttpResponseData>> outcome;
  {
    HttpClient client(io, std::move(config));
    client.request(std::move(spec), timeout,
                   [&outcome](Result<HttpResponseData> result) { outcome = std::move(result); });
    // Not io.run(): that would also wait for the late completions of what
    // a timeout cancelled.
    while (!outcome && io.run_one() > 0) {
    }
  }
  if (!outcome) return make_error(Errc::Internal, "HTTP request ended without a result");
  return std::move(*outcome);
}

}  // namespace voxgate::net
