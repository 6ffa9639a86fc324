// An HTTP/1.1 load generator for the control API (bench/api_load/README.md):
// keep-alive connections, GET requests over a weighted mix of paths, either
// open loop at a target rate or closed loop as fast as the connections go.
//
//   voxgate_api_load --url http://127.0.0.1:8080 --token T --connections 16
//       --rate 5000 --duration 10 --warmup 1
//       --path '/v1/sessions?limit=100' --path '9*/v1/sessions/{1-10000}'
//
// --path [WEIGHT*]PATH: PATH is sent as the request target; every {A-B} in
// it becomes a uniformly random integer in [A, B] per request. Requests are
// drawn by weight (default 1). Results are reported per --path as given.
//
// Open loop (--rate R > 0): request i is due at start + i/R whether or not
// earlier ones were answered; it goes out on an idle connection, or waits in
// a queue for one (beyond --max-backlog it is dropped and counted). Its
// latency is measured from when it was due, so a slow server (or a starved
// client) cannot hide behind fewer requests (no coordinated omission);
// "service" time is from the write to the end of the response.
// Closed loop (--rate 0): every connection sends its next request as soon
// as the last answer is read; latency = service time.
//
// Only requests due after --warmup count. Prints a table and one line
// `RESULT {json}` for scripts (bench/api_load/run.py reads it).
//
// Boost.Asio/Beast/JSON and fmt only; one io_context per --threads thread,
// each with its share of the connections and of the rate.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

// A request target with {A-B} ranges, drawn fresh for every request.
class PathTemplate {
 public:
  explicit PathTemplate(std::string spec) {
    double weight = 1;
    if (const auto star = spec.find('*'); star != std::string::npos && star > 0 && spec[0] != '/') {
      weight = std::stod(spec.substr(0, star));
      spec.erase(0, star + 1);
    }
    if (spec.empty() || spec[0] != '/') throw std::invalid_argument("--path must start with '/': " + spec);
    if (!(weight > 0)) throw std::invalid_argument("--path weight must be > 0");
    label_ = spec;
    weight_ = weight;
    std::size_t at = 0;
    while (at < spec.size()) {
      const auto open = spec.find('{', at);
      if (open == std::string::npos) break;
      const auto close = spec.find('}', open);
      const auto dash = spec.find('-', open);
      if (close == std::string::npos || dash == std::string::npos || dash > close) {
        throw std::invalid_argument("--path: expected {A-B} in " + spec);
      }
      literals_.push_back(spec.substr(at, open - at));
      const auto low = std::stoull(spec.substr(open + 1, dash - open - 1));
      const auto high = std::stoull(spec.substr(dash + 1, close - dash - 1));
      if (low > high) throw std::invalid_argument("--path: empty range in " + spec);
      ranges_.emplace_back(low, high);
      at = close + 1;
    }
    literals_.push_back(spec.substr(at));
  }

  [[nodiscard]] const std::string& label() const noexcept { return label_; }
  [[nodiscard]] double weight() const noexcept { return weight_; }

  [[nodiscard]] std::string render(std::mt19937_64& rng) const {
    std::string out = literals_[0];
    for (std::size_t i = 0; i < ranges_.size(); ++i) {
      std::uniform_int_distribution<std::uint64_t> pick(ranges_[i].first, ranges_[i].second);
      out += std::to_string(pick(rng));
      out += literals_[i + 1];
    }
    return out;
  }

 private:
  std::string label_;
  double weight_ = 1;
  std::vector<std::string> literals_;  // one more than ranges_
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges_;
};

struct Options {
  std::string host;
  std::string port = "80";
  std::string token;
  std::vector<PathTemplate> paths;
  unsigned connections = 8;
  unsigned threads = 1;
  double rate = 0;  // requests/s; 0: closed loop
  double duration_s = 10;
  double warmup_s = 0;
  std::chrono::milliseconds timeout{5000};
  std::size_t max_backlog = 0;  // 0: one second's worth of requests (open loop)
  std::uint64_t seed = 1;
};

