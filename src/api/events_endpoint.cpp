// GET /v1/events: the event journal over a WebSocket (docs/API.md). Each
// client has its filter (the session list's parameters) and its cursor
// (the sequence number of the last entry sent); a client that reconnects
// with ?cursor=N gets every retained entry after N, then the live ones.
// A session that stops matching the filter (a state filter, say) still
// gets its last event sent, so a client sees every session it follows end.

#include <string>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/api_server.hpp"
#include "api/session_query.hpp"
#include "net/http/query_params.hpp"

namespace voxgate::api {

class ApiServer::EventStream {
 public:
  EventStream(EventJournal& journal, session::SessionFilter filter, std::uint64_t cursor)
      : journal_(journal), filter_(std::move(filter)), cursor_(cursor) {}

  void attach(std::shared_ptr<net::WebSocketSession> socket) { socket_ = std::move(socket); }
  [[nodiscard]] bool closed() const noexcept { return socket_ == nullptr; }
  void close() { socket_.reset(); }

  // Sends what the journal has after the cursor.
  void pump() {
    if (socket_ == nullptr) return;
    for (;;) {
      auto slice = journal_.since(cursor_, 512);
      if (slice.gap) {
        // The client asked for entries the journal no longer keeps, or fell
        // that far behind while connected (the cursor moves past each gap,
        // so each is reported once).
        boost::json::object gap;
        gap["type"] = "journal.gap";
        gap["oldest"] = slice.oldest;
        gap["cursor"] = cursor_;
        socket_->send(boost::json::serialize(gap));
      }
      if (slice.entries.empty()) return;
      for (const auto& entry : slice.entries) {
        cursor_ = entry->sequence;
        if (wanted(*entry)) socket_->send(entry->json);
      }
    }
  }

 private:
  bool wanted(const JournalEntry& entry) {
    if (entry.record.id.value() == 0) return true;  // journal-wide entries
    const auto id = entry.record.id;
    if (filter_.matches(entry.record)) {
      following_.insert(id);
      return true;
    }
    return following_.erase(id) > 0;
  }

  EventJournal& journal_;
  session::SessionFilter filter_;
  std::uint64_t cursor_;
  std::unordered_set<session::SessionId> following_;
  std::shared_ptr<net::WebSocketSession> socket_;
};

void ApiServer::on_websocket(const net::HttpRequest& request, net::WebSocketUpgrade upgrade) {
  const auto path = net::path_of(request.target());
  if (path != "/v1/events") {
    return upgrade.refuse(net::make_response(request, http::status::not_found,
                                             net::error_body("NOT_FOUND", fmt::format("no WebSocket at {}", path))));
  }
  if (!authorized(request)) {
    ++counts_.unauthorized;
    net::HttpResponse refusal = net::make_response(request, http::status::unauthorized,
                                                   net::error_body("UNAUTHORIZED", "a valid bearer token is required"));
    refusal.set(http::field::www_authenticate, "Bearer realm=\"voxgate\"");  // RFC 6750 §3, as on_request
    return upgrade.refuse(std::move(refusal));
  }
  auto params = net::parse_query(net::query_of(request.target()));
  std::uint64_t cursor = deps_.journal.last_sequence();  // no cursor: from now on
  static constexpr std::string_view kOwn[] = {"cursor"};
  auto filter = params ? session_filter_from(*params, kOwn) : tl::unexpected(params.error());
  if (filter) {
    for (const auto& [name, value] : *params) {
      if (name != "cursor") continue;
      auto parsed = parse_session_id(value);  // the same digits rule
      if (value == "0") {
        cursor = 0;
      } else if (!parsed) {
        filter = make_error(Errc::InvalidArgument, "cursor: '{}' is not a sequence number", value);
      } else {
        cursor = parsed->value();
      }
    }
  }
  if (!filter) {
    return upgrade.refuse(net::make_response(request, http::status::bad_request,
                                             net::error_body("INVALID_ARGUMENT", filter.error().message)));
  }
  auto stream = std::make_shared<EventStream>(deps_.journal, std::move(*filter), cursor);
  std::weak_ptr<EventStream> weak = stream;
  auto socket = upgrade.accept({nullptr, [this, weak, alive = alive_] {
                                  if (!*alive) return;
                                  if (auto closed = weak.lock()) closed->close();
                                  std::erase_if(streams_, [](const auto& s) { return s->closed(); });
                                }});
  stream->attach(std::move(socket));
  streams_.push_back(stream);
  stream->pump();
}

void ApiServer::on_journal_appended() {
  if (wake_posted_.exchange(true)) return;
  boost::asio::post(io_, [this, alive = alive_] {
    if (!*alive) return;
    wake_posted_ = false;
    wake_streams();
  });
}

void ApiServer::wake_streams() {
  for (const auto& stream : streams_) stream->pump();
}

}  // namespace voxgate::api