constexpr const char* kUsage =
    "usage: voxgate_api_load --url http://HOST:PORT --path [WEIGHT*]PATH [--path ...]\n"
    "         [--token T] [--connections N=8] [--threads N=1] [--rate R (req/s; 0 = closed loop)=0]\n"
    "         [--duration S=10] [--warmup S=0] [--timeout-ms MS=5000] [--max-backlog N] [--seed N]\n"
    "  PATH may hold {A-B}: a random integer in [A, B] per request (e.g. /v1/sessions/{1-10000})\n";

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "voxgate_api_load: %s\n%s", message.c_str(), kUsage);
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options opts;
  bool have_url = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) usage_error(fmt::format("{} needs a value", arg));
    const std::string value = argv[++i];
    try {
      if (arg == "--url") {
        constexpr std::string_view scheme = "http://";
        if (value.rfind(scheme, 0) != 0) usage_error("--url must be http://HOST[:PORT]");
        std::string rest = value.substr(scheme.size());
        if (const auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
        if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
          opts.port = rest.substr(colon + 1);
          rest.resize(colon);
        }
        opts.host = rest;
        have_url = true;
      } else if (arg == "--path") {
        opts.paths.emplace_back(value);
      } else if (arg == "--token") {
        opts.token = value;
      } else if (arg == "--connections") {
        opts.connections = static_cast<unsigned>(std::stoul(value));
      } else if (arg == "--threads") {
        opts.threads = static_cast<unsigned>(std::stoul(value));
      } else if (arg == "--rate") {
        opts.rate = std::stod(value);
      } else if (arg == "--duration") {
        opts.duration_s = std::stod(value);
      } else if (arg == "--warmup") {
        opts.warmup_s = std::stod(value);
      } else if (arg == "--timeout-ms") {
        opts.timeout = std::chrono::milliseconds(std::stol(value));
      } else if (arg == "--max-backlog") {
        opts.max_backlog = std::stoul(value);
      } else if (arg == "--seed") {
        opts.seed = std::stoull(value);
      } else {
        usage_error(fmt::format("unknown option {}", arg));
      }
    } catch (const std::logic_error& e) {  // stoul & co, PathTemplate
      usage_error(fmt::format("{} {}: {}", arg, value, e.what()));
    }
  }
  if (!have_url || opts.host.empty()) usage_error("--url is required");
  if (opts.paths.empty()) usage_error("at least one --path is required");
  if (opts.threads == 0 || opts.connections < opts.threads) usage_error("need 1 <= --threads <= --connections");
  if (opts.rate < 0 || !(opts.duration_s > 0) || opts.warmup_s < 0) usage_error("bad --rate/--duration/--warmup");
  if (opts.max_backlog == 0) opts.max_backlog = std::max<std::size_t>(1000, static_cast<std::size_t>(opts.rate));
  return opts;
}

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

struct PathStats {
  std::vector<float> latency_us;               // from due (open loop) or from the write (closed loop) to the response
  std::vector<float> service_us;               // from the write to the response
  std::uint64_t ok = 0;                        // 2xx
  std::map<unsigned, std::uint64_t> statuses;  // every status, 2xx included
  std::uint64_t io_errors = 0;                 // connect/write/read failed, or the server closed the connection
  std::uint64_t timeouts = 0;                  // no complete response within --timeout-ms
  std::uint64_t dropped = 0;                   // open loop: the backlog was full when it was due
  std::uint64_t body_bytes = 0;

  void merge(const PathStats& other) {
    latency_us.insert(latency_us.end(), other.latency_us.begin(), other.latency_us.end());
    service_us.insert(service_us.end(), other.service_us.begin(), other.service_us.end());
    ok += other.ok;
    for (const auto& [status, count] : other.statuses) statuses[status] += count;
    io_errors += other.io_errors;
    timeouts += other.timeouts;
    dropped += other.dropped;
    body_bytes += other.body_bytes;
  }
  [[nodiscard]] std::uint64_t responses() const noexcept { return latency_us.size(); }
  [[nodiscard]] std::uint64_t errors() const noexcept { return responses() - ok + io_errors + timeouts + dropped; }
};

// Linear interpolation between closest ranks (as bench/sip_load/run.py);
// `values` sorted.
double percentile(const std::vector<float>& values, double p) {
  if (values.empty()) return 0;
  const double k = static_cast<double>(values.size() - 1) * p / 100;
  const auto lo = static_cast<std::size_t>(k);
  const auto hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (values[hi] - values[lo]) * (k - static_cast<double>(lo));
}

// ---------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------

struct Pending {
  Clock::time_point due;
  std::size_t path = 0;
  std::string target;
};

class Worker;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Worker& worker, asio::io_context& io) : worker_(worker), socket_(io), timer_(io) {}
  void connect();
  void send(Pending pending);
  void close() {
    beast::error_code ignored;
    socket_.close(ignored);
    timer_.cancel();
  }
  [[nodiscard]] bool busy() const noexcept { return busy_; }

 private:
  void on_written(beast::error_code ec);
  void on_read(beast::error_code ec);
  void fail(bool timeout);

  Worker& worker_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Pending current_;
  Clock::time_point sent_;
  std::uint64_t generation_ = 0;
  bool busy_ = true;  // until connected
  bool timed_out_ = false;
};

class Worker {
 public:
  Worker(const Options& opts, tcp::resolver::results_type endpoints, unsigned connections, double rate,
         std::uint64_t seed)
      : opts_(opts),
        endpoints_(std::move(endpoints)),
        rate_(rate),
        rng_(seed),
        stats_(opts.paths.size()),
        tick_(io_),
        stop_timer_(io_) {
    std::vector<double> weights;
    for (const auto& path : opts.paths) weights.push_back(path.weight());
    pick_ = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    for (unsigned i = 0; i < connections; ++i) connections_.push_back(std::make_shared<Connection>(*this, io_));
  }

  void run(Clock::time_point start) {
    start_ = start;
    window_ = start + to_duration(opts_.warmup_s);
    end_ = window_ + to_duration(opts_.duration_s);
    for (auto& c : connections_) c->connect();
    if (rate_ > 0) {
      interval_ = std::chrono::duration<double>(1.0 / rate_);
      tick_.expires_at(start_);
      tick_.async_wait([this](beast::error_code ec) { on_tick(ec); });
    }
    // Outstanding requests get their timeout after the end; then stop.
    stop_timer_.expires_at(end_ + opts_.timeout + std::chrono::seconds(1));
    stop_timer_.async_wait([this](beast::error_code ec) {
      if (!ec) finish();
    });
    io_.run();
  }

  [[nodiscard]] const std::vector<PathStats>& stats() const noexcept { return stats_; }
  [[nodiscard]] const tcp::resolver::results_type& endpoints() const noexcept { return endpoints_; }
  [[nodiscard]] const Options& options() const noexcept { return opts_; }

  // A connection is free (connected, or its response read).
  void on_idle(const std::shared_ptr<Connection>& connection) {
    if (finished_) return;
    if (rate_ > 0) {
      if (!backlog_.empty()) {
        Pending next = std::move(backlog_.front());
        backlog_.pop_front();
        connection->send(std::move(next));
      } else {
        idle_.push_back(connection);
        maybe_finish();
      }
      return;
    }
    const auto now = Clock::now();
    if (now >= end_) {
      maybe_finish();
      return;
    }
    connection->send(make_request(now));
  }

  void record(const Pending& p, Clock::time_point sent, Clock::time_point done, unsigned status, std::size_t bytes) {
    if (p.due < window_) return;
    auto& s = stats_[p.path];
    const auto since_due = std::chrono::duration<float, std::micro>(done - (rate_ > 0 ? p.due : sent)).count();
    s.latency_us.push_back(since_due);
    s.service_us.push_back(std::chrono::duration<float, std::micro>(done - sent).count());
    if (status >= 200 && status < 300) ++s.ok;
    ++s.statuses[status];
    s.body_bytes += bytes;
  }

  void record_failure(const Pending& p, bool timeout) {
    if (p.due < window_) return;
    auto& s = stats_[p.path];
    ++(timeout ? s.timeouts : s.io_errors);
  }

  // A failed connection asks again in 100 ms.
  void reconnect_later(const std::shared_ptr<Connection>& connection) {
    auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(100));
    timer->async_wait([this, timer, connection](beast::error_code ec) {
      if (!ec && !finished_) connection->connect();
    });
    maybe_finish();
  }

  [[nodiscard]] bool finished() const noexcept { return finished_; }

 private:
  static Clock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  Pending make_request(Clock::time_point due) {
    const std::size_t path = pick_(rng_);
    return Pending{due, path, opts_.paths[path].render(rng_)};
  }

  void on_tick(beast::error_code ec) {
    if (ec || finished_) return;
    const auto now = Clock::now();
    // Every request due by now, each with its own due time.
    while (true) {
      const auto due = start_ + std::chrono::duration_cast<Clock::duration>(interval_ * static_cast<double>(issued_));
      if (due > now || due >= end_) break;
      ++issued_;
      Pending p = make_request(due);
      if (!idle_.empty()) {
        auto connection = idle_.back();
        idle_.pop_back();
        connection->send(std::move(p));
      } else if (backlog_.size() < opts_.max_backlog) {
        backlog_.push_back(std::move(p));
      } else if (p.due >= window_) {
        ++stats_[p.path].dropped;
      }
    }
    const auto next = start_ + std::chrono::duration_cast<Clock::duration>(interval_ * static_cast<double>(issued_));
    if (next >= end_) {
      issuing_done_ = true;
      maybe_finish();
      return;
    }
    tick_.expires_at(next);
    tick_.async_wait([this](beast::error_code e) { on_tick(e); });
  }

  void maybe_finish() {
    if (finished_) return;
    if (rate_ > 0 ? !issuing_done_ : Clock::now() < end_) return;
    if (!backlog_.empty()) return;
    for (const auto& c : connections_) {
      if (c->busy()) return;
    }
    finish();
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    // Requests still waiting for a connection at the deadline never went out.
    for (const auto& p : backlog_) {
      if (p.due >= window_) ++stats_[p.path].dropped;
    }
    backlog_.clear();
    idle_.clear();
    tick_.cancel();
    stop_timer_.cancel();
    for (auto& c : connections_) c->close();
  }

  const Options& opts_;
  tcp::resolver::results_type endpoints_;
  double rate_;
  std::mt19937_64 rng_;
  std::discrete_distribution<std::size_t> pick_;
  std::vector<PathStats> stats_;
  asio::io_context io_;
  asio::steady_timer tick_;
  asio::steady_timer stop_timer_;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::vector<std::shared_ptr<Connection>> idle_;
  std::deque<Pending> backlog_;
  Clock::time_point start_, window_, end_;
  std::chrono::duration<double> interval_{0};
  std::uint64_t issued_ = 0;
  bool issuing_done_ = false;
  bool finished_ = false;
};

void Connection::connect() {
  busy_ = true;
  beast::error_code ignored;
  socket_.close(ignored);
  asio::async_connect(socket_, worker_.endpoints(),
                      [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                        if (self->worker_.finished()) return;
                        if (ec) {
                          self->worker_.reconnect_later(self);
                          return;
                        }
                        self->socket_.set_option(tcp::no_delay(true), ec);
                        self->buffer_.clear();
                        self->busy_ = false;
                        self->worker_.on_idle(self);
                      });
}

void Connection::send(Pending pending) {
  busy_ = true;
  timed_out_ = false;
  current_ = std::move(pending);
  const Options& opts = worker_.options();
  request_ = {};
  request_.method(http::verb::get);
  request_.target(current_.target);
  request_.version(11);
  request_.set(http::field::host, opts.host + ":" + opts.port);
  request_.set(http::field::user_agent, "voxgate_api_load");
  if (!opts.token.empty()) request_.set(http::field::authorization, "Bearer " + opts.token);
  request_.keep_alive(true);
  const std::uint64_t generation = ++generation_;
  timer_.expires_after(opts.timeout);
  timer_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
    if (ec || generation != self->generation_ || !self->busy_) return;
    self->timed_out_ = true;
    beast::error_code ignored;
    self->socket_.close(ignored);  // the pending write or read completes with an error
  });
  sent_ = Clock::now();
  http::async_write(socket_, request_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_written(ec); });
}

void Connection::on_written(beast::error_code ec) {
  if (ec) return fail(timed_out_);
  parser_.emplace();
  parser_->body_limit(std::uint64_t{64} << 20);
  http::async_read(socket_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_read(e); });
}

void Connection::on_read(beast::error_code ec) {
  if (ec) return fail(timed_out_);
  const auto done = Clock::now();
  ++generation_;
  timer_.cancel();
  const auto& response = parser_->get();
  worker_.record(current_, sent_, done, response.result_int(), response.body().size());
  const bool keep = response.keep_alive();
  parser_.reset();
  if (!keep) {
    connect();  // the server ends the connection: the next one waits for a new connection
    return;
  }
  busy_ = false;
  worker_.on_idle(shared_from_this());
}

void Connection::fail(bool timeout) {
  ++generation_;
  timer_.cancel();
  if (worker_.finished()) {
    busy_ = false;
    return;
  }
  worker_.record_failure(current_, timeout);
  beast::error_code ignored;
  socket_.close(ignored);
  worker_.reconnect_later(shared_from_this());
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

json::object summarize(const std::string& name, PathStats& s, double duration_s) {
  std::sort(s.latency_us.begin(), s.latency_us.end());
  std::sort(s.service_us.begin(), s.service_us.end());
  const auto ms = [](double us) { return std::round(us) / 1000.0; };
  json::object statuses;
  for (const auto& [status, count] : s.statuses) statuses[std::to_string(status)] = count;
  return json::object{
      {"path", name},
      {"responses", s.responses()},
      {"ok", s.ok},
      {"rate", s.responses() / duration_s},
      {"errors", s.errors()},
      {"non_2xx", s.responses() - s.ok},
      {"io_errors", s.io_errors},
      {"timeouts", s.timeouts},
      {"dropped", s.dropped},
      {"statuses", statuses},
      {"body_bytes_mean", s.responses() ? static_cast<double>(s.body_bytes) / s.responses() : 0.0},
      {"p50_ms", ms(percentile(s.latency_us, 50))},
      {"p90_ms", ms(percentile(s.latency_us, 90))},
      {"p99_ms", ms(percentile(s.latency_us, 99))},
      {"p999_ms", ms(percentile(s.latency_us, 99.9))},
      {"max_ms", ms(s.latency_us.empty() ? 0.0 : s.latency_us.back())},
      {"service_p50_ms", ms(percentile(s.service_us, 50))},
      {"service_p99_ms", ms(percentile(s.service_us, 99))},
  };
}

void print_row(const json::object& row) {
  fmt::print("{:<40} {:>9} {:>9.0f} {:>7} {:>8.3f} {:>8.3f} {:>8.3f} {:>8.3f} {:>10.3f}\n",
             std::string(row.at("path").as_string()), row.at("responses").to_number<std::uint64_t>(),
             row.at("rate").to_number<double>(), row.at("errors").to_number<std::uint64_t>(),
             row.at("p50_ms").to_number<double>(), row.at("p90_ms").to_number<double>(),
             row.at("p99_ms").to_number<double>(), row.at("max_ms").to_number<double>(),
             row.at("service_p99_ms").to_number<double>());
}

}  // namespace

int main(int argc, char** argv) {
  const Options opts = parse_options(argc, argv);

  tcp::resolver::results_type endpoints;
  try {
    asio::io_context io;
    tcp::resolver resolver(io);
    endpoints = resolver.resolve(opts.host, opts.port);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "voxgate_api_load: cannot resolve %s:%s: %s\n", opts.host.c_str(), opts.port.c_str(),
                 e.what());
    return 1;
  }

  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned t = 0; t < opts.threads; ++t) {
    const unsigned share = opts.connections / opts.threads + (t < opts.connections % opts.threads ? 1 : 0);
    workers.push_back(std::make_unique<Worker>(opts, endpoints, share, opts.rate / opts.threads, opts.seed * 7919 + t));
  }
  // All threads share one schedule origin, a little ahead so every
  // connection is up when the first request is due.
  const auto start = Clock::now() + std::chrono::milliseconds(100);
  std::vector<std::thread> threads;
  for (auto& w : workers) threads.emplace_back([&w, start] { w->run(start); });
  for (auto& t : threads) t.join();

  std::vector<PathStats> merged(opts.paths.size());
  for (const auto& w : workers) {
    for (std::size_t i = 0; i < merged.size(); ++i) merged[i].merge(w->stats()[i]);
  }
  PathStats all;
  for (const auto& s : merged) all.merge(s);

  json::array rows;
  for (std::size_t i = 0; i < merged.size(); ++i)
    rows.push_back(summarize(opts.paths[i].label(), merged[i], opts.duration_s));
  json::object total = summarize("all", all, opts.duration_s);

  fmt::print("voxgate_api_load: {} to {}:{}, {} connections, {} thread(s), {:g} s (+{:g} s warm-up)\n",
             opts.rate > 0 ? fmt::format("open loop at {:g} req/s", opts.rate) : std::string("closed loop"), opts.host,
             opts.port, opts.connections, opts.threads, opts.duration_s, opts.warmup_s);
  fmt::print("{:<40} {:>9} {:>9} {:>7} {:>8} {:>8} {:>8} {:>8} {:>10}\n", "path", "responses", "rate/s", "errors",
             "p50 ms", "p90 ms", "p99 ms", "max ms", "svc p99 ms");
  for (const auto& row : rows) print_row(row.as_object());
  print_row(total);
  if (all.errors() > 0) {
    fmt::print("errors: {} non-2xx {}, {} I/O, {} timeouts, {} dropped (backlog full or never sent)\n", all.errors(),
               json::serialize(total.at("statuses")), all.io_errors, all.timeouts, all.dropped);
  }
  json::object result{
      {"mode", opts.rate > 0 ? "open" : "closed"},
      {"target_rate", opts.rate},
      {"connections", opts.connections},
      {"threads", opts.threads},
      {"duration_s", opts.duration_s},
      {"warmup_s", opts.warmup_s},
      {"achieved_rate", total.at("rate")},
      {"total", total},
      {"paths", rows},
  };
  fmt::print("RESULT {}\n", json::serialize(result));
  std::fflush(stdout);
  return 0;
}
